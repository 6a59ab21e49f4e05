"""The report downloaded in one click from a real browser (headless Chromium, offline):
the PDF read back with pdftotext, the workbook with openpyxl.

Expected residents are sums of the shipped ISTAT data per zone of the starting
proposal, computed here independently of the app.
"""

from __future__ import annotations

import subprocess

import pytest
from openpyxl import load_workbook

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.plan import Plan
from tests.browser_support import launch_offline, streamlit_server

pytestmark = pytest.mark.browser

CODES = tuple(load_area_list()["istat_code"])
COMUNI = load_comuni()


def italian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    """The PDF and the XLSX as a user gets them from the Rapporto page."""
    folder = tmp_path_factory.mktemp("scaricati")
    data_dir = tmp_path_factory.mktemp("dati")
    files = {}
    with streamlit_server(env={"PIANURA_DATA_DIR": str(data_dir), "PIANURA_DB_URL": ""}) as url, \
            launch_offline() as browser:
        page = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{url}/report")
        page.get_by_role("heading", name="Rapporto PDF ed Excel").wait_for(timeout=30_000)
        for kind, label in (("pdf", "Scarica il rapporto PDF"), ("xlsx", "Scarica il rapporto Excel")):
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name=label).click()
            files[kind] = folder / download.value.suggested_filename
            download.value.save_as(files[kind])
    return files


def test_pdf_downloaded_in_one_click_names_zones_residents_and_sources(downloads):
    assert downloads["pdf"].name == "rapporto_piano_attuale.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(downloads["pdf"]), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    plan = Plan.from_dict(load_default_plan_dict()).with_area(CODES)
    for zone in plan.zones:
        residents = int(COMUNI.loc[list(plan.members(zone.id)), "pop_totale"].sum())
        assert zone.name in flat and italian(residents) in flat, zone.name
    assert italian(int(COMUNI.loc[list(CODES), "pop_totale"].sum())) in flat
    assert "Confini comunali: ISTAT, via openpolis/geojson-italy (CC BY 4.0)" in flat
    # a source of the shipped collaborations (data/collaborazioni.json)
    assert "https://www.sportellotelematico-clu.it/contapratiche/amministrazioni" in flat
    pages = text.split("\f")[:-1]
    zone_pages = [p for p in pages if p.lstrip().startswith(tuple(z.name for z in plan.zones))]
    assert len(zone_pages) == len(plan.zones)


def test_workbook_downloaded_in_one_click_keeps_istat_codes_as_text(downloads):
    book = load_workbook(downloads["xlsx"])
    assert {"Riepilogo", "Statistiche", "Copertura", "Comuni", "Fonti"} <= set(book.sheetnames)
    codes = [c.value for c in book["Comuni"]["A"][1:]]
    assert sorted(codes) == sorted(CODES) and all(isinstance(c, str) and len(c) == 6 for c in codes)
    assert "017088" in codes  # Leno keeps its leading zero
