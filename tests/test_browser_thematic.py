"""The thematic map in headless Chromium, offline: zone colours and an indicator's classes
switched in place (no reload), the legend, zone borders bold on top, clicks still assign."""

from __future__ import annotations

import re

import pytest

from geo.base.italian import format_number
from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from tests.browser_support import MAP_IFRAME, map_document

pytestmark = pytest.mark.browser
OLD_AGE = "Indice di vecchiaia"


def colour_by(page, frame, label: str, key: str | None):
    pills = page.locator(".st-key-indicators_colouring button")
    if not pills.first.is_visible():  # the choice is in the «Colori» popover beside the title
        page.get_by_role("button", name="Colori").click()
        pills.first.wait_for(timeout=30_000)
    page.locator(".st-key-indicators_colouring button").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    wanted = "null" if key is None else f"'{key}'"
    frame.wait_for_function(f"window.map.getContainer().getAttribute('data-pb-thematic') === {wanted}",
                            timeout=30_000)


def fill(frame, code) -> str:
    return frame.locator(f'path[data-code="{code}"]').get_attribute("fill").upper()


def test_indicator_colours_legend_borders_and_clicks_without_reload(browser, app_url):
    area = Area.from_comuni(load_comuni(), load_area_list()["istat_code"])
    start_plan = Plan.from_dict(load_default_plan_dict()).with_area(area.codes)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{app_url}/zone_editor")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length > 0", timeout=60_000)
    frame.evaluate("window.__noReload = 'still here'")

    colour_by(page, frame, OLD_AGE, "indice_vecchiaia")
    # The old-age index by hand from the shipped age bands: the oldest comune gets the darkest
    # class, the youngest the lightest; the legend starts at the youngest comune's index.
    index = 100 * area.table["pop_65_piu"] / area.table["pop_0_14"]
    oldest, youngest = index.idxmax(), index.idxmin()
    swatches = frame.evaluate("[...document.querySelectorAll('.pb-thematic-legend .pb-swatch')]"
                              ".map(s => getComputedStyle(s).backgroundColor)")
    legend = frame.locator(".pb-thematic-legend").inner_text()
    assert len(swatches) == 5 and f"da {format_number(index.min(), 1)} a " in legend
    assert "anziani per 100 giovani" in legend and "Bordi neri" in legend
    rgb = frame.evaluate("c => { const d = document.createElement('div'); d.style.background = c;"
                         " document.body.appendChild(d); const v = getComputedStyle(d).backgroundColor; d.remove();"
                         " return v; }", fill(frame, oldest))
    assert rgb == swatches[-1]
    assert fill(frame, youngest) != fill(frame, oldest)
    borders = int(frame.evaluate("window.map.getContainer().getAttribute('data-pb-zone-borders')"))
    assert borders > 0
    stroke = frame.locator(f'path[data-code="{oldest}"]').get_attribute("stroke").upper()
    assert stroke == start_plan.color_of(oldest).upper()  # the outline says the zone

    # A click still assigns: the comune keeps its class colour, takes the active zone's outline,
    # and the zone borders follow at once.
    target = next(c for c in start_plan.members(start_plan.zone_ids[1])
                  if set(area.graph.neighbours[c]) & set(start_plan.members(start_plan.zone_ids[0])))
    before_fill = fill(frame, target)
    point = area.interior_points[target]
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [point.y, point.x])
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    active = start_plan.zone(start_plan.zone_ids[0])
    frame.wait_for_function(f"window.PB.state.assign['{target}'] === '{active.id}'", timeout=10_000)
    assert fill(frame, target) == before_fill
    assert frame.locator(f'path[data-code="{target}"]').get_attribute("stroke").upper() == active.color.upper()
    frame.wait_for_function(f"window.map.getContainer().getAttribute('data-pb-zone-borders') !== '{borders}'",
                            timeout=10_000)

    colour_by(page, frame, "Zone", None)
    assert fill(frame, oldest) == start_plan.color_of(oldest).upper()
    assert frame.locator(".pb-thematic-legend").count() == 0
    assert frame.evaluate("window.__noReload") == "still here"
    page.close()
