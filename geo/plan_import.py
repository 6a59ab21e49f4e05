"""Import of a plan from a file: CSV, XLSX, GeoJSON or GeoPackage of comuni with a zone.

The file says, per comune (ISTAT code), the name of its zone; an empty zone means
"not assigned". Everything is checked before anything changes: every problem gets
its own Italian message naming the row, and a plan is returned only when the whole
file is valid.

Zones are matched by name: with the zone list the file may carry (GeoPackage layer
``zone_omogenee``, GeoJSON member ``zone_omogenee``, both written by
:mod:`geo.plan_export`) or else with the zones of the current plan, so ids, colours
and locks survive a round trip through Excel. A name not found there becomes a new
zone with the colour given in the file (column ``colore``) or the next of the palette.
Without a zone list in the file, the current plan's empty zones are kept (a row per
comune cannot mention them) and its zones the file no longer names are dropped.
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

from geo.area import Area
from geo.codes import istat_code
from geo.formatting import format_number
from geo.plan import MAX_NAME_LENGTH, PALETTE, Plan, PlanError, Zone

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs
MAX_MESSAGES = 25
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")

CODE_COLUMNS = ("codice_istat", "istat_code", "cod_istat", "codice", "istat", "pro_com_t", "pro_com",
                "codice_comune", "cod_comune")
ZONE_COLUMNS = ("zona", "zona_omogenea", "nome_zona", "zona_nome", "zone")
COLOR_COLUMNS = ("colore", "colore_zona", "color")
ZONE_ID_COLUMNS = ("zona_id", "id_zona")
NAME_COLUMNS = ("comune", "nome_comune", "denominazione")


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import.

    Attributes
    ----------
    plan : Plan or None
        The imported plan over the area, ``None`` when the file has problems.
    problems : tuple of str
        One Italian message per problem; the file is refused when any.
    notes : tuple of str
        Remarks that do not stop the import (e.g. comuni missing from the file,
        which stay unassigned).
    """

    plan: Plan | None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.plan is not None


@dataclass
class _Row:
    label: str  # "riga 5" or "elemento 3", as the user finds it in the file
    code: object
    zone: str
    color: str = ""
    zone_id: str = ""
    name: str = ""


@dataclass
class _Table:
    rows: list[_Row] = field(default_factory=list)
    catalogue: list[dict] | None = None  # the file's own zone list, if it has one


class _Refused(Exception):
    """A problem that stops reading the file at once (format, size, columns)."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.messages = messages


def _normal(text: object) -> str:
    """Header or name without accents, case and punctuation: ``"Zona Omogenea"`` -> ``"zona_omogenea"``."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _find(headers: list[str], candidates: tuple[str, ...]) -> int | None:
    normal = [_normal(h) for h in headers]
    for candidate in candidates:
        if candidate in normal:
            return normal.index(candidate)
    return None


def _rows_from_records(headers: list[str], records, label: str) -> list[_Row]:
    """Rows from (position, values) pairs, given the header; raises when the code or zone column is missing."""
    code_at, zone_at = _find(headers, CODE_COLUMNS), _find(headers, ZONE_COLUMNS)
    missing = []
    if code_at is None:
        missing.append("Manca la colonna con il codice ISTAT del comune (ad esempio «codice_istat»).")
    if zone_at is None:
        missing.append("Manca la colonna con la zona (ad esempio «zona»).")
    if missing:
        shown = ", ".join(f"«{h}»" for h in headers if str(h).strip()) or "nessuna"
        raise _Refused(*missing, f"Colonne trovate nel file: {shown}.")
    color_at, id_at, name_at = (_find(headers, c) for c in (COLOR_COLUMNS, ZONE_ID_COLUMNS, NAME_COLUMNS))
    rows = []
    for position, values in records:
        def get(i):
            return _cell_text(values[i]) if i is not None and i < len(values) else ""
        if not any(_cell_text(v) for v in values):
            continue  # blank line
        if len(rows) >= MAX_ROWS:
            raise _Refused(f"Il file ha troppe righe (più di {format_number(MAX_ROWS)}).")
        rows.append(_Row(f"{label} {position}", get(code_at), get(zone_at), get(color_at), get(id_at), get(name_at)))
    return rows


# -- readers ------------------------------------------------------------------------
def _decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise _Refused("Il file non è un testo CSV leggibile (contiene dati binari).")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # Italian Excel writes cp1252 ("Latin-1")
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def _read_csv(data: bytes) -> _Table:
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
        raise _Refused("Il file non contiene righe.")
    body = ((start + i, r) for i, r in enumerate(records) if i > header_at)
    return _Table(_rows_from_records(records[header_at], body, "riga"))


def _read_xlsx(data: bytes) -> _Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise _Refused("Il file Excel è troppo grande una volta decompresso.")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _Refused:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise _Refused("Il file non è un foglio Excel (.xlsx) leggibile.") from exc
    try:
        sheet = book["Comuni"] if "Comuni" in book.sheetnames else book.worksheets[0]
        records = sheet.iter_rows(values_only=True)
        for number, header in enumerate(records, start=1):
            if any(_cell_text(v) for v in header):
                break
        else:
            raise _Refused("Il foglio Excel è vuoto.")
        body = ((number + i, list(r)) for i, r in enumerate(records, start=1))
        return _Table(_rows_from_records([_cell_text(h) for h in header], body, "riga"))
    finally:
        book.close()


def _read_geojson(data: bytes) -> _Table:
    try:
        collection = json.loads(_decode_text(data))
    except json.JSONDecodeError as exc:
        raise _Refused("Il file non è un GeoJSON valido (JSON non leggibile).") from exc
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise _Refused("Il file GeoJSON non contiene una FeatureCollection di comuni.")
    properties = [f.get("properties") or {} if isinstance(f, dict) else {} for f in collection["features"]]
    headers = list(dict.fromkeys(k for p in properties if isinstance(p, dict) for k in p))
    records = ((i, [p.get(h) if isinstance(p, dict) else None for h in headers])
               for i, p in enumerate(properties, start=1))
    catalogue = collection.get("zone_omogenee")
    return _Table(_rows_from_records(headers, records, "elemento"), catalogue if catalogue is not None else None)


def _read_geopackage(data: bytes) -> _Table:
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
            raise _Refused("Il file non è un GeoPackage leggibile.") from exc
    with_codes = [n for n in layers if _find(list(frames[n].columns), CODE_COLUMNS) is not None]
    if not with_codes:
        raise _Refused("Nessun livello del GeoPackage ha una colonna con il codice ISTAT (ad esempio «codice_istat»).")
    layer = "comuni" if "comuni" in with_codes else with_codes[0]
    frame = frames[layer]
    records = ((i, list(values)) for i, values in enumerate(frame.itertuples(index=False), start=1))
    table = _Table(_rows_from_records([str(c) for c in frame.columns], records, "elemento"))
    zones = frames.get("zone_omogenee")
    if zones is not None and {"zona_id", "zona", "colore"} <= set(zones.columns):
        zones = zones.sort_values("ordine") if "ordine" in zones.columns else zones
        table.catalogue = [{"id": _cell_text(z["zona_id"]), "name": _cell_text(z["zona"]),
                            "color": _cell_text(z["colore"]),
                            "locked": _cell_text(z.get("bloccata")).lower() in ("1", "true", "si", "sì")}
                           for _, z in zones.iterrows()]
    return table


def _read(file_name: str, data: bytes) -> _Table:
    extension = Path(file_name or "").suffix.lower()
    if data.startswith(b"SQLite format 3\x00"):
        return _read_geopackage(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if extension == ".xls":
        raise _Refused("Il formato .xls (Excel 97-2003) non è letto: salva il file come .xlsx o come CSV.")
    if extension in (".xlsx", ".gpkg"):
        kind = "un foglio Excel (.xlsx)" if extension == ".xlsx" else "un GeoPackage"
        raise _Refused(f"Il file non è {kind} leggibile.")
    if extension in (".geojson", ".json"):
        return _read_geojson(data)
    if extension in (".csv", ".txt", ""):
        return _read_csv(data)
    raise _Refused(f"Formato «{extension}» non riconosciuto: usa CSV, Excel (.xlsx), GeoJSON o GeoPackage.")


# -- checking and building ----------------------------------------------------------
def _catalogue_zones(catalogue: object) -> list[Zone]:
    if not isinstance(catalogue, list):
        raise _Refused("L'elenco delle zone contenuto nel file non è valido.")
    try:
        zones = Plan.from_dict({"zones": catalogue, "assignment": {}}).zones
    except (PlanError, KeyError, TypeError, AttributeError) as exc:
        detail = f": {exc}" if isinstance(exc, PlanError) else "."
        raise _Refused(f"L'elenco delle zone contenuto nel file non è valido{detail}") from exc
    if any(not z.id for z in zones):
        raise _Refused("L'elenco delle zone contenuto nel file ha una zona senza identificativo.")
    return list(zones)


def _fresh_id(taken: set[str]) -> str:
    n = 1
    while f"z{n}" in taken:
        n += 1
    taken.add(f"z{n}")
    return f"z{n}"


def _check_rows(rows: list[_Row], area: Area, problems: list[str], notes: list[str]) -> dict[str, _Row]:
    """Valid rows by ISTAT code; a message in ``problems`` for every invalid one."""
    seen: dict[str, _Row] = {}
    for row in rows:
        try:
            code = istat_code(row.code)
        except ValueError:
            problems.append(f"{row.label.capitalize()}: «{row.code}» non è un codice ISTAT (6 cifre, ad esempio "
                            "017088)." if row.code else f"{row.label.capitalize()}: manca il codice ISTAT.")
            continue
        if code not in area.comuni.index and code not in area.context.index:
            problems.append(f"{row.label.capitalize()}: il codice ISTAT {code} non corrisponde a nessun comune.")
            continue
        if code not in area.comuni.index:
            problems.append(f"{row.label.capitalize()}: {area.name(code)} ({code}) non fa parte dell'area vasta.")
            continue
        if code in seen:
            problems.append(f"{row.label.capitalize()}: {area.name(code)} ({code}) compare già "
                            f"({seen[code].label}).")
            continue
        if len(row.zone) > MAX_NAME_LENGTH:
            problems.append(f"{row.label.capitalize()}: il nome della zona è troppo lungo "
                            f"(massimo {MAX_NAME_LENGTH} caratteri).")
            continue
        if row.color and not _HEX.match(row.color):
            problems.append(f"{row.label.capitalize()}: colore «{row.color}» non valido (atteso #RRGGBB, "
                            "ad esempio #E69F00).")
            continue
        if row.name and _normal(row.name) != _normal(area.name(code)):
            notes.append(f"{row.label.capitalize()}: il codice {code} è di {area.name(code)}, non di «{row.name}»: "
                         "vale il codice.")
        seen[code] = row
    return seen


def _build(table: _Table, area: Area, base: Plan) -> ImportResult:
    problems: list[str] = []
    notes: list[str] = []
    by_code = _check_rows(table.rows, area, problems, notes)
    catalogue = _catalogue_zones(table.catalogue) if table.catalogue is not None else list(base.zones)

    colors: dict[str, tuple[str, str]] = {}  # zone name -> (colour, where it was first given)
    for row in by_code.values():
        if row.zone and row.color:
            color = "#" + _HEX.match(row.color).group(1).upper()
            first = colors.setdefault(row.zone, (color, row.label))
            if first[0] != color:
                problems.append(f"{row.label.capitalize()}: la zona «{row.zone}» ha già il colore {first[0]} "
                                f"({first[1]}).")
    if problems:
        return _refused(problems)

    taken = {z.id for z in catalogue}
    chosen: dict[str, Zone] = {}  # zone name -> zone of the result
    for row in by_code.values():
        if not row.zone or row.zone in chosen:
            continue
        same_name = [z for z in catalogue if z.name == row.zone]
        zone = next((z for z in same_name if z.id == row.zone_id), same_name[0] if same_name else None)
        if zone is None:
            used = {z.color for z in catalogue} | {z.color for z in chosen.values()}
            color = next((c for c in PALETTE if c not in used), PALETTE[len(chosen) % len(PALETTE)])
            zone = Zone(_fresh_id(taken), row.zone, color)
        if row.zone in colors:
            zone = Zone(zone.id, zone.name, colors[row.zone][0], zone.locked)
        chosen[row.zone] = zone

    by_id = {z.id: z for z in chosen.values()}
    if table.catalogue is not None:  # the file's zone list, empty zones included
        listed = {z.id for z in catalogue}
        zones = [by_id.get(z.id, z) for z in catalogue] + [z for z in chosen.values() if z.id not in listed]
    else:
        # A zone of the current plan with no comuni cannot appear in a CSV or XLSX
        # file, so it is kept; one the file no longer mentions is dropped.
        kept = [by_id.get(z.id, z) for z in catalogue if z.id in by_id or not base.members(z.id)]
        zones = kept + [z for z in chosen.values() if z.id not in {k.id for k in kept}]
    assignment = {code: (chosen[by_code[code].zone].id if code in by_code and by_code[code].zone else None)
                  for code in area.codes}
    absent = [c for c in area.codes if c not in by_code]
    if absent:
        names = ", ".join(area.names(absent[:10])) + (" e altri" if len(absent) > 10 else "")
        notes.insert(0, f"{len(absent)} comuni dell'area non sono nel file e restano non assegnati: {names}.")
    try:
        plan = Plan.build(zones, assignment)
    except PlanError as exc:
        return _refused([str(exc)])
    return ImportResult(plan, (), tuple(notes[:MAX_MESSAGES]))


def _refused(problems: list[str]) -> ImportResult:
    shown = problems[:MAX_MESSAGES]
    if len(problems) > MAX_MESSAGES:
        shown.append(f"... e altri {len(problems) - MAX_MESSAGES} problemi.")
    return ImportResult(None, tuple(shown))


def import_plan(file_name: str, data: bytes, area: Area, base: Plan, *,
                max_bytes: int = MAX_IMPORT_BYTES) -> ImportResult:
    """Read a plan from an uploaded file.

    Parameters
    ----------
    file_name : str
        Name of the uploaded file; its extension helps to recognise the format
        (``.csv``, ``.txt``, ``.xlsx``, ``.geojson``, ``.json``, ``.gpkg``).
    data : bytes
        The file's content (CSV: ``;``, ``,`` or tab separated, UTF-8 or
        Windows-1252/Latin-1; codes without the leading zero are accepted).
    area : Area
        The area vasta: every code must belong to it.
    base : Plan
        The current plan, whose zones (ids, colours, locks) are reused for zone
        names found in a file that carries no zone list of its own.
    max_bytes : int
        Files larger than this are refused.

    Returns
    -------
    ImportResult
        The plan, or the problems (Italian, one per problem) and no plan.
    """
    if not data:
        return ImportResult(None, ("Il file è vuoto.",))
    if len(data) > max_bytes:
        size = format_number(len(data) / 1024 / 1024, 1)
        return ImportResult(None, (f"Il file è troppo grande ({size} MB): il limite è "
                                   f"{format_number(max_bytes / 1024 / 1024, 1)} MB.",))
    try:
        table = _read(file_name, data)
        if not table.rows:
            return ImportResult(None, ("Il file non contiene comuni (nessuna riga sotto l'intestazione).",))
        return _build(table, area, base)
    except _Refused as refused:
        return ImportResult(None, tuple(refused.messages))
