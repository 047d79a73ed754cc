from django.core.management.base import BaseCommand

from follow.services import CONFIRM_DAYS, purge_follow_requests


class Command(BaseCommand):
    help = f"Delete follow requests not confirmed within {CONFIRM_DAYS} days. Run daily."

    def handle(self, *args, **options):
        deleted = purge_follow_requests()
        self.stdout.write(f"{deleted} unconfirmed follow request(s) deleted.")
