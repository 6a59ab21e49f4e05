"""Map builders rendered to HTML, no browser: local assets, one feature per comune."""

import json
import re

import pandas as pd
import pytest

from geo.render.map_assets import all_asset_urls, local_file
from geo.render.maps import (base_map, comuni_geojson, publish_geojson, publish_library, script_json, standalone_map,
                      zone_state, zone_state_layer)
from geo.zoning.plan import Plan, Zone
from tests.grids import grid_area, grid_code as g


@pytest.fixture
def area_and_plan():
    area = grid_area(2, 3, members=[g(0, 0), g(0, 1), g(1, 0), g(1, 1)])
    plan = Plan.build([Zone("a", "<img src=x onerror=alert(1)>", "#E69F00")],
                      {c: "a" for c in area.codes})
    return area, plan


def test_map_html_references_only_local_assets(area_and_plan):
    area, plan = area_and_plan
    html = base_map(all_comuni(area), (0, 0, 1, 1), drawing=True).get_root().render()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("leaflet.js") for u in urls) and any(u.endswith("leaflet.draw.js") for u in urls)
    assert all(u.startswith("/app/static/") for u in urls), urls


def test_installed_assets_exist():
    missing = [u for u in all_asset_urls() if not local_file(u).is_file()]
    assert missing == [], "run the setup (npm ci --prefix static)"


def all_comuni(area):
    return pd.concat([area.comuni, area.context])


def test_geojson_has_one_feature_per_comune(area_and_plan):
    area, _ = area_and_plan
    collection = comuni_geojson(all_comuni(area))
    assert sorted(f["properties"]["c"] for f in collection["features"]) == sorted(
        [g(r, c) for r in range(2) for c in range(3)])


def test_base_map_is_identical_across_builds(area_and_plan):
    area, _ = area_and_plan
    from streamlit_folium import _get_map_string

    comuni = all_comuni(area)
    bounds = tuple(area.comuni.total_bounds)
    assert _get_map_string(base_map(comuni, bounds)) == _get_map_string(base_map(comuni, bounds))


def test_user_text_cannot_close_the_script(area_and_plan):
    area, plan = area_and_plan
    html = standalone_map(all_comuni(area), plan).get_root().render()
    assert "<img src=x" not in html
    state = zone_state(plan)
    assert state["area"] == list(area.codes)
    assert state["zones"]["a"]["name"] == "<img src=x onerror=alert(1)>"
    assert json.loads(json.dumps(state)) == state


def test_state_modes_are_checked(area_and_plan):
    with pytest.raises(ValueError):
        zone_state(area_and_plan[1], mode="paint")


def test_user_text_is_never_evaluated_as_a_template(area_and_plan):
    """folium re-parses every rendered script as a Jinja template."""
    area, plan = area_and_plan
    tricky = plan.rename_zone("a", "{{ 7*7 }} {% raw %} {# x")
    html = standalone_map(all_comuni(area), tricky).get_root().render()
    state_text = html.split("PB.apply(")[1].split(");")[0]
    assert json.loads(state_text)["zones"]["a"]["name"] == "{{ 7*7 }} {% raw %} {# x"
    assert json.loads(script_json({"n": "{{ 7*7 }} {% raw %} {#"})) == {"n": "{{ 7*7 }} {% raw %} {#"}


def test_geojson_is_published_once_as_a_static_file(area_and_plan, tmp_path, monkeypatch):
    import geo.render.maps as maps

    monkeypatch.setattr(maps, "GENERATED_DIR", tmp_path)
    monkeypatch.setattr(maps, "_PUBLISHED", {})
    comuni = all_comuni(area_and_plan[0])
    url = publish_geojson(comuni)
    assert url.startswith("/app/static/generated/comuni-") and url.endswith(".geojson")
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and json.loads(written[0].read_text())["type"] == "FeatureCollection"
    assert publish_geojson(comuni) == url
    script = base_map(comuni, (0, 0, 1, 1)).get_root().render()
    assert url in script and '"coordinates"' not in script


def test_the_browser_library_is_a_static_file_in_the_app_and_inline_in_exports(area_and_plan, tmp_path,
                                                                               monkeypatch):
    import geo.render.maps as maps

    monkeypatch.setattr(maps, "GENERATED_DIR", tmp_path)
    publish_library.cache_clear()  # published once per process: publish again, here
    try:
        url = publish_library()
    finally:
        publish_library.cache_clear()  # later callers publish to the real folder
    assert re.fullmatch(r"/app/static/generated/pianura_map-[0-9a-f]{16}\.js", url)
    written = tmp_path / url.rsplit("/", 1)[1]
    assert written.read_text(encoding="utf-8") == (maps.Path(maps.__file__).parent / "js" / "pianura_map.js").read_text(
        encoding="utf-8")
    area, plan = area_and_plan
    served = base_map(all_comuni(area), (0, 0, 1, 1), drawing=True).get_root().render()
    scripts = re.findall(r'<script src="([^"]+)"', served)
    # after Leaflet and leaflet-draw, which it needs
    assert scripts.index(url) > max(i for i, s in enumerate(scripts) if s.endswith(("leaflet.js", "leaflet.draw.js")))
    assert "window.PB = window.PB" not in served and "PB.init(" in served
    exported = standalone_map(all_comuni(area), plan).get_root().render()
    assert "window.PB = window.PB" in exported and url not in exported


def test_show_map_skips_a_render_that_changes_nothing(area_and_plan, monkeypatch):
    """ui.map_widget.show_map passes render=False to st_folium: the component must
    receive exactly what the default (render=True) would send."""
    import streamlit_folium

    area, plan = area_and_plan
    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    for render in (True, False):
        streamlit_folium.st_folium(
            base_map(all_comuni(area), (0, 0, 1, 1), drawing=True), key="m", render=render, returned_objects=[],
            feature_group_to_add=[zone_state_layer(zone_state(plan, mode="zone"))])
    with_render, without = ({k: v for k, v in s.items() if k != "on_change"} for s in sent)
    assert with_render == without and "PB.init(" in without["script"]
