"""Italian spreadsheets, read and written in one place.

Reading (CSV and XLSX, as Italian offices produce them) gives a :class:`Grid`: rows
of cell values with the row number the user sees, so the plan and collaboration
readers only map columns. Encoding, delimiter, Excel's ``sep=`` line, binary
content, sizes (zipped and unzipped), row and cell limits are checked here, while
reading; every refusal is a :class:`FileRefused` with an Italian message.

Writing: ``;``-separated UTF-8 CSV with BOM and XLSX, user text never a formula
(the rule is in :mod:`geo.io.spreadsheet.writing`).

=========================  ==========================================================
``grid``                   the grid, the shared limits and checks
``csv_reading``            text decoding, delimiter, CSV rows
``xlsx_reading``           zip guard, streamed XLSX rows
``writing``                CSV and XLSX writers, formula neutralisation
=========================  ==========================================================
"""

from __future__ import annotations

from pathlib import Path

from geo.io.spreadsheet.csv_reading import decode_text, read_csv_grid
from geo.io.spreadsheet.grid import (
    MAX_CELL_CHARS, FileRefused, Grid, GridRow, refuse_empty_or_too_large, refuse_legacy_excel,
)
from geo.io.spreadsheet.writing import (
    csv_bytes, csv_rows_bytes, neutralise_formula, text_never_formula, xlsx_bytes, xlsx_text,
)
from geo.io.spreadsheet.xlsx_reading import XLSX_SIGNATURE, read_xlsx_grid

SPREADSHEET_UPLOAD_TYPES = ("csv", "txt", "xlsx")  # what read_grid reads, for st.file_uploader(type=...)

__all__ = [
    "MAX_CELL_CHARS", "SPREADSHEET_UPLOAD_TYPES", "XLSX_SIGNATURE", "FileRefused", "Grid", "GridRow",
    "csv_bytes", "csv_rows_bytes", "decode_text", "neutralise_formula", "read_csv_grid", "read_grid", "read_xlsx_grid",
    "refuse_empty_or_too_large", "refuse_legacy_excel", "text_never_formula", "xlsx_bytes", "xlsx_text",
]


def read_grid(data: bytes, file_name: str, *, max_bytes: int, max_rows: int, max_unzipped_bytes: int) -> Grid:
    """The grid of an uploaded CSV or XLSX file (XLSX by content or by its name).

    Raises :class:`FileRefused` for an empty, oversized, Excel 97-2003, binary or
    damaged file and for too many rows (see :mod:`geo.io.spreadsheet.grid`).
    """
    refuse_empty_or_too_large(data, max_bytes)
    refuse_legacy_excel(data, file_name)
    if data.startswith(XLSX_SIGNATURE) or Path(file_name or "").suffix.lower() == ".xlsx":
        return read_xlsx_grid(data, max_rows=max_rows, max_unzipped_bytes=max_unzipped_bytes)
    return read_csv_grid(data, max_rows=max_rows)
