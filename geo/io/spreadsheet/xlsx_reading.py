"""Reading Excel workbooks (.xlsx) without trusting their size.

An .xlsx is a zip of XML parts: a 2 MB upload can unzip to gigabytes, and a sheet
of a million blank rows is a few kilobytes. So, before openpyxl opens the file, the
sizes the zip declares for its parts are summed (Python's ``zipfile`` never
inflates a part beyond its declared size: a lying header fails its CRC check);
then the sheet is streamed (openpyxl ``read_only``) and reading stops at the row
limit (:func:`geo.io.spreadsheet.grid.grid_of`), the columns after
:data:`MAX_COLUMNS` are not read, and any damage found on the way is an Italian
message, not a traceback.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Iterator

from geo.io.spreadsheet.grid import MAX_CELL_CHARS, FileRefused, Grid, grid_of

XLSX_SIGNATURE = b"PK\x03\x04"  # a zip's first local header
MAX_COLUMNS = 200  # the app's files have up to 12; padding every row to Excel's 16,384 would cost memory
DAMAGED_MESSAGE = "Il file non è un foglio Excel (.xlsx) leggibile."
TOO_LARGE_UNZIPPED_MESSAGE = "Il file Excel è troppo grande una volta decompresso."


def unzipped_size(data: bytes) -> int:
    """Bytes the parts of the zip declare once inflated; raises :class:`FileRefused` if it is no zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(part.file_size for part in archive.infolist())
    except Exception as exc:  # BadZipFile, but also struct and value errors on a truncated header
        raise FileRefused(DAMAGED_MESSAGE) from exc


def _sheet_rows(sheet) -> Iterator[tuple[int, tuple[object, ...]]]:
    """``(row number, values)`` pulled one at a time; damage in the middle of the sheet
    is reported as a damaged file."""
    rows = sheet.iter_rows(min_row=1, min_col=1, max_col=MAX_COLUMNS, values_only=True)
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
    ``max_unzipped_bytes`` unzipped, too many rows or too long a cell.
    """
    if unzipped_size(data) > max_unzipped_bytes:
        raise FileRefused(TOO_LARGE_UNZIPPED_MESSAGE)
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
