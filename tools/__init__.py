"""Development tools (the load benchmark, test servers): never imported by the portal itself."""
