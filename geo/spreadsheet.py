"""Spreadsheet safety: text typed by users is never written as a formula."""

from __future__ import annotations


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
