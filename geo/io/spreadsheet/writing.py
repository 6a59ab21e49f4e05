"""Writing spreadsheets Italian offices open, where user text never runs as a formula.

**The rule** (OWASP, "CSV injection"): Excel and LibreOffice run a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (and, in some versions, tab or CR) as a formula, so a
zone named ``=HYPERLINK("http://x")`` would become a link, or worse, in the office
that opens the export.

- CSV: every *text* cell starting with one of those characters gets a leading
  ``'`` (:func:`neutralise_formula`): ``=SUM(1)`` is written ``'=SUM(1)``. Numbers
  are not text and are written as they are: ``-5`` stays ``-5``. Our readers drop
  that ``'`` again (:func:`geo.io.spreadsheet.grid.restore_neutralised`), so an
  export reads back to the same values.
- XLSX: text cells are text cells (:func:`text_never_formula`); Excel never runs
  them, so the text is written unchanged but for the control characters the format
  cannot hold (:func:`xlsx_text`).

CSV files are ``;``-separated UTF-8 with BOM and CRLF line ends: how Italian Excel
reads them with accents intact.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Iterable, Sequence

import pandas as pd

from geo.io.spreadsheet.grid import FORMULA_TRIGGERS, NEUTRALISED_PREFIX


def neutralise_formula(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula;
    anything else (numbers included, negative ones too) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return NEUTRALISED_PREFIX + value
    return value


def _csv_cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return neutralise_formula(value)


def csv_rows_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """The rows (the header first) as a CSV for Italian Excel, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table (column names as header, no index) as a CSV for Italian Excel."""
    return csv_rows_bytes([list(table.columns), *table.itertuples(index=False, name=None)])


def xlsx_text(value: object) -> object:
    """``value`` as an XLSX cell takes it: text without the control characters the file
    format cannot hold (openpyxl refuses them with an exception); anything else unchanged."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def text_never_formula(book) -> None:
    """Turn every formula cell of an openpyxl workbook back into plain text.

    openpyxl stores any string starting with ``=`` as a formula, so a zone or
    collaboration named ``=HYPERLINK(...)`` would run in Excel ("formula
    injection"). The app writes no formulas of its own, so every one is user text.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def xlsx_bytes(table: pd.DataFrame, sheet: str = "Copertura") -> bytes:
    """An XLSX workbook with the table; every cell written as text (codes keep their zeros)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.astype(str).map(xlsx_text).rename(columns=xlsx_text).to_excel(writer, index=False, sheet_name=sheet)
        text_never_formula(writer.book)
    return buffer.getvalue()
