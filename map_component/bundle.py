"""The component's frames as single documents, built from ``frontend/`` at import.

Chromium opens at most six HTTP/1.1 connections to a server, and on a first load
Streamlit's own hundred-odd script chunks already queue on them. A frame that then
asks for twenty small files (``frontend/index.html``: three style sheets, eighteen
scripts) waits for each round of six; measured at 42 comuni, about 350 ms between
the frame's page and its last script. Here the same files, in the same order, are
put inline into one document per frame:

* the **map** frame (``pianura_map``): every style sheet and script of
  ``frontend/index.html``, and ``<link rel="preload">`` of Leaflet and leaflet-draw,
  which the base map document only names later (they then come from the cache);
* the **identity** frame (``browser_identity``, invisible, on every page): only the
  protocol, the identity token and the part of ``main.js`` it runs, no map code.

Each document goes to a folder named after a hash of its content, under
``static/generated/map_component/`` (not versioned): processes that share the
folder write the same bytes, and a changed frontend is a new URL that no browser
has cached. ``frontend/`` stays the source: plain files, readable and tested.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from pathlib import Path

from geo.render.map_assets import DRAW_CSS, DRAW_JS, GENERATED_DIR, LEAFLET_CSS, LEAFLET_JS

FRONTEND_DIR = Path(__file__).resolve().parent / "frontend"
OUT_DIR = GENERATED_DIR / "map_component"
_STYLE = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
_SCRIPT = re.compile(r'<script src="([^"]+)"( defer)?></script>')
# The identity frame needs these (identity.js reads no other file; main.js answers it).
IDENTITY_SCRIPTS = ("streamlit.js", "identity.js", "main.js")


def sources(index: Path = FRONTEND_DIR / "index.html") -> tuple[list[str], list[str]]:
    """The style sheets and scripts ``index`` loads, in its order (``main.js`` last)."""
    text = index.read_text(encoding="utf-8")
    return _STYLE.findall(text), [name for name, _ in _SCRIPT.findall(text)]


def _inline_script(name: str) -> str:
    code = (FRONTEND_DIR / name).read_text(encoding="utf-8")
    if re.search(r"</script", code, re.IGNORECASE):  # would end the inline element early
        raise ValueError(f"{name} contains '</script': it cannot be put inline")
    # sourceURL: the browser's tools and error messages still name the file.
    return f"<script>\n{code}\n//# sourceURL={name}\n</script>"


def _inline_style(name: str) -> str:
    css = (FRONTEND_DIR / name).read_text(encoding="utf-8")
    if re.search(r"</style", css, re.IGNORECASE):
        raise ValueError(f"{name} contains '</style': it cannot be put inline")
    return f"<style>\n{css}\n</style>"


def document(styles: list[str], scripts: list[str], preload: bool) -> str:
    """One HTML document holding ``styles`` and ``scripts`` inline, in order.

    The scripts go at the end of the body, where ``frontend/index.html`` had
    ``main.js`` deferred: each runs once the document is parsed, in order.
    """
    links = []
    if preload:
        links += [f'<link rel="preload" as="script" href="{html.escape(url)}">' for _, url in LEAFLET_JS + DRAW_JS]
        links += [f'<link rel="preload" as="style" href="{html.escape(url)}">' for _, url in LEAFLET_CSS + DRAW_CSS]
    head = "\n".join(['<meta charset="utf-8">', "<title>Mappa dei comuni</title>", *links,
                      *(_inline_style(s) for s in styles)])
    body = "\n".join(_inline_script(s) for s in scripts)
    return f'<!DOCTYPE html>\n<html lang="it">\n<head>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n'


def _publish(text: str, stem: str) -> Path:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    folder = OUT_DIR / f"{stem}-{digest}"
    target = folder / "index.html"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Write then rename: another process starting now never serves half a file.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as tmp:
            tmp.write(text)
        os.replace(tmp.name, target)
    return folder


def build() -> tuple[Path, Path]:
    """Write the map frame's and the identity frame's documents; return their folders
    (what ``declare_component(path=...)`` serves)."""
    styles, scripts = sources()
    missing = [s for s in IDENTITY_SCRIPTS if s not in scripts]
    if missing:
        raise ValueError(f"frontend/index.html no longer loads {missing}")
    map_folder = _publish(document(styles, scripts, preload=True), "map")
    identity_folder = _publish(document([], [s for s in scripts if s in IDENTITY_SCRIPTS], preload=False),
                               "identity")
    return map_folder, identity_folder
