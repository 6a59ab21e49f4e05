"""The plan file formats, declared once: every export, import and uploader reads this table.

=========  ==============  ===================  ======  ======  ================
key        label           extensions           writes  reads   recognised by
=========  ==============  ===================  ======  ======  ================
gpkg       GeoPackage      .gpkg                yes     yes     SQLite signature
geojson    GeoJSON         .geojson, .json      yes     yes     extension
csv        CSV             .csv, .txt           yes     yes     extension
xlsx       Excel           .xlsx                yes     yes     zip signature
shp        Shapefile       .zip                 no      yes     zip with a .shp
kml        KML             .kml, .kmz           no      yes     zip with a .kml, extension
ods        OpenDocument    .ods                 no      yes     zip with its mimetype
png        Immagine PNG    .png                 yes     no      (export only)
=========  ==============  ===================  ======  ======  ================

Several formats are zips: each looks inside (``recognise``) before it claims a file;
Excel, recognised by its signature alone, is asked last.

An uploaded file is recognised by its content first (a signature at its start),
then by its extension. Adding a format is one :class:`PlanFormat` in
:data:`PLAN_FORMATS` with its writer (:mod:`geo.io.plan_export`) and/or reader
(:mod:`geo.io.plan_files`); downloads, import and the uploader follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from geo.base.italian import format_number
from geo.io.plan_export import to_csv, to_geojson, to_geopackage, to_png, to_xlsx
from geo.io.plan_files import Table, read_csv, read_geojson, read_xlsx
from geo.io.vector_files import ZIP_SIGNATURE, is_kmz, is_ods, is_zipped_shapefile, read_geopackage, read_kml, \
    read_ods, read_zipped_shapefile
from geo.io.spreadsheet import XLSX_SIGNATURE, FileRefused, refuse_legacy_excel
from geo.zoning.area import Area
from geo.zoning.plan import Plan

MAX_IMPORT_BYTES = 5 * 1024 * 1024

# (area, plan, title, territory="", registry=None, indicators=()) -> file content; territory:
# the plan's territory name, written where the format has room for it (GeoPackage metadata,
# GeoJSON member, XLSX information sheet); registry: the statistics of the zones (default the
# active one); indicators: those the homogeneity is written on.
Writer = Callable[..., bytes]
Reader = Callable[[bytes, str], Table]  # (file content, file name) -> rows of comuni and zones


@dataclass(frozen=True)
class PlanFormat:
    """One file format a plan is written to and/or read from.

    Attributes
    ----------
    key : str
        Identifier, e.g. ``"gpkg"``.
    label : str
        Italian name shown to users, e.g. ``"GeoPackage"``.
    extensions : tuple of str
        File extensions without the dot; the first is the one exports get.
    mime : str
        MIME type of the downloads.
    description : str
        What an importable file must contain, one Italian phrase for the uploader caption.
    write : callable or None
        ``(area, plan, title, territory="", registry=None, indicators=()) -> bytes``
        (``territory``: the name of the plan's territory); ``None`` for a format
        that is only read.
    read : callable or None
        ``(bytes, file name) -> Table``; ``None`` for a format that is only written.
    signature : bytes
        Bytes every such file starts with, so it is recognised whatever its name
        (``b""``: recognised by extension only).
    recognise : callable or None
        ``(bytes) -> bool``, asked after the signature matched, for formats that
        share one (zips); ``None``: the signature is enough.
    """

    key: str
    label: str
    extensions: tuple[str, ...]
    mime: str
    description: str = ""
    write: Writer | None = None
    read: Reader | None = None
    signature: bytes = b""
    recognise: Callable[[bytes], bool] | None = None

    @property
    def extension(self) -> str:
        """The extension an exported file gets."""
        return self.extensions[0]


PLAN_FORMATS: tuple[PlanFormat, ...] = (
    PlanFormat("gpkg", "GeoPackage", ("gpkg",), "application/geopackage+sqlite3",
               "GeoPackage di comuni con le colonne «codice_istat» e «zona»",
               write=lambda area, plan, title, territory="", registry=None, indicators=(): to_geopackage(
                   area, plan, registry, indicators, territory=territory),
               read=read_geopackage,
               signature=b"SQLite format 3\x00"),
    PlanFormat("geojson", "GeoJSON", ("geojson", "json"), "application/geo+json",
               "GeoJSON di comuni con le proprietà «codice_istat» e «zona»",
               write=lambda area, plan, title, territory="", registry=None, indicators=(): to_geojson(
                   area, plan, territory),
               read=read_geojson),
    PlanFormat("csv", "CSV", ("csv", "txt"), "text/csv",
               "CSV con una riga per comune, colonne «codice_istat» e «zona», separatore «;» o «,»",
               write=lambda area, plan, title, territory="", registry=None, indicators=(): to_csv(area, plan),
               read=read_csv),
    PlanFormat("xlsx", "Excel", ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "Excel (.xlsx) con le stesse colonne del CSV",
               write=to_xlsx, read=read_xlsx, signature=XLSX_SIGNATURE),
    PlanFormat("ods", "OpenDocument", ("ods",), "application/vnd.oasis.opendocument.spreadsheet",
               "foglio OpenDocument (.ods, LibreOffice) con le stesse colonne del CSV",
               read=read_ods, signature=ZIP_SIGNATURE, recognise=is_ods),
    PlanFormat("shp", "Shapefile", ("zip",), "application/zip",
               "Shapefile compresso in uno zip (.shp, .dbf, .shx) con i campi «codice_ist» (o «PRO_COM») "
               "e «zona»",
               read=read_zipped_shapefile, signature=ZIP_SIGNATURE, recognise=is_zipped_shapefile),
    PlanFormat("kml", "KML", ("kml", "kmz"), "application/vnd.google-earth.kml+xml",
               "KML o KMZ con i dati «codice_istat» e «zona» di ogni comune",
               read=read_kml, signature=ZIP_SIGNATURE, recognise=is_kmz),
    PlanFormat("png", "Immagine PNG", ("png",), "image/png",
               write=lambda area, plan, title, territory="", registry=None, indicators=(): to_png(area, plan, title)),
)
FORMAT_BY_KEY = {f.key: f for f in PLAN_FORMATS}
EXPORT_FORMATS = tuple(f for f in PLAN_FORMATS if f.write is not None)
IMPORT_FORMATS = tuple(f for f in PLAN_FORMATS if f.read is not None)
NO_EXTENSION_FORMAT = "csv"  # a file without extension is read as text, as before formats had names


def _italian_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " o " + items[-1]


def _accepted() -> str:
    """``"GeoPackage (.gpkg), GeoJSON (.geojson, .json), ..."``: the formats a user may upload."""
    return _italian_list([f"{f.label} ({', '.join('.' + e for e in f.extensions)})" for f in IMPORT_FORMATS])


def plan_upload_types() -> list[str]:
    """The extensions the uploader accepts (``st.file_uploader(type=...)``), in registry order."""
    return [extension for f in IMPORT_FORMATS for extension in f.extensions]


def plan_upload_caption(max_bytes: int = MAX_IMPORT_BYTES) -> str:
    """The Italian caption under the uploader: what each format must contain, the size limit
    (``max_bytes``, shown in MB) and the all-or-nothing rule."""
    return (f"File accettati: {'; '.join(f.description for f in IMPORT_FORMATS)}. "
            "Una zona vuota lascia il comune non assegnato. "
            f"Dimensione massima {format_number(max_bytes / 1024 / 1024)} MB. "
            "Il piano attuale cambia solo se tutto il file è valido.")


def import_format_of(file_name: str, data: bytes) -> PlanFormat:
    """The format to read an uploaded file with: by its content's signature, else by its
    extension. Raises :class:`FileRefused` (Italian) for a format that cannot be imported."""
    refuse_legacy_excel(data, file_name)
    for fmt in sorted(IMPORT_FORMATS, key=lambda f: f.recognise is None):  # those that look inside first
        if fmt.signature and data.startswith(fmt.signature) and (fmt.recognise is None or fmt.recognise(data)):
            return fmt
    extension = Path(file_name or "").suffix.lower().lstrip(".")
    if not extension:
        return FORMAT_BY_KEY[NO_EXTENSION_FORMAT]
    known = next((f for f in PLAN_FORMATS if extension in f.extensions), None)
    if known is not None and known.read is None:
        raise FileRefused(f"Il formato {known.label} si può solo esportare: per importare usa {_accepted()}.")
    if known is None:
        raise FileRefused(f"Formato «.{extension}» non riconosciuto: usa {_accepted()}.")
    return known


def read_plan_file(file_name: str, data: bytes) -> Table:
    """The rows of comuni (and the zone list, if any) of an uploaded plan file.

    Raises :class:`FileRefused` with Italian messages when it cannot be read.
    """
    return import_format_of(file_name, data).read(data, file_name)
