"""What an .xlsx costs before it is opened, read from its zip without trusting it.

An .xlsx is a zip of XML parts. The worksheets are streamed later, row by row, and
stop at the row limit; every other part openpyxl parses whole when it opens the file
(shared strings, styles, the workbook with its list of sheets, properties, charts),
and parsing costs time per XML element, not per byte: 300,000 cell formats in
``styles.xml`` deflate to 57 kB and take 14 s to open. So, before opening:

1. the unzipped sizes the zip declares are summed (Python's ``zipfile`` never
   inflates a part beyond its declared size: a lying header fails its CRC check);
2. the XML elements of every part but the worksheets are counted, streaming the
   inflated bytes (a few milliseconds per MB), against :data:`MAX_OPENED_ELEMENTS`,
   :data:`MAX_STYLE_ELEMENTS` and :data:`MAX_SHEETS`.

Counts are per 1 MB chunk, so an element cut by a chunk boundary may be missed:
they are limits, not exact figures.
"""

from __future__ import annotations

import io
import re
import zipfile

from geo.io.spreadsheet.grid import FileRefused

DAMAGED_MESSAGE = "Il file non è un foglio Excel (.xlsx) leggibile."
TOO_LARGE_UNZIPPED_MESSAGE = "Il file Excel è troppo grande una volta decompresso."
TOO_COMPLEX_MESSAGE = ("Il file Excel ha troppi testi, stili o fogli diversi per essere letto: "
                       "salva il foglio con i dati come CSV e carica quello.")
# A plan of 5,000 comuni has about 10,000 distinct texts (two elements each); Excel's own
# limit is 64,000 cell formats, files in offices have hundreds; a workbook has a few sheets.
MAX_OPENED_ELEMENTS = 200_000
MAX_STYLE_ELEMENTS = 20_000
MAX_SHEETS = 1_000
STYLES_PART = "xl/styles.xml"  # openpyxl reads the styles from this fixed name
_CHUNK = 1024 * 1024
_WORKSHEET_TYPE = "spreadsheetml.worksheet+xml"
_OVERRIDE = re.compile(rb"<(?:[\w.-]+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(PartName|ContentType)\s*=\s*["\']([^"\']*)["\']')
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet[\s/>]")


def _elements(chunk: bytes) -> int:
    """Start tags in ``chunk``: every ``<`` but closing tags, declarations and comments."""
    return chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")


def _streamed_parts(archive: zipfile.ZipFile) -> set[str]:
    """The worksheet parts (streamed later): under ``xl/worksheets/``, unless the content
    types declare one of them as something else (shared strings, say) that openpyxl
    would parse whole."""
    names = set(archive.namelist())
    streamed = {n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    if "[Content_Types].xml" in names:
        types = archive.read("[Content_Types].xml")  # bounded by the unzipped-size check
        for override in _OVERRIDE.findall(types):
            attributes = dict(_ATTRIBUTE.findall(override))
            part = attributes.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/")
            if _WORKSHEET_TYPE not in attributes.get(b"ContentType", b"").decode("utf-8", "replace"):
                streamed.discard(part)
    return streamed


def check_parts(data: bytes, max_unzipped_bytes: int) -> None:
    """Raise :class:`FileRefused` (Italian) unless ``data`` is a zip whose parts fit the
    limits above; nothing is parsed as XML here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > max_unzipped_bytes:
                raise FileRefused(TOO_LARGE_UNZIPPED_MESSAGE)
            streamed = _streamed_parts(archive)
            elements = sheets = 0
            for part in parts:
                if part.filename in streamed or part.is_dir():
                    continue
                part_limit = MAX_STYLE_ELEMENTS if part.filename == STYLES_PART else MAX_OPENED_ELEMENTS
                part_elements = 0
                with archive.open(part) as source:
                    while chunk := source.read(_CHUNK):  # stops at the first chunk over a limit
                        part_elements += _elements(chunk)
                        sheets += len(_SHEET.findall(chunk))
                        if part_elements > part_limit or elements + part_elements > MAX_OPENED_ELEMENTS \
                                or sheets > MAX_SHEETS:
                            raise FileRefused(TOO_COMPLEX_MESSAGE)
                elements += part_elements
    except FileRefused:
        raise
    except Exception as exc:  # BadZipFile, a failed CRC, struct errors on a truncated header
        raise FileRefused(DAMAGED_MESSAGE) from exc
