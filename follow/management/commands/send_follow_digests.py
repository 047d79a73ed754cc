from django.core.management.base import BaseCommand

from follow.services import send_digests


class Command(BaseCommand):
    help = (
        "Send the weekly digests to followers who chose them (nothing when nothing changed, "
        "and at most one a week) and any per-change email that could not be sent before."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-only",
            action="store_true",
            help="Only resend per-change emails that could not be sent; no digests.",
        )

    def handle(self, *args, retry_only=False, **options):
        sent = send_digests(digests=not retry_only)
        self.stdout.write(f"{sent} email(s) sent.")
