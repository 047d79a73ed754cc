"""Signals owned by the kernel, so an app can announce a change without importing who listens."""

from django.dispatch import Signal

# Sent by a service that changes public content with a query no model signal reports
# (an ``update()``); the page cache listens and invalidates once the transaction commits.
public_content_changed = Signal()
