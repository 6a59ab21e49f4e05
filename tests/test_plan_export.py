"""Export of plans: every format round-trips, and each file holds what GIS and office tools expect
(the grid and plan: ``tests/plan_io_support.py``)."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess

import numpy as np
import pyogrio
import pytest
import shapely.geometry
from matplotlib.image import imread
from openpyxl import load_workbook

from geo.io.formats import EXPORT_FORMATS
from geo.io.plan_export import export_file_name, to_csv, to_geojson, to_geopackage, to_png, to_xlsx
from geo.io.plan_import import import_plan
from tests.plan_io_support import AREA_CODES, POPULATION, area, csv_bytes, empty_plan, plan  # noqa: F401 (fixtures)


# -- round trips ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "csv", "xlsx"])
def test_export_then_import_gives_the_same_plan(area, plan, fmt):
    exported = {f.key: f for f in EXPORT_FORMATS}[fmt].write(area, plan, "Prova")
    result = import_plan(f"piano.{fmt}", exported, area, plan)
    assert result.problems == ()
    assert result.plan == plan


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_gis_files_carry_the_whole_zone_list(area, plan, fmt):
    exported = {f.key: f for f in EXPORT_FORMATS}[fmt].write(area, plan, "")
    # imported into a session with no zones at all: ids, order, locks and the empty zone come from the file
    assert import_plan(f"piano.{fmt}", exported, area, empty_plan()).plan == plan


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_office_files_carry_names_and_colours(area, plan, fmt):
    exported = {f.key: f for f in EXPORT_FORMATS}[fmt].write(area, plan, "")
    imported = import_plan(f"piano.{fmt}", exported, area, empty_plan()).plan
    assert [(z.name, z.color) for z in imported.zones] == [("Zona Alta è", "#E69F00"), ("Zona <b>Bassa</b>", "#56B4E9")]
    by_name = {z.name: z.id for z in imported.zones}
    assert imported.members(by_name["Zona Alta è"]) == ("099000", "099100")
    assert imported.members(by_name["Zona <b>Bassa</b>"]) == ("099001", "099101")
    assert imported.unassigned == ("099002",)


# -- what the files contain --------------------------------------------------------------
def test_geopackage_has_comuni_and_dissolved_zones_with_statistics(area, plan, tmp_path):
    path = tmp_path / "piano.gpkg"
    path.write_bytes(to_geopackage(area, plan))
    assert sorted(name for name, _ in pyogrio.list_layers(path)) == ["comuni", "layer_styles", "zone_omogenee"]
    assert pyogrio.read_info(path, layer="comuni")["crs"] == "EPSG:32632"
    comuni = pyogrio.read_dataframe(path, layer="comuni")
    assert sorted(comuni["codice_istat"]) == AREA_CODES  # text with the leading zero
    assert comuni.set_index("codice_istat").loc["099002", "zona"] in ("", None)
    zones = pyogrio.read_dataframe(path, layer="zone_omogenee")
    assert zones["zona_id"].tolist() == ["za", "zb", "zc"]
    assert zones["residenti"].tolist() == [3000, 7000, 0]
    assert zones["comuni"].tolist() == [2, 2, 0]
    assert zones["superficie_km2"].tolist() == [2.0, 2.0, 0.0]
    assert zones["quota_residenti_pct"].round(4).tolist() == [round(100 * 3000 / 10500, 4),
                                                             round(100 * 7000 / 10500, 4), 0.0]
    assert zones["bloccata"].tolist() == [1, 0, 0]
    # dissolved: two 1 km squares side by side are one 2 km² polygon (areas in metres, EPSG:32632)
    assert zones.geometry.iloc[0].area == pytest.approx(2_000_000, rel=1e-6)
    assert zones.geometry.iloc[0].geom_type == "MultiPolygon" and len(zones.geometry.iloc[0].geoms) == 1
    assert zones.geometry.iloc[2] is None


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) non installato")
def test_geopackage_opens_with_ogrinfo(area, plan, tmp_path):
    path = tmp_path / "piano.gpkg"
    path.write_bytes(to_geopackage(area, plan))
    out = subprocess.run(["ogrinfo", "-so", str(path)], capture_output=True, text=True, check=True)
    assert "1: comuni (Multi Polygon)" in out.stdout and "2: zone_omogenee (Multi Polygon)" in out.stdout
    assert "Warning" not in out.stderr


def test_geopackage_carries_a_qgis_style_by_zone_colour(area, plan, tmp_path):
    """QGIS applies the ``layer_styles`` row with ``useAsDefault``: each layer gets a
    categorised renderer on ``zona_id``, every zone with its colour and its name as label."""
    import sqlite3
    import xml.etree.ElementTree as ET

    path = tmp_path / "piano.gpkg"
    path.write_bytes(to_geopackage(area, plan))
    with sqlite3.connect(path) as db:
        styles = db.execute("SELECT f_table_name, f_geometry_column, styleName, styleQML, useAsDefault "
                            "FROM layer_styles ORDER BY id").fetchall()
        registered = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchall()
    db.close()
    assert registered == [("attributes",)]
    assert [(t, g, n, d) for t, g, n, _, d in styles] == [("comuni", "geom", "comuni", 1),
                                                          ("zone_omogenee", "geom", "zone_omogenee", 1)]
    expected = {"za": ("Zona Alta è", "230,159,0,255"), "zb": ("Zona <b>Bassa</b>", "86,180,233,255"),
                "zc": ("Vuota", "0,158,115,255")}
    for layer, _, _, qml, _ in styles:
        renderer = ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")
        assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "zona_id"
        colours = {s.get("name"): s.find("layer/Option/Option[@name='color']").get("value")
                   for s in renderer.find("symbols")}
        categories = {c.get("value"): (c.get("label"), colours[c.get("symbol")]) for c in renderer.find("categories")}
        # the unassigned comuni (099002) white, as on the map; the zones layer has none
        unassigned = {"": ("Non assegnati", "255,255,255,255")} if layer == "comuni" else {}
        assert categories == {**expected, **unassigned}


def test_geojson_is_rfc7946_with_string_codes(area, plan):
    collection = json.loads(to_geojson(area, plan))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 5
    first = collection["features"][0]
    assert first["properties"]["codice_istat"] == "099000" and first["properties"]["zona"] == "Zona Alta è"
    min_lon, min_lat, max_lon, max_lat = shapely.geometry.shape(first["geometry"]).bounds
    assert 10 < min_lon < max_lon < 11 and 45 < min_lat < max_lat < 46  # degrees, EPSG:4326, near Leno
    assert collection["zone_omogenee"] == plan.to_dict()["zones"]


def test_geojson_rings_wind_as_rfc7946_says(area, plan):
    """RFC 7946 §3.1.6: exteriors counter-clockwise, holes clockwise, whatever the
    boundaries' own winding (here each comune's square turned clockwise, with a hole)."""
    square = shapely.geometry.box(0, 0, 1, 1)
    assert square.exterior.is_ccw  # shapely.box winds counter-clockwise: turn them all round
    comuni = area.comuni.copy()
    comuni["geometry"] = [shapely.geometry.polygon.orient(
        shapely.geometry.Polygon(g.exterior.coords, [g.centroid.buffer(0.001, 4).exterior.coords]), -1)
        for g in comuni.geometry]
    assert not comuni.geometry.iloc[0].exterior.is_ccw and comuni.geometry.iloc[0].interiors[0].is_ccw
    features = json.loads(to_geojson(dataclasses.replace(area, comuni=comuni), plan))["features"]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    polygons = [p for g in shapes for p in getattr(g, "geoms", [g])]
    assert len(polygons) == 5
    assert all(p.exterior.is_ccw and len(p.interiors) == 1 and not p.interiors[0].is_ccw for p in polygons)


def test_csv_is_what_italian_excel_expects(area, plan):
    data = to_csv(area, plan)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents as UTF-8
    assert data.decode("utf-8-sig").split("\r\n") == [
        "codice_istat;comune;zona;colore",
        "099000;Comune 0-0;Zona Alta è;#E69F00",
        "099100;Comune 1-0;Zona Alta è;#E69F00",
        "099001;Comune 0-1;Zona <b>Bassa</b>;#56B4E9",
        "099101;Comune 1-1;Zona <b>Bassa</b>;#56B4E9",
        "099002;Comune 0-2;;",
        "",
    ]


def test_xlsx_keeps_codes_as_text_and_has_a_statistics_sheet(area, plan):
    book = load_workbook(io.BytesIO(to_xlsx(area, plan, "Prova")))
    assert book.sheetnames == ["Comuni", "Statistiche", "Informazioni"]
    comuni = book["Comuni"]
    assert [c.value for c in comuni[1]] == ["codice_istat", "comune", "zona", "colore", "residenti"]
    assert comuni["A2"].value == "099000" and comuni["A2"].data_type == "s" and comuni["A2"].number_format == "@"
    assert [c.value for c in comuni[2]][1:] == ["Comune 0-0", "Zona Alta è", "#E69F00", 1000]
    stats = {row[0]: row for row in book["Statistiche"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["Statistiche"][1]]
    residents = header.index("Residenti (ab.)")
    assert {name: row[residents] for name, row in stats.items()} == {
        "Zona Alta è": 3000, "Zona <b>Bassa</b>": 7000, "Vuota": 0, "Non assegnati": 500, "Totale area": 10500}
    assert book["Informazioni"]["B1"].value == "Prova"


def test_xlsx_says_when_it_was_exported_in_italian_local_time(area, plan, monkeypatch):
    from datetime import datetime, timezone

    from geo.io import plan_export

    class SummerMorning(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 7, 15, 7, 5, tzinfo=timezone.utc)  # 09:05 in Rome (CEST)

    monkeypatch.setattr(plan_export, "datetime", SummerMorning)
    info = load_workbook(io.BytesIO(to_xlsx(area, plan, "Prova")))["Informazioni"]
    assert (info["A2"].value, info["B2"].value) == ("Esportato il", "15/07/2026 09:05")


def _pixels_of(image: np.ndarray, hex_color: str) -> int:
    rgb = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return int(np.all(np.abs(image[:, :, :3] - rgb) < 1 / 255, axis=2).sum())


def test_png_map_shows_each_zone_in_its_colour(area, plan):
    data = to_png(area, plan, "Titolo con $dollari$")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = imread(io.BytesIO(data), format="png")
    assert image.shape[1] == 1500  # 10 inches at 150 dpi
    assert _pixels_of(image, "#E69F00") > 1000 and _pixels_of(image, "#56B4E9") > 1000
    assert _pixels_of(image, "#009E73") < 500  # the empty zone is only a legend swatch
    assert _pixels_of(image, "#E4E4E4") > 1000  # the comune outside the area, in grey


def test_file_names_are_safe():
    assert export_file_name("Proposta «Leno» 2/3", "xlsx") == "proposta_leno_2_3.xlsx"
    assert export_file_name("", "csv") == "piano.csv"
