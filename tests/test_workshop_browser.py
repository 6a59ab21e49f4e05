"""A workshop in headless Chromium, offline: a participant sends a proposal drawn on the
map and the facilitator's page shows it without being reloaded; the participant's
session cannot open the pages that change shared data."""

import pytest

from geo.zoning.area import Area
from geo.data.shipped import load_area_list, load_comuni
from tests.browser_support import MAP_IFRAME, launch_offline, map_document, sign_in_coordination, streamlit_server

pytestmark = pytest.mark.browser
LENO = "017088"


def metric(page, label) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def test_a_proposal_reaches_the_facilitator_without_reloading():
    area = Area.from_comuni(load_comuni(), load_area_list()["istat_code"])
    with streamlit_server() as url, launch_offline() as browser:
        facilitator = browser.new_page(viewport={"width": 1400, "height": 1100})
        facilitator.goto(f"{url}/workshop")
        sign_in_coordination(facilitator)
        facilitator.get_by_label("Titolo").fill("Prova nel browser")
        facilitator.get_by_role("button", name="Apri il laboratorio").click()
        code = facilitator.locator(".lab-codice").inner_text(timeout=30_000)
        assert metric(facilitator, "Proposte ricevute") == "0"
        facilitator.evaluate("window.__noReload = 'same page'")

        participant = browser.new_page(viewport={"width": 1400, "height": 1100})  # another session
        participant.goto(f"{url}/workshop")
        participant.get_by_label("Codice del laboratorio", exact=True).fill(code.lower())
        participant.get_by_label("Il tuo nome o il tuo comune").fill("Maria")
        participant.get_by_role("button", name="Entra nel laboratorio").click()
        participant.get_by_text("Sei nel laboratorio").wait_for(timeout=30_000)
        participant.get_by_role("link", name="Disegna la tua proposta").click()

        frame = map_document(participant)
        frame.wait_for_function("document.querySelectorAll('path.comune-area[fill]').length > 0", timeout=60_000)
        frame.wait_for_function("document.querySelectorAll('.pb-legend-row').length > 0")
        participant.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
        before = frame.evaluate("window.map.getContainer().getAttribute('data-pb-version')")
        point = area.interior_points[LENO]
        x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                              " return [p.x, p.y]; }", [point.y, point.x])
        box = participant.locator(MAP_IFRAME).first.bounding_box()
        participant.mouse.click(box["x"] + x, box["y"] + y)
        frame.wait_for_function(f"window.map.getContainer().getAttribute('data-pb-version') !== '{before}'",
                                timeout=15_000)
        participant.get_by_role("button", name="Invia la mia proposta").click()
        participant.get_by_text("Proposta inviata").wait_for(timeout=15_000)

        # the facilitator's page polls the database: the proposal appears, no reload
        facilitator.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m =>"
            " m.innerText.includes('Proposte ricevute') && m.innerText.trim().endsWith('1'))", timeout=15_000)
        assert facilitator.evaluate("window.__noReload") == "same page"
        assert metric(facilitator, "Comuni contesi") == "0 su 42"  # one proposal agrees with itself
        # the consensus map is a plain folium map in streamlit-folium: the 42 comuni, coloured
        consensus_map = facilitator.frame_locator("iframe[title*='streamlit_folium']").first
        consensus_map.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
        assert consensus_map.locator("path.leaflet-interactive").count() == 42
        assert "ISTAT" in consensus_map.locator(".leaflet-control-attribution").inner_text()

        # the participant's menu lists only the pages they may use (no page that only says it is locked)
        menu = participant.get_by_test_id("stSidebarNav").get_by_role("link")
        names = [t.split("\n")[-1].strip() for t in menu.all_inner_texts()]  # after the icon's ligature
        assert names == ["Panoramica", "Zone omogenee", "Confronto scenari", "Laboratorio"]
        assert facilitator.get_by_test_id("stSidebarNav").get_by_role("link", name="Collaborazioni").count() == 1
