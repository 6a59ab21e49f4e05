"""Reading Excel workbooks (.xlsx) without trusting them.

Before openpyxl opens the file, its zip is checked
(:mod:`geo.io.spreadsheet.xlsx_parts`: unzipped size, and the XML openpyxl would
parse whole on opening); then the sheet is streamed (openpyxl ``read_only``),
reading stops at the row limit (:func:`geo.io.spreadsheet.grid.grid_of`), rows are
as wide as their last cell whatever size the sheet declares (it may declare Excel's
16,384 columns), and any damage found on the way is an Italian message, not a
traceback.
"""

from __future__ import annotations

import io
import warnings
from typing import Iterator

from geo.io.spreadsheet.grid import MAX_CELL_CHARS, FileRefused, Grid, grid_of
from geo.io.spreadsheet.xlsx_parts import DAMAGED_MESSAGE, check_parts

XLSX_SIGNATURE = b"PK\x03\x04"  # a zip's first local header


def _sheet_rows(sheet) -> Iterator[tuple[int, tuple[object, ...]]]:
    """``(row number, values)`` pulled one at a time; damage in the middle of the sheet
    is reported as a damaged file."""
    # No max_col: each row is as wide as its last cell (padding every row to a fixed width
    # costs a Python loop per padded cell later); the grid keeps the first MAX_COLUMNS.
    rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # XML, zip and value errors of every kind in a damaged part
            raise FileRefused(DAMAGED_MESSAGE) from exc
        number += 1
        yield number, values


def read_xlsx_grid(data: bytes, *, max_rows: int, max_unzipped_bytes: int, sheet: str | None = None,
                   max_cell_chars: int = MAX_CELL_CHARS) -> Grid:
    """The grid of an Excel workbook's sheet ``sheet`` if it has one, else its first sheet.

    Cells keep their type (text, numbers, dates, booleans); formulas give the value
    Excel last saved. Raises :class:`FileRefused` for a damaged file, one larger than
    ``max_unzipped_bytes`` unzipped or too complex to open, too many rows or too long
    a cell.
    """
    check_parts(data, max_unzipped_bytes)
    from openpyxl import load_workbook  # only needed for spreadsheets

    with warnings.catch_warnings():  # openpyxl warns about styles and extensions it ignores
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
            raise FileRefused(DAMAGED_MESSAGE) from exc
        try:
            if not book.worksheets:
                raise FileRefused("Il file Excel non contiene fogli di calcolo.")
            chosen = next((w for w in book.worksheets if w.title == sheet), book.worksheets[0])
            # The size the file declares may be wrong (openpyxl's documentation): read every row.
            chosen.reset_dimensions()
            return grid_of(_sheet_rows(chosen), max_rows=max_rows, max_cell_chars=max_cell_chars,
                           empty_message="Il foglio Excel è vuoto.")
        finally:
            book.close()
