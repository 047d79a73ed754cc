from django.conf import settings
from django.core.management.base import BaseCommand

from programs.services import purge_signups


class Command(BaseCommand):
    help = (
        "Delete volunteer sign-ups closed (accepted, declined, withdrawn) longer than the "
        "retention period, and new ones nobody touched for that long (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SIGNUP_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        count = purge_signups(days=days)
        self.stdout.write(f"{count} sign-ups older than {days} days deleted.")
