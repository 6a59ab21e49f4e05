"""The layout of a per-comune statistical table, as ISTAT, MEF and regions publish them.

Such a table is not a clean grid: a title and notes above the header ("Tavola 3 -
Popolazione residente al 1° gennaio..."), the header itself, one row per comune
keyed by a code (``PRO_COM_T`` ``017088``, ``PRO_COM`` ``17088``, "Codice Istat
Comune"...), perhaps total rows, and footnotes below ("(a) Dati provvisori",
"Fonte: ISTAT"). :func:`statistical_table` finds the header and the code column
(by the header's name, else by the column whose cells are codes), keeps the rows
keyed by a code, sets footnotes and total rows aside (counted, for the preview), and
names every other row whose code cell is not a code: it is an error for the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from geo.base.codes import istat_code
from geo.io.spreadsheet.grid import Grid, GridRow

HEADER_SEARCH_ROWS = 40  # titles and notes above a header: a few lines, never pages
_EXCLUDED_WORDS = ("catastale", "regione", "provincia", "province", "ripartizione", "nuts", "sigla", "cap")
_NOTE_START = ("(", "*", "fonte", "note", "nota", "elaborazion", "dati ", "legenda", "avvertenz")


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else " ".join(str(value).split())


def _words(value: object) -> str:
    plain = unicodedata.normalize("NFKD", _text(value)).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def code_header_score(value: object) -> int:
    """How surely a header names the comune's ISTAT code (0: not at all, 5: ``PRO_COM_T``)."""
    words = _words(value)
    if not words or any(w in words.split() for w in _EXCLUDED_WORDS):
        return 0
    squeezed = words.replace(" ", "")
    if squeezed in ("procomt", "codicecomuneformatoalfanumerico"):
        return 5
    if squeezed == "procom" or ("istat" in words and any(w in words for w in ("comune", "codice", "cod"))):
        return 4
    if words in ("codice comune", "cod comune", "codice del comune", "codice comune formato numerico"):
        return 3
    return 2 if words in ("istat", "codice istat") else 0


def as_code(value: object) -> str | None:
    """The 6-character ISTAT code in a cell (``17088``, ``"017088"``, ``17088.0``), else ``None``."""
    try:
        return istat_code(_text(value)) if _text(value) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class StatisticalTable:
    """A statistical table found in a grid.

    Attributes
    ----------
    header : GridRow or None
        The header row (``None`` when the table has none: columns are then "Colonna N").
    columns : tuple of str
        A unique name per column (the header's text, "Colonna N" where blank).
    code_column : int
        Position of the code column.
    rows : tuple of GridRow
        The rows keyed by a code, with :attr:`codes` (same order).
    codes : tuple of str
    notes, totals : tuple of int
        Row numbers set aside as footnotes (or title lines) and as total rows.
    bad_rows : tuple of (int, str)
        Row number and Italian message of each other row whose code is not a code.
    """

    header: GridRow | None
    columns: tuple[str, ...]
    code_column: int
    rows: tuple[GridRow, ...]
    codes: tuple[str, ...]
    notes: tuple[int, ...]
    totals: tuple[int, ...]
    bad_rows: tuple[tuple[int, str], ...]


class NoCodeColumn(ValueError):
    """No column of the table holds ISTAT codes; the message is Italian."""


def _find_header(rows: list[GridRow]) -> tuple[int | None, int | None]:
    """(index of the header row, code column) by the header's name."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        scores = [code_header_score(cell) for cell in row.cells]
        if scores and max(scores) > 0:
            return index, scores.index(max(scores))
    return None, None


def _find_by_values(rows: list[GridRow]) -> tuple[int | None, int]:
    """(index of the header row or None, code column): the first column with three codes in a row."""
    for start in range(min(len(rows), HEADER_SEARCH_ROWS)):
        block = rows[start:start + 3]
        width = min((len(r.cells) for r in block), default=0)
        for column in range(width):
            if len(block) == 3 and all(as_code(r.cells[column]) for r in block):
                above = rows[start - 1].cells if start > 0 else ()
                return (start - 1 if above else None), column
    raise NoCodeColumn("Nel file non c'è una colonna con i codici ISTAT dei comuni: serve una colonna come "
                       "«PRO_COM_T», «PRO_COM» o «Codice Istat Comune», con un codice per riga.")


def _names(header: GridRow | None, width: int) -> tuple[str, ...]:
    names: list[str] = []
    for i in range(width):
        raw = _text(header.cells[i]) if header is not None and i < len(header.cells) else ""
        name = raw or f"Colonna {i + 1}"
        while name in names:
            name = f"{name} ({names.count(name) + 1})" if raw else f"Colonna {i + 1}b"
        names.append(name)
    return tuple(names)


def _is_note(row: GridRow) -> bool:
    filled = [c for c in row.cells if _text(c)]
    return len(filled) <= 1 or _words(filled[0]).startswith(_NOTE_START) or _text(filled[0]).startswith(_NOTE_START)


def statistical_table(grid: Grid, code_column: int | None = None) -> StatisticalTable:
    """Find the header, the code column and the data rows of ``grid``.

    Parameters
    ----------
    grid : Grid
        From :func:`geo.io.spreadsheet.read_grid`.
    code_column : int, optional
        The code column the user chose in the preview (default: detected).

    Raises
    ------
    NoCodeColumn
        When no column holds ISTAT codes.
    """
    rows = [grid.header, *grid.rows]
    header_index, found = _find_header(rows)
    if header_index is None:
        header_index, found = _find_by_values(rows)
    column = found if code_column is None else code_column
    header = rows[header_index] if header_index is not None else None
    body = rows[(header_index + 1) if header_index is not None else 0:]
    width = max([len(r.cells) for r in rows] + [column + 1])
    data, codes, notes, totals, bad = [], [], [], [], []
    notes += [r.number for r in rows[:header_index or 0]]
    for row in body:
        code = as_code(row.cells[column]) if column < len(row.cells) else None
        if code is not None:
            data.append(row)
            codes.append(code)
        elif any("totale" in _words(c).split() for c in row.cells):
            totals.append(row.number)
        elif _is_note(row):
            notes.append(row.number)
        else:
            shown = _text(row.cells[column]) if column < len(row.cells) else ""
            bad.append((row.number, f"Riga {row.number}: «{shown[:40]}» nella colonna del codice non è un codice "
                                    "ISTAT (6 cifre, come 017088, o PRO_COM senza lo zero iniziale, come 17088)."))
    return StatisticalTable(header, _names(header, width), column, tuple(data), tuple(codes), tuple(notes),
                            tuple(totals), tuple(bad))
