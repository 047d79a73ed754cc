from django.core.management.base import BaseCommand

from follow.services import send_digests


class Command(BaseCommand):
    help = (
        "Send the weekly digests to followers who chose them (nothing when nothing changed) "
        "and any per-change email that could not be sent before. Run weekly from cron, or "
        "more often: a digest goes out at most once a week."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} email(s) sent.")
