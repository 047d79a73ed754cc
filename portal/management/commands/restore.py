"""Put a backup made by `manage.py backup` back: the database's contents become the backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import downloads
from core.models import ContentVersion
from portal import backups
from portal.pagecache import bump_generation


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `manage.py backup` "
        "(stop the app nodes and the worker first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, backup, interactive, **options):
        if interactive:
            answer = input(
                f"Everything in the database will be replaced by {backup}. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backups.restore(backup)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        # Nothing served from before the restore: the downloads' generations (restored with the
        # database, as the backup had them) are renewed, and every cached page dropped. Quietly:
        # nothing is queued, the database holds the backup's rows and no more.
        for name in ContentVersion.objects.values_list("name", flat=True):
            downloads.renew(name, announce=False)
        bump_generation()
        self.stdout.write(f"Restored {backup}")
