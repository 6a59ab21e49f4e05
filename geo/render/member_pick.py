"""Choosing a collaboration's members by clicking the map.

A pick layer, added to the map with the other overlays, reports each click as
``{"pb": {"action": "pick", "lat", "lng", "seq"}}`` through the component channel the
base map already uses (see ``geo/render/js/pianura_map.js``); the page turns it into a
:class:`MapPick` with :func:`parse_pick` and finds the comune with :func:`comune_at`.
Other readers of the map's value ignore the unknown ``pick`` action.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.render.collaboration_maps import PANE, overlay_group

_DECIMALS = 5  # about 1 m


class _PickClicks(MacroElement):
    """While its group is on the map, each click posts ``{"pb": {"action": "pick", ...}}``
    through the component channel the base map uses (see ``geo/render/js/pianura_map.js``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.addLayer(new (L.Layer.extend({
          onAdd: function (map) {
            this._handler = function (e) {
              window.__collabPick = (window.__collabPick || 0) + 1;
              window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                value: {pb: {action: "pick", lat: e.latlng.lat, lng: e.latlng.lng,
                             seq: Date.now() * 1000 + window.__collabPick}}, dataType: "json"}, "*");
            };
            map.on("click", this._handler);
            map.getContainer().classList.add("collab-picking");
          },
          onRemove: function (map) {
            map.off("click", this._handler);
            map.getContainer().classList.remove("collab-picking");
          }
        }))());
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "CollabPick"


def pick_layer(comuni: gpd.GeoDataFrame, selected: Iterable[str]) -> folium.FeatureGroup:
    """A feature group that reports clicks (see :func:`parse_pick`) and outlines the
    comuni chosen so far (thick dashed orange line, no fill).

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Every shipped comune (``geometry_display``, EPSG:4326).
    selected : iterable of str
        ISTAT codes currently chosen as members.
    """
    group = overlay_group("scelta membri")
    _PickClicks().add_to(group)
    codes = [c for c in selected if c in comuni.index]
    if codes:
        union = shapely.union_all(np.asarray(comuni.loc[codes, "geometry_display"].values))
        union = shapely.transform(union, lambda xy: np.round(xy, _DECIMALS))
        feature = {"type": "Feature", "id": "scelta", "properties": {},
                   "geometry": json.loads(shapely.to_geojson(union))}
        style = {"color": "#D55E00", "weight": 4, "opacity": 1, "fill": False, "dashArray": "8 5",
                 "interactive": False, "className": "collab-scelta"}
        folium.GeoJson(feature, style_function=lambda _f, s=style: s, interactive=False, pane=PANE).add_to(group)
    return group


@dataclass(frozen=True)
class MapPick:
    """A click on the map while choosing members: ``lat``/``lng`` in degrees (EPSG:4326)."""

    seq: int
    lat: float
    lng: float


def parse_pick(value: object) -> MapPick | None:
    """The pick click carried by the map widget's value, or ``None`` (anything else,
    malformed values included: they come from the browser)."""
    if not isinstance(value, dict) or not isinstance(value.get("pb"), dict):
        return None
    raw = value["pb"]
    try:
        if raw.get("action") != "pick":
            return None
        pick = MapPick(int(raw["seq"]), float(raw["lat"]), float(raw["lng"]))
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= pick.lat <= 90 and -180 <= pick.lng <= 180):
        return None
    return pick


def comune_at(comuni: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """ISTAT code of the comune whose displayed shape contains the point, or ``None``.

    The test uses ``geometry_display`` (what the user sees and clicked) in degrees:
    point-in-polygon is topological, no distance is involved.
    """
    inside = shapely.contains_xy(np.asarray(comuni["geometry_display"].values), lng, lat)
    hits = comuni.index[inside]
    return str(hits[0]) if len(hits) else None
