"""The map's event schema: what the browser sends, turned into typed events.

The frontend (``map_component/frontend/comuni.js`` and ``overlays.js``) sends one
JSON object per user action, at once (no debounce), as the component's value.
Every event carries ``event`` (its kind) and ``seq``, a number unique across
reloads of the map's frame (milliseconds times 1000 plus a counter), so that a
page can tell a new event from the last one it handled.

=================  ==========================================  ====================
``event``          other fields                                typed as
=================  ==========================================  ====================
``assign``         ``code`` (ISTAT code), ``zone`` (zone id)   :class:`AssignClick`
``area_add``       ``code``                                    :class:`AreaClick`
``area_remove``    ``code``                                    :class:`AreaClick`
``draw``           ``geometry`` (GeoJSON Polygon, degrees)     :class:`DrawnShape`,
                                                               or :class:`ShapeTooLarge`
``draw_too_large`` ``vertices`` (how many the browser counted) :class:`ShapeTooLarge`
``pick``           ``lat``, ``lng`` (degrees, EPSG:4326)       :class:`MapPick`
=================  ==========================================  ====================

Values come from the browser: anything malformed is ignored (``None``), never
raised. Sizes are bounded before any parsing: a code or zone id longer than
:data:`MAX_TEXT` characters is refused, and a drawn shape of more than
:data:`MAX_VERTICES` vertices becomes :class:`ShapeTooLarge` (the caller tells the
user in Italian) after a count that stops at the limit, before shapely sees it;
the browser itself counts a drawn shape (``frontend/limits.js``) and sends only its
count when it is over the limit, so such a shape never crosses the network (and
the server closes a connection whose message exceeds ``server.maxWidgetStateSize``).

Pure module: no Streamlit, so it is tested like any function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import shape

from geo.base.codes import istat_code

MAX_VERTICES = 5_000
MAX_TEXT = 64
_SHAPES = ("Polygon", "MultiPolygon")


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
    """A polygon or rectangle drawn on the map, EPSG:4326 (degrees), valid."""

    seq: int
    geometry: shapely.Geometry


@dataclass(frozen=True)
class ShapeTooLarge:
    """A drawn shape refused unparsed: more than ``limit`` vertices."""

    seq: int
    limit: int


@dataclass(frozen=True)
class MapPick:
    """A click on the map while choosing members: ``lat``/``lng`` in degrees (EPSG:4326)."""

    seq: int
    lat: float
    lng: float


MapEvent = AssignClick | AreaClick | DrawnShape | ShapeTooLarge | MapPick


def parse_map_event(value: object) -> MapEvent | None:
    """Turn the component's value into a typed event; ``None`` for anything else."""
    if not isinstance(value, dict):
        return None
    try:
        seq = _integer(value["seq"])
        kind = value["event"]
        if kind == "assign":
            return AssignClick(seq, _code(value["code"]), _text(value["zone"]))
        if kind in ("area_add", "area_remove"):
            return AreaClick(seq, _code(value["code"]), kind == "area_add")
        if kind == "draw":
            return _drawn(seq, value["geometry"])
        if kind == "draw_too_large":  # the browser counted the shape and sent only the count
            return ShapeTooLarge(seq, MAX_VERTICES)
        if kind == "pick":
            lat, lng = _number(value["lat"]), _number(value["lng"])
            return MapPick(seq, lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
        return None
    return None


def _number(value: object) -> float:
    """A finite JSON number (``true`` is not one)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return float(value)


def _integer(value: object) -> int:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else int(_number(value))


def _text(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        raise ValueError("not a short text")
    return value


def _code(value: object) -> str:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValueError("code too long")
    return istat_code(value)


def _drawn(seq: int, geometry: object) -> DrawnShape | ShapeTooLarge | None:
    if not isinstance(geometry, dict) or geometry.get("type") not in _SHAPES:
        return None
    if _vertex_count(geometry.get("coordinates"), MAX_VERTICES) > MAX_VERTICES:
        return ShapeTooLarge(seq, MAX_VERTICES)
    parsed = shape(geometry)
    if parsed.geom_type not in _SHAPES or not parsed.is_valid:
        return None
    return DrawnShape(seq, parsed)


def _vertex_count(coordinates: object, limit: int) -> int:
    """Vertices in nested coordinate lists, counting at most ``limit + 1``: the
    cost is bounded by the limit, not by what the browser sent."""
    count, stack = 0, [coordinates]
    while stack:
        item = stack.pop()
        if not isinstance(item, list):
            raise ValueError("coordinates must be lists")
        if item and not isinstance(item[0], list):  # a position: [lon, lat]
            count += 1
            if count > limit:
                return count
            continue
        # Each child holds at least one vertex (or is malformed): never copy more
        # children than the vertices still allowed.
        if len(item) + len(stack) > limit - count:
            return limit + 1
        stack.extend(item)
    return count
