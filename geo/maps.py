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
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.data import ATTRIBUTION
from geo.map_assets import DRAW_CSS, DRAW_JS, LEAFLET_CSS, LEAFLET_JS
from geo.plan import UNASSIGNED_COLOR, Plan

_JS_LIBRARY = (Path(__file__).parent / "js" / "pianura_map.js").read_text(encoding="utf-8")
# 5 decimals of a degree are about 1 m here: enough for display, half the bytes.
_COORD_DECIMALS = 5
MAP_MODES = ("view", "zone", "area")


def comuni_geojson(comuni: gpd.GeoDataFrame) -> dict:
    """GeoJSON FeatureCollection of display geometries with short property names.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Rows of :func:`geo.data.load_comuni` (EPSG:4326, ``geometry_display``).

    Returns
    -------
    dict
        Features with properties ``c`` (ISTAT code), ``n`` (name), ``p``
        (residents), ``pr`` (province); coordinates in degrees
        (EPSG:4326) rounded to 5 decimals.
    """
    geoms = shapely.transform(
        np.asarray(comuni["geometry_display"].values), lambda xy: np.round(xy, _COORD_DECIMALS)
    )
    features = [
        {
            "type": "Feature",
            "properties": {"c": code, "n": name, "p": int(pop), "pr": prov},
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


_GEOJSON_CACHE: dict[int, tuple[gpd.GeoDataFrame, str]] = {}


def _geojson_text(comuni: gpd.GeoDataFrame) -> str:
    # Serialised once per table: the base map is rebuilt on every rerun. Keyed by
    # identity (the shipped table is loaded once per process); the frame is kept
    # in the value so its id cannot be reused by another object.
    cached = _GEOJSON_CACHE.get(id(comuni))
    if cached is None or cached[0] is not comuni:
        cached = (comuni, _script_json(comuni_geojson(comuni)))
        _GEOJSON_CACHE[id(comuni)] = cached
    return cached[1]


class _ComuniLayer(JSCSSMixin, MacroElement):
    """Every comune as one GeoJSON layer plus the browser-side library."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        PB.init({{ this._parent.get_name() }}, {{ this.geojson }}, {{ this.attribution|tojson }},
                {{ this.drawing|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, geojson: str, attribution: str, drawing: bool):
        super().__init__()
        self._name = "ComuniLayer"
        self.library = _JS_LIBRARY
        self.geojson = geojson
        self.attribution = attribution
        self.drawing = drawing
        # Instance attributes: folium's class defaults would point at CDNs.
        self.default_js = list(DRAW_JS) if drawing else []
        self.default_css = list(DRAW_CSS) if drawing else []


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


def base_map(comuni: gpd.GeoDataFrame, view_bounds: tuple[float, float, float, float],
             *, height_px: int = 620, drawing: bool = False) -> folium.Map:
    """The map that stays the same for a whole session.

    No tiles (the grey context comuni give the map its bearings), every shipped
    comune, local Leaflet assets, ISTAT/openpolis attribution. Which comuni are in
    the area and their zones come later with :func:`zone_state_layer`, so editing
    the area vasta does not rebuild this map.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        All shipped comuni (:func:`geo.data.load_comuni`), EPSG:4326.
    view_bounds : tuple of float
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees: the initial view.
    height_px : int
        Height of the map in pixels.
    drawing : bool
        Add the polygon/rectangle drawing tools (assign by area).

    Returns
    -------
    folium.Map
        A map with no CDN references.
    """
    minx, miny, maxx, maxy = view_bounds
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
    _ComuniLayer(_geojson_text(comuni), html.escape(ATTRIBUTION), drawing).add_to(fmap)
    return fmap


def zone_state(plan: Plan, *, active_zone: str | None = None, mode: str = "view",
               highlight: tuple[str, ...] = (), zoom_to: tuple[str, ...] = (), zoom_nonce: int = 0,
               can_edit_area: bool = False, keep_drawing: bool = False, version: int = 0) -> dict:
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
    zoom_to, zoom_nonce :
        Comuni to fit in the view; the browser zooms once per new ``zoom_nonce``.
    can_edit_area : bool
        In mode ``"area"``, whether clicks may change the area vasta.
    keep_drawing : bool
        Keep the last drawn shape on the map (while its preview is pending).
    version : int
        A counter that changes with each state, exposed on the map container as
        ``data-pb-version`` so tests can wait for an update.
    """
    if mode not in MAP_MODES:
        raise ValueError(f"unknown map mode {mode!r}")
    return {
        "area": list(plan.codes),
        "zones": {z.id: {"name": z.name, "color": z.color, "locked": z.locked} for z in plan.zones},
        "order": list(plan.zone_ids),
        "assign": dict(plan.assignment),
        "active": active_zone,
        "mode": mode,
        "highlight": list(highlight),
        "zoom": {"codes": list(zoom_to), "nonce": zoom_nonce} if zoom_to else None,
        "canEditArea": can_edit_area,
        "keepDrawing": keep_drawing,
        "unassignedColor": UNASSIGNED_COLOR,
        "version": version,
    }


def zone_state_layer(state: dict) -> folium.FeatureGroup:
    """A feature group carrying ``state`` for ``st_folium(feature_group_to_add=...)``."""
    group = folium.FeatureGroup(name="zone", control=False)
    _ZoneState(state).add_to(group)
    return group


def standalone_map(comuni: gpd.GeoDataFrame, plan: Plan, *, height_px: int = 620) -> folium.Map:
    """A complete map of a plan (base map plus its state) viewing the plan's comuni,
    for export, comparison thumbnails or tests."""
    bounds = tuple(comuni.loc[list(plan.codes)].total_bounds) if plan.codes else tuple(comuni.total_bounds)
    fmap = base_map(comuni, bounds, height_px=height_px)
    zone_state_layer(zone_state(plan)).add_to(fmap)
    return fmap
