"""Reading CSV files as Italian offices write them.

Italian Excel saves "CSV" as Windows-1252 with ``;`` between cells; newer versions
save UTF-8 with a BOM; other tools use ``,`` or tabs, and Excel honours a first line
``sep=;``. All of these are read; a file that is not text is refused.
"""

from __future__ import annotations

import csv
import io
from typing import Iterator

from geo.base.italian import format_number
from geo.io.spreadsheet.grid import MAX_CELL_CHARS, FileRefused, Grid, grid_of

BINARY_MESSAGE = "Il file non è un testo CSV leggibile (contiene dati binari)."
DELIMITERS = ";,\t"
SAMPLE_LINES = 30
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # Italian Excel writes cp1252 ("Latin-1"); latin-1 decodes any byte
# Bytes that are control characters (Unicode category Cc) once decoded, tab and line ends apart:
# C0 and DEL in every encoding read here; C1 (0x80-0x9f) only where Latin-1 had to be used.
_NOT_C0 = bytes(b for b in range(256) if not (b < 0x20 and b not in b"\t\r\n" or b == 0x7f))
_NOT_C1 = bytes(b for b in range(256) if not 0x80 <= b <= 0x9f)


def decode_text(data: bytes) -> str:
    """The file as text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1.

    Raises :class:`FileRefused` when the bytes are not text (a NUL byte, or more than
    1 % control characters other than tab and line ends; in UTF-8 text only the C0
    ones and DEL are counted).
    """
    if b"\x00" in data:
        raise FileRefused(BINARY_MESSAGE)
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = len(data.translate(None, _NOT_C0))  # bytes.translate: counted in C, 5 MB in a few ms
    if encoding == "latin-1":
        controls += len(data.translate(None, _NOT_C1))
    if controls > max(3, len(text) // 100):
        raise FileRefused(BINARY_MESSAGE)
    return text


def _first_line(text: str) -> str:
    end = text.find("\n")
    return (text if end < 0 else text[:end]).rstrip("\r")


def _records(reader, first_number: int, max_cell_chars: int) -> Iterator[tuple[int, list[str]]]:
    number = first_number
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):  # the csv module stops a field at 131,072 characters
                raise FileRefused(f"Riga {number}: una cella è troppo lunga (più di {format_number(max_cell_chars)} "
                                  "caratteri), forse per una virgoletta non chiusa.") from exc
            raise FileRefused(f"Riga {number}: la riga non è leggibile (una virgoletta non chiusa?).") from exc
        yield number, record
        number += 1


def _delimiter(text: str) -> str:
    """The delimiter found on most of the first :data:`SAMPLE_LINES` non-blank lines, then
    the most frequent there, ``;`` on a tie: a statistical table's title lines above its
    header ("Tavola 3, anno 2023") have no delimiter, or a stray comma."""
    sample = []
    for line in io.StringIO(text):
        if line.strip():
            sample.append(line)
            if len(sample) == SAMPLE_LINES:
                break
    return max(DELIMITERS, key=lambda d: (sum(d in line for line in sample), sum(line.count(d) for line in sample),
                                          d == ";"))


def read_csv_grid(data: bytes, *, max_rows: int, max_cell_chars: int = MAX_CELL_CHARS) -> Grid:
    """The grid of a CSV file (cells as text).

    The delimiter is the one of a first line ``sep=X``, else the one of ``;``, ``,`` and
    tab found on most of the first non-blank lines (see :func:`_delimiter`). Limits as in
    :func:`geo.io.spreadsheet.grid.grid_of`; raises :class:`FileRefused`.
    """
    text = decode_text(data)
    first = _first_line(text)
    if first.lower().startswith("sep=") and len(first) == 5:  # Excel's hint, not a row of the table
        delimiter, first_number = first[4], 2
        text = text[text.find("\n") + 1:] if "\n" in text else ""
    else:
        delimiter, first_number = _delimiter(text), 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return grid_of(_records(reader, first_number, max_cell_chars), max_rows=max_rows, max_cell_chars=max_cell_chars,
                   empty_message="Il file è vuoto.")
