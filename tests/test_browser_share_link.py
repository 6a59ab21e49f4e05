"""Share links and file import in headless Chromium, network blocked except localhost.

A link made by :func:`geo.io.share_link.share_query` is opened in a fresh browser: the
map must show that plan's zones. Expected residents are sums of the shipped ISTAT
data for each zone's comuni, computed here independently of the app.
"""

from __future__ import annotations

import pyogrio
import pytest

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.zoning.plan import Plan
from geo.io.share_link import share_params, share_query
from tests.browser_support import expected_legend, legend_rows, streamlit_server, wait_for_map

pytestmark = pytest.mark.browser

LENO, AZZANO_MELLA = "017088", "017008"
DEFAULT_CODES = tuple(load_area_list()["istat_code"])


def default_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(DEFAULT_CODES)






@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dati")
    with streamlit_server(env={"PIANURA_DATA_DIR": str(data_dir), "PIANURA_DB_URL": ""}) as url:
        yield url



def test_a_share_link_shows_its_zones_in_another_browser(app_url, browser):
    area = sorted(set(DEFAULT_CODES) | {AZZANO_MELLA})  # one more comune, left unassigned
    shared = (default_plan().with_area(area).assign([LENO], "ambito10").plan
              .rename_zone("ambito9", "Centro <b>grassetto</b>").recolor_zone("ambito9", "#CC79A7"))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app_url}/?{share_query(shared)}")
    frame = wait_for_map(page)
    frame.locator(".pb-legend-row").first.wait_for(timeout=30_000)
    assert legend_rows(frame) == expected_legend(shared)
    assert frame.locator("path.comune-area").count() == len(area) == 43
    fills = frame.locator("path.comune-area").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    assert sorted(f.upper() for f in set(fills)) == ["#009E73", "#CC79A7", "#E69F00", "#FFFFFF"]
    # the zone name is text, never markup
    text = frame.locator(".pb-legend").inner_text()
    assert "Centro <b>grassetto</b>" in text and frame.locator(".pb-legend b").count() == 0
    assert page.get_by_text("Hai aperto un piano condiviso con un link").is_visible()


def test_a_damaged_link_shows_a_message_and_the_starting_proposal(app_url, browser):
    params = share_params(default_plan().assign([LENO], "ambito8").plan)
    damaged = "&".join(f"{k}={v}" for k, v in {**params, "pp": params["pp"][:-5]}.items())
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app_url}/?{damaged}")
    frame = wait_for_map(page)
    frame.locator(".pb-legend-row").first.wait_for(timeout=30_000)
    assert legend_rows(frame) == expected_legend(default_plan())
    assert page.get_by_text("Il link di condivisione è danneggiato").is_visible()


def test_a_csv_uploaded_on_the_scenari_page_becomes_the_plan(app_url, browser, tmp_path):
    # Leno and Manerbio written without the leading zero, as Excel does; the rest as the proposal
    moved = default_plan().assign([LENO, "017103"], "ambito8").plan
    lines = ["codice_istat;comune;zona"] + [
        f"{int(code)};;{moved.zone(moved.zone_of(code)).name}" for code in moved.codes]
    upload = tmp_path / "zone.csv"
    upload.write_bytes("\r\n".join(lines).encode("cp1252"))
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(app_url)
    wait_for_map(page)
    page.get_by_role("link", name="Scenari", exact=True).click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_text("Il file «zone.csv» è valido").wait_for(timeout=30_000)
    page.get_by_role("button", name="Usa il piano importato").click()
    page.get_by_text("Piano importato da").wait_for(timeout=30_000)
    page.get_by_role("link", name="Panoramica", exact=True).click()
    frame = wait_for_map(page)
    frame.locator(".pb-legend-row").first.wait_for(timeout=30_000)
    assert legend_rows(frame) == expected_legend(moved)


def test_exports_download_from_the_scenari_page(app_url, browser, tmp_path):
    page = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1400}).new_page()
    page.goto(app_url)
    wait_for_map(page)
    page.get_by_role("link", name="Scenari", exact=True).click()
    files = {}
    for label in ("CSV", "GeoPackage"):
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name=f"⬇️ {label}").click()
        files[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[label])
    assert files["CSV"].name.endswith(".csv")
    lines = files["CSV"].read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "codice_istat;comune;zona;colore" and len(lines) == 1 + len(DEFAULT_CODES)
    assert all(line.split(";")[0].startswith("017") for line in lines[1:])  # leading zero kept
    # the two layers, and QGIS's style table (a table without geometry: each layer opens coloured by zone)
    layers = dict(pyogrio.list_layers(files["GeoPackage"]))
    assert sorted(layers) == ["comuni", "layer_styles", "zone_omogenee"] and layers["layer_styles"] is None
