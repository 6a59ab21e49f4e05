"""Map builders: functions that *return* folium maps and plain data; pages decide how to show them.

The comuni map is split in two so that a page can rerun without rebuilding it:

* :func:`base_map` is the folium map that stays the same for a whole session: every
  shipped comune's geometry (a folium ``GeoJson`` layer carrying the ISTAT
  attribution), no tiles, local Leaflet assets, a scale and, when asked, the draw
  control. :func:`publish_base_map` renders it once per process to a
  content-hashed HTML document under ``static/generated/``; the map component
  (``map_component/``) loads that document once and shows it;
* :func:`zone_state` is the small JSON state of the plan (colours, names, active
  zone, mode) sent on every rerun; the component's frontend applies it in place.

User text (zone names) never enters the folium document: it travels in the state
as data and the frontend inserts it with ``textContent``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import tempfile

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.plugins import Draw

from geo.data.shipped import ATTRIBUTION_SHORT
from geo.render.map_labels import label_points
from geo.render.scale_bar import MetricScale
from geo.render.map_assets import DRAW_CSS, DRAW_JS, GENERATED_DIR, LEAFLET_CSS, LEAFLET_JS, STATIC_URL
from geo.zoning.plan import UNASSIGNED_COLOR, Plan

# 5 decimals of a degree are about 1 m here: enough for display, half the bytes.
_COORD_DECIMALS = 5
MAP_MODES = ("view", "zone", "area")
# Drawn shapes: dashed black outline, almost no fill (the zone colours stay visible).
_DRAWN_SHAPE = {"color": "#000000", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.08}
# folium names every element ``<kind>_<32 hex digits>`` at random; the published
# document gets sequential ids instead, so the same map is the same file.
_RANDOM_ID = re.compile(r"(?<=_)[0-9a-f]{32}(?![0-9a-f])")


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
        (residents), ``pr`` (province), ``i`` (position in ``comuni``: the order
        :func:`packed_zone_state` writes in), ``l`` and ``r`` (where its name is
        written: see :func:`geo.render.map_labels.label_points`); coordinates in
        degrees (EPSG:4326) rounded to 5 decimals.
    """
    geoms = shapely.transform(
        np.asarray(comuni["geometry_display"].values), lambda xy: np.round(xy, _COORD_DECIMALS)
    )
    points, radii = label_points(comuni)
    features = [
        {
            "type": "Feature",
            "properties": {"c": code, "n": name, "p": int(pop), "pr": prov, "i": index,
                           "l": points[index], "r": radii[index]},
            "geometry": json.loads(shapely.to_geojson(geom)),
        }
        for index, (code, name, pop, prov, geom) in enumerate(zip(
            comuni.index, comuni["comune"], comuni["pop_totale"], comuni["provincia"], geoms
        ))
    ]
    return {"type": "FeatureCollection", "features": features}


def base_map(comuni: gpd.GeoDataFrame, view_bounds: tuple[float, float, float, float],
             *, drawing: bool = False) -> folium.Map:
    """The map that stays the same for a whole session, built with folium.

    No tiles (the grey context comuni give the map its bearings), every shipped
    comune as one ``GeoJson`` layer (see :func:`comuni_geojson`) with the short
    ISTAT/openpolis attribution (pages show the full one), local Leaflet assets,
    a scale in kilometres. Which comuni are in the area and their zones come later with
    :func:`zone_state`, so editing the area vasta does not rebuild this map. The
    map fills its frame: the component sets the frame's height.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        All shipped comuni (:func:`geo.data.shipped.load_comuni`), EPSG:4326.
    view_bounds : tuple of float
        ``(min_lon, min_lat, max_lon, max_lat)`` in degrees: the initial view.
    drawing : bool
        Add the polygon/rectangle drawing tools (assign by area; folium's ``Draw``).

    Returns
    -------
    folium.Map
        A map with no CDN references and no user text.
    """
    minx, miny, maxx, maxy = view_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=10,
        tiles=None,
        double_click_zoom=False,
        control_scale=False,
        zoom_snap=0.25,
        height="100%",
    )
    # Instance attributes shadow folium's class-level CDN lists (see geo.render.map_assets).
    fmap.default_js = list(LEAFLET_JS)
    fmap.default_css = list(LEAFLET_CSS)
    # No fit_bounds here: the map already exists at zoom_start when folium's fitBounds
    # runs, so it animates, and while a zoom animates Leaflet drops every other zoom
    # (the component's first fit beside the legend, a search). The component fits the
    # area itself, without animation, on its first state (frontend/legend_fit.js).
    fmap.add_child(MetricScale())  # kilometres only (folium's control_scale adds miles)
    folium.GeoJson(comuni_geojson(comuni), name="comuni", control=False,
                   attribution=html.escape(ATTRIBUTION_SHORT)).add_to(fmap)
    if drawing:
        draw = Draw(
            position="topleft",
            show_geometry_on_click=False,
            draw_options={"polyline": False, "circle": False, "marker": False, "circlemarker": False,
                          "polygon": {"allowIntersection": False, "shapeOptions": _DRAWN_SHAPE},
                          "rectangle": {"shapeOptions": _DRAWN_SHAPE}},
            edit_options={"edit": False, "remove": False},
        )
        draw.default_js, draw.default_css = list(DRAW_JS), list(DRAW_CSS)
        draw.add_to(fmap)
    return fmap


def base_map_document(fmap: folium.Map) -> str:
    """The complete HTML document folium renders for ``fmap``, with sequential
    element ids (``map_0``...) instead of random ones: the same map gives the
    same text, hence the same published file."""
    ids: dict[str, str] = {}
    return _RANDOM_ID.sub(lambda m: ids.setdefault(m.group(0), str(len(ids))), fmap.get_root().render())


def publish_static(text: str, stem: str, suffix: str) -> str:
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


_PUBLISHED: dict[tuple, tuple[gpd.GeoDataFrame, str]] = {}


def publish_base_map(comuni: gpd.GeoDataFrame, view_bounds: tuple[float, float, float, float],
                     *, drawing: bool = False) -> str:
    """Render :func:`base_map` once and publish it under ``static/generated/``;
    return its URL (``/app/static/generated/basemap-<hash>.html``).

    The document (about 1 MB: the geometry of every comune) then travels to each
    browser once, cached, instead of on every rerun. Cached per table (by
    identity; the shipped table is loaded once per process), view and drawing.
    """
    key = (id(comuni), tuple(float(v) for v in view_bounds), bool(drawing))
    cached = _PUBLISHED.get(key)
    if cached is not None and cached[0] is comuni:
        return cached[1]
    url = publish_static(base_map_document(base_map(comuni, view_bounds, drawing=drawing)), "basemap", ".html")
    _PUBLISHED[key] = (comuni, url)
    return url


def zone_state(plan: Plan, *, active_zone: str | None = None, mode: str = "view",
               highlight: tuple[str, ...] = (), zoom_to: tuple[str, ...] = (), zoom_nonce: int = 0,
               can_edit_area: bool = False, keep_drawing: bool = False, thematic: dict | None = None) -> dict:
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
    thematic : dict, optional
        Colour the area's comuni by an indicator instead of their zone
        (:func:`geo.render.thematic.thematic_state`); ``None``: zone colours.

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
        "thematic": thematic,
    }
    state["version"] = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:12]
    return state


# One character per comune of the base map: not in the area, in it unassigned, or
# the zone's position in ``order`` (1-based, as share links write it).
_OUTSIDE, _UNASSIGNED = ".", "0"
_ZONE_DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def packed_zone_state(state: dict, order) -> dict:
    """The :func:`zone_state` as it travels on every rerun: ``area`` and ``assign``
    (a list and a mapping of ISTAT codes, 48 kB at 1,503 comuni) become one string
    ``packed``, one character per comune of the base map in ``order`` (the table the
    base map was built from, see :func:`comuni_geojson`'s ``i``): ``.`` outside the
    area, ``0`` unassigned, else the zone's position in ``state["order"]`` (1-9, A-Z,
    a-z). The frontend (``map_component/frontend/state_codec.js``) unpacks it into
    ``area`` and ``assign`` before anything reads the state. A state with more zones
    than digits travels as it is.
    """
    if len(state["order"]) > len(_ZONE_DIGITS):
        return state
    digit = {zone_id: _ZONE_DIGITS[i] for i, zone_id in enumerate(state["order"])}
    # A pandas Index iterates ten times slower than a list (1.3 ms at 1,835 comuni).
    order = order.tolist() if hasattr(order, "tolist") else order
    assign = state["assign"]
    packed = "".join(
        _OUTSIDE if code not in assign else (_UNASSIGNED if assign[code] is None else digit[assign[code]])
        for code in order)
    out = {k: v for k, v in state.items() if k not in ("area", "assign")}
    out["packed"] = packed
    return out
