import io

import openpyxl
import pandas as pd

from geo.io.spreadsheet import xlsx_bytes
from geo.zoning.plan import Plan, Zone
from geo.io.plan_export import to_xlsx
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
