from django.conf import settings
from django.core.management.base import BaseCommand

from ask.services import purge_registrations, purge_requests


class Command(BaseCommand):
    help = (
        "Delete speaker, walk and meeting requests closed (declined, done) longer than the "
        "retention period, and new ones nobody touched for that long; and class registrations "
        "of classes over, or cancelled, for that long (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SIGNUP_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        count = purge_requests(days=days)
        registrations = purge_registrations(days=days)
        self.stdout.write(
            f"{count} requests and {registrations} class registrations older than {days} days "
            "deleted."
        )
