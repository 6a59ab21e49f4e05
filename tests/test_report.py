"""The report (content, PDF, XLSX) on a tiny grid with answers worked out by hand.

The grid (1 km cells, residents in brackets); columns 0-2 are the area, column 3
is context outside it::

    row 1:  10 a (3000)   11 b (4000)   12 -  (5000) | 13 outside
    row 0:  00 a (1234)   01 a (2000)   02 b  (6000) | 03 outside

Zone a "Ovest <b>&</b> $x$" = 00, 01, 10: 6 234 residents (29,4% of 21 234);
zone b "=1+1 Est" = 02, 11: 10 000 (47,1%); zone "Vuota" is empty; 12 is
unassigned: 5 000 (23,5%). The names hold markup, a formula and mathtext on purpose.

Collaborations on 25 Nov 2026:

* PL1  polizia locale, 00 + 01, active            -> whole in a (2 memberships)
* SUAP suap/sue + ICT, 01 + 02 + 11, da verificare -> split a | b (3 memberships)
* OLD  ufficio tecnico, 00 + 10, ended 31 Dec 2025 -> counts for nothing, listed in the sources
* FAR  ICT, 03 + 13, both outside the area        -> left out

Coherence: 2 of 5 memberships kept = 40%. Polizia locale in zone a: 00 and 01,
1 234 + 2 000 = 3 234 of 6 234 residents = 51,9%.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from geo.collaborations.model import Collaboration
from geo.collaborations.coverage import COVERED, COVERED_UNVERIFIED, NOT_COVERED
from geo.zoning.plan import Plan, Zone
from geo.base.italian import italian_date
from geo.report.content import build_report, coverage_text_table, zones_text_table
from geo.report.pdf import report_pdf
from geo.report.xlsx import report_xlsx
from tests.grids import grid_area, grid_code as g

DAY = dt.date(2026, 11, 25)
MADE = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.timezone.utc)  # 09:30 in Rome
POP = {g(0, 0): 1234, g(0, 1): 2000, g(0, 2): 6000, g(1, 0): 3000, g(1, 1): 4000, g(1, 2): 5000}
AREA_CODES = [g(r, c) for r in range(2) for c in range(3)]
ZONE_A, ZONE_B = "Ovest <b>&</b> $x$", "=1+1 Est"
SOURCE_PL1 = "https://esempio.it/pl1"


def collab(id_, functions, members, status="attiva", **extra):
    return Collaboration(id=id_, name=id_.upper(), form="convenzione", functions=functions, members=members,
                         capofila=None, status=status, **extra)


COLLABS = (
    collab("pl1", ("polizia_locale",), (g(0, 0), g(0, 1)), sources=(SOURCE_PL1,)),
    collab("suap", ("suap_sue", "servizi_ict"), (g(0, 1), g(0, 2), g(1, 1)), da_verificare=True,
           sources=("https://esempio.it/suap",)),
    collab("old", ("ufficio_tecnico",), (g(0, 0), g(1, 0)), status="in_scioglimento",
           end_date=dt.date(2025, 12, 31)),
    collab("far", ("servizi_ict",), (g(0, 3), g(1, 3))),
)


@pytest.fixture(scope="module")
def area():
    return grid_area(2, 4, members=AREA_CODES, population=POP)


@pytest.fixture(scope="module")
def plan():
    zones = (Zone("a", ZONE_A, "#E69F00"), Zone("b", ZONE_B, "#56B4E9"), Zone("v", "Vuota", "#009E73"))
    return Plan.build(zones, {g(0, 0): "a", g(0, 1): "a", g(1, 0): "a", g(0, 2): "b", g(1, 1): "b",
                              g(1, 2): None})


@pytest.fixture(scope="module")
def content(area, plan):
    return build_report(area, plan, COLLABS, title="Proposta <di prova>", author="Ufficio di piano",
                        notes="Discussa il 20/11", day=DAY, generated_at=MADE)


# -- content -------------------------------------------------------------------------------
def test_zones_residents_and_comuni(content):
    assert [z.name for z in content.zones] == [ZONE_A, ZONE_B, "Vuota", "Comuni non assegnati"]
    assert [z.residents for z in content.zones] == [6234, 10000, 0, 5000]
    assert content.residents == 21234
    assert [round(z.share, 1) for z in content.zones] == [29.4, 47.1, 0.0, 23.5]
    zone_a = content.zones[0]
    assert [(c.code, c.name, c.residents) for c in zone_a.comuni] == [
        (g(0, 0), "Comune 0-0", 1234), (g(0, 1), "Comune 0-1", 2000), (g(1, 0), "Comune 1-0", 3000)]
    assert zone_a.area_km2 == pytest.approx(3.0)
    # coverage per comune in the order polizia locale, ... (PRIORITY_FUNCTIONS order:
    # ufficio tecnico, polizia locale, SUAP/SUE, ICT)
    assert zone_a.comuni[0].coverage == (NOT_COVERED, COVERED, NOT_COVERED, NOT_COVERED)  # OLD has ended
    assert zone_a.comuni[1].coverage == (NOT_COVERED, COVERED, COVERED_UNVERIFIED, COVERED_UNVERIFIED)
    assert zones_text_table(content)["Residenti"].tolist() == ["6.234", "10.000", "0", "5.000", "21.234"]


def test_warnings_and_which_zone_they_belong_to(content):
    messages = [p.message for p in content.problems]
    assert messages == ["1 comune non assegnato a una zona: Comune 1-2.", "La zona «Vuota» non contiene comuni."]
    assert content.zones[2].problems == ("La zona «Vuota» non contiene comuni.",)
    assert content.zones[3].problems == ("1 comune non assegnato a una zona: Comune 1-2.",)
    assert content.zones[0].problems == ()


def test_collaborations_split_coherence_and_sources(content):
    assert [(s.collaboration.id, s.is_split) for s in content.splits] == [("suap", True), ("pl1", False)]
    assert (content.coherence.kept, content.coherence.total) == (2, 5)
    zone_a = content.zones[0]
    assert [(c.name, c.members, c.is_split) for c in zone_a.collaborations] == [
        ("SUAP", ("Comune 0-1",), True), ("PL1", ("Comune 0-0", "Comune 0-1"), False)]
    # FAR has no member in the area; OLD is listed with its status on the day
    assert [(c.name, c.status) for c in content.collaborations] == [
        ("OLD", "cessata"), ("PL1", "attiva"), ("SUAP", "attiva")]


def test_coverage_text(content):
    table = coverage_text_table(content.coverage)
    row_a = table[table["Zona"] == ZONE_A].iloc[0]
    assert row_a["Polizia Locale"] == "2 su 3 comuni, 3.234 ab. (51,9%)"
    assert row_a["SUAP/SUE"] == "1 su 3 comuni, 2.000 ab. (32,1%); 1 da verificare"
    assert row_a["Ufficio Tecnico"] == "0 su 3 comuni, 0 ab. (0,0%)"
    compact = coverage_text_table(content.coverage, compact=True)
    row_b = compact[compact["Zona"] == ZONE_B].iloc[0]
    assert row_b["SUAP/SUE"] == "2/2 comuni (100% ab.); 2 da verificare"
    assert row_b["Polizia Locale"] == "nessun comune"
    assert compact[compact["Zona"] == "Vuota"].iloc[0]["Polizia Locale"] == "nessun comune"


def test_italian_date():
    assert italian_date(dt.date(2026, 1, 1)) == "1 gennaio 2026"
    assert italian_date(DAY) == "25 novembre 2026"


# -- PDF -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_pages(content, tmp_path_factory):
    """The PDF's text, one string per page, as pdftotext (poppler) extracts it."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make browser)")
    path = tmp_path_factory.mktemp("rapporto") / "rapporto.pdf"
    path.write_bytes(report_pdf(content))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def test_pdf_text_has_zones_residents_warnings_and_sources(pdf_pages):
    text = " ".join("\n".join(pdf_pages).split())  # lines wrapped inside a table cell join with a space
    for expected in (
        "Proposta <di prova>", ZONE_A, ZONE_B, "Vuota",               # user text printed literally
        "6.234", "10.000", "5.000", "21.234",                          # residents as the report shows them
        "25 novembre 2026, ore 09:30", "Stato delle collaborazioni al 25 novembre 2026",
        "Autore: Ufficio di piano",
        "1 comune non assegnato a una zona: Comune 1-2.", "La zona «Vuota» non contiene comuni.",
        "2 su 3 comuni, 3.234 ab. (51,9%)",                             # coverage, polizia locale, zone a
        "2 adesioni su 5 (40%)",                                        # coherence
        "Confini comunali: ISTAT, via openpolis/geojson-italy (CC BY 4.0)",
        "Popolazione residente al 1° gennaio 2023: ISTAT (CC BY 3.0)",
        SOURCE_PL1,
    ):
        assert expected in text, expected
    assert "FAR" not in text  # no member in the area


def test_pdf_has_one_page_per_zone_with_its_comuni(pdf_pages):
    def page_of(heading):
        found = [i for i, page in enumerate(pdf_pages) if page.lstrip().startswith(heading)]
        assert len(found) == 1, heading
        return pdf_pages[found[0]]

    zone_a = page_of(ZONE_A)
    for code, name, residents in ((g(0, 0), "Comune 0-0", "1.234"), (g(0, 1), "Comune 0-1", "2.000"),
                                  (g(1, 0), "Comune 1-0", "3.000")):
        assert code in zone_a and name in zone_a and residents in zone_a
    assert g(0, 2) not in zone_a and "3 comuni, 6.234 residenti (29,4% dell'area)" in zone_a
    zone_b = page_of(ZONE_B)
    assert g(0, 2) in zone_b and g(1, 1) in zone_b and g(0, 0) not in zone_b
    assert "La zona «Vuota» non contiene comuni." in page_of("Vuota")
    unassigned = page_of("Comuni non assegnati")
    assert g(1, 2) in unassigned and "5.000" in unassigned
    assert pdf_pages[-1].lstrip().startswith("Fonti dei dati e attribuzione")


def test_pdf_pages_look_like_a4_and_render(content, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(content))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "A4" in info and "Title:           Rapporto: Proposta <di prova>" in info


def test_every_pdf_font_is_embedded(content, tmp_path):
    """pdffonts (poppler) lists each font the PDF uses: none may be left to the viewer
    (ReportLab's default Helvetica was, for pages and table cells)."""
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(content))
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    fonts = [line.split() for line in lines[2:]]
    assert fonts and all(f[0].endswith(("DejaVuSans", "DejaVuSans-Bold")) for f in fonts), lines
    assert all(f[-5] == "yes" for f in fonts), lines  # the "emb" column


# -- XLSX ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook_bytes(content):
    return report_xlsx(content)


def test_xlsx_sheets_and_codes_as_text(workbook_bytes):
    book = load_workbook(BytesIO(workbook_bytes))
    assert book.sheetnames == ["Riepilogo", "Mappa", "Statistiche", "Copertura", "Collaborazioni", "Comuni", "Fonti"]
    comuni = book["Comuni"]
    header = [c.value for c in comuni[1]]
    assert header[:5] == ["Codice ISTAT", "Comune", "Zona", "Residenti", "Superficie (km²)"]
    rows = [[c.value for c in row] for row in comuni.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [g(0, 0), g(0, 1), g(1, 0), g(0, 2), g(1, 1), g(1, 2)]
    for cell in comuni["A"][1:]:
        assert cell.data_type == "s" and len(cell.value) == 6 and cell.number_format == "@"
    assert [r[3] for r in rows] == [1234, 2000, 3000, 6000, 4000, 5000]  # numbers, not text
    assert rows[5][2] == "Comuni non assegnati"
    assert rows[1][5:] == ["nessuna", "attiva", "attiva (da verificare)", "attiva (da verificare)"]


def test_xlsx_numbers_warnings_and_sources(workbook_bytes):
    book = load_workbook(BytesIO(workbook_bytes))
    stats = {row[0]: row for row in book["Statistiche"].iter_rows(min_row=2, values_only=True)}
    assert stats[ZONE_A][2] == 6234 and stats[ZONE_B][2] == 10000 and stats["Totale area"][2] == 21234
    summary = [row for row in book["Riepilogo"].iter_rows(values_only=True)]
    assert ("Rapporto", "Proposta <di prova>") == summary[0][:2]
    assert any(r[0] == "La zona «Vuota» non contiene comuni." for r in summary)
    coverage = [r for r in book["Copertura"].iter_rows(min_row=2, values_only=True)
                if r[0] == ZONE_A and r[1] == "Polizia Locale"]
    assert coverage[0][2:8] == (3, 2, pytest.approx(66.6667, abs=1e-3), 6234, 3234, pytest.approx(51.877, abs=1e-3))
    sources = [r for r in book["Fonti"].iter_rows(values_only=True)]
    assert sources[0][0].startswith("Confini comunali: ISTAT")
    assert any(r[0] == "PL1" and r[5] == SOURCE_PL1 for r in sources)


def test_xlsx_says_when_it_was_made_in_italian_local_time(workbook_bytes):
    summary = load_workbook(BytesIO(workbook_bytes))["Riepilogo"]
    made = [row[1] for row in summary.iter_rows(values_only=True) if row[0] == "Generato il"]
    assert made == ["25 novembre 2026, ore 09:30"]  # 08:30 UTC


def test_xlsx_user_text_is_never_a_formula(workbook_bytes):
    book = load_workbook(BytesIO(workbook_bytes))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == ZONE_B]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(BytesIO(workbook_bytes)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    assert len([n for n in zipfile.ZipFile(BytesIO(workbook_bytes)).namelist() if n.startswith("xl/media/")]) == 1


def test_control_characters_pasted_into_names_do_not_break_the_files(area):
    plan = Plan.build((Zone("a", "Nord\x07 Bassa", "#E69F00"),), {c: "a" for c in AREA_CODES})
    content = build_report(area, plan, COLLABS, title="Titolo\x00 incollato", day=DAY, generated_at=MADE)
    book = load_workbook(BytesIO(report_xlsx(content)))
    assert book["Riepilogo"]["B1"].value == "Titolo incollato"
    assert book["Comuni"]["C2"].value == "Nord Bassa"
    pdf = report_pdf(content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode()
    assert "Titolo incollato" in text and "Nord Bassa" in text
