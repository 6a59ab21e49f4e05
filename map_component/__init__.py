"""The comuni map: the project's own Streamlit component.

Declared with ``streamlit.components.v1.declare_component`` on the static folder
``map_component/frontend/`` (plain JavaScript, no bundler; Leaflet and leaflet-draw
come from the app's npm folder, ``/app/static/node_modules``). What it shows:

* the **base map**, built by folium (:func:`geo.render.maps.base_map`) and published
  once as a content-hashed HTML document (:func:`geo.render.maps.publish_base_map`):
  its URL is all this call sends of it, and the frontend loads it once per frame;
* the **state** of the plan (:func:`geo.render.maps.zone_state`: a few kB), sent on
  every rerun and applied in place (no reload, same view);
* **overlays**, plain data built in Python (collaborations, member picking, the
  projector's keys: see ``map_component/README.md``).

What comes back is one event per user action, sent at once, in the schema of
:mod:`map_component.events`; this module hands it over typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import streamlit as st
import streamlit.components.v1 as components

from map_component.events import (
    MAX_VERTICES, AreaClick, AssignClick, DrawnShape, MapEvent, MapPick, ShapeTooLarge, parse_map_event,
)

__all__ = ["COMPONENT_NAME", "MAX_VERTICES", "AreaClick", "AssignClick", "DrawnShape", "MapEvent", "MapPick",
           "ShapeTooLarge", "comuni_map", "parse_map_event"]

FRONTEND_DIR = Path(__file__).resolve().parent / "frontend"
# Streamlit names the component "<module>.<name>" (the frame's title): map_component.pianura_map
COMPONENT_NAME = "pianura_map"
_component = components.declare_component(COMPONENT_NAME, path=str(FRONTEND_DIR))


def comuni_map(state: dict, *, base: str, key: str, height: int = 620, overlays: Sequence[dict] = (),
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
        Height of the map in pixels.
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

    value = _component(base=base, state=state, overlays=list(overlays), height=int(height), key=key,
                       default=None, on_change=callback)
    return parse_map_event(value)
