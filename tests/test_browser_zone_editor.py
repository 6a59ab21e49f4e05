"""The zone editor in headless Chromium, offline: clicks, drawn areas, undo, no reload."""

import itertools

import pytest
import shapely

from geo.data.shipped import load_comuni
from geo.base.italian import format_number
from geo.zoning.statistics import max_deviation, zone_statistics
from tests.browser_support import (
    MAP_IFRAME, assert_same_view, choose_option, click_comune, fill, legend_rows, map_document, map_view, pixel,
    sign_in_coordination, version, wait_server_update,
)
from tests.shipped_fixtures import area, start_plan  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
LENO = "017088"




@pytest.fixture
def editor(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{app_url}/zone_editor")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length > 0", timeout=60_000)
    frame.wait_for_function("document.querySelectorAll('.pb-legend-row').length > 0")
    assert page.get_by_text("Page not found").count() == 0
    yield page, frame
    page.close()


def legend_residents(frame) -> dict:
    return dict(legend_rows(frame))


def test_click_recolours_at_once_and_moves_exactly_its_residents(editor, area, start_plan):
    page, frame = editor
    old_zone, new_zone = start_plan.zone_of(LENO), start_plan.zone_ids[0]
    assert old_zone != new_zone
    before = legend_residents(frame)
    view = map_view(frame)
    frame.evaluate("window.__noReload = 'still here'")
    v0 = version(frame)

    click_comune(page, frame, area, LENO)
    # the colour changes in the browser before the server answers
    assert fill(frame, LENO) == start_plan.zone(new_zone).color.upper()
    wait_server_update(frame, v0)

    population = int(area.table.at[LENO, "pop_totale"])
    after = legend_residents(frame)
    assert after[new_zone] == before[new_zone] + population
    assert after[old_zone] == before[old_zone] - population
    assert fill(frame, LENO) == start_plan.zone(new_zone).color.upper()
    expected = zone_statistics(area, start_plan.assign([LENO], new_zone).plan)
    page.wait_for_function(
        "txt => [...document.querySelectorAll('.pb-card .pb-card-value')].some(e => e.innerText === txt)",
        arg=f"{format_number(max_deviation(expected), 1)} %", timeout=15_000)
    # the bar chart beside the map is drawn and follows: the new zone's bar has its new residents
    page.wait_for_function(
        "([zone, n]) => { const g = document.querySelector(`svg[aria-label='Residenti per zona'] g[data-zone='${zone}']`);"
        " return g && Number(g.getAttribute('data-residents')) === n && g.querySelector('rect').getBoundingClientRect().width > 0; }",
        arg=[new_zone, after[new_zone]], timeout=15_000)
    # same map: not reloaded, same zoom and centre
    assert frame.evaluate("window.__noReload") == "still here"
    assert_same_view(frame, view)


def test_undo_restores_the_comune(editor, area, start_plan):
    page, frame = editor
    v0 = version(frame)
    click_comune(page, frame, area, LENO)
    wait_server_update(frame, v0)
    v1 = version(frame)
    page.get_by_role("button", name="Annulla ultima modifica").click()
    wait_server_update(frame, v1)
    assert fill(frame, LENO) == start_plan.color_of(LENO).upper()
    assert legend_residents(frame)[start_plan.zone_of(LENO)] == int(
        area.table.loc[list(start_plan.members(start_plan.zone_of(LENO))), "pop_totale"].sum())


def _two_comuni_alone_in_a_rectangle(area, plan, zone_id):
    """Two neighbouring comuni of ``zone_id`` whose interior points' bounding box
    (slightly padded) contains no other interior point of the area."""
    points = area.interior_points
    for a, b in itertools.combinations(plan.members(zone_id), 2):
        if b not in area.graph.neighbours[a]:
            continue
        pa, pb = points[a], points[b]
        box = shapely.box(min(pa.x, pb.x) - 0.003, min(pa.y, pb.y) - 0.003,
                          max(pa.x, pb.x) + 0.003, max(pa.y, pb.y) + 0.003)
        inside = [c for c in area.codes if box.contains(points[c])]
        if sorted(inside) == sorted([a, b]):
            return (a, b), box.bounds
    raise AssertionError("no suitable pair")


def test_draw_a_rectangle_preview_then_confirm(editor, area, start_plan):
    page, frame = editor
    target = start_plan.zone_ids[0]
    source = start_plan.zone_ids[1]
    (a, b), (minx, miny, maxx, maxy) = _two_comuni_alone_in_a_rectangle(area, start_plan, source)
    before = legend_residents(frame)
    frame.evaluate("window.__noReload = 'still here'")

    frame.locator("a.leaflet-draw-draw-rectangle").click()
    page.mouse.move(*pixel(page, frame, minx, maxy))
    page.mouse.down()
    page.mouse.move(*pixel(page, frame, (minx + maxx) / 2, (miny + maxy) / 2), steps=5)
    page.mouse.move(*pixel(page, frame, maxx, miny), steps=5)
    page.mouse.up()

    preview = page.get_by_text("Anteprima: 2 comuni")
    preview.wait_for(timeout=15_000)
    frame.wait_for_function("window.PB.state.keepDrawing === true", timeout=10_000)  # preview state applied
    # nothing changed yet: a pending change only
    assert fill(frame, a) == start_plan.color_of(a).upper()
    v0 = version(frame)
    page.get_by_role("button", name="Conferma").click()
    wait_server_update(frame, v0)
    moved = int(area.table.loc[[a, b], "pop_totale"].sum())
    after = legend_residents(frame)
    assert after[target] == before[target] + moved
    assert after[source] == before[source] - moved
    assert fill(frame, a) == fill(frame, b) == start_plan.zone(target).color.upper()
    page.get_by_text("Anteprima:").wait_for(state="detached", timeout=10_000)
    assert frame.evaluate("window.__noReload") == "still here", "preview and confirm must not reload the map"


def test_a_warning_zooms_the_map_to_its_comuni_without_reload(editor, area, start_plan):
    """Leno moved to the western zone is detached from it: the warning shows it."""
    page, frame = editor
    v0 = version(frame)
    click_comune(page, frame, area, LENO)
    wait_server_update(frame, v0)
    frame.evaluate("window.__noReload = 'still here'")
    zoom_before = frame.evaluate("window.map.getZoom()")
    v1 = version(frame)
    page.get_by_role("button", name="Mostra sulla mappa").click()
    wait_server_update(frame, v1)
    frame.wait_for_function(f"window.map.getZoom() > {zoom_before}", timeout=10_000)
    stroke = frame.locator(f'path[data-code="{LENO}"]').get_attribute("stroke").upper()
    assert stroke == "#D00000"
    assert frame.evaluate("window.map.getBounds().contains(window.PB.layers['%s'].getBounds())" % LENO)
    assert frame.evaluate("window.__noReload") == "still here"


def test_area_mode_click_adds_a_grey_comune_without_reload(editor, area):
    """Azzano Mella (017008), grey context next to the area, joins it with a click."""
    page, frame = editor
    azzano = "017008"
    assert azzano not in area.codes
    sign_in_coordination(page)  # the area vasta is the coordination's
    choose_option(page, "Area vasta")
    page.get_by_label("Il tuo nome (obbligatorio per modificare l'area)").fill("Maria Rossi")
    page.get_by_label("Il tuo nome (obbligatorio per modificare l'area)").press("Enter")
    choose_option(page, "Modifica l'area vasta")
    frame.wait_for_function("window.PB.state && window.PB.state.mode === 'area'", timeout=10_000)
    frame.evaluate("window.__noReload = 'still here'")
    v0 = version(frame)
    point = load_comuni().loc[azzano, "geometry"].representative_point()
    page.mouse.click(*pixel(page, frame, point.x, point.y))
    wait_server_update(frame, v0)
    frame.wait_for_function(
        f"document.querySelector('path[data-code=\"{azzano}\"]').classList.contains('comune-area')", timeout=10_000)
    assert frame.evaluate("window.__noReload") == "still here"
    page.get_by_text("Azzano Mella aggiunto all'area vasta").wait_for(timeout=10_000)
    # the change log names who did it (the grid's accessible cells carry the text)
    page.wait_for_function("() => [...document.querySelectorAll('[role=gridcell]')]"
                           ".some(td => td.textContent === 'Maria Rossi')", timeout=10_000)


def test_first_click_counts_when_the_map_is_not_all_on_screen(browser, app_url, area, start_plan):
    """On a very short window (the map fills the viewport, but never less than
    320 px) the map runs past the bottom of the page. Leaflet's focus-on-mousedown
    used to scroll the page between mousedown and mouseup, and the first click on
    a comune was lost."""
    height = 380
    page = browser.new_page(viewport={"width": 1280, "height": height})
    page.goto(f"{app_url}/zone_editor")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length > 0", timeout=60_000)
    target = next(c for c in start_plan.members(start_plan.zone_ids[2]))  # a comune of the eastern zone
    point = area.interior_points[target]
    x, y = pixel(page, frame, point.x, point.y)
    page.mouse.move(640, 200)  # over the page's main column, which is the scrolling element
    page.mouse.wheel(0, y - 250)  # bring it to 250 px from the top: the map's bottom stays off screen
    page.wait_for_timeout(500)
    x, y = pixel(page, frame, point.x, point.y)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box["y"] + box["height"] > height and 0 < y < height
    page.mouse.click(x, y)
    assert fill(frame, target) == start_plan.zone(start_plan.zone_ids[0]).color.upper()
    page.close()
