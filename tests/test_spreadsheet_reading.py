"""Reading spreadsheets: one grid for CSV and XLSX, and hostile files refused while reading.

Hostile workbooks are written by hand (:mod:`tests.workbooks`: the XML of one sheet
inside a real workbook), so each is a few hundred kilobytes; the rows openpyxl hands over are
counted, to show reading stops at the limit instead of after the whole sheet.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from geo.io import collaboration_files, plan_files
from geo.io.collaboration_files import read_collaborations
from geo.io.plan_import import import_plan
from geo.io.spreadsheet import FileRefused, read_csv_grid, read_grid, read_xlsx_grid
from geo.io.spreadsheet.grid import restore_neutralised
from geo.zoning.plan import Plan
from tests.grids import grid_area
from tests.workbooks import SHEET, number_rows, text_row as row, with_declared_size, xlsx_with_sheet, zip_bomb

KNOWN = {"017088": "Leno", "017137": "Pavone del Mella"}


@pytest.fixture
def rows_pulled(monkeypatch):
    """How many rows openpyxl has handed over, counted where its read-only sheet yields them."""
    pulled = []
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for values in original(self, *args, **kwargs):
            pulled.append(values)
            yield values

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return pulled


@pytest.fixture(scope="module")
def area():
    return grid_area(1, 2)


def base(area) -> Plan:
    return Plan.build([], {c: None for c in area.codes})


# -- hostile workbooks: refused while reading, at most limit + 2 rows handed over -------------
def test_200000_blank_rows_are_refused_after_the_limit(area, rows_pulled):
    data = xlsx_with_sheet(row(1, "codice_istat", "zona") + "".join(f'<row r="{n}"/>' for n in range(2, 200_002)))
    assert len(data) < 500_000  # a small upload
    result = import_plan("vuote.xlsx", data, area, base(area))
    assert result.problems == ("Il file ha troppe righe (più di 5.000, contando anche quelle vuote).",)
    assert len(rows_pulled) == plan_files.MAX_ROWS + 2  # header, 5,000 rows, the one over the limit


def test_a_cell_far_below_is_not_reached_through_the_missing_rows(area, rows_pulled):
    data = xlsx_with_sheet(row(1, "codice_istat", "zona") + row(1_048_576, "099000", "A"), "A1:B1048576")
    assert len(data) < 10_000
    result = import_plan("lontana.xlsx", data, area, base(area))
    assert result.problems == ("Il file ha troppe righe (più di 5.000, contando anche quelle vuote).",)
    assert len(rows_pulled) == plan_files.MAX_ROWS + 2


def test_200000_tiny_rows_are_refused_after_the_limit(area, rows_pulled):
    data = xlsx_with_sheet(row(1, "codice_istat", "zona") + number_rows(2, 200_000))
    result = import_plan("minuscole.xlsx", data, area, base(area))
    assert result.problems == ("Il file ha troppe righe (più di 5.000).",)
    assert len(rows_pulled) == plan_files.MAX_ROWS + 2


def test_a_collaboration_workbook_stops_at_its_own_limit(rows_pulled):
    data = xlsx_with_sheet(row(1, "nome", "forma", "funzioni", "membri", "stato")
                           + "".join(row(n, f"C{n}") for n in range(2, 200_002)))
    assert len(data) < collaboration_files.MAX_BYTES
    result = read_collaborations(data, "collaborazioni.xlsx", KNOWN)
    assert [p.message for p in result.problems] == ["Il file ha troppe righe (più di 1.000)."]
    assert len(rows_pulled) == collaboration_files.MAX_ROWS + 2


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(area, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    data = zip_bomb(64 * 1024 * 1024)
    assert len(data) < 200_000  # 64 MB once inflated
    assert import_plan("bomba.xlsx", data, area, base(area)).problems == (
        "Il file Excel è troppo grande una volta decompresso.",)
    assert [p.message for p in read_collaborations(data, "bomba.xlsx", KNOWN).problems] == [
        "Il file Excel è troppo grande una volta decompresso."]


TOO_COMPLEX = ("Il file Excel ha troppi testi, stili o fogli diversi per essere letto: "
               "salva il foglio con i dati come CSV e carica quello.")


@pytest.mark.parametrize("parts", [
    {"cell_formats": 300_000},  # 57 kB; openpyxl takes seconds to parse the styles
    {"cell_formats": 20_001},  # just over the styles' own limit
    {"shared_strings": 150_000},  # 300,000 elements: over the limit of all parts opened whole
    {"shared_strings": 150_000, "strings_part": "xl/worksheets/testi.xml"},  # hidden among the sheets
])
def test_parts_that_openpyxl_would_parse_whole_are_counted_before_opening(area, monkeypatch, parts):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the file")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    data = xlsx_with_sheet(row(1, "codice_istat", "zona"), **parts)
    assert import_plan("complesso.xlsx", data, area, base(area)).problems == (TOO_COMPLEX,)


def test_parts_within_the_limits_are_opened(area):
    data = xlsx_with_sheet(row(1, "codice_istat", "zona") + row(2, "099000", "A"),
                           shared_strings=80_000, cell_formats=19_000)
    result = import_plan("ricco.xlsx", data, area, base(area))
    assert result.problems == () and result.plan.members("z1") == ("099000",)


def test_a_zip_lying_about_its_sizes_is_read_only_as_far_as_it_declares(area):
    # 64 MB of spaces inside the sheet, declared as 1 kB: zipfile inflates 1 kB, then the CRC fails
    bomb = xlsx_with_sheet(row(1, "codice_istat", "zona") + " " * (64 * 1024 * 1024))
    forged = with_declared_size(bomb, SHEET, 1024)
    assert import_plan("falso.xlsx", forged, area, base(area)).problems == (
        "Il file non è un foglio Excel (.xlsx) leggibile.",)


def test_a_sheet_damaged_half_way_is_an_italian_message(area):
    good = xlsx_with_sheet(row(1, "codice_istat", "zona") + row(2, "099000", "A"))
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        parts = {p.filename: source.read(p.filename) for p in source.infolist()}
    parts[SHEET] = parts[SHEET][:-40]  # cut inside </sheetData></worksheet>
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    assert import_plan("rotto.xlsx", out.getvalue(), area, base(area)).problems == (
        "Il file non è un foglio Excel (.xlsx) leggibile.",)


def test_a_declared_size_of_the_whole_sheet_does_not_widen_the_rows():
    data = xlsx_with_sheet(row(1, "codice_istat", "zona") + row(3, "099000", "A"), "A1:XFD1048576")
    grid = read_xlsx_grid(data, max_rows=10, max_unzipped_bytes=10**6)
    assert grid.header.cells == ("codice_istat", "zona")
    assert [(r.number, r.cells) for r in grid.rows] == [(3, ("099000", "A"))]


def test_a_wrong_small_declared_size_does_not_hide_columns():
    data = xlsx_with_sheet(row(1, "codice_istat", "zona", "colore") + row(2, "099000", "A", "#E69F00"), "A1")
    grid = read_xlsx_grid(data, max_rows=10, max_unzipped_bytes=10**6)
    assert grid.rows[0].cells == ("099000", "A", "#E69F00")


@pytest.mark.parametrize("name, data", [
    ("lunga.csv", ("codice_istat;zona\r\n099000;" + "x" * 10_001 + "\r\n").encode()),
    ("lunga.xlsx", xlsx_with_sheet(row(1, "codice_istat", "zona") + row(2, "099000", "x" * 10_001))),
])
def test_a_cell_over_the_limit_is_refused_with_its_row(area, name, data):
    assert import_plan(name, data, area, base(area)).problems == (
        "Riga 2: una cella è troppo lunga (più di 10.000 caratteri).",)


@pytest.mark.parametrize("cell", ['"' + "x" * 200_000, "x" * 131_073, '"' + "x" * 140_000 + '"'])
def test_a_cell_over_the_csv_field_limit_is_an_italian_message(area, cell):
    """The csv module stops a field at 131,072 characters (an unclosed quote, or a long cell)."""
    data = ("codice_istat;zona\r\n099000;" + cell + "\r\n").encode()
    assert import_plan("lunga.csv", data, area, base(area)).problems == (
        "Riga 2: una cella è troppo lunga (più di 10.000 caratteri), forse per una virgoletta non chiusa.",)


def test_an_unreadable_csv_row_is_an_italian_message(area):
    data = b'codice_istat;zona\r\n099000;"a"b\x00\r\n'
    problems = import_plan("rotta.csv", data, area, base(area)).problems
    assert problems and all("\x00" not in p for p in problems)


# -- the grid ------------------------------------------------------------------------------
def test_csv_rows_are_numbered_as_the_file_shows_them():
    data = 'sep=;\r\ncodice;zona\r\n\r\n099000;"Nord\r\nEst"\r\n;\r\n099001;Sud\r\n'.encode()
    grid = read_csv_grid(data, max_rows=10)
    assert (grid.header.number, grid.header.cells) == (2, ("codice", "zona"))
    # line 3 blank, record 4 spans two lines, record 5 has only empty cells
    assert [(r.number, r.cells) for r in grid.rows] == [(4, ("099000", "Nord\r\nEst")), (6, ("099001", "Sud"))]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_csv_encodings_italian_offices_use(encoding):
    grid = read_csv_grid("zona;nota\nCittà;perché più\n".encode(encoding), max_rows=10)
    assert grid.rows[0].cells == ("Città", "perché più")


@pytest.mark.parametrize("text, cells", [
    ("a\tb\tc,d\n1\t2\t3,4\n", ("1", "2", "3,4")),  # tab: more tabs than commas in the header
    ("a;b,c\n1;2,3\n", ("1", "2,3")),  # tie between ; and , goes to ;
    ("a,b\n1,2\n", ("1", "2")),
])
def test_csv_delimiter_comes_from_the_header_line(text, cells):
    assert read_csv_grid(text.encode(), max_rows=10).rows[0].cells == cells


@pytest.mark.parametrize("data", [b"zona\x00\x01", bytes(range(1, 32)) * 20, b"\x81\x8d\x8f" * 50])
def test_binary_content_is_not_a_csv(data):
    with pytest.raises(FileRefused, match="contiene dati binari"):
        read_csv_grid(data, max_rows=10)


def test_xlsx_cells_keep_their_types_and_blank_rows_keep_the_numbering():
    book = Workbook()
    book.active.append(["codice", "n", None, None])
    book.active.append([])
    book.active.append([17088, 2.5, None, "   "])
    sheet = book.create_sheet("Comuni")
    sheet.append(["scelto"])
    buffer = io.BytesIO()
    book.save(buffer)
    grid = read_xlsx_grid(buffer.getvalue(), max_rows=10, max_unzipped_bytes=10**6)
    assert grid.header.cells == ("codice", "n")
    assert [(r.number, r.cells) for r in grid.rows] == [(3, (17088, 2.5))]
    chosen = read_xlsx_grid(buffer.getvalue(), max_rows=10, max_unzipped_bytes=10**6, sheet="Comuni")
    assert chosen.header.cells == ("scelto",)


@pytest.mark.parametrize("data, message", [
    (b"", "Il file è vuoto."),
    (b"\r\n ; \r\n", "Il file è vuoto."),
    (b"x" * 101, "Il file è troppo grande (0,0 MB): il limite è 0,0 MB."),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "Il formato .xls (Excel 97-2003) non è supportato: salva il file "
                                         "come .xlsx o .csv."),
    (b"PK\x03\x04 rotto", "Il file non è un foglio Excel (.xlsx) leggibile."),
])
def test_read_grid_refuses_with_one_message(data, message):
    with pytest.raises(FileRefused) as refused:
        read_grid(data, "file.csv", max_bytes=100, max_rows=10, max_unzipped_bytes=10**6)
    assert refused.value.messages == (message,)


@pytest.mark.parametrize("cell, typed", [
    ("'=SUM(1)", "=SUM(1)"), ("'-1+1", "-1+1"), ("'+39 030", "+39 030"), ("'@a", "@a"), ("'\tx", "\tx"),
    ("'abc", "'abc"), ("'", "'"), ("=SUM(1)", "=SUM(1)"), ("l'ufficio", "l'ufficio"),
])
def test_the_apostrophe_our_writers_add_is_dropped_only_before_a_formula_start(cell, typed):
    assert restore_neutralised(cell) == typed


def test_only_the_first_200_columns_are_read():
    header = ";".join(f"c{i}" for i in range(1, 100_001))  # 100,000 columns in one line
    grid = read_csv_grid(f"{header}\r\n1;2\r\n".encode(), max_rows=10)
    assert len(grid.header.cells) == 200 and grid.header.cells[-1] == "c200"
    assert grid.rows[0].cells == ("1", "2")
