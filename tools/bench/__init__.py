"""`make bench`: the portal as in production under load, against a static file as the yardstick."""
