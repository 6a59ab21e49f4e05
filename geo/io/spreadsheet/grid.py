"""The grid every spreadsheet reader returns, and the checks shared by CSV and XLSX.

A grid is the header row and the non-blank rows below it, each with the row number
the user sees in the spreadsheet (the first line of the file is row 1; an Excel
``sep=;`` line counts, as a text editor and LibreOffice show it). Readers of plan
and collaboration files only map its columns.

Limits are enforced while the rows arrive, never after reading them all:

- at most ``max_rows`` rows below a header on row 1: every row read counts, blank
  ones too (an XLSX parses each of them, so 200,000 blank rows cost as much as
  200,000 written ones); reading stops at the first row over the limit;
- no cell longer than ``max_cell_chars`` characters;
- only the first :data:`MAX_COLUMNS` columns are read (the app's files have up to
  12; a row of a million ``;`` would otherwise be a million cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from geo.base.italian import format_number
from geo.base.errors import UserError

MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000  # a collaboration's notes may be 2,000: the model says why longer ones are refused
LEGACY_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"  # OLE2 container of .xls (Excel 97-2003)
LEGACY_EXCEL_MESSAGE = "Il formato .xls (Excel 97-2003) non è supportato: salva il file come .xlsx o .csv."
# What the writers put before text that Excel would run as a formula (see writing.py).
NEUTRALISED_PREFIX = "'"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class FileRefused(UserError):
    """A file that cannot be read at all; ``messages`` are Italian, for the user."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = messages


@dataclass(frozen=True)
class GridRow:
    """One non-blank spreadsheet row: its number as the user sees it and its cells
    (text from a CSV; text, numbers, dates or booleans from an XLSX; ``None`` when
    empty), without the empty cells at its end."""

    number: int
    cells: tuple[object, ...]


@dataclass(frozen=True)
class Grid:
    """The header (the first non-blank row) and the non-blank rows below it."""

    header: GridRow
    rows: tuple[GridRow, ...]


def refuse_empty_or_too_large(data: bytes, max_bytes: int) -> None:
    """Raise :class:`FileRefused` for an empty file or one over ``max_bytes`` bytes (sizes shown in MB)."""
    if not data:
        raise FileRefused("Il file è vuoto.")
    if len(data) > max_bytes:
        size = format_number(len(data) / 1024 / 1024, 1)
        raise FileRefused(f"Il file è troppo grande ({size} MB): il limite è "
                          f"{format_number(max_bytes / 1024 / 1024, 1)} MB.")


def refuse_legacy_excel(data: bytes, file_name: str) -> None:
    """Raise :class:`FileRefused` for an Excel 97-2003 file (by content or by its ``.xls`` name)."""
    if data.startswith(LEGACY_EXCEL_SIGNATURE) or Path(file_name or "").suffix.lower() == ".xls":
        raise FileRefused(LEGACY_EXCEL_MESSAGE)


def restore_neutralised(text: str) -> str:
    """Text as the user typed it: the ``'`` our writers put before ``=``, ``+``, ``-``,
    ``@``, tab or CR is dropped again, so an exported file reads back the same."""
    if text.startswith(NEUTRALISED_PREFIX) and text[1:2] and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cells(values: Sequence[object], number: int, max_cell_chars: int) -> tuple[object, ...]:
    """The row's cells without its trailing blanks (``()`` for a blank row); refuses a cell too long."""
    values = values[:MAX_COLUMNS]
    if values.count(None) == len(values):  # the common blank row, cheap: no loop in Python
        return ()
    end = len(values)
    while end and values[end - 1] is None:  # empty cells Excel keeps for their format
        end -= 1
    while end and _is_blank(values[end - 1]):
        end -= 1
    cells = list(values[:end])
    for i, value in enumerate(cells):
        if isinstance(value, str):
            if len(value) > max_cell_chars:
                raise FileRefused(f"Riga {number}: una cella è troppo lunga "
                                  f"(più di {format_number(max_cell_chars)} caratteri).")
            cells[i] = restore_neutralised(value)
    return tuple(cells) if any(not _is_blank(v) for v in cells) else ()


def grid_of(rows: Iterable[tuple[int, Sequence[object]]], *, max_rows: int, empty_message: str,
            max_cell_chars: int = MAX_CELL_CHARS) -> Grid:
    """The grid of ``(row number, values)`` pairs, pulled one at a time.

    At most ``max_rows + 2`` pairs are pulled: the header, ``max_rows`` rows and the
    one that proves the file too long. Raises :class:`FileRefused` (``empty_message``
    when no row has a value).
    """
    header: GridRow | None = None
    body: list[GridRow] = []
    read = blank = 0
    for number, values in rows:
        read += 1
        if read > max_rows + 1:
            counted = ", contando anche quelle vuote" if blank else ""
            raise FileRefused(f"Il file ha troppe righe (più di {format_number(max_rows)}{counted}).")
        cells = _cells(values, number, max_cell_chars)
        if not cells:
            blank += 1
        elif header is None:
            header = GridRow(number, cells)
        else:
            body.append(GridRow(number, cells))
    if header is None:
        raise FileRefused(empty_message)
    return Grid(header, tuple(body))
