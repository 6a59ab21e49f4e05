"""Touch screens, in headless Chromium with touch emulation, on a tablet (1024x768)
and a phone (390x844): a tap assigns a comune and shows its information box with
the new zone; a long press only shows the box; pinch zooms; the map's buttons and
the page's buttons are at least 44 px for a finger."""

from __future__ import annotations

import tempfile

import pytest

from tests.browser_support import MAP_IFRAME, fill, map_document, streamlit_server, version, wait_server_update
from tests.shipped_fixtures import area, start_plan  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
LENO = "017088"
FINGER_PX = 44
SIZES = [(1024, 768), (390, 844)]


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server(env={"PIANURA_DATA_DIR": tempfile.mkdtemp(prefix="pianura-touch-")}) as url:
        yield url


@pytest.fixture(params=SIZES, ids=["tablet", "phone"])
def touch_page(request, browser):
    width, height = request.param
    # A context per test: a browser of its own, so no draft of another test comes back.
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def open_editor(page, url):
    page.goto(f"{url}/zone_editor")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length > 0", timeout=60_000)
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    return frame


def point_of(page, frame, area, code) -> tuple[float, float]:
    """Viewport coordinates of comune ``code``'s interior point."""
    p = area.interior_points[code]
    x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                          " return [p.x, p.y]; }", [p.y, p.x])
    box = page.locator(MAP_IFRAME).first.bounding_box()
    return box["x"] + x, box["y"] + y


def tooltip_text(frame) -> str:
    return frame.evaluate("[...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent).join('|')")


def test_a_tap_assigns_and_shows_the_comunes_new_zone(touch_page, app_url, area, start_plan):
    page = touch_page
    frame = open_editor(page, app_url)
    assert frame.evaluate("document.body.classList.contains('pb-touch')")
    target = start_plan.zone(start_plan.zone_ids[0])
    assert start_plan.zone_of(LENO) != target.id
    before = version(frame)
    page.touchscreen.tap(*point_of(page, frame, area, LENO))
    wait_server_update(frame, before)
    assert fill(frame, LENO) == target.color.upper()
    shown = tooltip_text(frame)
    assert "Leno" in shown and f"Zona: {target.name}" in shown


def test_a_long_press_shows_the_information_and_changes_nothing(touch_page, app_url, area, start_plan):
    page = touch_page
    frame = open_editor(page, app_url)
    colour = fill(frame, LENO)
    x, y = point_of(page, frame, area, LENO)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    page.wait_for_timeout(900)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(1500)
    assert "Leno" in tooltip_text(frame)
    assert fill(frame, LENO) == colour == start_plan.color_of(LENO).upper()


def test_pinch_zooms_the_map(touch_page, app_url):
    page = touch_page
    frame = open_editor(page, app_url)
    zoom = frame.evaluate("window.map.getZoom()")
    box = page.locator(MAP_IFRAME).first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)

    def fingers(spread):
        return [{"x": cx - spread, "y": cy, "id": 0}, {"x": cx + spread, "y": cy, "id": 1}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": fingers(20)})
    for spread in range(30, 150, 10):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": fingers(spread)})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    frame.wait_for_function(f"window.map.getZoom() > {zoom}", timeout=5_000)


def test_buttons_are_large_enough_for_a_finger(touch_page, app_url):
    page = touch_page
    frame = open_editor(page, app_url)
    for selector in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".leaflet-draw-draw-rectangle"):
        size = frame.evaluate(f"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect();"
                              " return [r.width, r.height]; })()")
        assert min(size) >= FINGER_PX, (selector, size)
    for name in ("Annulla ultima modifica", "Aiuto"):
        box = page.get_by_role("button", name=name).first.bounding_box()
        assert box["height"] >= FINGER_PX, (name, box)
    menu = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Panoramica")
    assert menu.evaluate("a => a.getBoundingClientRect().height") >= FINGER_PX
