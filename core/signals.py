"""Signals owned by the kernel, so an app can announce a change without importing who listens."""

from django.dispatch import Signal

# Sent by a service that changes public content with a query no model signal reports
# (an ``update()``); the page cache listens and invalidates once the transaction commits.
public_content_changed = Signal()

# Sent once a kind of content has a new generation (core.downloads.renew), after the commit
# that changed it, with `name` and the new `token`: an app may prepare what its pages will need
# (recommendations queues the progress figures for the worker).
content_renewed = Signal()
