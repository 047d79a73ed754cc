"""Import the city's next status report from a CSV file: preview by default, --apply to apply."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations import reports
from recommendations.services import apply_status_report


def report_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date: “{value}” is not a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Import the city's status report (CSV: number, status, progress note). Prints one line "
        "per change and a summary; changes nothing unless --apply is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the report as a UTF-8 CSV file")
        parser.add_argument("--date", required=True, help="the report's date, YYYY-MM-DD")
        parser.add_argument("--apply", action="store_true", help="apply the changes (all or none)")

    def handle(self, *args, file, date, apply, **options):
        when = report_date(date)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            if apply:
                result = apply_status_report(data=data, report_date=when)
            else:
                result = reports.preview(reports.read_report(data))
        except reports.ReportError as error:
            messages = [f"{file}:", *error.messages, "Nothing was changed."]
            raise CommandError("\n".join(messages)) from None
        for line in result.lines(applied=apply):
            self.stdout.write(line)
