"""Where the map's JavaScript and CSS come from: the app itself, never a CDN.

folium points every element at CDNs (jsdelivr, cdnjs...), so a meeting room without
internet gets an empty box. The setup command installs the assets from the npm
registry into ``static/node_modules`` (see ``static/package.json``) and Streamlit
serves that folder at ``/app/static/`` (``server.enableStaticServing``).
"""

from __future__ import annotations

from pathlib import Path

from geo.base.paths import STATIC_DIR

STATIC_URL = "/app/static"
# Data files the app writes for the browser (e.g. the comuni GeoJSON); not versioned.
GENERATED_DIR = STATIC_DIR / "generated"
_NPM = "node_modules"

LEAFLET_JS = [("leaflet", f"{STATIC_URL}/{_NPM}/leaflet/dist/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/{_NPM}/leaflet/dist/leaflet.css")]
DRAW_JS = [("leaflet_draw_js", f"{STATIC_URL}/{_NPM}/leaflet-draw/dist/leaflet.draw.js")]
DRAW_CSS = [("leaflet_draw_css", f"{STATIC_URL}/{_NPM}/leaflet-draw/dist/leaflet.draw.css")]


def local_file(url: str) -> Path:
    """The file on disk that serves ``url`` (for checks that the setup installed it)."""
    return STATIC_DIR / url.removeprefix(STATIC_URL + "/")


def all_asset_urls() -> list[str]:
    """Every asset URL the map builders may reference."""
    return [url for _, url in LEAFLET_JS + LEAFLET_CSS + DRAW_JS + DRAW_CSS]
