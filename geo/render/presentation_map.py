"""Map layer for the projector: a larger legend, and the presentation keys passed on
to the page even when the map has the focus.

The map lives in its own iframe, so neither the page's CSS nor its keyboard
shortcuts reach inside it: after a click on the map, ←/→ would pan the map instead
of changing scenario. This layer travels with the zone state
(``show_map(..., overlays=[presentation_layer()])``) and, once per frame, adds a
style sheet and a key listener that hands ←, →, PageUp, PageDown and Esc to the
page (Streamlit's shortcut handler reads ``keyCode``, so it is set on the copy).
Nothing here depends on user text.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

MARKER = "pbPresentazione"
# key -> keyCode, as the page's shortcut handler expects them
FORWARDED_KEYS = {"ArrowLeft": 37, "ArrowRight": 39, "PageUp": 33, "PageDown": 34, "Escape": 27}


class _Presentation(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          if (window.{{ this.marker }}) return;
          window.{{ this.marker }} = true;
          var css = document.createElement("style");
          css.textContent = ".pb-legend{font-size:{{ this.font_px }}px !important;max-width:520px !important;" +
            "padding:10px 14px !important}.pb-swatch{width:{{ this.font_px }}px !important;" +
            "height:{{ this.font_px }}px !important}";
          document.head.appendChild(css);
          var codes = {{ this.keys }};
          function forward(event) {
            if (!(event.key in codes) || event.ctrlKey || event.metaKey || event.altKey) return;
            // Capture phase on the frame's document: Leaflet never sees the key (no panning).
            event.stopPropagation();
            event.preventDefault();
            try {
              var copy = new KeyboardEvent(event.type, {key: event.key, code: event.code, bubbles: true,
                                                        cancelable: true});
              Object.defineProperty(copy, "keyCode", {get: function () { return codes[event.key]; }});
              Object.defineProperty(copy, "which", {get: function () { return codes[event.key]; }});
              window.parent.document.dispatchEvent(copy);
            } catch (err) { /* page of another origin: keys stay in the map */ }
          }
          document.addEventListener("keydown", forward, true);
          document.addEventListener("keyup", forward, true);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, font_px: int):
        super().__init__()
        self._name = "Presentation"
        self.marker = MARKER
        self.font_px = int(font_px)
        self.keys = "{" + ",".join(f'"{k}":{v}' for k, v in FORWARDED_KEYS.items()) + "}"


def presentation_layer(font_px: int = 22) -> folium.FeatureGroup:
    """A feature group that enlarges the zone legend to ``font_px`` pixels and
    passes the presentation keys from the map to the page."""
    group = folium.FeatureGroup(name="presentazione", control=False)
    _Presentation(font_px).add_to(group)
    return group
