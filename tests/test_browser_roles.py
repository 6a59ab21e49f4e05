"""Roles in headless Chromium, offline: a visitor cannot delete another browser's scenario
(the control is absent, the scenario still there after a reload); the coordination
password, typed in the sidebar, opens the control; guessing it is stopped."""

import pytest

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.store.actors import Actor
from geo.store.database import Store
from geo.store.scenarios import ScenarioStore
from geo.zoning.plan import Plan
from tests.browser_support import COORDINATION_PASSWORD, open_sign_in, sign_in_coordination, streamlit_server

pytestmark = pytest.mark.browser
NAME = "Proposta del comune di Leno"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("ruoli")


def saved(data_dir) -> list[str]:
    store = Store(f"sqlite:///{data_dir / 'pianura.sqlite3'}")
    try:
        return [s.name for s in ScenarioStore(store).list()]
    finally:
        store.close()


@pytest.fixture(scope="module")
def app_url(data_dir):
    store = Store(f"sqlite:///{data_dir / 'pianura.sqlite3'}")
    plan = Plan.from_dict(load_default_plan_dict()).with_area(tuple(load_area_list()["istat_code"]))
    ScenarioStore(store).save(NAME, plan, author="Ufficio di Leno", actor=Actor("e" * 32, "Leno"))  # another browser
    store.close()
    with streamlit_server(env={"PIANURA_DATA_DIR": str(data_dir)}) as url:
        yield url


def open_scenarios(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{url}/scenari")
    page.get_by_role("heading", name="Scenari salvati").wait_for(timeout=60_000)
    return page


def test_a_visitor_cannot_delete_another_browsers_scenario(app_url, browser, data_dir):
    page = open_scenarios(browser, app_url)
    page.get_by_text("è stato salvato da un altro browser").first.wait_for(timeout=30_000)
    assert page.get_by_text("Elimina lo scenario").count() == 0
    assert page.get_by_role("button", name="Sposta nel cestino").count() == 0
    assert page.get_by_role("button", name="Salva nome e note").count() == 0
    page.reload()
    page.get_by_role("heading", name="Scenari salvati").wait_for(timeout=60_000)
    page.get_by_text("è stato salvato da un altro browser").first.wait_for(timeout=30_000)
    assert page.get_by_text("Elimina lo scenario").count() == 0
    assert saved(data_dir) == [NAME]


def test_guessing_the_password_is_stopped(app_url, browser):
    page = open_scenarios(browser, app_url)
    sidebar = page.get_by_test_id("stSidebar")
    for n in range(6):
        open_sign_in(page).fill(f"tentativo {n}")
        page.get_by_test_id("stPopoverBody").get_by_role("button", name="Entra", exact=True).click()
        expected = "Troppi tentativi sbagliati" if n == 5 else "Password di coordinamento sbagliata"
        sidebar.get_by_text(expected).wait_for(timeout=30_000)  # in the sidebar, seen with the popover closed
    open_sign_in(page).fill(COORDINATION_PASSWORD)
    page.get_by_test_id("stPopoverBody").get_by_role("button", name="Entra", exact=True).click()
    sidebar.get_by_text("Troppi tentativi sbagliati").wait_for(timeout=30_000)  # right, but too soon
    assert sidebar.get_by_role("button", name="Esci dal coordinamento").count() == 0


def test_the_coordination_moves_it_to_the_bin_and_restores_it(app_url, browser, data_dir):
    page = open_scenarios(browser, app_url)
    sign_in_coordination(page)
    page.get_by_text("Elimina lo scenario").click()
    page.get_by_text("Confermo: sposta").click()
    page.get_by_role("button", name="Sposta nel cestino").click()
    page.get_by_text("spostato nel cestino").wait_for(timeout=30_000)
    assert saved(data_dir) == []
    page.get_by_text("Cestino (1)").click()
    page.get_by_role("button", name="Ripristina", exact=True).click()
    page.get_by_text("ripristinato dal cestino").wait_for(timeout=30_000)
    assert saved(data_dir) == [NAME]
