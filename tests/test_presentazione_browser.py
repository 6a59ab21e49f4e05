"""Presentation mode in headless Chromium at 1280x720, network blocked except localhost:
reached from the sidebar in one click, scenarios switched with the keyboard.

Two scenarios are saved before the server starts (most recent first in the list):
"Leno e Manerbio" (a fourth zone with Leno and Manerbio) and "Leno da decidere"
(Leno unassigned). Residents in the legend are checked against sums of the shipped
ISTAT data, computed here.
"""

from __future__ import annotations

import pytest

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.zoning.plan import Plan
from geo.store.scenarios import ScenarioStore
from geo.store.database import DB_FILENAME, Store
from tests.browser_support import MAP_IFRAME, expected_legend, legend_rows, streamlit_server, wait_for_map

pytestmark = pytest.mark.browser

LENO, MANERBIO = "017088", "017103"
CODES = tuple(load_area_list()["istat_code"])
VIEWPORT = {"width": 1280, "height": 720}


def starting_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(CODES)


def mella_plan() -> Plan:
    plan = starting_plan().add_zone("Zona del Mella")
    return plan.assign([LENO, MANERBIO], plan.zone_ids[-1]).plan






@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dati")
    store = ScenarioStore(Store(f"sqlite:///{data_dir / DB_FILENAME}"))
    store.save("Leno e Manerbio", mella_plan())
    store.save("Leno da decidere", starting_plan().assign([LENO], None).plan)
    store.store.close()
    with streamlit_server(env={"PIANURA_DATA_DIR": str(data_dir), "PIANURA_DB_URL": ""}) as url:
        yield url



def shows(page, frame, title: str, plan: Plan) -> None:
    """Wait until the page's heading is ``title`` and the map's legend is ``plan``'s."""
    page.get_by_role("heading", name=title, exact=True).wait_for(timeout=30_000)
    wanted = expected_legend(plan)
    for _ in range(100):
        if legend_rows(frame) == wanted:
            return
        page.wait_for_timeout(100)
    assert legend_rows(frame) == wanted


def test_presentation_from_the_sidebar_switches_scenarios_with_the_keyboard(app_url, browser, tmp_path):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(app_url)
    wait_for_map(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Presentazione").click()  # one click
    page.get_by_role("heading", name="Piano attuale", exact=True).wait_for(timeout=30_000)
    frame = wait_for_map(page)
    shows(page, frame, "Piano attuale", starting_plan())
    assert not page.get_by_test_id("stSidebar").is_visible()  # the projector shows only the essentials

    # projector-readable at 1280x720: title, arrows and a full-width map in the first screen,
    # the legend in large type
    heading = page.get_by_role("heading", name="Piano attuale", exact=True).bounding_box()
    arrow = page.get_by_role("button", name="Successivo").bounding_box()
    box = page.locator(MAP_IFRAME).bounding_box()
    assert heading["y"] >= 0 and arrow["y"] + arrow["height"] <= VIEWPORT["height"]
    assert box["width"] >= 0.9 * VIEWPORT["width"] and box["y"] + box["height"] <= VIEWPORT["height"]
    assert frame.locator(".pb-legend").evaluate("e => getComputedStyle(e).fontSize") == "22px"
    assert float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2]) >= 20
    page.screenshot(path=str(tmp_path / "presentazione_1280x720.png"))

    page.keyboard.press("ArrowRight")
    shows(page, frame, "Leno da decidere", starting_plan().assign([LENO], None).plan)
    page.get_by_text("1 comune non assegnato a una zona: Leno.").wait_for(timeout=10_000)
    page.keyboard.press("ArrowRight")
    shows(page, frame, "Leno e Manerbio", mella_plan())
    page.keyboard.press("ArrowRight")  # wraps around
    shows(page, frame, "Piano attuale", starting_plan())
    page.keyboard.press("ArrowLeft")
    shows(page, frame, "Leno e Manerbio", mella_plan())
    page.keyboard.press("PageUp")  # what presentation remotes send
    shows(page, frame, "Leno da decidere", starting_plan().assign([LENO], None).plan)
    page.keyboard.press("PageDown")
    shows(page, frame, "Leno e Manerbio", mella_plan())

    # after a click on the map the keys still change scenario (the map hands them to the page)
    frame.locator("path.comune-area").first.click(force=True)
    page.keyboard.press("ArrowRight")
    shows(page, frame, "Piano attuale", starting_plan())
    page.keyboard.press("ArrowLeft")
    shows(page, frame, "Leno e Manerbio", mella_plan())

    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Panoramica della Pianura Bresciana").wait_for(timeout=30_000)
    assert page.get_by_test_id("stSidebar").is_visible()  # the projector style went with the page


def test_presentation_is_one_click_away_from_another_page(app_url, browser):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{app_url}/collaborazioni")
    page.get_by_role("heading", name="Collaborazioni intercomunali").wait_for(timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Presentazione").click()
    frame = wait_for_map(page)
    shows(page, frame, "Piano attuale", starting_plan())
