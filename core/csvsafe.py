"""CSV files that are safe to open in a spreadsheet.

A cell starting with =, +, -, @, TAB or CR can be run as a formula by Excel or LibreOffice
(CSV injection); such a cell gets a leading apostrophe, which spreadsheets show as text.
Control characters (but tab and line breaks) are dropped.
"""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from core.textsafe import strip_control_characters

DANGEROUS_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralize(value) -> str:
    text = "" if value is None else strip_control_characters(str(value))
    if text.startswith(DANGEROUS_FIRST_CHARACTERS):
        return "'" + text
    return text


class Line:
    """csv.writer's file: it hands back the line it was given, so rows can be streamed."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(
    header: list[str], rows: Iterable[Iterable], *, rows_per_chunk=500
) -> Iterator[bytes]:
    """The UTF-8 CSV (a BOM first, so spreadsheets read the accents), some rows at a time."""
    writer = csv.writer(Line())
    lines = ["\ufeff" + writer.writerow([neutralize(cell) for cell in header])]
    for row in rows:
        lines.append(writer.writerow([neutralize(cell) for cell in row]))
        if len(lines) >= rows_per_chunk:
            yield "".join(lines).encode()
            lines = []
    yield "".join(lines).encode()


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """A CSV download streamed row by row: its memory does not grow with the rows."""
    response = StreamingHttpResponse(csv_chunks(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
