"""Workbooks written by hand, as a hostile uploader would: the XML of the sheet (and of
any other part) inside a real openpyxl workbook, so a sheet of 200,000 rows is a small
upload. Used by the tests and by ``bench/hostile_files.py``."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
COLUMNS = "ABCDEFGHIJKL"


def text_row(number: int, *texts: str) -> str:
    """One ``<row>`` of inline-text cells from column A."""
    cells = "".join(f'<c r="{COLUMNS[i]}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for i, text in enumerate(texts))
    return f'<row r="{number}">{cells}</row>'


def number_rows(first: int, count: int) -> str:
    """``count`` rows from ``first`` with the number 1 in column A: the smallest non-blank rows."""
    return "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(first, first + count))


def _rewritten(original: bytes, parts: dict[str, bytes], extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part.filename, parts.get(part.filename, source.read(part.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def xlsx_with_sheet(rows_xml: str, dimension: str = "A1", *, shared_strings: int = 0, cell_formats: int = 0,
                    strings_part: str = SHARED_STRINGS) -> bytes:
    """A real workbook whose only sheet is ``rows_xml`` (``<row>`` elements) and which
    declares the size ``dimension``. Parts openpyxl parses whole when it opens a file:
    with ``shared_strings``, a shared-string table (at ``strings_part``) of that many
    distinct short strings; with ``cell_formats``, that many cell formats in the styles."""
    book = Workbook()
    book.active.append(["x"])
    original = io.BytesIO()
    book.save(original)
    with zipfile.ZipFile(original) as source:
        types, styles = source.read(CONTENT_TYPES).decode(), source.read(STYLES).decode()
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>')
    parts, extra = {SHEET: sheet.encode()}, {}
    if shared_strings:
        override = (f'<Override PartName="/{strings_part}" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        parts[CONTENT_TYPES] = types.replace("</Types>", override + "</Types>").encode()
        strings = "".join(f"<si><t>{n:x}</t></si>" for n in range(shared_strings))
        extra[strings_part] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                               f'count="{shared_strings}" uniqueCount="{shared_strings}">{strings}</sst>').encode()
    if cell_formats:
        formats = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * cell_formats
        parts[STYLES] = re.sub(r"<cellXfs count=\"\d+\">.*?</cellXfs>",
                               f'<cellXfs count="{cell_formats}">{formats}</cellXfs>', styles, flags=re.S).encode()
    return _rewritten(original.getvalue(), parts, extra)


def zip_bomb(inflated_bytes: int) -> bytes:
    """A workbook (header ``codice_istat``, ``zona``) with one more part of
    ``inflated_bytes`` spaces: it deflates to about a thousandth of that."""
    original = xlsx_with_sheet(text_row(1, "codice_istat", "zona"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(part.filename, source.read(part.filename))
        with target.open("xl/bomba.xml", "w", force_zip64=True) as bomb:
            chunk = b" " * (1024 * 1024)
            for _ in range(inflated_bytes // len(chunk)):
                bomb.write(chunk)
    return out.getvalue()


def with_declared_size(data: bytes, part: str, declared: int) -> bytes:
    """``data`` whose central directory lies about the unzipped size of ``part``
    (``declared`` bytes), as a forged zip bomb would to pass a size check."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(part)
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))
    while data[entry + 46:entry + 46 + len(part)] != part.encode():  # walk back to the part's entry
        entry = data.rfind(b"PK\x01\x02", 0, entry)
    assert int.from_bytes(data[entry + 24:entry + 28], "little") == info.file_size
    return data[:entry + 24] + declared.to_bytes(4, "little") + data[entry + 28:]
