"""Load COPE's program kinds and programs from content.json (derived from seed 000).

Rows are created when missing and never updated: what staff edited stays as they left it.
"""

import json
from pathlib import Path

from programs.models import DecisionEmail, Program, ProgramKind, SignupState

CONTENT = Path(__file__).with_name("content.json")
KIND_FIELDS = ["name", "introduction", "order"]
PROGRAM_FIELDS = [
    "name",
    "summary",
    "description",
    "audience",
    "contact_by_precinct",
    "takes_signups",
    "order",
]


def load() -> str:
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    kinds, new_kinds = {}, 0
    for row in data["kinds"]:
        kinds[row["slug"]], created = ProgramKind.objects.get_or_create(
            slug=row["slug"], defaults={field: row[field] for field in KIND_FIELDS}
        )
        new_kinds += created
    new_programs = 0
    for row in data["programs"]:
        _, created = Program.objects.get_or_create(
            slug=row["slug"],
            defaults={"kind": kinds[row["kind"]]} | {field: row[field] for field in PROGRAM_FIELDS},
        )
        new_programs += created
    new_emails = 0
    for row in data["decision_emails"]:
        _, created = DecisionEmail.objects.get_or_create(
            state=SignupState(row["state"]),
            defaults={"subject": row["subject"], "body": row["body"]},
        )
        new_emails += created
    return (
        f"{new_kinds} program kinds, {new_programs} programs and {new_emails} decision emails added"
    )
