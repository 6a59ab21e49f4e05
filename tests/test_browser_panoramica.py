"""The app in headless Chromium with the network blocked except localhost."""

import pytest

from geo.data.shipped import load_area_list
from tests.browser_support import wait_for_map

pytestmark = pytest.mark.browser




def test_panoramica_draws_one_polygon_per_comune_offline(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    blocked = []
    page.on("requestfailed", lambda r: blocked.append(r.url))
    page.goto(app_url)
    frame = wait_for_map(page)
    area_codes = list(load_area_list()["istat_code"])
    assert frame.locator("path.comune-area").count() == len(area_codes)
    assert frame.locator("path.comune-contesto").count() > 100
    # the zone layer arrived: fills are the zones' colours, not the unassigned white
    fills = frame.locator("path.comune-area").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    assert set(f.upper() for f in fills) == {"#E69F00", "#56B4E9", "#009E73"}
    legend = frame.locator(".pb-legend-row")
    assert legend.count() == 3
    assert "ISTAT" in frame.locator(".leaflet-control-attribution").inner_text()
    assert not [u for u in blocked if "127.0.0.1" in u or "localhost" in u]


def test_tooltip_names_the_comune(app_url, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    frame = wait_for_map(page)
    # hover a comune of the area: its tooltip lists name, code, residents and zone
    frame.locator("path.comune-area").nth(0).hover(force=True)
    tip = frame.locator(".leaflet-tooltip")
    tip.wait_for(timeout=5000)
    text = tip.inner_text()
    assert "Codice ISTAT: 017" in text and "Residenti:" in text and "Zona:" in text
