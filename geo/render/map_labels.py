"""Comune names on the map: where each name is written, and the overlay that asks
for every name of the area (the projector).

The frontend (``map_component/frontend/labels.js``) writes a comune's name at its
label point when the name fits inside the comune at the current zoom and does not
cover a name already written (larger comuni first, the area's before the grey
context); the names never take a click (``pointer-events: none``). With the
:func:`labels_overlay` on the map (the presentation), every comune of the area is
named, moved or made smaller where names would overlap.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.data.shipped import METRIC_CRS, WGS84

# The label point is the centre of the largest circle inside the comune (GEOS's
# maximum inscribed circle, "polylabel"), found to within this many metres.
_LABEL_TOLERANCE_M = 120.0
_DECIMALS = 4  # about 10 m: enough to place a name


def label_points(comuni: gpd.GeoDataFrame) -> tuple[list[list[float]], list[int]]:
    """Where each comune's name goes and how much room it has.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Rows of :func:`geo.data.shipped.load_comuni` (``geometry_display``, EPSG:4326).

    Returns
    -------
    points : list of [lat, lon]
        The centre of the largest circle inside each comune, degrees (EPSG:4326).
    radii : list of int
        Its radius in metres (measured in EPSG:32632): the frontend writes the
        name only when it fits in about twice that width.
    """
    if len(comuni) == 0:
        return [], []
    shapes = gpd.GeoSeries(comuni["geometry_display"].values, crs=WGS84).to_crs(METRIC_CRS).values
    circles = shapely.maximum_inscribed_circle(shapes, tolerance=_LABEL_TOLERANCE_M)
    centres = shapely.get_point(circles, 0)
    radii = shapely.length(circles)
    lonlat = gpd.GeoSeries(centres, crs=METRIC_CRS).to_crs(WGS84)
    points = np.round(np.column_stack([lonlat.y.to_numpy(), lonlat.x.to_numpy()]), _DECIMALS)
    return points.tolist(), [int(round(r)) for r in radii]


def labels_overlay(mode: str = "all") -> dict:
    """The overlay that writes every name of the area (``mode="all"``), for the projector."""
    if mode != "all":
        raise ValueError(f"unknown labels mode {mode!r}")
    return {"kind": "labels", "id": "nomi", "mode": mode}
