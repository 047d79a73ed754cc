"""Fill the Spanish catalog from a JSON file of translations, and list what is left.

    python -m tools.i18n todo                 # the untranslated or fuzzy entries, as JSON
    python -m tools.i18n fill translations.json

translations.json maps a msgid (or "context\\u0004msgid") to its Spanish text, or, for a
plural, to a list of forms [singular, plural]. Entries it fills lose their fuzzy flag.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path("locale/es/LC_MESSAGES/django.po")


def key(message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}\x04{msgid}" if message.context else msgid


def load():
    with CATALOG.open("rb") as po:
        return read_po(po, locale="es")


def save(catalog) -> None:
    catalog.fuzzy = False
    with CATALOG.open("wb") as po:
        write_po(po, catalog, width=100, include_lineno=False)


def todo() -> None:
    catalog = load()
    gaps = {}
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps[key(message)] = list(message.id) if isinstance(message.id, tuple) else ""
    json.dump(gaps, sys.stdout, ensure_ascii=False, indent=1)
    print()


def fill(path: str) -> None:
    translations = json.loads(Path(path).read_text())
    catalog = load()
    filled = 0
    for message in catalog:
        if message.id and key(message) in translations:
            value = translations[key(message)]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            filled += 1
    save(catalog)
    print(f"{filled} filled, {len(translations) - filled} not in the catalog")


if __name__ == "__main__":
    {"todo": lambda: todo(), "fill": lambda: fill(sys.argv[2])}[sys.argv[1]]()
