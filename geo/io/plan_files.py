"""Reading the files a plan can be imported from (CSV, XLSX, GeoJSON, GeoPackage) into
rows of (ISTAT code, zone name, colour, zone id, comune name) with the row label the
user sees in the file; used by :mod:`geo.io.plan_import`, which checks and builds the plan.

A file that cannot be read at all raises :class:`Refused` with Italian messages.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from geo.base.errors import UserError
from geo.base.italian import format_number

MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs

CODE_COLUMNS = ("codice_istat", "istat_code", "cod_istat", "codice", "istat", "pro_com_t", "pro_com",
                "codice_comune", "cod_comune")
ZONE_COLUMNS = ("zona", "zona_omogenea", "nome_zona", "zona_nome", "zone")
COLOR_COLUMNS = ("colore", "colore_zona", "color")
ZONE_ID_COLUMNS = ("zona_id", "id_zona")
NAME_COLUMNS = ("comune", "nome_comune", "denominazione")


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


class Refused(UserError):
    """A problem that stops reading the file at once (format, size, columns)."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = messages


def normal(text: object) -> str:
    """Header or name without accents, case and punctuation: ``"Zona Omogenea"`` -> ``"zona_omogenea"``."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _find(headers: list[str], candidates: tuple[str, ...]) -> int | None:
    normalised = [normal(h) for h in headers]
    for candidate in candidates:
        if candidate in normalised:
            return normalised.index(candidate)
    return None


def _rows_from_records(headers: list[str], records, label: str) -> list[Row]:
    """Rows from (position, values) pairs, given the header; raises when the code or zone column is missing."""
    code_at, zone_at = _find(headers, CODE_COLUMNS), _find(headers, ZONE_COLUMNS)
    missing = []
    if code_at is None:
        missing.append("Manca la colonna con il codice ISTAT del comune (ad esempio «codice_istat»).")
    if zone_at is None:
        missing.append("Manca la colonna con la zona (ad esempio «zona»).")
    if missing:
        shown = ", ".join(f"«{h}»" for h in headers if str(h).strip()) or "nessuna"
        raise Refused(*missing, f"Colonne trovate nel file: {shown}.")
    color_at, id_at, name_at = (_find(headers, c) for c in (COLOR_COLUMNS, ZONE_ID_COLUMNS, NAME_COLUMNS))
    rows = []
    for position, values in records:
        def get(i):
            return cell_text(values[i]) if i is not None and i < len(values) else ""
        if not any(cell_text(v) for v in values):
            continue  # blank line
        if len(rows) >= MAX_ROWS:
            raise Refused(f"Il file ha troppe righe (più di {format_number(MAX_ROWS)}).")
        rows.append(Row(f"{label} {position}", get(code_at), get(zone_at), get(color_at), get(id_at), get(name_at)))
    return rows


# -- readers ------------------------------------------------------------------------
def _decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise Refused("Il file non è un testo CSV leggibile (contiene dati binari).")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # Italian Excel writes cp1252 ("Latin-1")
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _read_csv(data: bytes) -> Table:
    lines = _decode_text(data).splitlines()
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:  # Excel's "sep=;" hint
        delimiter, start = lines[0][4], 2
        lines = lines[1:]
    else:
        first = next((line for line in lines if line.strip()), "")
        delimiter = max(";,\t", key=lambda d: (first.count(d), d == ";"))
        start = 1
    records = list(csv.reader(lines, delimiter=delimiter))
    header_at = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if header_at is None:
        raise Refused("Il file non contiene righe.")
    body = ((start + i, r) for i, r in enumerate(records) if i > header_at)
    return Table(_rows_from_records(records[header_at], body, "riga"))


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise Refused("Il file Excel è troppo grande una volta decompresso.")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Refused:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise Refused("Il file non è un foglio Excel (.xlsx) leggibile.") from exc
    try:
        sheet = book["Comuni"] if "Comuni" in book.sheetnames else book.worksheets[0]
        records = sheet.iter_rows(values_only=True)
        for number, header in enumerate(records, start=1):
            if any(cell_text(v) for v in header):
                break
        else:
            raise Refused("Il foglio Excel è vuoto.")
        body = ((number + i, list(r)) for i, r in enumerate(records, start=1))
        return Table(_rows_from_records([cell_text(h) for h in header], body, "riga"))
    finally:
        book.close()


def _read_geojson(data: bytes) -> Table:
    try:
        collection = json.loads(_decode_text(data))
    except json.JSONDecodeError as exc:
        raise Refused("Il file non è un GeoJSON valido (JSON non leggibile).") from exc
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise Refused("Il file GeoJSON non contiene una FeatureCollection di comuni.")
    properties = [f.get("properties") or {} if isinstance(f, dict) else {} for f in collection["features"]]
    headers = list(dict.fromkeys(k for p in properties if isinstance(p, dict) for k in p))
    records = ((i, [p.get(h) if isinstance(p, dict) else None for h in headers])
               for i, p in enumerate(properties, start=1))
    catalogue = collection.get("zone_omogenee")
    return Table(_rows_from_records(headers, records, "elemento"), catalogue if catalogue is not None else None)


def _read_geopackage(data: bytes) -> Table:
    import pyogrio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.gpkg"
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():  # GDAL's own warnings on a damaged file: the message below says it
                warnings.simplefilter("ignore", RuntimeWarning)
                layers = [str(name) for name, _ in pyogrio.list_layers(path)]
                frames = {name: pyogrio.read_dataframe(path, layer=name, read_geometry=False) for name in layers}
        except Exception as exc:  # GDAL reports a damaged file in several ways
            raise Refused("Il file non è un GeoPackage leggibile.") from exc
    with_codes = [n for n in layers if _find(list(frames[n].columns), CODE_COLUMNS) is not None]
    if not with_codes:
        raise Refused("Nessun livello del GeoPackage ha una colonna con il codice ISTAT (ad esempio «codice_istat»).")
    layer = "comuni" if "comuni" in with_codes else with_codes[0]
    frame = frames[layer]
    records = ((i, list(values)) for i, values in enumerate(frame.itertuples(index=False), start=1))
    table = Table(_rows_from_records([str(c) for c in frame.columns], records, "elemento"))
    zones = frames.get("zone_omogenee")
    if zones is not None and {"zona_id", "zona", "colore"} <= set(zones.columns):
        zones = zones.sort_values("ordine") if "ordine" in zones.columns else zones
        table.catalogue = [{"id": cell_text(z["zona_id"]), "name": cell_text(z["zona"]),
                            "color": cell_text(z["colore"]),
                            "locked": cell_text(z.get("bloccata")).lower() in ("1", "true", "si", "sì")}
                           for _, z in zones.iterrows()]
    return table


def read_table(file_name: str, data: bytes) -> Table:
    extension = Path(file_name or "").suffix.lower()
    if data.startswith(b"SQLite format 3\x00"):
        return _read_geopackage(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if extension == ".xls":
        raise Refused("Il formato .xls (Excel 97-2003) non è letto: salva il file come .xlsx o come CSV.")
    if extension in (".xlsx", ".gpkg"):
        kind = "un foglio Excel (.xlsx)" if extension == ".xlsx" else "un GeoPackage"
        raise Refused(f"Il file non è {kind} leggibile.")
    if extension in (".geojson", ".json"):
        return _read_geojson(data)
    if extension in (".csv", ".txt", ""):
        return _read_csv(data)
    raise Refused(f"Formato «{extension}» non riconosciuto: usa CSV, Excel (.xlsx), GeoJSON o GeoPackage.")
