"""The precinct map, drawn by the portal as SVG from the loaded boundaries.

No tiles and no third-party requests: the outlines of the four precincts, one highlighted, the
station marked when staff entered its coordinates, and each area named on the map. The page
describes the same in text, for screen readers and without images.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape
from shapely.ops import unary_union

WIDTH = 600  # the drawing's width in SVG units; the height follows the area's proportions
MARGIN = 12
SIMPLIFY_PIXELS = 0.5  # detail finer than half a unit is not drawn
# Where an area lies in the whole, for the text description (eight compass points).
DIRECTIONS = [
    _("in the east of the city"),
    _("in the northeast of the city"),
    _("in the north of the city"),
    _("in the northwest of the city"),
    _("in the west of the city"),
    _("in the southwest of the city"),
    _("in the south of the city"),
    _("in the southeast of the city"),
]
CENTRE = _("in the centre of the city")


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    path: str
    label_x: float
    label_y: float
    highlighted: bool
    direction: str
    borders: list[str]


@dataclass(frozen=True)
class OutlineMap:
    width: int
    height: int
    areas: list[Area]
    station: tuple[float, float] | None
    source: str
    source_date: object

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def highlighted(self) -> Area | None:
        return next((area for area in self.areas if area.highlighted), None)

    def description(self) -> str:
        """The map in words: the text alternative and the visible caption."""
        area = self.highlighted
        count = len(self.areas)
        if area is None:
            return _("The outlines of the City of Birmingham's %(count)d precinct areas.") % {
                "count": count
            }
        parts = [
            _(
                "The outlines of the City of Birmingham's %(count)d precinct areas, with the "
                "%(name)s's area highlighted, %(direction)s."
            )
            % {"count": count, "name": area.name, "direction": area.direction}
        ]
        if area.borders:
            parts.append(_("It borders: %(names)s.") % {"names": ", ".join(area.borders)})
        if self.station:
            parts.append(_("The station is marked with a dot."))
        return " ".join(str(part) for part in parts)


def rings_of(geometry):
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    for polygon in polygons:
        yield polygon.exterior
        yield from polygon.interiors


def draw(boundaries, *, highlight=None) -> OutlineMap | None:
    """The map of these boundaries (PrecinctBoundary rows with their precincts), the precinct
    `highlight` highlighted and its station marked; None when no boundaries are loaded."""
    boundaries = list(boundaries)
    if not boundaries:
        return None
    shapes = [(boundary, shape(boundary.geometry)) for boundary in boundaries]
    station = highlight.station_point if highlight is not None else None
    min_lon = min(geometry.bounds[0] for _, geometry in shapes)
    min_lat = min(geometry.bounds[1] for _, geometry in shapes)
    max_lon = max(geometry.bounds[2] for _, geometry in shapes)
    max_lat = max(geometry.bounds[3] for _, geometry in shapes)
    if station is not None:
        min_lon, max_lon = min(min_lon, station[0]), max(max_lon, station[0])
        min_lat, max_lat = min(min_lat, station[1]), max(max_lat, station[1])
    # An equirectangular projection at the area's middle latitude: true enough for one city.
    x_scale = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * x_scale, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = (WIDTH - 2 * MARGIN) / span_x
    height = math.ceil(span_y * scale + 2 * MARGIN)

    def project(lon, lat):
        return (
            round(MARGIN + (lon - min_lon) * x_scale * scale, 1),
            round(MARGIN + (max_lat - lat) * scale, 1),
        )

    whole = unary_union([geometry for _, geometry in shapes])
    centre = whole.centroid
    reach = max(max_lon - min_lon, max_lat - min_lat)

    def direction_of(geometry):
        point = geometry.centroid
        dx, dy = (point.x - centre.x) * x_scale, point.y - centre.y
        if math.hypot(dx, dy) < reach / 8:
            return CENTRE
        return DIRECTIONS[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]

    areas = []
    for boundary, geometry in shapes:
        simple = geometry.simplify(SIMPLIFY_PIXELS / scale, preserve_topology=True)
        parts = []
        for ring in rings_of(simple):
            points = [project(lon, lat) for lon, lat, *_ in ring.coords[:-1]]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
        label = geometry.representative_point()
        label_x, label_y = project(label.x, label.y)
        areas.append(
            Area(
                slug=boundary.precinct.slug,
                name=boundary.precinct.name,
                path=" ".join(parts),
                label_x=label_x,
                label_y=label_y,
                highlighted=highlight is not None and boundary.precinct_id == highlight.pk,
                direction=direction_of(geometry),
                borders=[
                    other.precinct.name
                    for other, other_geometry in shapes
                    if other is not boundary and geometry.intersects(other_geometry)
                ],
            )
        )
    # The highlighted area is drawn last, so its outline is on top of its neighbours'.
    areas.sort(key=lambda area: area.highlighted)
    return OutlineMap(
        width=WIDTH,
        height=height,
        areas=areas,
        station=project(*station) if station is not None else None,
        source=boundaries[0].source,
        source_date=boundaries[0].source_date,
    )
