"""Screenshots of the running app with headless Chromium, offline: one page, or the tour.

One page::

    python scripts/screenshot.py URL OUT.png [--width 1280 --height 720] [--touch] [--full]

The tour (every page at 1280x720, 1366x768, 1920x1080, and on a tablet, 1024x768,
and a phone, 390x844, with touch), as a mayor, a workshop participant and a
facilitator see them; a workshop is opened through the page on the way::

    python scripts/screenshot.py --tour URL OUT_DIR

PNG files are named ``<page>-<width>x<height>.png``. Open them and read them: a
map below the fold, a cut table, English text or a page that raises is a bug.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_support import launch_offline, wait_for_map  # noqa: E402

DESKTOPS = [(1280, 720), (1366, 768), (1920, 1080)]
TOUCH = [(1024, 768), (390, 844)]
PAGES = [("panoramica", ""), ("zone_editor", "zone_editor"), ("scenari", "scenari"), ("confronto", "confronto"),
         ("collaborazioni", "collaborazioni"), ("laboratorio", "workshop"), ("rapporto", "report"),
         ("presentazione", "presentazione")]
MAP_PAGES = {"panoramica", "zone_editor", "collaborazioni", "presentazione"}


def context(browser, width: int, height: int, touch: bool):
    return browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch,
                               device_scale_factor=1)


def settle(page, has_map: bool) -> None:
    if has_map:
        try:
            wait_for_map(page)
        except Exception as exc:  # still save what is there: that is the point
            print(f"map not found on {page.url}: {exc}", file=sys.stderr)
    else:
        page.get_by_test_id("stMainBlockContainer").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)


def shoot(page, out: Path, full: bool = False) -> None:
    page.screenshot(path=str(out), full_page=full)
    print(out)


def one_page(args) -> None:
    with launch_offline() as browser:
        page = context(browser, args.width, args.height, args.touch).new_page()
        page.goto(args.url)
        settle(page, True)
        shoot(page, args.out, args.full)


def open_workshop(page, url: str) -> str:
    """Open a workshop through the page (as a facilitator); its join code."""
    page.goto(f"{url}/workshop")
    page.get_by_label("Titolo").fill("Incontro dei sindaci")
    page.get_by_label("Facilitatore").fill("Anna")
    page.get_by_role("button", name="Apri il laboratorio").click()
    code = page.locator("p.lab-codice").first
    code.wait_for(timeout=30_000)
    return code.inner_text().strip()


def join(page, url: str, code: str, name: str) -> None:
    page.goto(f"{url}/workshop")
    page.get_by_label("Codice del laboratorio").fill(code)
    page.get_by_label("Il tuo nome o il tuo comune").fill(name)
    page.get_by_role("button", name="Entra nel laboratorio").click()
    page.get_by_text("Il tuo codice personale è").first.wait_for(timeout=30_000)


def tour(args) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    url = args.url.rstrip("/")
    with launch_offline() as browser:
        sizes = [(w, h, False) for w, h in DESKTOPS] + [(w, h, True) for w, h in TOUCH]
        for width, height, touch in sizes:
            page = context(browser, width, height, touch).new_page()
            for name, path in PAGES:
                page.goto(f"{url}/{path}")
                settle(page, name in MAP_PAGES)
                shoot(page, out / f"{name}-{width}x{height}.png")
            page.context.close()
        # The workshop: the facilitator's page on the desktops, the participant's editor everywhere.
        facilitator = context(browser, 1280, 720, False).new_page()
        code = open_workshop(facilitator, url)
        for width, height, touch in sizes:
            participant = context(browser, width, height, touch).new_page()
            join(participant, url, code, f"Sindaco {width}")
            shoot(participant, out / f"laboratorio-partecipante-{width}x{height}.png")
            participant.goto(f"{url}/zone_editor")
            settle(participant, True)
            shoot(participant, out / f"zone_editor-partecipante-{width}x{height}.png")
            participant.context.close()
        for width, height, _ in sizes:
            facilitator.set_viewport_size({"width": width, "height": height})
            facilitator.goto(f"{url}/workshop")
            settle(facilitator, False)
            facilitator.wait_for_timeout(1500)
            shoot(facilitator, out / f"laboratorio-facilitatore-{width}x{height}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--tour", action="store_true", help="every page at every size, into the folder OUT")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--touch", action="store_true", help="a touch screen (tablet, phone)")
    parser.add_argument("--full", action="store_true", help="the whole page, not just the viewport")
    args = parser.parse_args()
    (tour if args.tour else one_page)(args)


if __name__ == "__main__":
    main()
