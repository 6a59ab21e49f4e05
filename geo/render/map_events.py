"""What the map sends back, turned into small typed events at the boundary.

The browser library (``geo/render/js/pianura_map.js``) posts ``{"pb": {...}}`` values;
nothing else in the app digs into that raw dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import shape

from geo.base.codes import istat_code


@dataclass(frozen=True)
class AssignClick:
    """A comune clicked in zone mode: move it to ``zone_id``."""

    seq: int
    code: str
    zone_id: str


@dataclass(frozen=True)
class AreaClick:
    """A comune clicked in area mode: ``add`` to or remove from the area vasta."""

    seq: int
    code: str
    add: bool


@dataclass(frozen=True)
class DrawnShape:
    """A polygon or rectangle drawn on the map, EPSG:4326 (degrees)."""

    seq: int
    geometry: shapely.Geometry


MapEvent = AssignClick | AreaClick | DrawnShape


def parse_map_event(value: object) -> MapEvent | None:
    """Turn the map widget's value into an event; ``None`` for anything else.

    Malformed values (a stale or foreign message) are ignored rather than raised:
    they come from the browser and must never break the page.
    """
    if not isinstance(value, dict) or not isinstance(value.get("pb"), dict):
        return None
    raw = value["pb"]
    try:
        seq = int(raw["seq"])
        action = raw["action"]
        if action == "assign":
            return AssignClick(seq, istat_code(raw["code"]), str(raw["zone"]))
        if action in ("area_add", "area_remove"):
            return AreaClick(seq, istat_code(raw["code"]), action == "area_add")
        if action == "draw":
            geometry = shape(raw["geometry"])
            if geometry.geom_type not in ("Polygon", "MultiPolygon") or not geometry.is_valid:
                return None
            return DrawnShape(seq, geometry)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
        return None
    return None
