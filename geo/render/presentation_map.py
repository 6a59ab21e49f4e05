"""Map overlay for the projector: a larger legend, and the presentation keys passed on
to the page even when the map has the focus.

The map lives in its own frame, so neither the page's CSS nor its keyboard
shortcuts reach inside it: after a click on the map, ←/→ would pan the map instead
of changing scenario. This overlay (``show_map(..., overlays=[presentation_overlay()])``)
asks the map's frontend (``map_component/frontend/overlays.js``) to enlarge the
legend and to hand ←, →, PageUp, PageDown and Esc to the page, with the
``keyCode`` Streamlit's shortcut handler reads. Nothing here depends on user text.
"""

from __future__ import annotations

# key -> keyCode, as the page's shortcut handler expects them
FORWARDED_KEYS = {"ArrowLeft": 37, "ArrowRight": 39, "PageUp": 33, "PageDown": 34, "Escape": 27}


def presentation_overlay(font_px: int = 22) -> dict:
    """The overlay that enlarges the zone legend to ``font_px`` pixels and passes
    the presentation keys (:data:`FORWARDED_KEYS`) from the map to the page."""
    return {"kind": "presentation", "id": "presentazione", "fontPx": int(font_px), "keys": dict(FORWARDED_KEYS)}
