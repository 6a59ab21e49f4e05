"""A plan on a plain folium map, for maps that only show (streamlit-folium's ``st_folium``).

The rule (``map_component/README.md``): a map that sends events (clicks, drawn
shapes, member picking) or that must follow every click without reloading is the
map component; a map that only shows a plan, changed now and then, is a plain
folium map shown by streamlit-folium. Today that is the Laboratorio's consensus
map.

streamlit-folium's documented way to change such a map without reloading it is
used: :func:`view_base_map` stays identical while the page lives (no geometry,
no plan) and the plan travels in :func:`plan_layer`, passed as
``st_folium(..., feature_group_to_add=...)``. User text (zone names) reaches
folium's tooltip, which inserts it as HTML, only escaped (:func:`_tooltip_text`);
:func:`legend_html` escapes it too.
"""

from __future__ import annotations

import html
import json
from typing import Iterable, Mapping

import folium
import geopandas as gpd
import numpy as np
import shapely

from geo.base.italian import format_number
from geo.data.shipped import ATTRIBUTION_SHORT
from geo.render.map_assets import LEAFLET_CSS, LEAFLET_JS
from geo.render.scale_bar import MetricScale
from geo.zoning.plan import UNASSIGNED_COLOR, Plan

_DECIMALS = 5  # about 1 m
HIGHLIGHT_COLOR = "#D00000"
FOUND_COLOR = "#6A1B9A"  # the comune found by the search box, as on the component's maps


def view_base_map(view_bounds: tuple[float, float, float, float]) -> folium.Map:
    """An empty map (no tiles, local Leaflet assets, a scale in kilometres) fitted to
    ``view_bounds`` (``(min_lon, min_lat, max_lon, max_lat)``, degrees)."""
    minx, miny, maxx, maxy = view_bounds
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10, tiles=None,
                      double_click_zoom=False, control_scale=False, zoom_snap=0.25)
    fmap.default_js, fmap.default_css = list(LEAFLET_JS), list(LEAFLET_CSS)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    fmap.add_child(MetricScale())
    return fmap


def plan_layer(comuni: gpd.GeoDataFrame, plan: Plan, highlight: Iterable[str] = (),
               found: str | None = None) -> folium.FeatureGroup:
    """The plan's comuni coloured by zone, ``highlight`` outlined in red, ``found``
    (the comune a search found) in purple.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        At least the plan's comuni (``comune``, ``geometry_display`` in EPSG:4326).
    plan : Plan
    highlight : iterable of str
        ISTAT codes drawn with a thick red outline (e.g. contested comuni).

    Returns
    -------
    folium.FeatureGroup
        One ``GeoJson`` layer with a tooltip (comune, zone) and the ISTAT
        attribution.
    """
    marked = set(highlight)
    codes = list(plan.codes)
    geoms = shapely.transform(np.asarray(comuni.loc[codes, "geometry_display"].values),
                              lambda xy: np.round(xy, _DECIMALS))
    features = []
    for code, geom in zip(codes, geoms):
        zone_id = plan.zone_of(code)
        features.append({
            "type": "Feature", "id": code,
            "properties": {
                "comune": _tooltip_text(str(comuni.at[code, "comune"])),
                "zona": _tooltip_text(plan.zone(zone_id).name) if zone_id else "non assegnato",
                "colore": plan.color_of(code) if zone_id else UNASSIGNED_COLOR,
                "evidenziato": code in marked,
                "trovato": code == found,
            },
            "geometry": json.loads(shapely.to_geojson(geom)),
        })
    group = folium.FeatureGroup(name="piano", control=False)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=_style,
        tooltip=folium.GeoJsonTooltip(fields=["comune", "zona"], aliases=["Comune", "Zona"]),
        attribution=html.escape(ATTRIBUTION_SHORT),
    ).add_to(group)
    return group


def _tooltip_text(text: str) -> str:
    """``text`` as HTML the tooltip shows as typed. Braces too become character
    references: branca parses a layer's rendered script again as a Jinja template,
    so a name holding ``{{``, ``{%`` or ``{#`` would raise a TemplateSyntaxError."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def _style(feature: dict) -> dict:
    p = feature["properties"]
    assigned = p["zona"] != "non assegnato"
    color = FOUND_COLOR if p["trovato"] else HIGHLIGHT_COLOR if p["evidenziato"] else "#333333"
    return {"fillColor": p["colore"], "fillOpacity": 0.72 if assigned else 0.35, "color": color,
            "weight": 5 if p["trovato"] else 4 if p["evidenziato"] else 1}


def legend_html(plan: Plan, population: Mapping[str, int]) -> str:
    """The zones' colours and residents (``population``: ISTAT code -> residents)
    as a small HTML list, every text escaped; unassigned comuni last, if any."""
    rows = [(z.color, z.name + (" (bloccata)" if z.locked else ""), plan.members(z.id)) for z in plan.zones]
    if plan.unassigned:
        rows.append((UNASSIGNED_COLOR, f"Non assegnati ({len(plan.unassigned)})", plan.unassigned))
    items = "".join(
        f'<li><span style="display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;'
        f'border:1px solid #333;background:{html.escape(color)}"></span>'
        f"{html.escape(name)}: {format_number(sum(int(population[c]) for c in codes))}</li>"
        for color, name, codes in rows)
    return f'<ul style="list-style:none;padding:0;margin:0">{items}</ul>'
