from django.core.management.base import BaseCommand

from ask.models import Request
from ask.services import notify_request


class Command(BaseCommand):
    help = "Send request emails that could not be sent before (run it from cron)."

    def handle(self, *args, **options):
        pending = Request.objects.not_notified().select_related("program", "precinct")
        sent = failed = 0
        for request in pending:
            if notify_request(request=request):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} requests notified, {failed} still waiting.")
