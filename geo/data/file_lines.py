"""How messages about a data file point into it: the path as users read it, and the
line where a TOML key is written."""

from __future__ import annotations

import re
from pathlib import Path

from geo.base.paths import DATA_DIR


def display_path(path: Path) -> str:
    """A path as messages write it: relative to the project when inside it."""
    root = DATA_DIR.parent
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def line_of(text: str, key: str, table: str | None = None) -> int | None:
    """The 1-based line where ``key = ...`` is written (inside ``[table]`` if given)."""
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_]+)\s*\]", stripped)
        if header:
            current = header.group(1)
            if table is not None and current == table and key == table:
                return number
            continue
        if current == table and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return None
