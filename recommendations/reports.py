"""Read the city's next status report (CSV: number, status, progress note) and say what it changes.

Nothing here writes: `services.apply_status_report` applies what `preview` shows. The status
words are the report's own (importer.STATUSES: "IN PROGRESS", "DEVELOPMENT"...), and the plan's
labels and codes are understood too, in any case.
"""

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from core.textsafe import strip_control_characters
from recommendations.importer import STATUSES
from recommendations.models import Recommendation, Status, english_status_labels, status_label

COLUMNS = ["number", "status", "progress note"]
HEADER_NAMES = {"number": 0, "status": 1, "progress note": 2, "progress_note": 2, "note": 2}
NOTE_LIMIT = 2000
MAX_ERRORS = 20  # then the reading stops: a file wrong throughout costs no more than this
MAX_LINES = 1000  # the plan has 82 recommendations, one line each
QUOTED = 40  # characters of a wrong cell quoted in its error message


@cache
def status_words() -> dict[str, str]:
    """{status word, casefolded: code}: the report's words, the plan's English labels, the codes."""
    labels = english_status_labels()
    return (
        {word.casefold(): code for word, code in STATUSES.items()}
        | {labels[code].casefold(): code for code in Status.values}
        | {code.casefold(): code for code in Status.values}
    )


class ReportError(ValueError):
    """The report cannot be imported; each message names its line and column."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ReportLine:
    line: int
    number: int
    status: str
    note: str


@dataclass
class Change:
    recommendation: Recommendation
    line: ReportLine
    old_status: str
    old_note: str

    @property
    def status_changes(self) -> bool:
        return self.old_status != self.line.status

    @property
    def old_status_label(self) -> str:
        return status_label(self.old_status)

    @property
    def new_status_label(self) -> str:
        return Status(self.line.status).label


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    unchanged: list[Recommendation] = field(default_factory=list)

    def lines(self, *, applied: bool) -> list[str]:
        """One line per change and one summary line, for the command."""
        out = [
            f"{c.recommendation.number}: {c.old_status_label} → {c.new_status_label}"
            + ("" if c.status_changes else " (note changed)")
            for c in self.changes
        ]
        return [*out, self.summary(applied=applied)]

    def summary(self, *, applied: bool) -> str:
        changed, same = len(self.changes), len(self.unchanged)
        if applied:
            return f"Applied: {changed} changed, {same} unchanged."
        return f"Preview: {changed} would change, {same} unchanged. Nothing was changed."


def column(index: int) -> str:
    return f"column {index + 1} ({COLUMNS[index]})"


def same_words(text: str) -> str:
    return " ".join(text.split())


def shown(cell: str) -> str:
    """A cell as an error message quotes it: a long one cut short."""
    return cell if len(cell) <= QUOTED else cell[:QUOTED] + "…"


# The longest cell read (the csv module's default limit, held here because the module's own
# limit is one setting for the whole process, which any library may raise).
CELL_LIMIT = 131_072


def records(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """(line, cells) for each record, in any newline convention (CR LF, LF, CR alone); a record
    the csv module cannot read, or with a cell over CELL_LIMIT, ends the file with (line, the
    message saying why)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    too_long = (
        f"a cell is longer than {CELL_LIMIT:,} characters; "
        f"a progress note has {NOTE_LIMIT} at most."
    )
    for index in itertools.count(1):
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = (
                too_long
                if "field limit" in str(error)
                else (f"this line cannot be read as CSV ({error}).")
            )
            yield index, f"Line {index}: {reason}"
            return
        if any(len(cell) > CELL_LIMIT for cell in row):
            yield index, f"Line {index}: {too_long}"
            return
        yield index, row


def read_report(data: bytes | str) -> list[ReportLine]:
    """The report's rows, or ReportError naming every line and column that is wrong.

    The reading stops at MAX_ERRORS errors or MAX_LINES lines: a wrong file costs a bounded
    amount of work, whatever its size.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            message = f"Line {line}: this is not UTF-8 text (save the CSV as UTF-8)."
            raise ReportError([message]) from None
    data = data.lstrip("\ufeff")
    if not data.strip():
        raise ReportError(
            ["Line 1: the file is empty; expected the columns number, status, progress note."]
        )
    rows = records(data)
    _, first = next(rows)
    if isinstance(first, str):
        raise ReportError([first])
    header = [cell.strip().casefold() for cell in first]
    if [HEADER_NAMES.get(name) for name in header] != [0, 1, 2]:
        raise ReportError(
            ["Line 1: the first line must name the columns: number, status, progress note."]
        )
    errors, lines, seen = [], [], {}
    known = set(Recommendation.objects.values_list("number", flat=True))
    for index, row in rows:
        if isinstance(row, str):  # the csv module could not read this record
            errors.append(row)
            break
        if len(errors) >= MAX_ERRORS:
            errors.append(
                f"Line {index}: the reading stopped after {MAX_ERRORS} errors. Correct them "
                "and upload the report again."
            )
            break
        if index > MAX_LINES:
            errors.append(
                f"Line {index}: the report has more than {MAX_LINES} lines; the plan has "
                f"{len(known)} recommendations, one line each."
            )
            break
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) > 3:
            errors.append(
                f"Line {index}: {len(row)} columns; expected 3 (number, status, progress note)."
            )
            continue
        cells = (strip_control_characters(cell).strip() for cell in row)  # core.textsafe
        number_cell, status_cell, note = [*cells, "", ""][:3]
        number = int(number_cell) if number_cell.isdigit() and len(number_cell) < 6 else None
        if number is None or number not in known:
            errors.append(
                f"Line {index}, {column(0)}: “{shown(number_cell)}” is not a recommendation "
                f"number of the plan (1 to 82)."
            )
        elif number in seen:
            errors.append(
                f"Line {index}, {column(0)}: recommendation {number} is already on line "
                f"{seen[number]} (duplicate number)."
            )
        else:
            seen[number] = index
        status = status_words().get(same_words(status_cell).casefold())
        if status is None:
            labels = english_status_labels()
            errors.append(
                f"Line {index}, {column(1)}: “{shown(status_cell)}” is not one of the plan's "
                f"statuses ({', '.join(labels[code] for code in Status.values)})."
            )
        if len(note) > NOTE_LIMIT:
            errors.append(
                f"Line {index}, {column(2)}: the note has {len(note)} characters; "
                f"{NOTE_LIMIT} at most."
            )
        if number is not None and status is not None:
            lines.append(ReportLine(line=index, number=number, status=status, note=note))
    if errors:
        raise ReportError(errors)
    if not lines:
        raise ReportError(["Line 2: the report has no rows under its header."])
    return lines


def preview(lines: list[ReportLine]) -> Preview:
    """What applying the report would change: status or note, old → new; the rest unchanged."""
    current = Recommendation.objects.in_bulk([line.number for line in lines], field_name="number")
    result = Preview()
    for line in sorted(lines, key=lambda line: line.number):
        recommendation = current[line.number]
        if recommendation.status == line.status and same_words(
            recommendation.progress_note
        ) == same_words(line.note):
            result.unchanged.append(recommendation)
        else:
            result.changes.append(
                Change(
                    recommendation=recommendation,
                    line=line,
                    old_status=recommendation.status,
                    old_note=recommendation.progress_note,
                )
            )
    return result


def report_source(report_date) -> str:
    """How the history credits an imported report."""
    return f"City status report of {report_date:%B} {report_date.day}, {report_date.year}"
