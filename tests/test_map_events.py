"""The map's event schema (map_component/events.py): typed events, malformed and
oversized values ignored or refused, never raised."""

import pytest
import shapely

import map_component.events as events
from map_component.events import (
    MAX_VERTICES, AreaClick, AssignClick, DrawnShape, MapPick, ShapeTooLarge, parse_map_event,
)

SQUARE = [[10.0, 45.0], [10.1, 45.0], [10.1, 45.1], [10.0, 45.1], [10.0, 45.0]]


def ring(n_vertices: int) -> list[list[float]]:
    """A closed ring of exactly ``n_vertices`` positions (the last repeats the first)
    along the sides of a 0.1-degree square."""
    step = 0.4 / (n_vertices - 1)
    points = []
    for i in range(n_vertices - 1):
        d = i * step
        side, t = int(d // 0.1), d % 0.1
        x, y = [(t, 0.0), (0.1, t), (0.1 - t, 0.1), (0.0, 0.1 - t)][min(side, 3)]
        points.append([10.0 + x, 45.0 + y])
    return points + [points[0]]


def test_clicks_become_typed_events_with_padded_codes():
    assert parse_map_event({"event": "assign", "seq": 5, "code": 17088, "zone": "z1"}) == \
        AssignClick(5, "017088", "z1")
    assert parse_map_event({"event": "area_add", "seq": 6, "code": "017008"}) == AreaClick(6, "017008", True)
    assert parse_map_event({"event": "area_remove", "seq": 7, "code": "017008"}) == AreaClick(7, "017008", False)


def test_a_pick_is_a_point_in_degrees():
    assert parse_map_event({"event": "pick", "seq": 8, "lat": 45.25, "lng": 10.1}) == MapPick(8, 45.25, 10.1)


def test_drawn_polygon():
    event = parse_map_event({"event": "draw", "seq": 1, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}})
    assert isinstance(event, DrawnShape) and event.seq == 1
    assert shapely.contains_xy(event.geometry, 10.05, 45.05) and not shapely.contains_xy(event.geometry, 10.2, 45.05)


def test_a_shape_at_the_vertex_limit_is_accepted_one_more_is_refused():
    at_limit = ring(MAX_VERTICES)
    assert len(at_limit) == 5_000
    event = parse_map_event({"event": "draw", "seq": 2, "geometry": {"type": "Polygon", "coordinates": [at_limit]}})
    assert isinstance(event, DrawnShape) and shapely.contains_xy(event.geometry, 10.05, 45.05)
    over = ring(MAX_VERTICES + 1)
    assert parse_map_event({"event": "draw", "seq": 3, "geometry": {"type": "Polygon", "coordinates": [over]}}) == \
        ShapeTooLarge(3, 5_000)


def test_a_huge_shape_is_refused_before_shapely_sees_it(monkeypatch):
    def no_parsing(_geometry):
        raise AssertionError("shapely must not parse an oversized shape")

    monkeypatch.setattr(events, "shape", no_parsing)
    huge = {"type": "Polygon", "coordinates": [ring(400_000)]}
    assert parse_map_event({"event": "draw", "seq": 4, "geometry": huge}) == ShapeTooLarge(4, MAX_VERTICES)
    # many small rings add up too
    many = {"type": "MultiPolygon", "coordinates": [[SQUARE]] * 2_000}  # 10,000 vertices
    assert parse_map_event({"event": "draw", "seq": 5, "geometry": many}) == ShapeTooLarge(5, MAX_VERTICES)


@pytest.mark.parametrize("value", [
    None, {}, "assign", [1, 2], {"last_object_clicked": {"lat": 1, "lng": 2}},
    {"pb": {"seq": 1, "action": "assign", "code": "017088", "zone": "z"}},  # the old wrapped value
    {"event": "assign", "seq": "a", "code": "017088", "zone": "z"},
    {"event": "assign", "seq": True, "code": "017088", "zone": "z"},
    {"event": "assign", "seq": float("nan"), "code": "017088", "zone": "z"},
    {"event": "assign", "seq": 1, "code": "<script>", "zone": "z"},
    {"event": "assign", "seq": 1, "code": "0" * 100_000, "zone": "z"},
    {"event": "assign", "seq": 1, "code": "017088", "zone": ""},
    {"event": "assign", "seq": 1, "code": "017088", "zone": "z" * 65},
    {"event": "assign", "seq": 1, "code": "017088", "zone": ["z"]},
    {"event": "assign", "seq": 1, "code": "017088"},
    {"event": "explode", "seq": 1},
    {"event": "pick", "seq": 1, "lat": "nord", "lng": 1},
    {"event": "pick", "seq": 1, "lat": 200, "lng": 1},
    {"event": "pick", "seq": 1, "lat": 45, "lng": float("inf")},
    {"event": "draw", "seq": 1, "geometry": {"type": "Point", "coordinates": [1, 2]}},
    {"event": "draw", "seq": 1, "geometry": {"type": "Polygon", "coordinates": "bad"}},
    {"event": "draw", "seq": 1, "geometry": {"type": "Polygon", "coordinates": [[1, 2, 3]]}},
    {"event": "draw", "seq": 1, "geometry": "POLYGON ((0 0, 1 0, 1 1, 0 0))"},
    {"event": "draw", "seq": 1, "geometry": {"type": "Polygon",
                                             "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},  # bow-tie
])
def test_anything_else_is_ignored(value):
    assert parse_map_event(value) is None
