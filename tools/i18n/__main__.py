"""Fill the Spanish catalog from a JSON file of translations, and list what is left.

    python -m tools.i18n todo                 # the untranslated or fuzzy entries, as JSON
    python -m tools.i18n fill translations.json
    python -m tools.i18n take other.po [...]   # after a merge: fill gaps from other catalogs

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


def take(paths: list[str]) -> None:
    """Fill the untranslated or fuzzy entries from other catalogs' translated ones (the first
    catalog that has an entry wins): how branches' catalogs are merged."""
    known = {}
    for path in paths:
        with open(path, "rb") as po:
            for message in read_po(po, locale="es"):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and not message.fuzzy and all(strings):
                    known.setdefault(key(message), message.string)
    catalog = load()
    filled = 0
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (message.fuzzy or not all(strings)) and key(message) in known:
            message.string = known[key(message)]
            message.flags.discard("fuzzy")
            filled += 1
    save(catalog)
    print(f"{filled} filled from {len(paths)} catalogs")


if __name__ == "__main__":
    commands = {
        "todo": lambda: todo(),
        "fill": lambda: fill(sys.argv[2]),
        "take": lambda: take(sys.argv[2:]),
    }
    commands[sys.argv[1]]()
