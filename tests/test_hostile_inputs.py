"""Inputs that cannot hurt the server: each path the adversarial pass found showing a
traceback (a CSV cell over 131,072 characters, deeply nested GeoJSON, a deep share
link with a valid checksum, a control character in a zone name) gets an Italian
message; sizes are bounded in the server's configuration and before parsing."""

from __future__ import annotations

import base64
import json
import math
import tomllib
import zlib

import pyogrio
import geopandas as gpd
import pytest
import shapely

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.io.collaboration_files import MAX_BYTES as MAX_COLLABORATION_BYTES
from geo.io.collaboration_files import read_collaborations
from geo.io.formats import MAX_IMPORT_BYTES, PLAN_FORMATS
from geo.io.json_limits import loads_bounded, nesting_depth
from geo.io.plan_files import MAX_ROWS
from geo.io.plan_import import import_plan
from geo.io.share_link import DAMAGED, read_share_link, share_params
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from map_component.events import MAX_VERTICES, ShapeTooLarge, parse_map_event
from tests.apptest_support import plan_of, run_app
from tests.browser_support import ROOT

CODES = tuple(load_area_list()["istat_code"])


@pytest.fixture(scope="module")
def area() -> Area:
    return Area.from_comuni(load_comuni(), list(CODES))


def default_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(CODES)


# -- nesting, measured before parsing ----------------------------------------------------------
@pytest.mark.parametrize("text, depth", [
    ("", 0), ("1", 0), ("[]", 1), ('{"a": [1, [2, {}]]}', 4), ('"[[[{"', 0), ('["]]]"]', 1),
    (r'["\"[[["]', 1),  # an escaped quote does not end the string
    (r'["\\", [[1]]]', 3),  # an escaped backslash before the quote does
    (r'["\\\"[", 1]', 1), ('[[[', 3), (']]]', 0),
])
def test_the_depth_is_counted_by_hand_examples(text, depth):
    assert nesting_depth(text.encode()) == depth
    if depth <= 3 and text.strip() and text.count("[") == text.count("]"):
        assert loads_bounded(text, max_depth=3, too_deep="profondo", invalid="rotto") == json.loads(text)


def test_a_deep_text_is_refused_before_the_parser_recurses():
    deep = "[" * 200_000 + "]" * 200_000
    assert nesting_depth(deep.encode()) == 200_000
    with pytest.raises(ValueError, match="profondo"):
        loads_bounded(deep, max_depth=20, too_deep="profondo", invalid="rotto")
    with pytest.raises(ValueError, match="rotto"):  # Python refuses to convert integers of 5,000 digits
        loads_bounded('{"n": ' + "7" * 5000 + "}", max_depth=20, too_deep="profondo", invalid="rotto")


# -- files --------------------------------------------------------------------------------------
def test_deeply_nested_geojson_is_an_italian_message(area):
    deep = '{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}"
    result = import_plan("profondo.geojson", deep.encode(), area, default_plan())
    assert result.problems == ("Il file GeoJSON è annidato troppo in profondità per essere un elenco di comuni: "
                               "non è stato letto.",)
    numbers = '{"type": "FeatureCollection", "features": [], "n": ' + "1" * 5000 + "}"
    assert import_plan("numeri.geojson", numbers.encode(), area, default_plan()).problems == (
        "Il file non è un GeoJSON valido (JSON non leggibile).",)


def test_a_geojson_with_a_huge_polygon_is_read_for_its_properties_only(area):
    ring = [[round(10 + math.cos(t / 1e5) * 0.1, 6), round(45 + math.sin(t / 1e5) * 0.1, 6)] for t in range(150_000)]
    feature = {"type": "Feature", "properties": {"codice_istat": "017088", "zona": "Leno"},
               "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    assert len(data) < MAX_IMPORT_BYTES
    result = import_plan("enorme.geojson", data, area, default_plan())
    assert result.ok and result.plan.zone(result.plan.zone_of("017088")).name == "Leno"


def test_a_geopackage_with_too_many_rows_is_refused(area, tmp_path):
    points = shapely.points([(10.0, 45.0)] * (MAX_ROWS + 1))
    frame = gpd.GeoDataFrame({"codice_istat": ["017088"] * (MAX_ROWS + 1), "zona": ["A"] * (MAX_ROWS + 1)},
                             geometry=points, crs="EPSG:4326")
    pyogrio.write_dataframe(frame, tmp_path / "righe.gpkg", layer="comuni", driver="GPKG")
    data = (tmp_path / "righe.gpkg").read_bytes()
    assert import_plan("righe.gpkg", data, area, default_plan()).problems == ("Il file ha troppe righe (più di 5.000).",)


def test_a_control_character_in_a_zone_name_is_dropped_and_every_export_works(area):
    data = "codice_istat;zona\n017088;Zona\x01Uno\x07\n".encode()
    result = import_plan("controllo.csv", data, area, default_plan())
    assert result.ok
    assert [z.name for z in result.plan.zones if result.plan.members(z.id)][-1] == "ZonaUno"
    for fmt in (f for f in PLAN_FORMATS if f.write):
        assert fmt.write(area, result.plan, "Titolo\x02 con controllo")  # XLSX used to raise here


def test_a_plan_cell_over_the_csv_field_limit_is_an_italian_message(area):
    data = b"codice_istat;zona\r\n017088;" + b"x" * 140_000 + b"\r\n"  # over csv's 131,072
    assert import_plan("cella.csv", data, area, default_plan()).problems == (
        "Riga 2: una cella è troppo lunga (più di 10.000 caratteri), forse per una virgoletta non chiusa.",)


def test_a_collaboration_cell_over_the_csv_field_limit_is_an_italian_message():
    data = ("nome;forma;funzioni;membri;stato\n" + "x" * 140_000 + ";a;b;c;d\n").encode()
    (problem,) = read_collaborations(data, "lunga.csv", {}).problems
    assert problem.message == ("Riga 2: una cella è troppo lunga (più di 10.000 caratteri), forse per una "
                               "virgoletta non chiusa.")


# -- share links ----------------------------------------------------------------------------------
def deep_link() -> dict:
    """A link whose zones are nested 50,000 deep, with a checksum that matches."""
    params = share_params(default_plan())
    params["pz"] = base64.urlsafe_b64encode(("[" * 5000 + "]" * 5000).encode()).decode().rstrip("=")
    params["pk"] = f"{zlib.crc32('|'.join((params['pv'], params['pa'], params['pz'], params['pp'])).encode()):08x}"
    return params


def test_a_deep_share_link_with_a_valid_checksum_is_damaged_not_a_crash():
    result = read_share_link(deep_link(), load_comuni().index)
    assert result.plan is None and result.error == DAMAGED


def test_the_app_opens_a_deep_share_link_with_a_plain_notice():
    app = run_app(query=deep_link())
    assert not app.exception
    assert plan_of(app) == default_plan()
    assert any("danneggiato" in w.value for w in app.warning)


def test_a_share_link_notice_is_plain_text_whatever_the_link_says():
    """The notice is the app's own text: nothing from the link reaches markdown."""
    params = share_params(default_plan())
    params["pv"] = "![traccia](http://example.org/x.png)[clicca](http://phish)"
    app = run_app(query=params)
    (notice,) = [w.value for w in app.warning if "link" in w.value]
    assert "example.org" not in notice and "phish" not in notice and "](" not in notice


# -- the map's events and the server's limits -----------------------------------------------------
def test_a_shape_the_browser_counted_as_too_large_is_refused_unparsed():
    assert parse_map_event({"event": "draw_too_large", "seq": 3, "vertices": 400_000}) == ShapeTooLarge(3, MAX_VERTICES)
    ring = [[10.0 + i * 1e-6, 45.0] for i in range(400_000)]
    event = parse_map_event({"event": "draw", "seq": 4, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    assert event == ShapeTooLarge(4, MAX_VERTICES)


def test_the_server_refuses_uploads_and_messages_larger_than_the_app_reads():
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    largest = max(MAX_IMPORT_BYTES, MAX_COLLABORATION_BYTES)
    assert server["maxUploadSize"] == math.ceil(largest / 1024 / 1024)  # Streamlit counts MB of 1024 * 1024
    # the largest honest message: a drawn shape at the vertex limit, coordinates at full precision
    shape = {"event": "draw", "seq": 1, "geometry": {"type": "Polygon", "coordinates": [
        [[10.123456789012345, 45.12345678901234]] * MAX_VERTICES]}}
    assert len(json.dumps(shape)) * 4 < server["maxWidgetStateSize"] * 1_000_000
