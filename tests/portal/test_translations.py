"""The Spanish interface: every string translated, the catalog up to date with the code, the
language chosen by the address alone and the switch keeping the visitor on the same page."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

CATALOG = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
REQUIRE_GETTEXT = os.environ.get("REQUIRE_BROWSER") == "1"  # CI: the catalog check must run

pytestmark = pytest.mark.django_db


def catalog(path=CATALOG):
    with open(path, "rb") as po:
        return read_po(po, locale="es")


def untranslated(messages) -> list[str]:
    gaps = []
    for message in messages:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def test_every_interface_string_has_a_spanish_translation_that_is_not_fuzzy():
    spanish = catalog()

    assert not spanish.fuzzy, "the catalog's header is marked fuzzy: Babel would not compile it"
    assert untranslated(spanish) == []
    with translation.override("es"):
        assert gettext("Skip to main content") == "Saltar al contenido principal"  # compiled


def test_the_catalog_holds_every_string_the_code_marks(tmp_path):
    """makemessages over a copy of the code finds no string the committed catalog lacks."""
    if shutil.which("xgettext") is None:
        if REQUIRE_GETTEXT:
            pytest.fail("GNU gettext (xgettext) is needed to check the catalog")
        pytest.skip("GNU gettext (xgettext) is not installed")
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "portal"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "*.mo", "__pycache__", ".*_cache", ".hypothesis"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "es", "--add-location", "file"]
        + [f"--ignore={pattern}" for pattern in [".venv/*", "var/*", "tests/*", "tools/*"]],
        cwd=copy,
        check=True,
        capture_output=True,
        env=os.environ | {"VAR_DIR": str(tmp_path / "var")},
        timeout=300,
    )

    def ids(path):
        return {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog(path) if m.id
        }

    marked = ids(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert sorted(marked - ids(CATALOG), key=str) == [], "run `make messages-update`, translate"


@pytest.mark.parametrize(
    ("path", "language"),
    [("/", "en"), ("/es/", "es"), ("/programs/", "en"), ("/es/programs/", "es")],
)
def test_the_address_alone_says_the_language(client, path, language):
    response = client.get(path, headers={"accept-language": "es" if language == "en" else "en"})

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert BeautifulSoup(response.content, "html.parser").html["lang"] == language
    assert "Set-Cookie" not in response.headers
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_the_language_switch_keeps_the_visitor_on_the_same_page_and_its_filters(
    client, cope_content
):
    """The page's own parameters (the ones it reads) go along; others (a tracking tag,
    say) do not, so the switch never carries what the page cache does not key by."""
    english = BeautifulSoup(client.get("/safety-plan/changes/?page=2&x=1").content, "html.parser")
    switch = english.find("a", hreflang="es")

    assert switch.get_text(strip=True) == "Español" and switch["lang"] == "es"
    assert switch["href"] == "/es/safety-plan/changes/?page=2"
    spanish = BeautifulSoup(client.get(switch["href"]).content, "html.parser")
    back = spanish.find("a", hreflang="en")
    assert back.get_text(strip=True) == "English" and back["href"] == "/safety-plan/changes/?page=2"


def test_the_open_data_files_have_one_address_for_both_languages(client, cope_content):
    spanish = BeautifulSoup(client.get("/es/safety-plan/").content, "html.parser")
    hrefs = {a["href"] for a in spanish.find_all("a", href=True)}

    assert "/safety-plan/status-updates.csv" in hrefs
    assert client.get("/es/safety-plan/status-updates.csv").status_code == 404


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_the_menu_marks_only_the_section_the_visitor_is_in(client, prefix):
    soup = BeautifulSoup(client.get(f"{prefix}/volunteer/").content, "html.parser")
    current = [a["href"] for a in soup.select("nav a[aria-current=page]")]

    assert current == [f"{prefix}/volunteer/"]
    home = BeautifulSoup(client.get(f"{prefix}/").content, "html.parser")
    assert [a["href"] for a in home.select("nav a[aria-current=page]")] == [f"{prefix}/"]
