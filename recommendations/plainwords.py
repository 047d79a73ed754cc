"""Display text without the OCR's artifacts; the source's own text is kept beside it.

The city's status report reached us as an OCR'd scan: words broken at a line end keep a stray
space after the hyphen ("high- risk"), a few lost the hyphen ("highrisk"), and some notes shout
the status in capitals ("NO UPDATE AVAILABLE"). The public reads the tidy text; `source_text`
keeps the text exactly as the source gives it.
"""

import re
from functools import cache

from recommendations.models import Status, english_status_labels

# "high- risk", "Hospital- based", "out- of-county", "data- driven", "Re- implement"
BROKEN_HYPHEN = re.compile(r"(?<=\w)- (?=[a-z])")
LOST_HYPHEN = {"highrisk": "high-risk", "outof-county": "out-of-county"}
LOST_HYPHEN_WORD = re.compile(r"\b(" + "|".join(map(re.escape, LOST_HYPHEN)) + r")\b")
# A sentence ends at . ! or ? before a capital; not after "e.g." nor an initial ("P.A.T.").
SENTENCE_END = re.compile(r"(?<!e\.g\.)(?<!i\.e\.)(?<!\b[A-Za-z]\.)(?<=[.!?])\s+(?=[A-Z\"“])")


@cache
def shouted() -> dict[str, str]:
    """{"NO UPDATE AVAILABLE": "No update available", ...}: the notes are English, as published."""
    labels = english_status_labels()
    return {labels[code].upper(): labels[code] for code in Status.values} | {
        "DEVELOPMENT": labels[Status.IN_DEVELOPMENT]
    }


def tidy(text: str) -> str:
    """The text as the public reads it: OCR line-break hyphens and lost hyphens mended."""
    text = " ".join(text.split())
    text = BROKEN_HYPHEN.sub("-", text)
    return LOST_HYPHEN_WORD.sub(lambda m: LOST_HYPHEN[m.group()], text)


def tidy_note(note: str) -> str:
    """A progress note as the public reads it: a shouted status is said as the status says it."""
    note = tidy(note)
    return shouted().get(note.rstrip(".").upper(), note) if note.isupper() else note


def first_sentence(text: str) -> str:
    """The whole first sentence, without its final full stop."""
    sentence = SENTENCE_END.split(text, maxsplit=1)[0]
    return sentence[:-1] if sentence.endswith(".") else sentence
