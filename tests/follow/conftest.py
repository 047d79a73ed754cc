import email
import email.policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from tests import taskqueue
from tools.servers import free_port


@pytest.fixture(autouse=True)
def clock():
    """A clock the story moves on (an undo window passing), ticking as usual in between."""
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        taskqueue.clock = traveller
        yield traveller
        taskqueue.clock = None


class Inbox:
    """What a real SMTP server (aiosmtpd) received: the raw bytes of each message, as sent."""

    def __init__(self):
        self.raw = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content)
        return "250 OK"

    @property
    def messages(self):
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in self.raw]

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(settings):
    """The portal's mail goes to a real SMTP server on loopback."""
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox
    server.stop()
