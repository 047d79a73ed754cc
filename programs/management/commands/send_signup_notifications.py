from django.core.management.base import BaseCommand

from programs.models import VolunteerSignup
from programs.services import notify_signup


class Command(BaseCommand):
    help = "Send sign-up emails that could not be sent before (run it from cron)."

    def handle(self, *args, **options):
        pending = VolunteerSignup.objects.not_notified().prefetch_related("programs")
        sent = failed = 0
        for signup in pending:
            if notify_signup(signup=signup):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} sign-ups notified, {failed} still waiting.")
