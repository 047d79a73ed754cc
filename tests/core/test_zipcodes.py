"""The offline ZIP code table: answers as the `zipcodes` package does, from a compact index,
so a worker's first lookup does not load the package's whole table (+130 MB per process)."""

import subprocess
import sys

import pytest
import zipcodes

from core import zipcodes as zips

CHECK_MEMORY = """
import resource, django
django.setup()
from core.zipcodes import place_of
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert place_of("36104").city == "Montgomery" and place_of("99999") is None
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_the_index_agrees_with_the_package_for_every_zip_code():
    for row in zipcodes.list_all():
        place = zips.place_of(row["zip_code"])
        assert (place.city, place.state) == (row["city"], row["state"]), row["zip_code"]
    assert zips.place_of("00000") is None and zips.place_of("99999") is None


def test_birmingham_zip_codes_are_the_packages_standard_ones():
    rows = zipcodes.filter_by(city="Birmingham", state="AL")
    expected = sorted(r["zip_code"] for r in rows if r["zip_code_type"] == "STANDARD")

    assert list(zips.birmingham_zip_codes()) == expected


def test_a_lookup_never_loads_the_packages_table(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the zipcodes package's table was loaded")

    for name in ["list_all", "matching", "filter_by", "similar_to", "is_real"]:
        monkeypatch.setattr(zipcodes, name, refuse)
    zips._index.cache_clear()
    zips.birmingham_zip_codes.cache_clear()

    assert zips.place_of("35242").city == "Birmingham"
    assert "35203" in zips.birmingham_zip_codes()


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_the_first_lookup_in_a_fresh_process_adds_little_memory():
    result = subprocess.run(
        [sys.executable, "-c", CHECK_MEMORY],
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings", "PATH": "/usr/bin:/bin"},
        check=True,
    )

    assert int(result.stdout.strip()) < 20_000  # kilobytes; the package's table took ~130 MB
