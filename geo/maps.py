"""Map builders: functions that *return* folium objects; pages decide how to show them.

The map is split in two so that a page can rerun without rebuilding it:

* :func:`base_map` holds everything that never changes during a session (comuni
  geometry, grey context, the browser-side code in ``geo/js/pianura_map.js``);
  streamlit-folium keys its component on this map's code, so it must stay
  byte-identical across reruns;
* :func:`zone_state_layer` is a tiny layer carrying the current plan (colours,
  names, active zone, mode); streamlit-folium swaps it in place on each rerun.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.area import Area
from geo.data import ATTRIBUTION
from geo.map_assets import LEAFLET_CSS, LEAFLET_JS
from geo.plan import UNASSIGNED_COLOR, Plan

_JS_LIBRARY = (Path(__file__).parent / "js" / "pianura_map.js").read_text(encoding="utf-8")
# 5 decimals of a degree are about 1 m here: enough for display, half the bytes.
_COORD_DECIMALS = 5
MAP_MODES = ("view", "zone", "area")


def comuni_geojson(comuni: gpd.GeoDataFrame, kind: str) -> dict:
    """GeoJSON FeatureCollection of display geometries with short property names.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Rows of :func:`geo.data.load_comuni` (EPSG:4326, ``geometry_display``).
    kind : str
        ``"area"`` or ``"contesto"``, stored as property ``k``.

    Returns
    -------
    dict
        Features with properties ``c`` (ISTAT code), ``n`` (name), ``p``
        (residents), ``pr`` (province), ``k`` (kind); coordinates in degrees
        (EPSG:4326) rounded to 5 decimals.
    """
    geoms = shapely.transform(
        np.asarray(comuni["geometry_display"].values), lambda xy: np.round(xy, _COORD_DECIMALS)
    )
    features = [
        {
            "type": "Feature",
            "properties": {"c": code, "n": name, "p": int(pop), "pr": prov, "k": kind},
            "geometry": json.loads(shapely.to_geojson(geom)),
        }
        for code, name, pop, prov, geom in zip(
            comuni.index, comuni["comune"], comuni["pop_totale"], comuni["provincia"], geoms
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def _script_json(data: dict) -> str:
    """JSON that is safe inside a <script> element (no "</script>" can close it)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@lru_cache(maxsize=8)
def _geojson_texts(area: Area) -> tuple[str, str]:
    # Serialised once per area: the base map is rebuilt on every rerun.
    return (_script_json(comuni_geojson(area.comuni, "area")),
            _script_json(comuni_geojson(area.context, "contesto")))


class _ComuniLayer(MacroElement):
    """The static comuni layers and the browser-side library (see module docstring)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        PB.init({{ this._parent.get_name() }}, {{ this.area }}, {{ this.context }},
                {{ this.attribution|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, area_geojson: str, context_geojson: str, attribution: str):
        super().__init__()
        self._name = "ComuniLayer"
        self.library = _JS_LIBRARY
        self.area = area_geojson
        self.context = context_geojson
        self.attribution = attribution


class _ZoneState(MacroElement):
    """Sends the current plan to the browser: ``PB.apply(state)``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PB.apply({{ this.state|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, state: dict):
        super().__init__()
        self._name = "ZoneState"
        self.state = state


def base_map(area: Area, height_px: int = 620) -> folium.Map:
    """The map that stays the same for a whole session: no tiles, comuni of the
    area and grey context comuni, local Leaflet assets, ISTAT/openpolis attribution.

    Parameters
    ----------
    area : Area
        Comuni of the area vasta and the context around them (EPSG:4326).
    height_px : int
        Height of the map in pixels.

    Returns
    -------
    folium.Map
        A map with no CDN references; its view fits the area's bounds.
    """
    minx, miny, maxx, maxy = area.comuni.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=10,
        tiles=None,
        double_click_zoom=False,
        control_scale=True,
        zoom_snap=0.25,
        height=f"{height_px}px",
    )
    # Instance attributes shadow folium's class-level CDN lists (see geo.map_assets).
    fmap.default_js = list(LEAFLET_JS)
    fmap.default_css = list(LEAFLET_CSS)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    area_json, context_json = _geojson_texts(area)
    _ComuniLayer(area_json, context_json, html.escape(ATTRIBUTION)).add_to(fmap)
    return fmap


def zone_state(plan: Plan, *, active_zone: str | None = None, mode: str = "view",
               highlight: tuple[str, ...] = (), version: int = 0) -> dict:
    """The JSON state the browser needs to colour the comuni.

    Parameters
    ----------
    plan : Plan
        Current plan.
    active_zone : str, optional
        Zone that a click assigns to (mode ``"zone"``).
    mode : {"view", "zone", "area"}
        ``view``: clicks change nothing; ``zone``: a click assigns a comune of the
        area to the active zone; ``area``: a click marks a comune to join or leave
        the area vasta.
    highlight : tuple of str
        ISTAT codes drawn with a red outline (e.g. a warning's comuni).
    version : int
        A counter that changes with each state, exposed on the map container as
        ``data-pb-version`` so tests can wait for an update.
    """
    if mode not in MAP_MODES:
        raise ValueError(f"unknown map mode {mode!r}")
    return {
        "zones": {z.id: {"name": z.name, "color": z.color, "locked": z.locked} for z in plan.zones},
        "order": list(plan.zone_ids),
        "assign": dict(plan.assignment),
        "active": active_zone,
        "mode": mode,
        "highlight": list(highlight),
        "unassignedColor": UNASSIGNED_COLOR,
        "version": version,
    }


def zone_state_layer(state: dict) -> folium.FeatureGroup:
    """A feature group carrying ``state`` for ``st_folium(feature_group_to_add=...)``."""
    group = folium.FeatureGroup(name="zone", control=False)
    _ZoneState(state).add_to(group)
    return group


def standalone_map(area: Area, plan: Plan, height_px: int = 620) -> folium.Map:
    """A complete map of a plan for export or tests (base map plus its state)."""
    fmap = base_map(area, height_px)
    zone_state_layer(zone_state(plan)).add_to(fmap)
    return fmap
