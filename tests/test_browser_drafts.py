"""Nothing is lost, in headless Chromium: a click survives a reload, a new tab and a
restart of the server (same database); a workshop participant's unsent drawing
survives a reload."""

from __future__ import annotations

import tempfile

import pytest

from geo.store.database import Store
from geo.store.workshops import WorkshopStore
from tests.browser_support import (
    click_comune, fill, join_workshop, map_document, streamlit_server, version, wait_server_update,
)
from tests.shipped_fixtures import area, start_plan  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
LENO = "017088"


@pytest.fixture(scope="module")
def data_dir():
    return tempfile.mkdtemp(prefix="pianura-drafts-")


@pytest.fixture(scope="module")
def app_url(data_dir):
    with streamlit_server(env={"PIANURA_DATA_DIR": data_dir}) as url:
        yield url


def open_editor(page, url):
    page.goto(f"{url}/zone_editor")
    frame = map_document(page)
    frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length > 0", timeout=60_000)
    return frame


def move_leno(page, frame, area, start_plan) -> str:
    """Click Leno with the first zone active (it starts elsewhere); its new colour."""
    target = start_plan.zone(start_plan.zone_ids[0])
    assert start_plan.zone_of(LENO) != target.id
    before = version(frame)
    click_comune(page, frame, area, LENO)
    wait_server_update(frame, before)
    assert fill(frame, LENO) == target.color.upper()
    return target.color.upper()


def test_a_click_survives_a_reload_and_a_new_tab(browser, app_url, area, start_plan):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    frame = open_editor(page, app_url)
    page.wait_for_function("document.cookie.includes('pianura_browser=')", timeout=30_000)
    moved = move_leno(page, frame, area, start_plan)

    page.reload()
    frame = open_editor(page, app_url)
    assert fill(frame, LENO) == moved
    notice = page.get_by_text("Ripreso il piano a cui stavi lavorando")
    notice.wait_for(timeout=15_000)
    assert notice.is_visible()  # next to the map, in view without scrolling

    other_tab = context.new_page()
    assert fill(open_editor(other_tab, app_url), LENO) == moved

    # One click starts again from the initial proposal; undo brings the drawing back.
    before = version(frame)
    page.get_by_role("button", name="Ricomincia dalla proposta iniziale").click()
    wait_server_update(frame, before)
    assert fill(frame, LENO) == start_plan.color_of(LENO).upper()
    before = version(frame)
    page.get_by_role("button", name="Annulla ultima modifica").click()
    wait_server_update(frame, before)
    assert fill(frame, LENO) == moved
    context.close()


def test_a_click_survives_a_restart_of_the_server(browser, area, start_plan):
    data_dir = tempfile.mkdtemp(prefix="pianura-restart-")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    with streamlit_server(env={"PIANURA_DATA_DIR": data_dir}) as url:
        frame = open_editor(page, url)
        page.wait_for_function("document.cookie.includes('pianura_browser=')", timeout=30_000)
        moved = move_leno(page, frame, area, start_plan)
    # The server is gone; another one on the same database (another port: cookies
    # are per host, so the browser is recognised).
    with streamlit_server(env={"PIANURA_DATA_DIR": data_dir}) as url:
        assert fill(open_editor(page, url), LENO) == moved
    context.close()


def test_a_participants_unsent_drawing_survives_a_reload(browser, app_url, data_dir, area, start_plan):
    workshops = WorkshopStore(Store(f"sqlite:///{data_dir}/pianura.sqlite3"))
    workshop = workshops.open("Incontro dei sindaci", start_plan, facilitator="Anna")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    join_workshop(page, app_url, workshop.display_code, "Bruno")
    frame = open_editor(page, app_url)
    moved = move_leno(page, frame, area, start_plan)

    page.reload()
    frame = open_editor(page, app_url)
    assert fill(frame, LENO) == moved
    page.get_by_role("button", name="Invia la mia proposta").wait_for(timeout=15_000)  # still a participant
    assert workshops.latest_submissions(workshop.id) == []  # nothing was sent: it is the draft
    context.close()
