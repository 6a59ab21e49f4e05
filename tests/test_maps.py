"""Map builders rendered to HTML, no browser: local assets, one feature per comune,
the base map published once, user text kept out of the folium document."""

import json
import re

import pandas as pd
import pytest

from geo.render.map_assets import all_asset_urls, local_file
from geo.render.maps import (
    base_map, base_map_document, comuni_geojson, packed_zone_state, publish_base_map, zone_state,
)
from geo.render.presentation_map import presentation_overlay
from geo.zoning.plan import Plan, Zone
from tests.grids import grid_area, grid_code as g

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def area_and_plan():
    area = grid_area(2, 3, members=[g(0, 0), g(0, 1), g(1, 0), g(1, 1)])
    plan = Plan.build([Zone("a", EVIL, "#E69F00")], {c: "a" for c in area.codes})
    return area, plan


def all_comuni(area):
    return pd.concat([area.comuni, area.context])


def test_map_html_references_only_local_assets(area_and_plan):
    area, _ = area_and_plan
    html = base_map_document(base_map(all_comuni(area), (0, 0, 1, 1), drawing=True))
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("leaflet.js") for u in urls) and any(u.endswith("leaflet.draw.js") for u in urls)
    assert all(u.startswith("/app/static/") for u in urls), urls


def test_installed_assets_exist():
    missing = [u for u in all_asset_urls() if not local_file(u).is_file()]
    assert missing == [], "run the setup (npm ci --prefix static)"


def test_geojson_has_one_feature_per_comune(area_and_plan):
    area, _ = area_and_plan
    collection = comuni_geojson(all_comuni(area))
    assert sorted(f["properties"]["c"] for f in collection["features"]) == sorted(
        [g(r, c) for r in range(2) for c in range(3)])


def test_the_base_map_is_folium_with_every_comune_and_the_draw_control_on_request(area_and_plan):
    area, _ = area_and_plan
    plain = base_map_document(base_map(all_comuni(area), (0, 0, 1, 1)))
    drawing = base_map_document(base_map(all_comuni(area), (0, 0, 1, 1), drawing=True))
    for doc in (plain, drawing):
        assert '<div class="folium-map" id="map_0"' in doc and "L.map(" in doc
        assert "ISTAT" in doc  # attribution
        # a scale in kilometres only: Leaflet's default one adds miles
        assert 'L.control.scale({"metric": true, "imperial": false' in doc and "L.control.scale()" not in doc
        assert all(f'"c": "{g(r, c)}"' in doc for r in range(2) for c in range(3))  # six comuni
    assert "L.Control.Draw" not in plain and "L.Control.Draw" in drawing
    assert "alert(" not in drawing  # folium's "show the geometry on click" is off


def test_the_base_map_document_is_identical_across_builds(area_and_plan):
    """folium names elements at random; the published document must not change."""
    area, _ = area_and_plan
    comuni, bounds = all_comuni(area), tuple(area.comuni.total_bounds)
    first = base_map_document(base_map(comuni, bounds, drawing=True))
    assert first == base_map_document(base_map(comuni, bounds, drawing=True))
    assert not re.search(r"_[0-9a-f]{32}", first)


def test_user_text_travels_as_data_never_in_the_folium_document(area_and_plan):
    area, plan = area_and_plan
    tricky = plan.rename_zone("a", "{{ 7*7 }} {% raw %} {# x " + EVIL)
    state = zone_state(tricky)
    assert state["zones"]["a"]["name"] == "{{ 7*7 }} {% raw %} {# x " + EVIL  # as typed: inserted as text
    assert json.loads(json.dumps(state)) == state
    assert state["area"] == list(area.codes)
    doc = base_map_document(base_map(all_comuni(area), (0, 0, 1, 1), drawing=True))
    assert "<img" not in doc and "7*7" not in doc  # the base map takes no plan at all


def test_state_modes_are_checked(area_and_plan):
    with pytest.raises(ValueError):
        zone_state(area_and_plan[1], mode="paint")


def test_the_state_version_follows_what_the_browser_draws(area_and_plan):
    _, plan = area_and_plan
    assert zone_state(plan)["version"] == zone_state(plan)["version"]
    assert zone_state(plan)["version"] != zone_state(plan, highlight=(g(0, 0),))["version"]
    assert zone_state(plan)["version"] != zone_state(plan.assign([g(0, 0)], None).plan)["version"]


def test_the_base_map_is_published_once_as_a_static_file(area_and_plan, tmp_path, monkeypatch):
    import geo.render.maps as maps

    monkeypatch.setattr(maps, "GENERATED_DIR", tmp_path)
    monkeypatch.setattr(maps, "_PUBLISHED", {})
    comuni = all_comuni(area_and_plan[0])
    url = publish_base_map(comuni, (0, 0, 1, 1), drawing=True)
    assert re.fullmatch(r"/app/static/generated/basemap-[0-9a-f]{16}\.html", url)
    written = list(tmp_path.iterdir())
    assert [p.name for p in written] == [url.rsplit("/", 1)[1]]
    assert written[0].read_text(encoding="utf-8") == base_map_document(base_map(comuni, (0, 0, 1, 1), drawing=True))
    assert publish_base_map(comuni, (0, 0, 1, 1), drawing=True) == url  # cached: no new render
    monkeypatch.setattr(maps, "_PUBLISHED", {})  # a new process: same content, same file
    assert publish_base_map(comuni, (0, 0, 1, 1), drawing=True) == url and len(list(tmp_path.iterdir())) == 1
    other = publish_base_map(comuni, (0, 0, 1, 1))  # without the drawing tools: another document
    assert other != url and len(list(tmp_path.iterdir())) == 2


def test_the_presentation_overlay_hands_the_page_its_keys():
    overlay = presentation_overlay(30)
    assert overlay["kind"] == "presentation" and overlay["fontPx"] == 30
    # DOM keyCodes: left 37, right 39, PageUp 33, PageDown 34, Esc 27
    assert overlay["keys"] == {"ArrowLeft": 37, "ArrowRight": 39, "PageUp": 33, "PageDown": 34, "Escape": 27}


def test_the_state_travels_packed_one_character_per_comune_of_the_base_map():
    """Base map order: A B C D; the area is B, C, D: B in zone z2, C unassigned, D in z1."""
    plan = Plan.build([Zone("z1", "Uno", "#E69F00"), Zone("z2", "Due", "#56B4E9")],
                      {"000002": "z2", "000003": None, "000004": "z1"})
    state = zone_state(plan, mode="zone", active_zone="z1")
    packed = packed_zone_state(state, ["000001", "000002", "000003", "000004"])
    assert packed["packed"] == ".201" and "area" not in packed and "assign" not in packed
    assert {k: v for k, v in packed.items() if k != "packed"} == {
        k: v for k, v in state.items() if k not in ("area", "assign")}  # version included: same drawing
    many = Plan.build([Zone(f"z{i}", f"Zona {i}", "#E69F00") for i in range(62)], {"000001": "z61"})
    assert "assign" in packed_zone_state(zone_state(many), ["000001"])  # too many zones: as it is
