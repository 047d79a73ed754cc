"""Read the city's status table (an OCR'd copy, source/status_report.txt) into 82 rows.

Every quirk handled here is the document's, handled on purpose:

- a header row (RECOMMENDATION, PROGRESS NOTES, STATUS);
- cells with stray spaces, and dollar signs escaped as ``\\$``;
- cells split across lines: a line with no number continues the row above it (row 11's note,
  row 55's text and note, row 68's text, row 79's text);
- rows 24 to 37 are missing; lines of damaged status text ('AILABLE) stand in their place, and
  two lines of text survive just before row 38: a fragment kept on row 37 as a fragment, and the
  start of row 38's progress note ("In March 2025, the Alabama House of");
- a row whose text starts in lower case began on the lines above it: rows 53 and 54 were
  split mid-line, so the text from the last "Name:" heading on goes to the row below;
- rows 69 to 79 lost their numbers but keep their order between 68 and 80;
- after row 79, a garbled line repeats fragments of rows 68 to 79: it is skipped;
- the status DEVELOPMENT means In development; progress notes may be empty.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from recommendations.models import FIRST_NUMBER, LAST_NUMBER, Status
from recommendations.plainwords import first_sentence, tidy

SOURCE = Path(__file__).with_name("source") / "status_report.txt"
STATUSES = {
    "NO UPDATE AVAILABLE": Status.NO_UPDATE,
    "IN PLANNING": Status.IN_PLANNING,
    "DEVELOPMENT": Status.IN_DEVELOPMENT,
    "IN DEVELOPMENT": Status.IN_DEVELOPMENT,
    "PRE-LAUNCH": Status.PRE_LAUNCH,
    "IN PROGRESS": Status.IN_PROGRESS,
    "COMPLETED": Status.COMPLETED,
}
DAMAGED_STATUS = re.compile(r"^'?AILABLE")
# "Prosecutor-Led Workshops:" mid-text starts a new row; a title may have lower-case words.
HEADING = re.compile(r"\b[A-Z][\w'-]*(?: [A-Z][\w'-]*)*:")
TITLE = re.compile(r"[A-Z][\w'-]*(?: [A-Za-z(][\w'(),-]*){0,7}:")
GARBLED_LENGTH = 600  # no real continuation line is this long; the garbled one is ~3,000


class SourceFormatError(ValueError):
    """The source no longer looks like the document this importer was written for."""


@dataclass
class Row:
    number: int
    text: str = ""
    note: str = ""
    status: str = ""
    fragment: str = ""
    published: bool = True
    texts: list[str] = field(default_factory=list, repr=False)
    notes: list[str] = field(default_factory=list, repr=False)

    def finish(self):
        self.text = join(self.texts)
        self.note = join(self.notes)
        return self


def clean(cell: str) -> str:
    return " ".join(cell.replace("\\$", "$").split())


def join(parts: list[str]) -> str:
    return " ".join(part for part in parts if part)


def status_of(cell: str) -> str:
    try:
        return STATUSES[cell.upper()]
    except KeyError:
        raise SourceFormatError(f"unknown status {cell!r}") from None


def split_at_last_heading(text: str) -> tuple[str, str]:
    """('before', 'Heading: rest') at the last heading that does not start the text."""
    starts = [m.start() for m in HEADING.finditer(text) if m.start() > 0]
    if not starts:
        return text, ""
    return text[: starts[-1]].rstrip(), text[starts[-1] :]


def parse(source: str) -> list[Row]:
    rows: dict[int, Row] = {}
    last: Row | None = None
    texts: list[str] = []  # continuation lines waiting to be placed
    notes: list[str] = []

    def place(row: Row | None):
        """Give the waiting continuation lines to the row above, or to `row` (see module doc)."""
        nonlocal texts, notes
        if row is not None and row.number > last.number + 1:
            for missing in range(last.number + 1, row.number):
                rows[missing] = Row(number=missing, published=False)
            rows[row.number - 1].fragment = join(texts)
            row.notes[:0] = notes
        else:
            carried = ""
            if row is not None and row.texts and row.texts[0][:1].islower():
                earlier, carried = split_at_last_heading(join(texts))
                texts = [earlier]
            last.texts.extend(texts)
            last.notes.extend(notes)
            if carried:
                row.texts.insert(0, carried)
        texts, notes = [], []

    for line in source.splitlines():
        cells = [clean(cell) for cell in line.split("\t")]
        if not any(cells) or DAMAGED_STATUS.match(cells[0]) or cells[1:2] == ["RECOMMENDATION"]:
            continue
        if len(line) > GARBLED_LENGTH and not cells[0]:
            continue  # the garbled line after row 79 repeats earlier rows
        if cells[0].isdigit():
            cells += [""] * (4 - len(cells))
            row = Row(number=int(cells[0]), status=status_of(cells[3]))
            row.texts.append(cells[1])
            row.notes.append(cells[2])
        elif cells[0] and len(cells) == 3 and cells[2]:
            # A row that lost its number (69 to 79): it is the next one in order.
            row = Row(number=last.number + 1, status=status_of(cells[2]))
            row.texts.append(cells[0])
            row.notes.append(cells[1])
        else:
            if last is None:
                raise SourceFormatError(f"text before the first row: {line[:60]!r}")
            text, note = (cells[0], "") if cells[0] else [*cells, "", ""][1:3]
            texts += [text] if text else []
            notes += [note] if note else []
            continue
        if row.number in rows:
            raise SourceFormatError(f"row {row.number} appears twice")
        if last is not None:
            place(row)
        rows[row.number] = row
        last = row
    place(None)
    numbers = sorted(rows)
    if numbers != list(range(FIRST_NUMBER, LAST_NUMBER + 1)):
        raise SourceFormatError(f"rows found: {numbers}")
    return [rows[n].finish() for n in numbers]


def read_source() -> list[Row]:
    return parse(SOURCE.read_text(encoding="utf-8"))


def title_for(text: str, limit: int = 80) -> str:
    """The short name before a colon ("Focused Deterrence"), else the whole first sentence.

    A title is never cut mid-phrase; staff may write a shorter one (`short_title`).
    """
    text = tidy(text)
    heading = TITLE.match(text)
    if heading and len(heading.group()) <= limit:
        return heading.group()[:-1]
    return first_sentence(text)
