"""Assign by area: which comuni a drawn shape selects, and the pending change it makes."""

from __future__ import annotations

import pandas as pd
import shapely

from geo.zoning.area import Area
from geo.zoning.plan import Plan


def comuni_in_shape(area: Area, shape: shapely.Geometry) -> tuple[str, ...]:
    """Comuni of the area whose interior point falls inside ``shape``.

    Parameters
    ----------
    area : Area
        The area vasta; interior points are ``representative_point()`` of the full
        ISTAT geometry (always inside the comune, unlike the centroid).
    shape : shapely geometry
        Polygon drawn on the map, EPSG:4326 (degrees). Point-in-polygon is a
        topological test, so it is exact in degrees; no area or length is computed.

    Returns
    -------
    tuple of str
        ISTAT codes, sorted.
    """
    points = area.interior_points
    inside = shapely.contains_xy(shape, points.x.to_numpy(), points.y.to_numpy())
    return tuple(sorted(points.index[inside]))


def pending_change(area: Area, plan: Plan, codes, zone_id: str) -> tuple[Plan, pd.DataFrame]:
    """The plan after moving ``codes`` to ``zone_id``, and its effect on each zone.

    Comuni of locked zones stay put (as with a click).

    Returns
    -------
    (Plan, pandas.DataFrame)
        The new plan, and one row per zone whose residents change (plus
        ``"Non assegnati"`` if concerned): columns ``zona``, ``residenti_prima``,
        ``residenti_dopo``, ``variazione``, ``comuni_prima``, ``comuni_dopo``.
    """
    after = plan.assign(codes, zone_id).plan
    pop = area.table["pop_totale"]

    def per_zone(p: Plan) -> pd.DataFrame:
        zones = pd.Series({c: p.zone_of(c) or "" for c in p.codes})
        return pd.DataFrame({"residenti": pop.groupby(zones).sum(), "comuni": zones.value_counts()})

    before_t, after_t = per_zone(plan), per_zone(after)
    order = [z for z in plan.zone_ids] + [""]
    rows = []
    for zid in order:
        b_res = int(before_t["residenti"].get(zid, 0))
        a_res = int(after_t["residenti"].get(zid, 0))
        b_n = int(before_t["comuni"].get(zid, 0))
        a_n = int(after_t["comuni"].get(zid, 0))
        if (b_res, b_n) == (a_res, a_n):
            continue
        name = plan.zone(zid).name if zid else "Non assegnati"
        rows.append({"zona": name, "residenti_prima": b_res, "residenti_dopo": a_res,
                     "variazione": a_res - b_res, "comuni_prima": b_n, "comuni_dopo": a_n})
    columns = ["zona", "residenti_prima", "residenti_dopo", "variazione", "comuni_prima", "comuni_dopo"]
    return after, pd.DataFrame(rows, columns=columns)
