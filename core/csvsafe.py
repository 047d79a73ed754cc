"""CSV files that are safe to open in a spreadsheet.

A cell starting with =, +, -, @, TAB or CR can be run as a formula by Excel or LibreOffice
(CSV injection); such a cell gets a leading apostrophe, which spreadsheets show as text.
Control characters (but tab and line breaks) are dropped.
"""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

from core.textsafe import strip_control_characters

DANGEROUS_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    text = "" if value is None else strip_control_characters(str(value))
    if text.startswith(DANGEROUS_FIRST_CHARACTERS):
        return "'" + text
    return text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A UTF-8 CSV download (with a BOM so spreadsheets read the accents) of neutralized cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return response
