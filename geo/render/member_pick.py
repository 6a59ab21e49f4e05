"""Choosing a collaboration's members by clicking the map.

While the pick overlay (:func:`pick_overlay`) is on the map, the browser sends
every click as a ``pick`` event (latitude and longitude, see
:mod:`map_component.events`) and outlines the comuni chosen so far; the page
finds the clicked comune with :func:`comune_at`.
"""

from __future__ import annotations

import json
from typing import Iterable

import geopandas as gpd
import numpy as np
import shapely

from geo.render.collaboration_maps import PANE, PANES

_DECIMALS = 5  # about 1 m
# Thick dashed orange line, no fill: the zone colours stay readable.
CHOSEN_STYLE = {"color": "#D55E00", "weight": 4, "opacity": 1, "fill": False, "dashArray": "8 5",
                "className": "collab-scelta"}


def pick_overlay(comuni: gpd.GeoDataFrame, selected: Iterable[str]) -> dict:
    """The overlay that turns clicks into ``pick`` events and outlines the chosen comuni.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Every shipped comune (``geometry_display``, EPSG:4326).
    selected : iterable of str
        ISTAT codes currently chosen as members (unknown codes are skipped).

    Returns
    -------
    dict
        ``{"kind": "pick", "outline": GeoJSON geometry of the chosen comuni's
        union in degrees (5 decimals), or None, "style", "pane", "panes"}``.
    """
    codes = [c for c in selected if c in comuni.index]
    outline = None
    if codes:
        union = shapely.union_all(np.asarray(comuni.loc[codes, "geometry_display"].values))
        outline = json.loads(shapely.to_geojson(shapely.transform(union, lambda xy: np.round(xy, _DECIMALS))))
    return {"kind": "pick", "id": "scelta-membri", "outline": outline, "style": CHOSEN_STYLE, "pane": PANE,
            "panes": PANES}


def comune_at(comuni: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """ISTAT code of the comune whose displayed shape contains the point, or ``None``.

    The test uses ``geometry_display`` (what the user sees and clicked) in degrees:
    point-in-polygon is topological, no distance is involved.
    """
    inside = shapely.contains_xy(np.asarray(comuni["geometry_display"].values), lng, lat)
    hits = comuni.index[inside]
    return str(hits[0]) if len(hits) else None
