"""An uncached render of the tracker reads the translation catalogs a few times, not once per
row: labels are translated once per language and process, the rows are written by the view,
and the parts that hold only words (the header, the footer, the follow box) are kept per
language (issue 27: the Spanish machinery was a quarter of every render)."""

import pytest
from bs4 import BeautifulSoup
from django.utils.translation import trans_real

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog_reads(monkeypatch):
    """Every message looked up in a catalog (gettext, pgettext, ngettext, in any language)."""
    reads = []
    for name in ["gettext", "ngettext"]:
        original = getattr(trans_real.DjangoTranslation, name)

        def counted(self, *args, _original=original):
            reads.append(args[0])
            return _original(self, *args)

        monkeypatch.setattr(trans_real.DjangoTranslation, name, counted)
    return reads


def rendered(client, path: str, reads: list) -> tuple[int, int]:
    """(catalog reads, entries listed) of `path`'s second render (page cache off)."""
    client.get(path)  # what is kept per language and process is kept from here on
    reads.clear()
    response = client.get(path)
    assert response.status_code == 200
    entries = BeautifulSoup(response.content, "html.parser").select("#results h3")
    return len(reads), len(entries)


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_the_tracker_translates_a_few_words_per_render_not_a_few_per_row(
    client, cope_content, catalog_reads, prefix
):
    every_row, listed = rendered(client, f"{prefix}/safety-plan/", catalog_reads)
    few_rows, few = rendered(client, f"{prefix}/safety-plan/?status=pre-launch", catalog_reads)

    assert (listed, few) == (69, 4)
    # before: 7 status labels for each of the 69 entries, and every word of the page each time
    assert 0 < every_row <= 20
    assert every_row <= few_rows + 2  # the list's length adds nothing
