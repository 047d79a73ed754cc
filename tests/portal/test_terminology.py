"""The Spanish terminology table (locale/es/TERMINOLOGY.md) holds: no catalog translation and no
seed Spanish text uses a term it retires ("precinto", "ciudadanos", "Seguir por correo
electrónico"...), and an email address is never a bare "dirección"."""

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from core import content as glossary_content
from events import content as events_content

BASE = Path(settings.BASE_DIR)
TABLE = BASE / "locale" / "es" / "TERMINOLOGY.md"
CATALOG = BASE / "locale" / "es" / "LC_MESSAGES" / "django.po"
BARE_ADDRESS = re.compile(r"\bdirecci[oó]n(?:es)?\b(?! web| de correo electrónico)", re.IGNORECASE)


def rows() -> list[dict]:
    """The table's rows: {"english", "use": [...], "retired": [...]}."""
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or cells[0] in {"English", "---"}:
            continue
        english, use, retired, _why = cells
        found.append(
            {
                "english": english,
                "use": [term.strip() for term in use.split(";") if term.strip()],
                "retired": [term.strip() for term in retired.split(";") if term.strip()],
            }
        )
    return found


def retired_terms_in(text: str) -> list[str]:
    """The retired terms `text` uses, each after taking out its row's terms to use."""
    found = []
    for row in rows():
        rest = text
        for term in row["use"]:
            rest = re.sub(re.escape(term), " ", rest, flags=re.IGNORECASE)
        for term in row["retired"]:
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", rest, flags=re.IGNORECASE):
                found.append(term)
    return found


def catalog_entries():
    with CATALOG.open("rb") as po:
        for message in read_po(po, locale="es"):
            if not message.id:
                continue
            english = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield english, " ".join(strings)


def seed_spanish_texts():
    """(where, text) for every Spanish text the seed loaders put in the database."""
    for name in ("programs/content.json", "precincts/content.json"):
        yield from spanish_values(json.loads((BASE / name).read_text(encoding="utf-8")), name)
    for row in events_content.EVENTS + events_content.NEWS:
        yield from spanish_values(row, f"events/content.py {row['slug']}")
    for acronym, expansion in glossary_content.SPANISH.items():
        yield f"core/content.py {acronym}", expansion


def spanish_values(data, where):
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith("_es") and isinstance(value, str):
                yield f"{where} {key}", value
            else:
                yield from spanish_values(value, where)
    elif isinstance(data, list):
        for item in data:
            yield from spanish_values(item, where)


def test_the_table_is_readable_and_retires_the_terms_the_reviewer_named():
    retired = {term.lower() for row in rows() for term in row["retired"]}

    assert {"precinto", "ciudadanos", "seguir por correo electrónico", "informe de estado"} <= (
        retired
    )
    assert retired_terms_in("Encuentre su precinto") == ["precinto"]
    assert retired_terms_in("el plan de seguridad pública") == []
    assert retired_terms_in("Plan de seguridad") == ["plan de seguridad"]


def test_no_catalog_translation_uses_a_retired_term():
    offending = {
        english: (spanish, terms)
        for english, spanish in catalog_entries()
        if (terms := retired_terms_in(spanish))
    }

    assert offending == {}


def test_no_seed_spanish_text_uses_a_retired_term():
    texts = list(seed_spanish_texts())
    offending = {where: terms for where, text in texts if (terms := retired_terms_in(text))}

    assert len(texts) > 40  # the loaders' texts were found
    assert offending == {}


def test_an_email_address_is_never_a_bare_direccion():
    offending = {
        english: spanish
        for english, spanish in catalog_entries()
        if "email" in english.lower() and BARE_ADDRESS.search(spanish)
    }

    assert offending == {}


@pytest.mark.parametrize(
    ("field", "spanish"),
    [("name", "Estación de Policía Norte"), ("name", "Residentes en Patrulla (COP)")],
)
def test_the_seed_names_follow_the_table(field, spanish):
    names = [text for where, text in seed_spanish_texts() if where.endswith(f" {field}_es")]

    assert spanish in names


def test_loading_again_replaces_the_retired_seed_spanish_and_keeps_what_staff_wrote(
    cope_content,
):
    from io import StringIO

    from django.core.management import call_command

    from events.models import NewsPost
    from precincts.models import Precinct
    from programs.models import Program

    Precinct.objects.filter(slug="north").update(name_es="Precinto Norte")  # an earlier seed's
    Precinct.objects.filter(slug="east").update(name_es="Precinto del Este")  # staff's own
    Program.objects.filter(slug="citizens-on-patrol").update(name_es="Ciudadanos en Patrulla (COP)")
    walk = NewsPost.objects.get(slug="community-walk-east-birmingham-2016")
    NewsPost.objects.filter(pk=walk.pk).update(
        body_es=walk.body_es.replace("a los residentes", "a los ciudadanos")
    )

    call_command("load_cope_content", stdout=StringIO())

    names = dict(Precinct.objects.values_list("slug", "name_es"))
    assert names["north"] == "Estación de Policía Norte"
    assert names["east"] == "Precinto del Este"
    assert Program.objects.get(slug="citizens-on-patrol").name_es == "Residentes en Patrulla (COP)"
    assert "involucrar a los residentes" in NewsPost.objects.get(pk=walk.pk).body_es
