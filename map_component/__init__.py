"""The comuni map: the project's own Streamlit component.

Declared with ``streamlit.components.v1.declare_component`` on the static folder
``map_component/frontend/`` (plain JavaScript, no bundler: :mod:`map_component.bundle`
puts its files inline into one document per frame at import; Leaflet and leaflet-draw
come from the app's npm folder, ``/app/static/node_modules``). What it shows:

* the **base map**, built by folium (:func:`geo.render.maps.base_map`) and published
  once as a content-hashed HTML document (:func:`geo.render.maps.publish_base_map`):
  its URL is all this call sends of it, and the frontend loads it once per frame;
* the **state** of the plan (:func:`geo.render.maps.zone_state`: a few kB), sent on
  every rerun and applied in place (no reload, same view);
* **overlays**, plain data built in Python (collaborations, member picking, the
  projector's keys: see ``map_component/README.md``).

An invisible instance (:func:`browser_identity`) keeps the browser's identity token.

What comes back is one event per user action, sent at once, in the schema of
:mod:`map_component.events`; this module hands it over typed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

import streamlit as st
import streamlit.components.v1 as components

from map_component.bundle import build
from map_component.events import (
    MAX_VERTICES, AreaClick, AssignClick, DrawnShape, MapEvent, MapPick, ShapeTooLarge, parse_map_event,
)

__all__ = ["COMPONENT_NAME", "IDENTITY_COOKIE", "IDENTITY_MINTED_COOKIE", "IDENTITY_NAME", "IDENTITY_TOKEN", "MAX_VERTICES", "AreaClick", "AssignClick",
           "DrawnShape", "MapEvent", "MapPick", "ShapeTooLarge", "browser_identity", "comuni_map", "parse_map_event"]

FRONTEND_DIR = Path(__file__).resolve().parent / "frontend"
# Each frame is served as one document built from frontend/ (map_component/bundle.py):
# one request instead of twenty-one on a first load.
_MAP_DOCUMENT, _IDENTITY_DOCUMENT = build()
# Streamlit names the component "<module>.<name>" (the frame's title): map_component.pianura_map
COMPONENT_NAME = "pianura_map"
_component = components.declare_component(COMPONENT_NAME, path=str(_MAP_DOCUMENT))
# The browser identity (frontend/identity.js): declared under a second name, so its
# invisible frame is titled apart from the maps' (map_component.browser_identity) and
# loads only its own scripts; cookie name and token shape, 128 bits.
IDENTITY_NAME = "browser_identity"
_identity_component = components.declare_component(IDENTITY_NAME, path=str(_IDENTITY_DOCUMENT))
IDENTITY_COOKIE = "pianura_browser"
# Set beside it, with the same token, by the proxy of `make serve` when it gives a
# browser its first token (scripts/serving/nginx.conf.template): the browser may
# still prefer the token in its local storage.
IDENTITY_MINTED_COOKIE = "pianura_browser_minted"
IDENTITY_TOKEN = re.compile(r"[0-9a-f]{32}")


def comuni_map(state: dict, *, base: str, key: str, height: int = 620, fill: bool = False,
               overlays: Sequence[dict] = (),
               on_change: Callable[[MapEvent], None] | None = None) -> MapEvent | None:
    """Show the comuni map; return the last event the browser sent (or ``None``).

    Parameters
    ----------
    state : dict
        :func:`geo.render.maps.zone_state` of the plan shown.
    base : str
        URL of the published base map (:func:`geo.render.maps.publish_base_map`);
        the same URL on every rerun keeps the same map in the browser.
    key : str
        The widget key: the map's identity across reruns (with it, changing
        ``state`` or ``overlays`` never remounts the frame).
    height : int
        Height of the map in pixels (when ``fill`` is off or the page cannot be read).
    fill : bool
        Fill the browser's viewport below the map's top (``frontend/layout.js``):
        the whole map in view without scrolling at any screen size; on a narrow
        screen (a phone) about 30 % of the viewport is left below it.
    overlays : sequence of dict
        Plain overlay data (``map_component/README.md``), e.g.
        :func:`geo.render.collaboration_maps.collaboration_overlays`.
    on_change : callable, optional
        Called with each new, well-formed event before the page script runs (so
        the same rerun already draws its effect); malformed values never reach it.
    """
    callback = None
    if on_change is not None:
        def callback() -> None:
            event = parse_map_event(st.session_state.get(key))
            if event is not None:
                on_change(event)

    value = _component(base=base, state=state, overlays=list(overlays), height=int(height), fill=bool(fill),
                       key=key, max_vertices=MAX_VERTICES, default=None, on_change=callback)
    return parse_map_event(value)


def browser_identity(proposed: str, *, key: str) -> str | None:
    """The invisible instance that keeps the browser's token (``frontend/identity.js``).

    Parameters
    ----------
    proposed : str
        A new token (32 hex digits) the browser adopts if it has none yet.
    key : str
        The widget key.

    Returns
    -------
    str or None
        The browser's token once the frame has answered (its own, or ``proposed``);
        ``None`` before, or if the answer is not a token.
    """
    value = _identity_component(identity=proposed, key=key, default=None)
    token = value.get("token") if isinstance(value, dict) and value.get("event") == "identity" else None
    return token if isinstance(token, str) and IDENTITY_TOKEN.fullmatch(token) else None
