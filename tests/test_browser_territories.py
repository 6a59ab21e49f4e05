"""The Rete dell'Hub (382 comuni) in headless Chromium, offline: a click, undo, comune
names on the map, the search box.

The server opens the Hub for every new session (``PIANURA_TERRITORY=rete_hub``); the
starting zones are the three provinces (Brescia #E69F00, the active one; Cremona
#56B4E9; Mantova #009E73)."""

from __future__ import annotations

import pytest

from geo.data.territory import TERRITORY_DIR
from geo.data.territory_data import load_catalogue
from geo.zoning.area import Area
from tests.browser_support import MAP_IFRAME, map_document, streamlit_server

pytestmark = pytest.mark.browser
CREMONA, SALO, QUINZANO = "019036", "017170", "017159"
BRESCIA_ZONE, CREMONA_ZONE = "#E69F00", "#56B4E9"


@pytest.fixture(scope="module")
def hub():
    return load_catalogue(TERRITORY_DIR, default_id="rete_hub").default


@pytest.fixture(scope="module")
def area(hub):
    return Area.from_comuni(hub.comuni, hub.area_codes)


@pytest.fixture(scope="module")
def hub_url():
    with streamlit_server(env={"PIANURA_TERRITORY": "rete_hub"}) as url:
        yield url


@pytest.fixture
def editor(browser, hub_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{hub_url}/zone_editor")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length >= 382", timeout=60_000)
    yield page, frame
    page.close()


def fill(frame, code) -> str:
    return frame.locator(f'path[data-code="{code}"]').get_attribute("fill").upper()


def pixel(page, frame, lat, lon):
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [lat, lon])
    box = page.locator(MAP_IFRAME).first.bounding_box()
    return box["x"] + x, box["y"] + y


def version(frame) -> str:
    return frame.evaluate("window.map.getContainer().getAttribute('data-pb-version')")


def wait_server_update(frame, before: str):
    frame.wait_for_function(f"window.map.getContainer().getAttribute('data-pb-version') !== '{before}'",
                            timeout=20_000)


def test_all_382_comuni_are_on_the_map_and_a_click_then_undo_works(editor, area):
    page, frame = editor
    assert frame.locator("path.comune-area").count() == 382
    assert fill(frame, CREMONA) == CREMONA_ZONE
    point = area.interior_points[CREMONA]
    before = version(frame)
    page.mouse.click(*pixel(page, frame, point.y, point.x))
    assert fill(frame, CREMONA) == BRESCIA_ZONE  # at once, in the browser
    wait_server_update(frame, before)
    assert fill(frame, CREMONA) == BRESCIA_ZONE  # and confirmed by the server
    page.get_by_text("Comuni non assegnati", exact=True).wait_for()
    before = version(frame)
    page.get_by_role("button", name="Annulla ultima modifica").click()
    wait_server_update(frame, before)
    assert fill(frame, CREMONA) == CREMONA_ZONE


def test_names_are_written_where_they_fit_and_never_take_the_click(editor, area, hub):
    page, frame = editor
    # At the whole area's zoom only the larger comuni have room for their name.
    frame.wait_for_function("Number(window.map.getContainer().getAttribute('data-pb-labels')) > 0")
    far = frame.evaluate("document.querySelectorAll('.pb-label').length")
    assert 0 < far < 382
    lat, lon = hub.comuni.loc[CREMONA, "geometry"].representative_point().coords[0][::-1]
    frame.evaluate(f"window.map.setView([{lat}, {lon}], 12, {{animate: false}})")
    label = frame.locator(f'.pb-label[data-code="{CREMONA}"]')
    label.wait_for(timeout=10_000)
    assert label.inner_text() == "Cremona"
    assert label.evaluate("e => getComputedStyle(e).pointerEvents") == "none"
    near = frame.evaluate("document.querySelectorAll('.pb-label').length")
    assert near > 0
    # no two names overlap
    boxes = frame.evaluate("[...document.querySelectorAll('.pb-label')].map(e => {"
                           " const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # a click on the name assigns the comune under it
    box = label.bounding_box()  # in the page's coordinates
    before = version(frame)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert fill(frame, CREMONA) == BRESCIA_ZONE
    wait_server_update(frame, before)


@pytest.mark.parametrize("typed, code", [("quinzano doglio", QUINZANO), ("SALO", SALO), ("Cremo", CREMONA)])
def test_the_search_box_finds_a_comune_ignoring_accents_and_apostrophes_and_zooms_to_it(editor, typed, code, hub):
    page, frame = editor
    search = frame.get_by_placeholder("Cerca un comune")
    search.fill(typed)
    first = frame.locator(".pb-search-result").first
    first.wait_for()
    assert first.get_attribute("data-code") == code
    zoom_before = frame.evaluate("window.map.getZoom()")
    search.press("Enter")
    frame.wait_for_function(f"window.map.getContainer().getAttribute('data-pb-found') === '{code}'")
    frame.wait_for_function(f"window.map.getZoom() > {zoom_before}")
    lat, lon = hub.comuni.loc[code, "geometry"].representative_point().coords[0][::-1]
    assert frame.evaluate(f"window.map.getBounds().contains([{lat}, {lon}])")
    assert frame.locator(".leaflet-pb-search-pane path").count() == 2  # the outline and its white halo
    # typing never moved anything else: no comune changed zone
    assert fill(frame, CREMONA) == CREMONA_ZONE


def test_two_comuni_of_the_same_name_start_are_both_offered(editor):
    page, frame = editor
    frame.get_by_placeholder("Cerca un comune").fill("cividate")
    frame.locator(".pb-search-result").nth(1).wait_for()
    found = frame.locator(".pb-search-result").all_inner_texts()
    assert found[0].startswith("Cividate Camuno") and "(Bergamo), fuori dall'area" in found[1]
