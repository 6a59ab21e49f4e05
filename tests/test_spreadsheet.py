"""User text in the spreadsheets the app writes is never a formula: XLSX cells are text
cells, CSV cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading ``'``."""

import csv
import io

import openpyxl
import pandas as pd

from geo.collaborations.coverage import coverage_matrix
from geo.collaborations.model import PRIORITY_FUNCTIONS, Collaboration
from geo.io.collaboration_files import read_collaborations, write_collaborations_csv
from geo.io.plan_export import to_csv, to_xlsx
from geo.io.spreadsheet import csv_bytes, csv_rows_bytes, xlsx_bytes
from geo.render.collaboration_tables import matrix_table
from geo.zoning.plan import Plan, Zone
from tests.grids import grid_area, grid_code as g

EVIL = '=HYPERLINK("http://example.invalid","clic")'


def cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def test_plan_export_writes_a_formula_like_zone_name_as_text():
    area = grid_area(1, 2)
    plan = Plan.build([Zone("a", EVIL, "#E69F00")], {g(0, 0): "a", g(0, 1): "a"})
    found = [c for c in cells(to_xlsx(area, plan)) if c.value == EVIL]
    assert found and all(c.data_type == "s" for c in found)
    assert not [c for c in cells(to_xlsx(area, plan)) if c.data_type == "f"]


def test_table_download_writes_formula_like_text_as_text():
    found = cells(xlsx_bytes(pd.DataFrame({"Nome": [EVIL, "=1+1"], "Codice": ["017088", "017001"]})))
    assert {c.value for c in found} >= {EVIL, "=1+1", "017088"}
    assert all(c.data_type == "s" for c in found)


# -- CSV: the same protection, by a leading apostrophe (OWASP) -------------------------------
ATTACKS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1"]


def csv_cells(data: bytes) -> list[list[str]]:
    """The cells of one of our CSV files, as Excel reads them (BOM, ``;``)."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_plan_csv_neutralises_formula_like_zone_names():
    area = grid_area(1, 4)
    zones = [Zone(f"z{i}", name, "#E69F00") for i, name in enumerate(ATTACKS)]
    plan = Plan.build(zones, {g(0, i): f"z{i}" for i in range(4)})
    rows = csv_cells(to_csv(area, plan))
    assert [r[2] for r in rows[1:]] == ["'" + a for a in ATTACKS]
    assert [r[0] for r in rows[1:]] == [g(0, 0), g(0, 1), g(0, 2), g(0, 3)]  # codes untouched
    assert [r[3] for r in rows[1:]] == ["#E69F00"] * 4


def test_collaboration_csv_neutralises_every_text_column():
    collaboration = Collaboration(id="x", name=ATTACKS[0], form="convenzione", functions=("tributi",),
                                  members=("017088", "017137"), capofila=None, status="attiva",
                                  notes="\n".join(ATTACKS[1:]))
    header, row = csv_cells(write_collaborations_csv([collaboration]))
    cells = dict(zip(header, row))
    assert cells["nome"] == "'" + ATTACKS[0]
    assert cells["note"] == "'" + "\n".join(ATTACKS[1:])  # one cell: only its start can trigger
    assert cells["membri"] == "017088, 017137" and cells["stato"] == "attiva"


def test_coverage_matrix_csv_neutralises_zone_names_and_keeps_negative_numbers():
    area = grid_area(1, 2)
    plan = Plan.build([Zone("a", ATTACKS[0], "#E69F00"), Zone("b", ATTACKS[3], "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "b"})
    matrix = matrix_table(coverage_matrix(area.codes, [], PRIORITY_FUNCTIONS), area, plan)
    rows = csv_cells(csv_bytes(matrix))
    assert rows[0][:3] == ["Codice ISTAT", "Comune", "Zona"]
    assert [r[2] for r in rows[1:]] == ["'" + ATTACKS[0], "'" + ATTACKS[3]]
    assert {r[3] for r in rows[1:]} == {"nessuna"}
    table = pd.DataFrame({"Testo": ["-5", "@x"], "Saldo": [-5, 7], "Quota": [-2.5, 0.5], ATTACKS[2]: [1, 2]})
    assert csv_cells(csv_bytes(table)) == [["Testo", "Saldo", "Quota", "'" + ATTACKS[2]],
                                           ["'-5", "-5", "-2.5", "1"], ["'@x", "7", "0.5", "2"]]


def test_tab_and_carriage_return_starts_are_neutralised_too():
    assert csv_cells(csv_rows_bytes([["\tcmd", "\r=1", "a=1", " =1"]])) == [["'\tcmd", "'\r=1", "a=1", " =1"]]


def test_a_neutralised_csv_reads_back_as_typed():
    collaboration = Collaboration(id="x", name=ATTACKS[0], form="convenzione", functions=("tributi",),
                                  members=("017088", "017137"), capofila=None, status="attiva", notes=ATTACKS[3])
    known = {"017088": "Leno", "017137": "Pavone del Mella"}
    result = read_collaborations(write_collaborations_csv([collaboration]), "c.csv", known)
    assert result.ok, result.problems
    assert result.collaborations == (collaboration,)
