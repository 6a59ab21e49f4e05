"""The collaborations overlay in headless Chromium, network blocked except localhost.

The server runs on a temporary database holding the shipped records plus one
collaboration whose name is an HTML injection attempt.
"""

import pytest

from geo.store.collaborations import CollaborationStore
from geo.collaborations.model import Collaboration
from geo.data.shipped import load_comuni
from geo.store.database import Store
from tests.browser_support import (
    assert_same_view, choose_option, map_frame, map_view, sign_in_coordination, streamlit_server, wait_for_map,
)

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)>"
PRALBOINO, SENIGA, LENO = "017152", "017177", "017088"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("collaborazioni")


def saved_names(data_dir) -> set[str]:
    return {c.name for c in CollaborationStore(Store(f"sqlite:///{data_dir / 'pianura.sqlite3'}")).all()}


@pytest.fixture(scope="module")
def app_url(data_dir):
    store = Store(f"sqlite:///{data_dir / 'pianura.sqlite3'}")
    CollaborationStore(store).add(Collaboration(
        id="iniezione", name=EVIL, form="convenzione", functions=("polizia_locale",),
        members=(PRALBOINO, SENIGA), capofila=PRALBOINO, status="attiva",
        sources=("https://example.org/prova",), notes=EVIL))
    store.close()
    with streamlit_server(env={"PIANURA_DATA_DIR": str(data_dir)}) as url:
        yield url



def open_page(browser, url, page_title=None, *, coordination: bool = False):
    """Open the app (signed in as the coordination if asked), then go to ``page_title``
    through the sidebar as a user does."""
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    alerts = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(url)
    frame = wait_for_map(page)
    if coordination:
        sign_in_coordination(page)
    if page_title:
        page.get_by_role("link", name=page_title).click()
        page.get_by_role("heading", name="Collaborazioni intercomunali").wait_for(timeout=30_000)
        frame = wait_for_map(page)
    return page, frame, alerts


def view(frame):
    """What must not change when a layer is toggled: the iframe document (its
    marker) and the comuni drawn; zoom and centre via assert_same_view."""
    return frame.locator("body").evaluate(
        "() => [window.__noReload || 0, document.querySelectorAll('path.comune-area').length]")


def toggle(page, label):
    page.locator("[data-testid=stCheckbox]").filter(has_text=label).first.locator("label").click()


def toggle_layer(page, label):
    """The function layers are pills (toggle buttons): beside the map on the
    Collaborazioni page, in the header's «Collaborazioni» popover elsewhere."""
    layers = page.get_by_role("button", name="Collaborazioni", exact=True)
    if layers.count():
        layers.click()
    choose_option(page, label)
    if layers.count():
        page.keyboard.press("Escape")


def test_polizia_locale_layer_appears_without_reloading_the_map(app_url, browser):
    page, frame, _ = open_page(browser, app_url)  # Panoramica
    assert frame.locator("path.collab-contorno").count() == 0
    frame.locator("body").evaluate("() => { window.__noReload = 1; }")
    before, before_view = view(frame), map_view(frame)

    toggle_layer(page, "Polizia Locale")
    frame.locator("path.collab-contorno.collab-polizia_locale").first.wait_for(timeout=30_000)
    # same iframe document (the marker survived), same zoom and centre, same comuni
    assert view(frame) == before
    assert_same_view(frame, before_view)
    # the two running conventions with a known capofila and the injected record; the Unione has ended
    assert frame.locator("path.collab-contorno.collab-polizia_locale").count() == 3
    assert frame.locator("path.collab-capofila").count() == 3
    legend = frame.locator(".collab-legend").inner_text()
    assert "Convenzione di Polizia Locale (ex Unione Bassa Bresciana Occidentale)" in legend
    assert "Unione lombarda" not in legend
    # the zone colours stay visible: outlines have no fill
    fills = frame.locator("path.collab-contorno").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    assert set(fills) == {"none"}

    toggle_layer(page, "Polizia Locale")
    frame.locator("path.collab-contorno").first.wait_for(state="detached", timeout=30_000)
    assert frame.locator(".collab-legend").count() == 0
    assert view(frame) == before
    assert_same_view(frame, before_view)


def test_an_injected_name_is_shown_as_text_and_runs_nothing(app_url, browser):
    page, frame, alerts = open_page(browser, app_url, "Collaborazioni")
    toggle_layer(page, "Polizia Locale")
    frame.locator(".collab-legend").wait_for(timeout=30_000)
    assert EVIL in frame.locator(".collab-legend").inner_text()  # literally, in the legend on the map
    tips = []
    for marker in frame.locator("path.collab-capofila").all():
        marker.hover(force=True)
        frame.locator(".collab-tooltip").last.wait_for(timeout=5_000)
        tips.extend(frame.locator(".collab-tooltip").all_inner_texts())
    assert any(t.startswith(EVIL) and "Membri (2): Pralboino, Seniga" in t for t in tips), tips
    # the table on the page holds it as text too (the grid paints on a canvas; its
    # accessible cells carry the text)
    page.wait_for_function("(evil) => [...document.querySelectorAll('[role=gridcell]')]"
                           ".some(td => td.textContent === evil)", arg=EVIL, timeout=10_000)
    page.wait_for_timeout(1000)
    assert alerts == []
    assert frame.locator("img").count() == 0 and page.locator("img[src='x']").count() == 0


def test_members_are_chosen_by_clicking_the_map(app_url, browser):
    page, frame, _ = open_page(browser, app_url, "Collaborazioni", coordination=True)
    frame.locator("body").evaluate("() => { window.__noReload = 1; }")
    page.get_by_role("tab", name="Nuova / modifica").click()
    toggle(page, "Scegli i membri cliccando sulla mappa")
    members = page.locator("[data-testid=stMultiSelect]").filter(has_text="Comuni membri")
    leno = load_comuni().loc[LENO, "geometry"].representative_point()

    def click_leno():
        x, y = frame.locator("body").evaluate(
            "(_body, [lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
            [leno.y, leno.x])
        frame.locator(".leaflet-container").first.click(position={"x": x, "y": y})

    page.wait_for_timeout(1500)  # the pick layer reaches the map with the toggle's rerun
    click_leno()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMultiSelect]')]"
        ".some(e => e.innerText.includes('Leno (BS)'))", timeout=30_000)
    map_frame(page).locator("path.collab-scelta").wait_for(timeout=30_000)  # outlined on the map
    click_leno()  # a second click removes it
    page.wait_for_function(
        "() => ![...document.querySelectorAll('[data-testid=stMultiSelect]')]"
        ".some(e => e.innerText.includes('Leno (BS)'))", timeout=30_000)
    assert "Leno (BS)" not in members.inner_text()
    assert view(frame)[0] == 1  # the map was never reloaded


def test_import_saves_a_valid_file_and_nothing_from_a_broken_one(app_url, browser, data_dir):
    page, _, alerts = open_page(browser, app_url, "Collaborazioni", coordination=True)
    page.get_by_role("tab", name="Importa").click()
    upload = page.locator("[data-testid=stFileUploader] input[type=file]")
    header = "nome;forma;funzioni;membri;stato;fonte\n"
    before = saved_names(data_dir)

    broken = header + "Tributi della Città;convenzione;Tributi;017088 099999;attiva;https://example.org\n"
    upload.set_input_files(files=[{"name": "tributi.csv", "mimeType": "text/csv",
                                   "buffer": broken.encode("latin-1")}])
    page.get_by_text("non è stato salvato nulla").wait_for(timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('[role=gridcell]')]"
                           ".some(td => td.textContent.includes('sconosciuto «099999»'))", timeout=10_000)
    assert saved_names(data_dir) == before

    valid = header + "Tributi della Città;convenzione;Tributi;017088 017137;attiva;https://example.org\n"
    upload.set_input_files(files=[{"name": "tributi.csv", "mimeType": "text/csv",
                                   "buffer": valid.encode("latin-1")}])
    page.get_by_role("button", name="Salva le collaborazioni importate").click()
    page.get_by_text("Collaborazioni importate e salvate: 1.").wait_for(timeout=30_000)
    assert saved_names(data_dir) == before | {"Tributi della Città"}
    assert alerts == []
