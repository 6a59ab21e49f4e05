"""Map first, in headless Chromium at 1280x720 (a projector): on every map page the
whole map is in view without scrolling and fills at least 70 % of the viewport's
height; on the zone editor the zone picker and undo are in view beside it; the
projector's legend covers no comune of the area; the scale is in kilometres only."""

from __future__ import annotations

import tempfile

import pytest

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.io.share_link import share_query
from geo.store.database import Store
from geo.store.workshops import WorkshopStore
from geo.zoning.plan import Plan
from tests.browser_support import (
    MAP_IFRAME, join_workshop, map_document, sign_in_coordination, streamlit_server, wait_for_map,
)

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 1280, 720
MAP_SHARE = 0.70
VIEW_MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"


@pytest.fixture(scope="module")
def data_dir():
    return tempfile.mkdtemp(prefix="pianura-layout-")


@pytest.fixture(scope="module")
def app_url(data_dir):
    with streamlit_server(env={"PIANURA_DATA_DIR": data_dir}) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    yield context.new_page()
    context.close()


def start_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(load_area_list()["istat_code"])


def settled_map(page, path: str):
    page.goto(path)
    frame = wait_for_map(page)
    page.wait_for_timeout(800)  # the frame takes its height on the first render, then keeps it
    return frame


def in_view(box: dict) -> bool:
    return box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= HEIGHT + 0.5 \
        and box["x"] + box["width"] <= WIDTH + 0.5


def assert_map_first(page, selector: str = MAP_IFRAME) -> None:
    box = page.locator(selector).first.bounding_box()
    assert in_view(box), f"the map is not all in view: {box}"
    assert box["height"] >= MAP_SHARE * HEIGHT, f"the map fills {box['height'] / HEIGHT:.0%} of the height"


@pytest.mark.parametrize("path", ["/", "/zone_editor", "/collaborazioni", "/presentazione"])
def test_the_whole_map_is_in_view_first(page, app_url, path):
    settled_map(page, app_url + path)
    assert_map_first(page)


def test_the_editor_keeps_the_zone_picker_and_undo_in_view(page, app_url):
    settled_map(page, app_url + "/zone_editor")
    for name in start_plan().zones:
        assert in_view(page.get_by_role("radio", name=name.name).bounding_box()), name.name
    assert in_view(page.get_by_role("button", name="Annulla ultima modifica").bounding_box())
    # the instructions are in a help popover, not above the map
    assert page.get_by_text("i comuni con il punto interno dentro la forma").count() == 0
    page.get_by_role("button", name="Aiuto").click()
    assert page.get_by_text("i comuni con il punto interno dentro la forma").first.is_visible()


def open_workshop(browser, app_url: str, title: str):
    """A facilitator's page at 1280x720 that opened the workshop ``title`` (signed in as
    the coordination, whose task it is), once its consensus map is there."""
    facilitator = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}).new_page()
    facilitator.goto(app_url + "/workshop")
    sign_in_coordination(facilitator)
    facilitator.get_by_label("Titolo").fill(title)
    facilitator.get_by_role("button", name="Apri il laboratorio").click()
    facilitator.locator(VIEW_MAP_IFRAME).first.wait_for(timeout=30_000)
    return facilitator


def test_a_workshop_participant_and_the_facilitator_see_the_map_first(browser, app_url, data_dir):
    facilitator = open_workshop(browser, app_url, "Incontro dei sindaci")
    facilitator.wait_for_timeout(1500)
    assert_map_first(facilitator, VIEW_MAP_IFRAME)
    assert in_view(facilitator.locator("p.lab-codice").bounding_box())  # the join code beside the map

    (workshop,) = WorkshopStore(Store(f"sqlite:///{data_dir}/pianura.sqlite3")).list()
    participant = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}).new_page()
    join_workshop(participant, app_url, workshop.display_code, "Bruno")
    settled_map(participant, app_url + "/zone_editor")
    assert_map_first(participant)
    assert in_view(participant.get_by_role("button", name="Annulla ultima modifica").bounding_box())
    assert in_view(participant.get_by_role("button", name="Invia la mia proposta").bounding_box())
    facilitator.context.close()
    participant.context.close()


def test_on_a_phone_a_participant_sends_without_scrolling(browser, app_url, data_dir):
    # The columns stack on a phone: the send panel would come after the map and the
    # figures; it stays at the bottom of the screen, over nothing of the map.
    facilitator = open_workshop(browser, app_url, "Incontro al telefono")
    workshop = next(w for w in WorkshopStore(Store(f"sqlite:///{data_dir}/pianura.sqlite3")).list()
                    if w.title == "Incontro al telefono")
    width, height = 390, 844
    phone = browser.new_context(viewport={"width": width, "height": height}, has_touch=True, is_mobile=True).new_page()
    join_workshop(phone, app_url, workshop.display_code, "Carla")
    settled_map(phone, app_url + "/zone_editor")
    send = phone.get_by_role("button", name="Invia la mia proposta").bounding_box()
    the_map = phone.locator(MAP_IFRAME).first.bounding_box()
    assert send["y"] >= 0 and send["y"] + send["height"] <= height, send  # in view, no scrolling
    panel = phone.locator(".st-key-workshop_panel").bounding_box()
    assert panel["y"] >= the_map["y"] + the_map["height"] - 1, (panel, the_map)  # below the map, not over it
    phone.get_by_role("button", name="Invia la mia proposta").tap()
    phone.get_by_text("Proposta inviata").first.wait_for(timeout=30_000)
    panel = phone.locator(".st-key-workshop_panel").bounding_box()  # with the message, still not over the map
    assert panel["y"] >= the_map["y"] + the_map["height"] - 1, (panel, the_map)
    facilitator.context.close()
    phone.context.close()


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def legend_and_comuni(frame) -> tuple[dict, list[dict]]:
    """The legend's rectangle and those of the area's comuni, in the map's frame."""
    return frame.evaluate("""() => {
        const r = e => { const b = e.getBoundingClientRect();
                         return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
        return [r(document.querySelector('.pb-legend')),
                [...document.querySelectorAll('path.comune-area')].map(r)]; }""")


def many_zones_plan() -> Plan:
    """The starting plan split into seven zones with long names: a wide, tall legend."""
    plan = start_plan()
    codes = list(plan.codes)
    for i in range(4):
        plan = plan.add_zone(f"Zona dei comuni della pianura numero {i + 1}")
        plan = plan.assign(codes[i * 8:(i + 1) * 8], plan.zone_ids[-1]).plan
    return plan


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
@pytest.mark.parametrize("shared", [False, True], ids=["starting plan", "seven long zone names"])
def test_the_projector_legend_covers_no_comune_of_the_area(browser, app_url, size, shared):
    width, height = size
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    if shared:
        page.goto(f"{app_url}/?{share_query(many_zones_plan())}")  # the session's plan comes from the link
        page.get_by_text("Hai aperto un piano condiviso").first.wait_for(timeout=30_000)
        # kept as this browser's draft: the next page load (a new session) starts from it
        page.wait_for_function("document.cookie.includes('pianura_browser=')", timeout=30_000)
    settled_map(page, app_url + "/presentazione")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('.pb-legend-row').length >= "
                            + str(len(many_zones_plan().zones) if shared else 3))
    page.wait_for_timeout(500)
    legend, comuni = legend_and_comuni(frame)
    assert len(comuni) == len(load_area_list())
    covered = [c for c in comuni if overlaps(legend, c)]
    assert covered == [], f"the legend covers {len(covered)} comuni"
    page.context.close()


def test_the_scale_is_in_kilometres_only(page, app_url):
    frame = settled_map(page, app_url + "/zone_editor")
    lines = frame.locator(".leaflet-control-scale-line").all_inner_texts()
    assert len(lines) == 1 and lines[0].strip().endswith(("km", " m")), lines


def test_the_credit_names_leaflet_and_the_data_without_a_flag(page, app_url):
    frame = settled_map(page, app_url + "/zone_editor")
    credit = frame.locator(".leaflet-control-attribution")
    assert credit.inner_text().startswith("Leaflet") and "ISTAT" in credit.inner_text()
    assert credit.locator("svg, img").count() == 0  # Leaflet's default prefix draws a flag as an inline SVG
