"""Map builders: functions that *return* folium objects; pages decide how to show them.

The map is split in two so that a page can rerun without rebuilding it:

* :func:`base_map` holds everything that never changes during a session (comuni
  geometry, grey context, the browser-side code in ``geo/render/js/pianura_map.js``);
  streamlit-folium keys its component on this map's code, so it must stay
  byte-identical across reruns;
* :func:`zone_state_layer` is a tiny layer carrying the current plan (colours,
  names, active zone, mode); streamlit-folium swaps it in place on each rerun.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import tempfile
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.data.shipped import ATTRIBUTION_SHORT
from geo.render.map_assets import DRAW_CSS, DRAW_JS, GENERATED_DIR, LEAFLET_CSS, LEAFLET_JS, STATIC_URL
from geo.zoning.plan import UNASSIGNED_COLOR, Plan

_JS_LIBRARY = (Path(__file__).parent / "js" / "pianura_map.js").read_text(encoding="utf-8")
# 5 decimals of a degree are about 1 m here: enough for display, half the bytes.
_COORD_DECIMALS = 5
MAP_MODES = ("view", "zone", "area")


def comuni_geojson(comuni: gpd.GeoDataFrame) -> dict:
    """GeoJSON FeatureCollection of display geometries with short property names.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Rows of :func:`geo.data.shipped.load_comuni` (EPSG:4326, ``geometry_display``).

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


_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def script_json(data) -> str:
    """JSON safe to embed in a folium script.

    Two hazards: ``</script>`` would close the element (``<`` becomes ``\\u003c``),
    and folium wraps each rendered script in a new Jinja template, so user text
    such as ``{{ 7*7 }}`` would be *evaluated* (``{`` before ``{``, ``%`` or ``#``
    becomes ``\\u007b``; such pairs can only occur inside JSON strings).
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JINJA_OPENERS.sub(r"\\u007b", text.replace("<", "\\u003c"))


_PUBLISHED: dict[int, tuple[gpd.GeoDataFrame, str]] = {}


def _publish(text: str, stem: str, suffix: str) -> str:
    """Write ``text`` under ``static/generated/`` with a name carrying a hash of the
    content (a rebuilt file never meets a stale cached copy); return its URL."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    target = GENERATED_DIR / f"{stem}-{digest}{suffix}"
    if not target.exists():
        GENERATED_DIR.mkdir(parents=True, exist_ok=True)
        # Write then rename: a concurrent server never serves half a file.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=GENERATED_DIR, delete=False,
                                         suffix=".tmp") as tmp:
            tmp.write(text)
        os.replace(tmp.name, target)
    return f"{STATIC_URL}/generated/{target.name}"


def publish_geojson(comuni: gpd.GeoDataFrame) -> str:
    """Write the comuni GeoJSON once under ``static/generated/`` and return its URL.

    The geometry (about 1 MB) then travels to the browser once, cached, instead of
    inside the map script on every rerun. Cached per table (by identity; the
    shipped table is loaded once per process).
    """
    cached = _PUBLISHED.get(id(comuni))
    if cached is not None and cached[0] is comuni:
        return cached[1]
    url = _publish(json.dumps(comuni_geojson(comuni), ensure_ascii=False, separators=(",", ":")),
                   "comuni", ".geojson")
    _PUBLISHED[id(comuni)] = (comuni, url)
    return url


@functools.cache
def publish_library() -> str:
    """Write the browser library (``geo/render/js/pianura_map.js``) under
    ``static/generated/`` once per process and return its URL.

    Loaded as a file, it stays out of the map script: folium compiles every
    rendered script as a Jinja template on every rerun, and 11 kB of JavaScript
    cost milliseconds of each click.
    """
    return _publish(_JS_LIBRARY, "pianura_map", ".js")


class _ComuniLayer(JSCSSMixin, MacroElement):
    """Every comune as one GeoJSON layer plus the browser-side library.

    ``source`` is the URL of the published GeoJSON or, for self-contained HTML,
    the GeoJSON text itself; ``library`` is the library's code for self-contained
    HTML, or empty when it is loaded from :func:`publish_library`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.library }}
        PB.init({{ this._parent.get_name() }}, {{ this.source }}, {{ this.attribution }}, {{ this.drawing }});
        {% endmacro %}
        """
    )

    def __init__(self, source: str, attribution: str, drawing: bool, inline: bool):
        super().__init__()
        self._name = "ComuniLayer"
        self.library = _JS_LIBRARY if inline else ""
        self.source = source
        self.attribution = script_json(attribution)
        self.drawing = script_json(drawing)
        # Instance attributes: folium's class defaults would point at CDNs.
        # Scripts load in this order, each after the previous one.
        self.default_js = (list(DRAW_JS) if drawing else []) + ([] if inline else [("pianura_map",
                                                                                    publish_library())])
        self.default_css = list(DRAW_CSS) if drawing else []


class _ZoneState(MacroElement):
    """Sends the current plan to the browser: ``PB.apply(state)``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        PB.apply({{ this.state }});
        {% endmacro %}
        """
    )

    def __init__(self, state: dict):
        super().__init__()
        self._name = "ZoneState"
        self.state = script_json(state)


def base_map(comuni: gpd.GeoDataFrame, view_bounds: tuple[float, float, float, float],
             *, height_px: int = 620, drawing: bool = False, inline_data: bool = False) -> folium.Map:
    """The map that stays the same for a whole session.

    No tiles (the grey context comuni give the map its bearings), every shipped
    comune, local Leaflet assets, ISTAT/openpolis attribution (short; pages show the full one). Which comuni are in
    the area and their zones come later with :func:`zone_state_layer`, so editing
    the area vasta does not rebuild this map.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        All shipped comuni (:func:`geo.data.shipped.load_comuni`), EPSG:4326.
    view_bounds : tuple of float
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees: the initial view.
    height_px : int
        Height of the map in pixels.
    drawing : bool
        Add the polygon/rectangle drawing tools (assign by area).
    inline_data : bool
        Embed the GeoJSON and the browser library in the script (self-contained
        HTML) instead of loading them from ``/app/static/generated/`` (see
        :func:`publish_geojson` and :func:`publish_library`).

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
    # Instance attributes shadow folium's class-level CDN lists (see geo.render.map_assets).
    fmap.default_js = list(LEAFLET_JS)
    fmap.default_css = list(LEAFLET_CSS)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    source = script_json(comuni_geojson(comuni)) if inline_data else script_json(publish_geojson(comuni))
    _ComuniLayer(source, html.escape(ATTRIBUTION_SHORT), drawing, inline_data).add_to(fmap)
    return fmap


def zone_state(plan: Plan, *, active_zone: str | None = None, mode: str = "view",
               highlight: tuple[str, ...] = (), zoom_to: tuple[str, ...] = (), zoom_nonce: int = 0,
               can_edit_area: bool = False, keep_drawing: bool = False) -> dict:
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

    Returns
    -------
    dict
        JSON-ready; ``version`` is a digest of the rest, exposed on the map
        container as ``data-pb-version`` so tests and benchmarks can tell when the
        browser has applied a new state.
    """
    if mode not in MAP_MODES:
        raise ValueError(f"unknown map mode {mode!r}")
    state = {
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
    }
    state["version"] = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:12]
    return state


def zone_state_layer(state: dict) -> folium.FeatureGroup:
    """A feature group carrying ``state`` for ``st_folium(feature_group_to_add=...)``."""
    group = folium.FeatureGroup(name="zone", control=False)
    _ZoneState(state).add_to(group)
    return group


def standalone_map(comuni: gpd.GeoDataFrame, plan: Plan, *, height_px: int = 620,
                   inline_data: bool = True) -> folium.Map:
    """A complete map of a plan (base map plus its state) viewing the plan's comuni,
    for export, comparison thumbnails or tests; data inline by default."""
    bounds = tuple(comuni.loc[list(plan.codes)].total_bounds) if plan.codes else tuple(comuni.total_bounds)
    fmap = base_map(comuni, bounds, height_px=height_px, inline_data=inline_data)
    zone_state_layer(zone_state(plan)).add_to(fmap)
    return fmap
