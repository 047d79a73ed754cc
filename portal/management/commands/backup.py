"""`make backup`, and cope-backup.timer every night: the whole database in one file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import backups


class Command(BaseCommand):
    help = (
        "Back up the database into one file (pg_dump's custom format, or a SQLite copy), "
        "keeping the newest --keep backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            default=None,
            help="The folder the backups go to (default: VAR_DIR/backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=14,
            help="How many backups to keep in that folder, the newest (0: keep all).",
        )

    def handle(self, *args, to, keep, **options):
        folder = to or settings.VAR_DIR / "backups"
        try:
            path = backups.backup(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        deleted = backups.prune(folder, keep)
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
        if deleted:
            self.stdout.write(f"{len(deleted)} older backup(s) deleted")
