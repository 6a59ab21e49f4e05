"""Map layer for the projector: a larger legend inside the map's frame.

The map lives in its own iframe, so the page's CSS cannot reach its legend; this
layer travels with the zone state (``show_map(..., overlays=[...])``) and adds a
style sheet to the frame once. Nothing here depends on user text.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

STYLE_ID = "pb-presentazione"


class _LegendStyle(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          if (document.getElementById("{{ this.style_id }}")) return;
          var css = document.createElement("style");
          css.id = "{{ this.style_id }}";
          css.textContent = ".pb-legend{font-size:{{ this.font_px }}px !important;max-width:520px !important;" +
            "padding:10px 14px !important}.pb-swatch{width:{{ this.font_px }}px !important;" +
            "height:{{ this.font_px }}px !important}";
          document.head.appendChild(css);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, font_px: int):
        super().__init__()
        self._name = "LegendStyle"
        self.style_id = STYLE_ID
        self.font_px = int(font_px)


def large_legend_layer(font_px: int = 22) -> folium.FeatureGroup:
    """A feature group that enlarges the zone legend to ``font_px`` pixels."""
    group = folium.FeatureGroup(name="presentazione", control=False)
    _LegendStyle(font_px).add_to(group)
    return group
