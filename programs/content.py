"""Load COPE's program kinds and programs from content.json (derived from seed 000), with the
Spanish translation of each text beside it.

Rows are created when missing and never updated: what staff edited stays as they left it. The
one exception fills a Spanish text that is still empty while its English text is still the
seed's, so a site loaded before the translations existed gets them too.
"""

import json
from pathlib import Path

from core.languages import add_seed_spanish
from programs.models import DecisionEmail, Program, ProgramKind, SignupState

CONTENT = Path(__file__).with_name("content.json")
KIND_TEXTS = ["name", "introduction"]
PROGRAM_TEXTS = ["name", "summary", "description", "audience"]
EMAIL_TEXTS = ["subject", "body"]
PROGRAM_FIELDS = ["contact_by_precinct", "door", "order"]


def texts(row: dict, fields: list[str]) -> dict:
    """The English and Spanish columns of `fields` from a row of content.json."""
    return {f"{field}_en": row[field] for field in fields} | {
        f"{field}_es": row[f"{field}_es"] for field in fields
    }


def load() -> str:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    kinds, new_kinds, spanish = {}, 0, 0
    for row in data["kinds"]:
        kind, created = ProgramKind.objects.get_or_create(
            slug=row["slug"], defaults=texts(row, KIND_TEXTS) | {"order": row["order"]}
        )
        kinds[row["slug"]] = kind
        new_kinds += created
        spanish += 0 if created else add_seed_spanish(kind, row, KIND_TEXTS)
    new_programs = 0
    for row in data["programs"]:
        program, created = Program.objects.get_or_create(
            slug=row["slug"],
            defaults={"kind": kinds[row["kind"]]}
            | texts(row, PROGRAM_TEXTS)
            | {field: row[field] for field in PROGRAM_FIELDS},
        )
        new_programs += created
        spanish += 0 if created else add_seed_spanish(program, row, PROGRAM_TEXTS)
    new_emails = 0
    for row in data["decision_emails"]:
        email, created = DecisionEmail.objects.get_or_create(
            state=SignupState(row["state"]), defaults=texts(row, EMAIL_TEXTS)
        )
        new_emails += created
        spanish += 0 if created else add_seed_spanish(email, row, EMAIL_TEXTS)
    summary = (
        f"{new_kinds} program kinds, {new_programs} programs and {new_emails} decision emails added"
    )
    return summary + (f"; {spanish} Spanish texts added to existing rows" if spanish else "")
