"""The invented test boundaries and points in them (longitude, latitude): test data only."""

from pathlib import Path

TEST_BOUNDARIES = Path(__file__).parent / "precincts" / "data" / "test-boundaries.geojson"
# Points in the invented test boundaries (longitude, latitude).
INSIDE = {
    "north": (-86.80, 33.60),
    "west": (-86.90, 33.50),
    "east": (-86.70, 33.50),
    "south": (-86.70, 33.43),
}
EAST_ISLAND = (-86.59, 33.51)  # the east test area's second polygon
NORTH_WEST_EDGE = (-86.90, 33.55)
OUTSIDE = (-86.50, 33.50)
