"""The view-only map (folium + streamlit-folium): the plan as a swappable layer,
user text escaped, the legend's residents summed by hand."""

import re

from geo.render.plan_view_map import FOUND_COLOR, HIGHLIGHT_COLOR, legend_html, plan_layer, view_base_map
from geo.zoning.plan import Plan, Zone
from tests.grids import grid_area, grid_code as g

EVIL = "<img src=x onerror=alert(1)>"


def plan_and_area():
    area = grid_area(2, 2, population={g(0, 0): 100, g(0, 1): 250, g(1, 0): 30, g(1, 1): 7})
    plan = Plan.build([Zone("a", EVIL, "#E69F00"), Zone("b", "Sud", "#56B4E9", locked=True)],
                      {g(0, 0): "a", g(0, 1): "a", g(1, 0): "b", g(1, 1): None})
    return area, plan


def geojson_of(group):
    (layer,) = [child for child in group._children.values() if type(child).__name__ == "GeoJson"]
    return layer


def test_the_base_map_is_local_and_knows_nothing_of_the_plan():
    html = view_base_map((10.0, 45.0, 10.5, 45.5)).get_root().render()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/app/static/") for u in urls), urls
    assert "[[45.0, 10.0], [45.5, 10.5]]" in html  # fitted to the bounds (lat, lon)
    assert 'L.control.scale({"metric": true, "imperial": false' in html  # kilometres only, no miles


def test_the_plan_layer_colours_zones_outlines_highlights_and_escapes_names():
    area, plan = plan_and_area()
    layer = geojson_of(plan_layer(area.comuni, plan, highlight=[g(1, 0)]))
    by_code = {f["id"]: f for f in layer.data["features"]}
    assert sorted(by_code) == sorted(area.codes)
    assert by_code[g(0, 0)]["properties"]["zona"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert by_code[g(1, 1)]["properties"]["zona"] == "non assegnato"
    styles = {code: layer.style_function(f) for code, f in by_code.items()}
    assert styles[g(0, 0)]["fillColor"] == "#E69F00" and styles[g(1, 0)]["fillColor"] == "#56B4E9"
    assert styles[g(1, 0)]["color"] == HIGHLIGHT_COLOR and styles[g(0, 0)]["color"] != HIGHLIGHT_COLOR
    fmap = view_base_map(tuple(area.comuni.total_bounds))
    plan_layer(area.comuni, plan).add_to(fmap)
    script = fmap.get_root().render()
    assert "<img" not in script and "ISTAT" in script  # the attribution travels with the layer


def test_the_legend_lists_zones_with_their_residents_as_text():
    area, plan = plan_and_area()
    html = legend_html(plan, area.comuni["pop_totale"])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;: 350" in html  # 100 + 250
    assert "Sud (bloccata): 30" in html and "Non assegnati (1): 7" in html


def test_the_comune_a_search_found_is_outlined_apart():
    area, plan = plan_and_area()
    layer = geojson_of(plan_layer(area.comuni, plan, highlight=[g(1, 0)], found=g(0, 1)))
    styles = {f["id"]: layer.style_function(f) for f in layer.data["features"]}
    assert styles[g(0, 1)]["color"] == FOUND_COLOR and styles[g(1, 0)]["color"] == HIGHLIGHT_COLOR
    assert styles[g(0, 0)]["color"] not in (FOUND_COLOR, HIGHLIGHT_COLOR)
