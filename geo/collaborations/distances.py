"""How far the members of each collaboration are from its capofila (straight line).

Distances are between points guaranteed inside each comune, in metres of EPSG:32632
(UTM 32N, the projected CRS of the data), reported in kilometres.
"""

from __future__ import annotations

from typing import Iterable

import geopandas as gpd
import pandas as pd

from geo.collaborations.model import Collaboration
from geo.data.shipped import METRIC_CRS


def interior_points(comuni: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point guaranteed inside each comune (``representative_point``), EPSG:32632.

    Parameters
    ----------
    comuni : geopandas.GeoDataFrame
        Rows of :func:`geo.data.shipped.load_comuni` (full ``geometry``, any CRS).

    Returns
    -------
    geopandas.GeoSeries
        Indexed by ISTAT code, in metres (EPSG:32632). Unlike the centroid, the
        point lies inside even a crescent-shaped comune.
    """
    return comuni.geometry.to_crs(METRIC_CRS).representative_point()


def capofila_distances(points: gpd.GeoSeries, collaborations: Iterable[Collaboration]) -> pd.DataFrame:
    """Straight-line distance from each member to its collaboration's capofila.

    Parameters
    ----------
    points : geopandas.GeoSeries
        :func:`interior_points` of every comune a member may be (EPSG:32632).
    collaborations : iterable of Collaboration
        Those without a capofila are skipped, and so are codes missing from ``points``.

    Returns
    -------
    pandas.DataFrame
        Columns ``collaborazione`` (id), ``istat_code`` (member), ``km``: one row
        per member other than the capofila, distances in kilometres.
    """
    if points.crs is None or not points.crs.is_projected:
        raise ValueError("Le distanze vanno calcolate in un sistema proiettato (EPSG:32632).")
    rows = []
    for collaboration in collaborations:
        # codes missing from the data (a comune merged after a rebuild) have no point
        if collaboration.capofila not in points.index:
            continue
        lead = points.loc[collaboration.capofila]
        for code in collaboration.members:
            if code != collaboration.capofila and code in points.index:
                rows.append({"collaborazione": collaboration.id, "istat_code": code,
                             "km": float(lead.distance(points.loc[code])) / 1000.0})
    return pd.DataFrame(rows, columns=["collaborazione", "istat_code", "km"])


def distance_summary(distances: pd.DataFrame) -> pd.DataFrame:
    """Per collaboration: ``membri`` (members other than the capofila), ``max_km``, ``media_km``."""
    if distances.empty:
        return pd.DataFrame(columns=["collaborazione", "membri", "max_km", "media_km"])
    grouped = distances.groupby("collaborazione", sort=False)["km"]
    return pd.DataFrame({"membri": grouped.size(), "max_km": grouped.max(),
                         "media_km": grouped.mean()}).reset_index()
