"""The glossary in two languages: Spanish expansions on Spanish pages, the English one (marked
lang="en") where staff gave no Spanish, English pages as before, and staff edit both."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import translation

from core.glossary import PageGlossary, plain_words
from core.models import GlossaryTerm

pytestmark = pytest.mark.django_db


def entries(response) -> dict:
    soup = BeautifulSoup(response.content, "html.parser")
    return {div.dt.get_text(strip=True): div.dd for div in soup.select("dl.glossary > div")}


def test_the_spanish_glossary_gives_spanish_expansions_with_the_english_beside(
    client, cope_content
):
    spanish = entries(client.get("/es/glossary/"))

    cvi = spanish["CVI"]
    assert cvi.get_text() == (
        "Intervención Comunitaria contra la Violencia (Community Violence Intervention)"
    )
    assert cvi.find("span", lang="en").get_text() == "Community Violence Intervention"
    assert spanish["SRO"].span.get_text() == "Oficial de Recursos Escolares"
    assert spanish["MOU"].get_text() == "Los documentos de origen todavía no dicen qué significa."


def test_a_term_without_spanish_is_shown_in_english_marked_as_english(client, cope_content):
    mcpc = entries(client.get("/es/glossary/"))["MCPC"]

    assert mcpc.span["lang"] == "en"
    assert mcpc.get_text() == "Magic City Peace Collective"


def test_the_english_glossary_is_unchanged(client, cope_content):
    english = entries(client.get("/glossary/"))

    assert english["CVI"].get_text() == "Community Violence Intervention"
    assert not english["CVI"].find(lang=True)


def test_acronyms_on_a_spanish_page_are_explained_in_spanish_or_marked_english(cope_content):
    text = "CVI and MCPC, again CVI"

    with translation.override("es"):
        html = str(plain_words(text, PageGlossary()))
    with translation.override("en"):
        english = str(plain_words(text, PageGlossary()))

    soup = BeautifulSoup(html, "html.parser")
    cvi, mcpc = soup.find_all("abbr")
    assert cvi["title"] == "Intervención Comunitaria contra la Violencia"
    assert cvi["lang"] == "es"  # inside the city's English text, the Spanish says it is
    assert (mcpc["title"], mcpc["lang"]) == ("Magic City Peace Collective", "en")
    assert soup.a["href"] == "/es/glossary/#cvi"
    assert 'title="Community Violence Intervention"' in english
    assert 'href="/glossary/#cvi"' in english and "lang=" not in english


def test_a_spanish_only_expansion_is_not_shown_on_english_pages(cope_content):
    GlossaryTerm.objects.filter(acronym="MOU").update(expansion_es="Memorando de entendimiento")

    with translation.override("es"):
        spanish = str(plain_words("MOU", PageGlossary()))
    with translation.override("en"):
        english = str(plain_words("MOU", PageGlossary()))

    assert 'title="Memorando de entendimiento"' in spanish
    assert english == '<a href="/glossary/#mou" class="term">MOU</a>'  # no expansion shown


def test_loading_again_fills_missing_spanish_and_keeps_what_staff_wrote(cope_content):
    GlossaryTerm.objects.filter(acronym="SRO").update(expansion_es="")
    GlossaryTerm.objects.filter(acronym="CVI").update(expansion_es="Intervención de la comunidad")
    GlossaryTerm.objects.filter(acronym="PAT").update(
        expansion_en="Police Athletic Team", expansion_es=""
    )

    call_command("load_cope_content", stdout=StringIO())

    spanish = dict(GlossaryTerm.objects.values_list("acronym", "expansion_es"))
    assert spanish["SRO"] == "Oficial de Recursos Escolares"
    assert spanish["CVI"] == "Intervención de la comunidad"  # staff's own
    assert spanish["PAT"] == ""  # staff changed the English: its Spanish is theirs to give
    assert GlossaryTerm.objects.get(acronym="CVI").expansion_en == "Community Violence Intervention"


def test_staff_edit_the_spanish_expansion_beside_the_english(client, cope_content, editor):
    client.force_login(editor)
    term = GlossaryTerm.objects.get(acronym="MOU")

    listing = BeautifulSoup(client.get("/staff/core/glossaryterm/").content, "html.parser")
    change = client.get(f"/staff/core/glossaryterm/{term.pk}/change/")

    assert listing.select('input[name$="-expansion_en"]')
    assert listing.select('input[name$="-expansion_es"]')
    assert 'name="expansion_es"' in change.content.decode()
    saved = client.post(
        f"/staff/core/glossaryterm/{term.pk}/change/",
        {
            "acronym": "MOU",
            "expansion_en": "Memorandum of understanding",
            "expansion_es": "Memorando de entendimiento",
        },
    )
    assert saved.status_code == 302
    term.refresh_from_db()
    assert (term.expansion_en, term.expansion_es) == (
        "Memorandum of understanding",
        "Memorando de entendimiento",
    )


def test_a_term_staff_change_reaches_pages_whose_glossary_was_kept(
    client, cope_content, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    cache.clear()
    client.get("/safety-plan/7/")  # the terms read, and kept in the shared cache
    term = GlossaryTerm.objects.get(acronym="MOU")
    term.expansion = "Memorandum of understanding"
    with django_capture_on_commit_callbacks(execute=True):
        term.save()  # as the admin saves it

    page = client.get("/safety-plan/7/").text

    assert 'title="Memorandum of understanding"' in page
