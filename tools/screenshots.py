"""Screenshots of what a resident sees first, at a phone's width (375 px) and a laptop's (1280 px).

    python -m tools.screenshots [BASE_URL] [--out var/screenshots]

Against a running portal (`make run` serves http://127.0.0.1:8000/), with Debian's Chromium
through Playwright. Each page gives two files: the first screen (what shows without scrolling)
and the whole page. Look at the first screens and ask: does it say what the visitor came to
learn?
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "finder-zip": "/precincts/find/?q=35211",
    "finder-neighbourhood": "/precincts/find/?q=Ensley",
    "finder-outside": "/precincts/find/?q=35242",
    "finder-unknown": "/precincts/find/?q=Five+Points",
    "precinct-west": "/precincts/west/",
    "precincts": "/precincts/",
    "es-precinct-west": "/es/precincts/west/",
    "home": "/",
    "tracker": "/safety-plan/",
    "events": "/events/",
    "es-events": "/es/events/",
}
WIDTHS = {"phone": (375, 812), "laptop": (1280, 800)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for device, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in PAGES.items():
                page.goto(args.base + path)
                page.screenshot(path=out / f"{name}-{device}.png")
                page.screenshot(path=out / f"{name}-{device}-full.png", full_page=True)
            page.close()
        browser.close()
    print(f"{len(PAGES) * len(WIDTHS) * 2} screenshots in {out}/")


if __name__ == "__main__":
    main()
