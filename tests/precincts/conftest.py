"""The precinct tests' boundaries: the small invented test file, loaded as staff would."""

from datetime import date

import pytest
from precinct_points import TEST_BOUNDARIES


@pytest.fixture
def boundaries(cope_content):
    from precincts import services

    services.load_boundaries(
        data=TEST_BOUNDARIES.read_bytes(),
        source="Test fixture (invented, not the city's)",
        source_date=date(2026, 1, 15),
    )
