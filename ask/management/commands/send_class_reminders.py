import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from ask.services import send_reminders


class Command(BaseCommand):
    help = "Remind everyone with a seat in a class that starts tomorrow (run it daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--day", type=datetime.date.fromisoformat, help="YYYY-MM-DD; tomorrow by default"
        )

    def handle(self, *args, day=None, **options):
        day = day or timezone.localdate() + datetime.timedelta(days=1)
        sent = send_reminders(day=day)
        self.stdout.write(f"{sent} reminders sent for classes on {day.isoformat()}.")
