"""Warm a freshly started server: one headless session opens the main pages.

The first visitor after a start would otherwise wait for Python to import the
geodata stack and fill the caches (about 1.5 s more than any later visitor, see
README "Zone editor and its performance"). ``make run`` starts this next to the
server, so in a meeting room the facilitator's first page is already warm.

Usage: ``python scripts/warm_up.py [--url http://127.0.0.1:8501]``; waits up to
``--wait`` seconds for the server, exits 0 when the pages ran without errors.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.streamlit_session import StreamlitSession  # noqa: E402

PAGES = ("", "zone_editor")  # Panoramica (the default page), then the editor


def wait_until_healthy(url: str, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


async def warm(url: str) -> list[str]:
    """Run each page once; return the exceptions they raised (none expected)."""
    problems = []
    async with StreamlitSession(url) as session:
        for page in PAGES:
            result = await session.run(page)
            problems += result.exceptions
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the server")
    args = parser.parse_args(argv)
    if not wait_until_healthy(args.url, args.wait):
        print(f"warm-up: no server at {args.url}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    problems = asyncio.run(warm(args.url))
    for problem in problems:
        print(f"warm-up: {problem}", file=sys.stderr)
    print(f"warm-up: pages ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
