"""The maps' scale bar: kilometres only.

folium's ``control_scale=True`` adds Leaflet's default scale, which shows miles
under the kilometres: an Italian reader needs neither the miles nor the second
bar. :class:`MetricScale` is the same Leaflet control (``L.control.scale``) with
``imperial: false``, added through folium's own element templating.
"""

from __future__ import annotations

import json

from branca.element import MacroElement
from jinja2 import Template

SCALE_OPTIONS = {"metric": True, "imperial": False, "maxWidth": 160, "position": "bottomleft"}


class MetricScale(MacroElement):
    """Leaflet's scale control in kilometres (and metres) only: ``fmap.add_child(MetricScale())``."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({{ this.options_json }}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"
        self.options_json = json.dumps(SCALE_OPTIONS)
