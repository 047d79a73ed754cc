"""The geocoder every test uses: the Census geocoder's own reading of recorded answers, never
the network (tests/precincts/data/geocoder-recordings.json)."""

import json
from pathlib import Path

from precincts.geocoding import CensusGeocoder, GeocoderUnavailable

RECORDINGS = Path(__file__).parent / "precincts" / "data" / "geocoder-recordings.json"
NO_MATCH = {"result": {"addressMatches": []}}
UNAVAILABLE = "1 Outage Street, Birmingham, AL"


class RecordedGeocoder(CensusGeocoder):
    sent: list[dict] = []  # what the portal sent, for tests to check

    def fetch(self, params: dict) -> dict:
        RecordedGeocoder.sent.append(params)
        if params["address"] == UNAVAILABLE:
            raise GeocoderUnavailable
        recordings = json.loads(RECORDINGS.read_text(encoding="utf-8"))
        return recordings.get(params["address"], NO_MATCH)
