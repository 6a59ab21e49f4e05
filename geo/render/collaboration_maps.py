"""Map overlay of the collaborations: plain data, one overlay per function layer.

The overlays travel to the map component with each rerun (``show_map(...,
overlays=...)``) and its frontend (``map_component/frontend/collaborations.js``)
draws them, so switching a layer on or off never rebuilds the base map (no
reload, same zoom). Each collaboration is drawn as

* the outline of its members' union (white halo + coloured line, no fill, so the
  zone colours underneath stay readable; solid = operating, dotted = operating but
  ``da_verificare``, dashed = to be set up),
* a circle on the capofila (a vector ``circleMarker``: marker icons would fetch
  images from a CDN) and thin lines from it to each member,
* a tooltip with name, form, functions, members, status and source, which the
  browser inserts with ``textContent``: user text is never parsed as HTML.

A legend overlay lists what is drawn, by the same safe route.

Building is split in two: :func:`overlay_data` (geometry work, cacheable plain
data) and :func:`collaboration_overlays` (cheap, per rerun).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import shapely

from geo.collaborations.model import (
    FORM_LABELS, FUNCTION_LABELS, PRIORITY_FUNCTIONS, STATUS_LABELS, Collaboration,
)
from geo.collaborations.distances import interior_points

OTHER_LAYER = "altre_funzioni"
LAYERS: tuple[str, ...] = PRIORITY_FUNCTIONS + (OTHER_LAYER,)
LAYER_LABELS: dict[str, str] = {f: FUNCTION_LABELS[f] for f in PRIORITY_FUNCTIONS} | {OTHER_LAYER: "Altre funzioni"}
# Dark lines on a white halo: distinct from the light zone fills (Okabe-Ito) underneath.
LAYER_COLORS: dict[str, str] = {
    "ufficio_tecnico": "#5B2A86", "polizia_locale": "#08306B", "suap_sue": "#9E0142",
    "servizi_ict": "#1A1A1A", OTHER_LAYER: "#6B6B6B",
}
LINE_STYLES = {"operativa": None, "da_verificare": "2 7", "prevista": "10 7"}
LINE_STYLE_LABELS = {"operativa": "attiva", "da_verificare": "attiva, da verificare", "prevista": "da costituire"}
_DECIMALS = 5  # about 1 m: enough for display
# Own pane above the comuni (overlayPane is 400): the zone editor brings comuni to the
# front when it restyles them, which would otherwise hide the outlines.
PANE = "collaborazioni"
PANE_Z_INDEX = 450
# Capofila circles above every outline and line: a line of another collaboration may
# end exactly on a capofila (a member there) and would otherwise cover its circle.
MARKER_PANE = "collaborazioni-capofila"
MARKER_PANE_Z_INDEX = 460
PANES = ((PANE, PANE_Z_INDEX), (MARKER_PANE, MARKER_PANE_Z_INDEX))  # created by the browser when first needed


def layer_of(collaboration: Collaboration) -> tuple[str, ...]:
    """The layers a collaboration appears in: its priority functions, plus
    :data:`OTHER_LAYER` if it also covers any other function."""
    layers = tuple(f for f in PRIORITY_FUNCTIONS if collaboration.covers(f))
    others = any(f not in PRIORITY_FUNCTIONS for f in collaboration.functions)
    return layers + ((OTHER_LAYER,) if others else ())


def _line_style(collaboration: Collaboration, day: dt.date) -> str | None:
    status = collaboration.status_on(day)
    if status == "cessata":
        return None
    if status == "da_costituire":
        return "prevista"
    return "da_verificare" if collaboration.da_verificare else "operativa"


def _latlng(point) -> list[float]:
    return [round(point.y, _DECIMALS), round(point.x, _DECIMALS)]


def overlay_data(comuni: gpd.GeoDataFrame, collaborations: Iterable[Collaboration],
                 today: dt.date | None = None) -> tuple[dict, ...]:
    """Plain, cacheable drawing data of the collaborations not ended on ``today``.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Every shipped comune (:func:`geo.data.shipped.load_comuni`): members may lie outside
        the area. ``geometry_display`` (EPSG:4326) gives the outline, interior
        points come from the full ``geometry`` (see :func:`geo.collaborations.distances.interior_points`).
    collaborations : iterable of Collaboration
    today : datetime.date, optional
        Default today.

    Returns
    -------
    tuple of dict
        One dict per collaboration drawn: ``layers``, ``style`` (key of
        :data:`LINE_STYLES`), ``outline`` (GeoJSON geometry, degrees),
        ``capofila`` and ``points`` ([lat, lon] of the capofila and of the other
        members, the ends of its lines; ``None`` and empty when the capofila is
        unknown) and ``info`` (the tooltip's texts, unescaped).
    """
    day = today or dt.date.today()
    drawn = [(c, _line_style(c, day)) for c in collaborations]
    drawn = [(c, s) for c, s in drawn if s is not None and layer_of(c)]
    # A stored record may name a code missing from the shipped data (e.g. a comune
    # merged into another after a data rebuild): it is listed by code, not drawn.
    codes = sorted({m for c, _ in drawn for m in c.members if m in comuni.index})
    points = interior_points(comuni.loc[codes]).to_crs("EPSG:4326") if codes else None
    out = []
    for c, style in drawn:
        known = [m for m in c.members if m in comuni.index]
        if not known:
            continue
        union = shapely.union_all(np.asarray(comuni.loc[known, "geometry_display"].values))
        union = shapely.transform(union, lambda xy: np.round(xy, _DECIMALS))
        names = [str(comuni.at[m, "comune"]) if m in comuni.index else m for m in c.members]
        lead = c.capofila if c.capofila in comuni.index else None
        capofila = str(comuni.at[lead, "comune"]) if lead else c.capofila
        out.append({
            "id": c.id,
            "layers": layer_of(c),
            "style": style,
            "outline": json.loads(shapely.to_geojson(union)),
            "capofila": _latlng(points.loc[lead]) if lead else None,
            "points": [_latlng(points.loc[m]) for m in known if m != lead] if lead else [],
            "info": {
                "name": c.name,
                "rows": [
                    f"Forma: {FORM_LABELS[c.form]}",
                    "Funzioni: " + ", ".join(FUNCTION_LABELS[f] for f in c.functions),
                    f"Capofila: {capofila or 'non noto'}",
                    f"Membri ({len(names)}): " + ", ".join(sorted(names, key=str.casefold)),
                    f"Stato: {STATUS_LABELS[c.status_on(day)]}" + (" · da verificare" if c.da_verificare else ""),
                    "Fonte: " + (c.sources[0] if c.sources else "non indicata")
                    + (f" (e altre {len(c.sources) - 1})" if len(c.sources) > 1 else ""),
                ],
            },
        })
    return tuple(out)


def layer_options(layer: str) -> dict:
    """Leaflet options of one function layer's drawings (colours, panes, no fill).

    ``halo`` and ``line`` are ``L.geoJSON`` options for the outline (white halo under
    a coloured line, ``fill: false`` so the zone colours stay readable), ``lines``
    the capofila-member lines, ``marker`` the capofila circle, ``dashes`` the line
    pattern per status style (:data:`LINE_STYLES`).
    """
    color = LAYER_COLORS[layer]
    return {
        "halo": {"pane": PANE, "interactive": False,
                 "style": {"color": "#FFFFFF", "weight": 7, "opacity": 0.75, "fill": False,
                           "className": "collab-alone"}},
        "line": {"pane": PANE,
                 "style": {"color": color, "weight": 3, "opacity": 1, "fill": False,
                           "className": f"collab-contorno collab-{layer}"}},
        "lines": {"pane": PANE, "color": color, "weight": 1.5, "opacity": 0.85, "dashArray": "4 4",
                  "className": "collab-linea"},
        "marker": {"pane": MARKER_PANE, "radius": 7, "color": "#FFFFFF", "weight": 2, "fill": True,
                   "fillColor": color, "fillOpacity": 1, "className": f"collab-capofila collab-{layer}"},
        "dashes": dict(LINE_STYLES),
    }


def collaboration_overlays(data: Sequence[Mapping], layers: Iterable[str]) -> list[dict]:
    """Overlays for the map component (``show_map(..., overlays=...)``).

    Parameters
    ----------
    data : sequence of dict
        Output of :func:`overlay_data`.
    layers : iterable of str
        Keys of :data:`LAYERS` switched on (drawn in the order of :data:`LAYERS`).

    Returns
    -------
    list of dict
        One ``collaborations`` overlay per layer (its collaborations, the Leaflet
        options of :func:`layer_options`, the panes to create), then one
        ``collaboration_legend``; empty when no layer is on. Texts are unescaped:
        the browser inserts them as text.
    """
    chosen = set(layers)
    overlays, legend = [], []
    for key in (k for k in LAYERS if k in chosen):
        items = [{k: item[k] for k in ("outline", "style", "capofila", "points", "info")}
                 for item in data if key in item["layers"]]
        overlays.append({"kind": "collaborations", "id": f"collaborazioni:{key}", "panes": PANES,
                         "options": layer_options(key), "items": items})
        legend.append({"label": LAYER_LABELS[key], "color": LAYER_COLORS[key],
                       "names": [item["info"]["name"] for item in items]})
    if not overlays:
        return []
    styles = [{"label": LINE_STYLE_LABELS[k], "dash": v} for k, v in LINE_STYLES.items()]
    return overlays + [{"kind": "collaboration_legend", "id": "collaborazioni:legenda", "layers": legend,
                        "styles": styles}]
