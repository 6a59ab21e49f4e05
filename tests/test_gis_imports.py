"""Plans imported from the files other GIS and office tools write: a zipped Shapefile
(field names cut to 10 characters: ``codice_ist``), KML and KMZ (attributes as extended
data), an OpenDocument spreadsheet, ISTAT's ``PRO_COM`` / ``PRO_COM_T`` columns; each
file written here by GDAL itself (pyogrio), as those tools would. Grid and plan:
``tests/plan_io_support.py``; each file says 099000 and 099100 are in «Zona Alta è»,
099001 and 099101 in «Zona <b>Bassa</b>», 099002 in none."""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import pyogrio
import pytest

from geo.io.formats import import_format_of
from geo.io.plan_import import import_plan
from tests.plan_io_support import AREA_CODES, area, csv_bytes, empty_plan, plan  # noqa: F401 (fixtures)

ZONES = {"099000": "Zona Alta è", "099100": "Zona Alta è", "099001": "Zona <b>Bassa</b>",
         "099101": "Zona <b>Bassa</b>", "099002": ""}
EXPECTED = {"Zona Alta è": ("099000", "099100"), "Zona <b>Bassa</b>": ("099001", "099101")}


def comuni_frame(area, code_column: str = "codice_istat") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({code_column: AREA_CODES, "zona": [ZONES[c] for c in AREA_CODES]},
                            geometry=area.comuni.loc[AREA_CODES].geometry.to_numpy(), crs="EPSG:4326")


def written(frame, tmp_path, name: str, driver: str) -> bytes:
    path = tmp_path / name
    pyogrio.write_dataframe(frame, path, driver=driver)
    return path.read_bytes()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def shapefile_zip(frame, tmp_path) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    with pytest.warns(RuntimeWarning, match="codice_ist"):  # GDAL cuts "codice_istat" to "codice_ist"
        pyogrio.write_dataframe(frame, folder / "piano.shp", driver="ESRI Shapefile", encoding="UTF-8")
    return zipped({p.name: p.read_bytes() for p in folder.iterdir()})


def zones_of(result):
    assert result.problems == (), result.problems
    imported = result.plan
    return {z.name: imported.members(z.id) for z in imported.zones if imported.members(z.id)}, imported.unassigned


def test_a_zipped_shapefile_with_truncated_field_names(area, tmp_path):
    data = shapefile_zip(comuni_frame(area), tmp_path)
    assert import_format_of("piano.zip", data).key == "shp"
    assert import_format_of("senza_nome", data).key == "shp"  # by what the zip holds
    assert zones_of(import_plan("piano.zip", data, area, empty_plan())) == (EXPECTED, ("099002",))


def test_kml_and_kmz_with_extended_data(area, tmp_path):
    kml = written(comuni_frame(area), tmp_path, "piano.kml", "LIBKML")
    assert b"<SimpleData name=\"codice_istat\">099000</SimpleData>" in kml  # the attributes as GIS tools write them
    assert zones_of(import_plan("piano.kml", kml, area, empty_plan())) == (EXPECTED, ("099002",))
    kmz = zipped({"doc.kml": kml})
    assert import_format_of("piano.kmz", kmz).key == "kml"
    assert zones_of(import_plan("piano.kmz", kmz, area, empty_plan())) == (EXPECTED, ("099002",))
    gdal_kmz = written(comuni_frame(area), tmp_path, "piano.kmz", "LIBKML")  # a link to layers/piano.kml inside
    assert zones_of(import_plan("piano.kmz", gdal_kmz, area, empty_plan())) == (EXPECTED, ("099002",))


def test_an_opendocument_spreadsheet(area, tmp_path):
    frame = comuni_frame(area).drop(columns="geometry")
    data = written(frame, tmp_path, "piano.ods", "ODS")
    assert import_format_of("piano.ods", data).key == "ods"
    assert zones_of(import_plan("piano.ods", data, area, empty_plan())) == (EXPECTED, ("099002",))


@pytest.mark.parametrize("column, codes", [("PRO_COM", [str(int(c)) for c in AREA_CODES]),  # 99000: a number
                                           ("PRO_COM_T", AREA_CODES), ("codice_ist", AREA_CODES)])
def test_istat_code_columns_of_other_files(area, column, codes):
    text = f"{column};zona\n" + "".join(f"{code};{ZONES[full]}\n" for code, full in zip(codes, AREA_CODES))
    assert zones_of(import_plan("piano.csv", csv_bytes(text), area, empty_plan())) == (EXPECTED, ("099002",))


def test_a_zip_bomb_posing_as_a_shapefile_is_refused_before_gdal_reads_it(area):
    data = zipped({"piano.shp": b"", "piano.dbf": b"\0" * (80 * 1024 * 1024)})  # 80 MB of zeros, 80 kB zipped
    assert len(data) < 200_000
    result = import_plan("piano.zip", data, area, plan)
    assert result.plan is None or not result.ok
    assert any("decompresso supera 50 MB" in p for p in result.problems)


def test_a_zip_without_a_plan_gets_a_message(area):
    result = import_plan("foto.zip", zipped({"foto.jpg": b"\xff\xd8\xff"}), area, empty_plan())
    assert not result.ok and result.problems


def test_a_kml_expanding_entities_a_billion_times_is_refused(area):
    """The "billion laughs": 10 levels of entities, 3 GB once expanded; GDAL's XML parser
    (expat) stops it, and the user gets a message."""
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    kml = (f'<?xml version="1.0"?><!DOCTYPE kml [{entities}]><kml xmlns="http://www.opengis.net/kml/2.2">'
           "<Document><Placemark><name>&a9;</name><Point><coordinates>10,45</coordinates></Point></Placemark>"
           "</Document></kml>").encode()
    assert import_plan("risate.kml", kml, area, empty_plan()).problems == ("Il file non è un KML leggibile.",)
