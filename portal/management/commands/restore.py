"""Put a backup made by `manage.py backup` back: the database's contents become the backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        bump_generation()  # no node serves a page cached before the restore
        self.stdout.write(f"Restored {backup}")
