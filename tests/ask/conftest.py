"""The real SMTP server of the follow tests: request emails are read as the raw bytes sent."""

from tests.follow.conftest import Inbox, smtp  # noqa: F401
