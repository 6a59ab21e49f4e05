"""Spreadsheet safety: text typed by users is never written as a formula."""

from __future__ import annotations

import io

import pandas as pd


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


def csv_bytes(table: pd.DataFrame) -> bytes:
    """``;``-separated UTF-8 CSV with BOM: opens correctly in Italian Excel."""
    return table.to_csv(sep=";", index=False).encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, sheet: str = "Copertura") -> bytes:
    """An XLSX workbook with the table; every cell written as text (codes keep their zeros)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.astype(str).to_excel(writer, index=False, sheet_name=sheet)
        text_never_formula(writer.book)
    return buffer.getvalue()

