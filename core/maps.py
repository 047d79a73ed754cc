"""Directions links: one that works everywhere, one for the phone's own maps app.

- `web`: Google Maps' documented cross-platform "Maps URL" for directions. On Android and on
  an iPhone with Google Maps it opens the app; on a desktop, or a phone without the app, the
  browser shows the route. No key, no script on our pages.
- `geo`: the RFC 5870 `geo:` URI. Android hands it to whichever maps app the person uses
  (their own choice); desktops mostly ignore it, which is why it is offered second.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class Directions:
    web: str
    geo: str


def directions(*, address: str, latitude=None, longitude=None) -> Directions:
    """Directions to a building: at its coordinates when known, else to its street address."""
    if latitude is not None and longitude is not None:
        destination = f"{latitude},{longitude}"
        geo = f"geo:{latitude},{longitude}?q={latitude},{longitude}({quote(address)})"
    else:
        destination = address
        geo = f"geo:0,0?q={quote(address)}"
    web = "https://www.google.com/maps/dir/?" + urlencode({"api": "1", "destination": destination})
    return Directions(web=web, geo=geo)
