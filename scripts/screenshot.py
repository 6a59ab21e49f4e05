"""Take a screenshot of a page of the running app with headless Chromium, offline.

Usage: python scripts/screenshot.py URL OUT.png [--width 1400 --height 1600]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_support import launch_offline, wait_for_map  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1600)
    args = parser.parse_args()
    with launch_offline() as browser:
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.url)
        try:
            wait_for_map(page)
        except Exception as exc:  # still save what is there: that is the point
            print(f"map not found: {exc}", file=sys.stderr)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(args.out), full_page=True)
    print(args.out)


if __name__ == "__main__":
    main()
