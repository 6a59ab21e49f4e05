"""The registry of plan file formats drives export, import and the uploader.

The grid (1 km squares, codes ``099RCC``, row 0 at the bottom)::

    row 1:  099100 A | 099101 B
    row 0:  099000 A | 099001 C        099002 unassigned  (row 0, column 2)

Zone names are the spreadsheet-formula attacks of OWASP, so every round trip also
checks that a neutralised CSV cell reads back to the name the user typed.
"""

from __future__ import annotations

import pytest

from geo.io.formats import (
    EXPORT_FORMATS, FORMAT_BY_KEY, IMPORT_FORMATS, PLAN_FORMATS, import_format_of, plan_upload_caption,
    plan_upload_types, read_plan_file,
)
from geo.io.plan_export import export_file_name
from geo.io.plan_import import import_plan
from geo.io.spreadsheet import FileRefused
from geo.zoning.plan import Plan, Zone
from tests.apptest_support import run_app
from tests.grids import grid_area

AREA_CODES = ["099000", "099001", "099002", "099100", "099101"]
HYPERLINK = '=HYPERLINK("http://x")'
DDE = "+cmd|' /C calc'!A0"
SUM = "@SUM(1)"


@pytest.fixture(scope="module")
def area():
    return grid_area(2, 3, members=AREA_CODES)


@pytest.fixture(scope="module")
def plan():
    zones = [Zone("za", HYPERLINK, "#E69F00", True), Zone("zb", DDE, "#56B4E9"), Zone("zc", SUM, "#009E73"),
             Zone("zd", "-1+1", "#D55E00")]  # zd has no comuni
    return Plan.build(zones, {"099000": "za", "099100": "za", "099101": "zb", "099001": "zc", "099002": None})


def by_key(formats) -> list:
    return [pytest.param(f, id=f.key) for f in formats]


@pytest.mark.parametrize("fmt", by_key([f for f in PLAN_FORMATS if f.write and f.read]))
def test_every_readable_format_gives_back_the_exported_plan(area, plan, fmt):
    data = fmt.write(area, plan, "Prova")
    result = import_plan(export_file_name("Prova", fmt.extension), data, area, plan)
    assert result.problems == ()
    assert result.plan == plan


@pytest.mark.parametrize("fmt", by_key([f for f in PLAN_FORMATS if f.write and f.read]))
def test_office_and_gis_files_keep_the_zone_names_and_codes_into_an_empty_session(area, plan, fmt):
    empty = Plan.build([], {c: None for c in AREA_CODES})
    imported = import_plan(f"piano.{fmt.extension}", fmt.write(area, plan, ""), area, empty).plan
    names = {z.name: imported.members(z.id) for z in imported.zones if imported.members(z.id)}
    assert names == {HYPERLINK: ("099000", "099100"), DDE: ("099101",), SUM: ("099001",)}
    assert imported.unassigned == ("099002",)


def test_the_registry_lists_the_formats_in_download_order():
    assert [f.key for f in EXPORT_FORMATS] == ["gpkg", "geojson", "csv", "xlsx", "png"]
    assert [f.key for f in IMPORT_FORMATS] == ["gpkg", "geojson", "csv", "xlsx", "ods", "shp", "kml"]
    assert [f.extension for f in EXPORT_FORMATS] == ["gpkg", "geojson", "csv", "xlsx", "png"]
    assert FORMAT_BY_KEY["png"].read is None and FORMAT_BY_KEY["png"].mime == "image/png"


@pytest.mark.parametrize("fmt", by_key(EXPORT_FORMATS))
def test_every_export_starts_as_its_format_does(area, plan, fmt):
    starts = {"gpkg": b"SQLite format 3\x00", "geojson": b'{"type":"FeatureCollection"', "csv": b"\xef\xbb\xbf",
              "xlsx": b"PK\x03\x04", "png": b"\x89PNG\r\n\x1a\n"}
    assert fmt.write(area, plan, "Prova").startswith(starts[fmt.key])


def test_uploader_types_are_the_extensions_of_the_readable_formats():
    assert plan_upload_types() == ["gpkg", "geojson", "json", "csv", "txt", "xlsx", "ods", "zip", "kml", "kmz"]
    assert plan_upload_types() == [e for f in PLAN_FORMATS if f.read for e in f.extensions]
    for extension in plan_upload_types():  # each one is read by the format that declares it
        assert extension in import_format_of(f"piano.{extension}", b"codice_istat;zona\n").extensions


def test_the_page_uploader_accepts_what_the_registry_reads():
    app = run_app("pages/scenari.py")
    (uploader,) = app.get("file_uploader")
    assert list(uploader.proto.type) == [".gpkg", ".geojson", ".json", ".csv", ".txt", ".xlsx", ".ods", ".zip",
                                         ".kml", ".kmz"]
    assert uploader.proto.max_upload_size_mb == 5
    assert plan_upload_caption() in [c.value for c in app.caption]


def test_the_caption_describes_every_readable_format_and_the_limit():
    caption = plan_upload_caption(3 * 1024 * 1024)
    assert caption.startswith("File accettati: GeoPackage di comuni con le colonne «codice_istat» e «zona»; ")
    assert all(f.description in caption for f in IMPORT_FORMATS)
    assert "Dimensione massima 3 MB." in caption and "Immagine PNG" not in caption


def test_content_wins_over_a_wrong_extension(area, plan):
    for key, wrong_name in (("gpkg", "piano.csv"), ("xlsx", "piano.txt")):
        table = read_plan_file(wrong_name, FORMAT_BY_KEY[key].write(area, plan, ""))
        assert sorted(r.code for r in table.rows) == AREA_CODES


@pytest.mark.parametrize("name, message", [
    ("mappa.png", "Il formato Immagine PNG si può solo esportare: per importare usa GeoPackage (.gpkg), "
                  "GeoJSON (.geojson, .json), CSV (.csv, .txt), Excel (.xlsx), OpenDocument (.ods), "
                  "Shapefile (.zip) o KML (.kml, .kmz)."),
    ("zone.pdf", "Formato «.pdf» non riconosciuto: usa GeoPackage (.gpkg), GeoJSON (.geojson, .json), "
                 "CSV (.csv, .txt), Excel (.xlsx), OpenDocument (.ods), Shapefile (.zip) o KML (.kml, .kmz)."),
    ("zone.xls", "Il formato .xls (Excel 97-2003) non è supportato: salva il file come .xlsx o .csv."),
])
def test_formats_that_cannot_be_imported_are_named(name, message):
    with pytest.raises(FileRefused) as refused:
        read_plan_file(name, b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b"%PDF-1.4")
    assert refused.value.messages == (message,)


def test_a_file_without_extension_is_read_as_csv():
    table = read_plan_file("zone", b"codice_istat;zona\r\n099000;Nord\r\n")
    assert [(r.label, r.code, r.zone) for r in table.rows] == [("riga 2", "099000", "Nord")]
