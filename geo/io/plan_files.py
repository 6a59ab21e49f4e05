"""Readers of the files a plan can be imported from (CSV, XLSX, GeoJSON; the files GDAL
reads, GeoPackage, Shapefile, KML, ODS, in :mod:`geo.io.vector_files`):
rows of (ISTAT code, zone name, colour, zone id, comune name) with the row label the
user sees in the file. :mod:`geo.io.formats` chooses the reader of a file;
:mod:`geo.io.plan_import` checks the rows and builds the plan.

CSV and XLSX come through the Italian-spreadsheet layer (:mod:`geo.io.spreadsheet`);
here only their columns are mapped. A file that cannot be read at all raises
:class:`~geo.io.spreadsheet.FileRefused` with Italian messages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from geo.base.errors import UserError
from geo.base.text import clean_text
from geo.base.italian import format_number
from geo.io.json_limits import loads_bounded
from geo.io.spreadsheet import FileRefused, Grid, decode_text, read_csv_grid, read_xlsx_grid

MAX_ROWS = 5000
# FeatureCollection > features > Feature > geometry > MultiPolygon > polygon > ring > position
# is 8 levels; properties and the zone list add 2. Twice that leaves room for any honest file.
MAX_GEOJSON_DEPTH = 20
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs

# Header names as :func:`normal` makes them. A Shapefile keeps 10 characters of a field
# name ("codice_ist", "zona_omoge", "nome_comun"); ISTAT's own files say PRO_COM (the
# code as a number) or PRO_COM_T (as text).
CODE_COLUMNS = ("codice_istat", "istat_code", "cod_istat", "codice", "istat", "pro_com_t", "pro_com",
                "codice_comune", "cod_comune", "codice_ist")
ZONE_COLUMNS = ("zona", "zona_omogenea", "nome_zona", "zona_nome", "zone", "zona_omoge")
COLOR_COLUMNS = ("colore", "colore_zona", "color", "colore_zon")
ZONE_ID_COLUMNS = ("zona_id", "id_zona")
NAME_COLUMNS = ("comune", "nome_comune", "denominazione", "nome_comun", "comune_den", "name")


@dataclass
class Row:
    """One comune line of the file, cells as text."""

    label: str  # "riga 5" or "elemento 3", as the user finds it in the file
    code: object
    zone: str
    color: str = ""
    zone_id: str = ""
    name: str = ""


@dataclass
class Table:
    """The rows of a file, and the zone list it carries (GeoJSON, GeoPackage) if any."""

    rows: list[Row] = field(default_factory=list)
    catalogue: list[dict] | None = None  # the file's own zone list, if it has one


def normal(text: object) -> str:
    """Header or name without accents, case and punctuation: ``"Zona Omogenea"`` -> ``"zona_omogenea"``."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def cell_text(value: object) -> str:
    """A cell as one line of text: white space collapsed, control characters dropped
    (:func:`geo.base.text.clean_text`: a zone name pasted with a NUL or a bell is the
    name without it, in every file written later)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return clean_text(text, len(text), too_long=None)


def find_column(headers: list[str], candidates: tuple[str, ...]) -> int | None:
    normalised = [normal(h) for h in headers]
    for candidate in candidates:
        if candidate in normalised:
            return normalised.index(candidate)
    return None


def rows_from_records(headers: list[str], records, label: str) -> list[Row]:
    """Rows from (position, values) pairs, given the header; raises when the code or zone column is missing."""
    code_at, zone_at = find_column(headers, CODE_COLUMNS), find_column(headers, ZONE_COLUMNS)
    missing = []
    if code_at is None:
        missing.append("Manca la colonna con il codice ISTAT del comune (ad esempio «codice_istat»).")
    if zone_at is None:
        missing.append("Manca la colonna con la zona (ad esempio «zona»).")
    if missing:
        shown = ", ".join(f"«{h}»" for h in headers if str(h).strip()) or "nessuna"
        raise FileRefused(*missing, f"Colonne trovate nel file: {shown}.")
    color_at, id_at, name_at = (find_column(headers, c) for c in (COLOR_COLUMNS, ZONE_ID_COLUMNS, NAME_COLUMNS))
    rows = []
    for position, values in records:
        def get(i):
            return cell_text(values[i]) if i is not None and i < len(values) else ""
        if not any(cell_text(v) for v in values):
            continue  # blank line
        if len(rows) >= MAX_ROWS:
            raise FileRefused(f"Il file ha troppe righe (più di {format_number(MAX_ROWS)}).")
        rows.append(Row(f"{label} {position}", get(code_at), get(zone_at), get(color_at), get(id_at), get(name_at)))
    return rows


# -- readers: (file content, file name) -> Table ------------------------------------------
def _table_of_grid(grid: Grid) -> Table:
    headers = [cell_text(h) for h in grid.header.cells]
    return Table(rows_from_records(headers, ((r.number, r.cells) for r in grid.rows), "riga"))


def read_csv(data: bytes, file_name: str = "") -> Table:
    """A CSV of comuni (see :func:`geo.io.spreadsheet.read_csv_grid` for what is accepted)."""
    return _table_of_grid(read_csv_grid(data, max_rows=MAX_ROWS))


def read_xlsx(data: bytes, file_name: str = "") -> Table:
    """An Excel workbook of comuni: its sheet ``Comuni`` if it has one, else the first."""
    return _table_of_grid(read_xlsx_grid(data, max_rows=MAX_ROWS, max_unzipped_bytes=MAX_UNZIPPED_BYTES,
                                         sheet="Comuni"))


def read_geojson(data: bytes, file_name: str = "") -> Table:
    """A GeoJSON FeatureCollection of comuni; its member ``zone_omogenee`` is the zone list.

    Only the properties are read (the geometry of each comune is the app's own), so a
    polygon of any number of vertices costs its parsing only; nesting deeper than
    :data:`MAX_GEOJSON_DEPTH` is refused before parsing (:mod:`geo.io.json_limits`)."""
    collection = loads_bounded(decode_text(data), max_depth=MAX_GEOJSON_DEPTH, error=FileRefused,
                               too_deep="Il file GeoJSON è annidato troppo in profondità per essere un elenco di "
                                        "comuni: non è stato letto.",
                               invalid="Il file non è un GeoJSON valido (JSON non leggibile).")
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise FileRefused("Il file GeoJSON non contiene una FeatureCollection di comuni.")
    properties = [f.get("properties") or {} if isinstance(f, dict) else {} for f in collection["features"]]
    headers = list(dict.fromkeys(k for p in properties if isinstance(p, dict) for k in p))
    records = ((i, [p.get(h) if isinstance(p, dict) else None for h in headers])
               for i, p in enumerate(properties, start=1))
    catalogue = collection.get("zone_omogenee")
    return Table(rows_from_records(headers, records, "elemento"), catalogue if catalogue is not None else None)
