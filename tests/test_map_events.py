import pytest
import shapely

from geo.render.map_events import AreaClick, AssignClick, DrawnShape, parse_map_event


def test_clicks_become_typed_events_with_padded_codes():
    assert parse_map_event({"pb": {"seq": 5, "action": "assign", "code": 17088, "zone": "z1"}}) == \
        AssignClick(5, "017088", "z1")
    assert parse_map_event({"pb": {"seq": 6, "action": "area_add", "code": "017008"}}) == AreaClick(6, "017008", True)
    assert parse_map_event({"pb": {"seq": 7, "action": "area_remove", "code": "017008"}}).add is False


def test_drawn_polygon():
    ring = [[10.0, 45.0], [10.1, 45.0], [10.1, 45.1], [10.0, 45.0]]
    event = parse_map_event({"pb": {"seq": 1, "action": "draw", "geometry": {"type": "Polygon", "coordinates": [ring]}}})
    assert isinstance(event, DrawnShape)
    assert shapely.contains_xy(event.geometry, 10.07, 45.02)


@pytest.mark.parametrize("value", [
    None, {}, {"last_object_clicked": {"lat": 1, "lng": 2}}, {"pb": "x"},
    {"pb": {"seq": "a", "action": "assign", "code": "017088", "zone": "z"}},
    {"pb": {"seq": 1, "action": "assign", "code": "<script>", "zone": "z"}},
    {"pb": {"seq": 1, "action": "explode"}},
    {"pb": {"seq": 1, "action": "draw", "geometry": {"type": "Point", "coordinates": [1, 2]}}},
    {"pb": {"seq": 1, "action": "draw", "geometry": {"type": "Polygon", "coordinates": "bad"}}},
    {"pb": {"seq": 1, "action": "draw", "geometry": {"type": "Polygon",
            "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}},  # bow-tie: invalid
])
def test_anything_else_is_ignored(value):
    assert parse_map_event(value) is None
