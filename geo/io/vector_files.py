"""Readers of the plan files GDAL opens (through pyogrio): GeoPackage, zipped Shapefile,
KML and KMZ, OpenDocument spreadsheets (ODS).

Only the attributes are read (the geometry of each comune is the app's own). Every
file is bounded before GDAL sees it: a zip (Shapefile, KMZ, ODS) is decompressed
once into nothing while its real unzipped bytes are counted (the sizes a zip
declares can lie), then layers and rows are counted before they are read. The
columns are mapped as for CSV (:func:`geo.io.plan_files.rows_from_records`).
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path

from geo.base.italian import format_number
from geo.io.plan_files import CODE_COLUMNS, MAX_ROWS, MAX_UNZIPPED_BYTES, Table, cell_text, find_column, \
    rows_from_records
from geo.io.spreadsheet import FileRefused

MAX_LAYERS = 50  # a GeoPackage of ours has three (comuni, zones, styles)
MAX_ARCHIVE_MEMBERS = 200
ZIP_SIGNATURE = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_CHUNK = 1024 * 1024


# -- what a zip holds ------------------------------------------------------------------------
def zip_names(data: bytes) -> list[str]:
    """The member names of a zip (its central directory only), lower case; empty when
    ``data`` is not a readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [info.filename.lower() for info in archive.infolist()[:MAX_ARCHIVE_MEMBERS + 1]]
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def is_zipped_shapefile(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURE) and any(n.endswith(".shp") for n in zip_names(data))


def is_kmz(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURE) and any(n.endswith(".kml") for n in zip_names(data))


def is_ods(data: bytes) -> bool:
    # An OpenDocument file starts with its uncompressed "mimetype" member (ODF 1.2 §3.3).
    return data.startswith(ZIP_SIGNATURE) and ODS_MIMETYPE in data[:200]


def check_unzipped(data: bytes, what: str, max_bytes: int = MAX_UNZIPPED_BYTES) -> None:
    """Refuse (Italian :class:`FileRefused`) a zip whose members, really decompressed,
    exceed ``max_bytes`` or number more than :data:`MAX_ARCHIVE_MEMBERS`. The
    decompressed bytes are counted and dropped, ``_CHUNK`` at a time."""
    too_big = FileRefused(f"Il file {what} decompresso supera {format_number(max_bytes // (1024 * 1024))} MB: "
                          "non è stato letto.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise FileRefused(f"Il file {what} contiene troppi file (più di {MAX_ARCHIVE_MEMBERS}).")
            if sum(m.file_size for m in members) > max_bytes:
                raise too_big
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > max_bytes:
                            raise too_big
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise FileRefused(f"Il file {what} è danneggiato o protetto da password: non è stato letto.") from exc


# -- reading the layers -----------------------------------------------------------------------
def _read_layers(path: Path, what: str) -> dict:
    """Every layer of the file at ``path`` as a data frame without geometry, bounded."""
    import pyogrio

    try:
        with warnings.catch_warnings():  # GDAL's own warnings on a damaged file: the message below says it
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
            if len(layers) > MAX_LAYERS:
                raise FileRefused(f"Il file {what} ha troppi livelli (più di {MAX_LAYERS}).")
            if any(pyogrio.read_info(path, layer=name)["features"] > MAX_ROWS for name in layers):
                raise FileRefused(f"Il file ha troppe righe (più di {format_number(MAX_ROWS)}).")
            return {name: pyogrio.read_dataframe(path, layer=name, read_geometry=False, max_features=MAX_ROWS + 1)
                    for name in layers}
    except FileRefused:
        raise
    except Exception as exc:  # GDAL reports a damaged file in several ways
        raise FileRefused(f"Il file non è un {what} leggibile.") from exc


def _has_codes(frame) -> bool:
    return find_column([str(c) for c in frame.columns], CODE_COLUMNS) is not None


def _table(frames: dict, what: str, preferred: str = "comuni") -> Table:
    """The rows of the layer with ISTAT codes (``preferred`` if it has them)."""
    with_codes = [n for n in frames if _has_codes(frames[n])]
    if not with_codes:
        found = sorted({str(c) for frame in frames.values() for c in frame.columns})
        raise FileRefused(f"Nessun livello del file {what} ha una colonna con il codice ISTAT "
                          "(ad esempio «codice_istat»).",
                          f"Colonne trovate nel file: {', '.join(f'«{c}»' for c in found) or 'nessuna'}.")
    frame = frames[preferred if preferred in with_codes else with_codes[0]]
    records = ((i, list(values)) for i, values in enumerate(frame.itertuples(index=False), start=1))
    return Table(rows_from_records([str(c) for c in frame.columns], records, "elemento"))


def _read_file(data: bytes, suffix: str, what: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"import{suffix}"
        path.write_bytes(data)
        return _read_layers(path, what)


# -- readers: (file content, file name) -> Table ----------------------------------------------
def read_geopackage(data: bytes, file_name: str = "") -> Table:
    """A GeoPackage: its layer ``comuni`` (else the first with ISTAT codes); its layer
    ``zone_omogenee``, when complete, is the zone list."""
    frames = _read_file(data, ".gpkg", "GeoPackage")
    table = _table(frames, "GeoPackage")
    zones = frames.get("zone_omogenee")
    if zones is not None and {"zona_id", "zona", "colore"} <= set(zones.columns):
        zones = zones.sort_values("ordine") if "ordine" in zones.columns else zones
        table.catalogue = [{"id": cell_text(z["zona_id"]), "name": cell_text(z["zona"]),
                            "color": cell_text(z["colore"]),
                            "locked": cell_text(z.get("bloccata")).lower() in ("1", "true", "si", "sì")}
                           for _, z in zones.iterrows()]
    return table


def read_zipped_shapefile(data: bytes, file_name: str = "") -> Table:
    """A Shapefile in a zip (``.shp`` with its ``.dbf``, as GIS tools send it): the
    attribute table of its first layer with ISTAT codes."""
    check_unzipped(data, "zip")
    if not any(n.endswith(".dbf") for n in zip_names(data)):
        raise FileRefused("Lo Shapefile nello zip non ha il file .dbf con gli attributi dei comuni.")
    return _table(_read_file(data, ".zip", "Shapefile"), "Shapefile")


def read_kml(data: bytes, file_name: str = "") -> Table:
    """A KML file, or a KMZ (zipped KML): placemarks with their extended data
    (``codice_istat``, ``zona``, as GIS tools export attributes)."""
    if not data.startswith(ZIP_SIGNATURE):
        return _table(_read_file(data, ".kml", "KML"), "KML")
    check_unzipped(data, "KMZ")
    frames = _read_file(data, ".kmz", "KML")
    if not any(_has_codes(frame) for frame in frames.values()):
        # libkml drops the extended data of a KMZ whose single doc.kml declares its own
        # schema (what most tools write): each KML inside is read on its own.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in (m for m in archive.namelist() if m.lower().endswith(".kml")):
                frames.update({f"{member}:{name}": frame for name, frame in
                               _read_file(archive.read(member), ".kml", "KML").items()})
    return _table(frames, "KML")


def read_ods(data: bytes, file_name: str = "") -> Table:
    """An OpenDocument spreadsheet (LibreOffice Calc): its sheet ``Comuni`` if it has one,
    else the first with ISTAT codes; the first row holds the column names, every cell
    is read as text (codes keep their leading zero)."""
    import pyogrio

    check_unzipped(data, "ODS")
    pyogrio.set_gdal_config_options({"OGR_ODS_HEADERS": "FORCE", "OGR_ODS_FIELD_TYPES": "STRING"})
    return _table(_read_file(data, ".ods", "foglio ODS"), "ODS", preferred="Comuni")
