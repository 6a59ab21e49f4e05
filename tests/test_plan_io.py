"""Export and import of plans: every format round-trips; broken files are refused with reasons.

The grid (1 km squares, codes ``099RCC``, row 0 at the bottom)::

    row 1:  099100 A (2000 ab.) | 099101 B (4000 ab.) | 099102 outside the area (9999 ab.)
    row 0:  099000 A (1000 ab.) | 099001 B (3000 ab.) | 099002 unassigned (500 ab.)

Zone A «Zona Alta è» (locked), B «Zona <b>Bassa</b>», C «Vuota» (no comuni).
By hand: A has 2 comuni and 3000 residents, B 2 and 7000, C 0; 500 unassigned; 10500 in all.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import numpy as np
import pyogrio
import pytest
import shapely.geometry
from matplotlib.image import imread
from openpyxl import Workbook, load_workbook

from geo.io import plan_files as _plan_files
from geo.zoning.plan import Plan, Zone
from geo.io.formats import EXPORT_FORMATS, MAX_IMPORT_BYTES
from geo.io.plan_export import export_file_name, to_csv, to_geojson, to_geopackage, to_png, to_xlsx
from geo.io.plan_import import import_plan
from tests.grids import grid_area, grid_code

POPULATION = {"099000": 1000, "099100": 2000, "099001": 3000, "099101": 4000, "099002": 500, "099102": 9999}
AREA_CODES = ["099000", "099001", "099002", "099100", "099101"]


@pytest.fixture(scope="module")
def area():
    return grid_area(2, 3, members=AREA_CODES, population=POPULATION)


@pytest.fixture(scope="module")
def plan():
    zones = [Zone("za", "Zona Alta è", "#E69F00", True), Zone("zb", "Zona <b>Bassa</b>", "#56B4E9"),
             Zone("zc", "Vuota", "#009E73")]
    return Plan.build(zones, {"099000": "za", "099100": "za", "099001": "zb", "099101": "zb", "099002": None})


def empty_plan() -> Plan:
    return Plan.build([], {c: None for c in AREA_CODES})


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


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
    assert sorted(name for name, _ in pyogrio.list_layers(path)) == ["comuni", "zone_omogenee"]
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


def test_geojson_is_rfc7946_with_string_codes(area, plan):
    collection = json.loads(to_geojson(area, plan))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 5
    first = collection["features"][0]
    assert first["properties"]["codice_istat"] == "099000" and first["properties"]["zona"] == "Zona Alta è"
    min_lon, min_lat, max_lon, max_lat = shapely.geometry.shape(first["geometry"]).bounds
    assert 10 < min_lon < max_lon < 11 and 45 < min_lat < max_lat < 46  # degrees, EPSG:4326, near Leno
    assert collection["zone_omogenee"] == plan.to_dict()["zones"]


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


# -- import: what is accepted ------------------------------------------------------------
def test_codes_without_the_leading_zero_are_padded(area):
    result = import_plan("zone.csv", csv_bytes("codice_istat;zona\n99000;Nord\n99100;Nord\n99001;Sud\n"), area,
                         empty_plan())
    assert result.ok
    assert result.plan.members("z1") == ("099000", "099100") and result.plan.members("z2") == ("099001",)
    book = Workbook()
    book.active.append(["Codice ISTAT", "Zona omogenea"])
    book.active.append([99000, "Nord"])
    book.active.append([99001.0, "Sud"])  # Excel stores numbers as floats
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_plan("zone.xlsx", buffer.getvalue(), area, empty_plan())
    assert result.ok and result.plan.zone_of("099000") == "z1" and result.plan.zone_of("099001") == "z2"


def test_latin1_comma_separated_csv_as_old_excel_writes_it(area):
    data = csv_bytes("CODICE_ISTAT,Comune,Zona\n099000,Comune 0-0,Città Alta\n099001,Comune 0-1,Pianura Più\n",
                     "cp1252")
    result = import_plan("zone.csv", data, area, empty_plan())
    assert [z.name for z in result.plan.zones] == ["Città Alta", "Pianura Più"]


def test_excel_sep_hint_and_blank_lines(area):
    data = csv_bytes("sep=;\ncodice_istat;zona\n\n099000;Nord\n;\n099001;\n")
    result = import_plan("zone.csv", data, area, empty_plan())
    assert result.ok and result.plan.zone_of("099000") == "z1" and result.plan.zone_of("099001") is None


def test_names_reuse_the_current_zones_and_new_ones_get_new_colours(area, plan):
    data = csv_bytes("codice_istat;zona\n099000;Zona Alta è\n099100;Nuova\n099001;Nuova\n099101;Altra;\n")
    result = import_plan("zone.csv", data, area, plan)
    zones = {z.name: z for z in result.plan.zones}
    assert zones["Zona Alta è"] == plan.zone("za")  # same id, colour and lock
    assert "Zona <b>Bassa</b>" not in zones  # no longer in the file: dropped
    assert zones["Vuota"] == plan.zone("zc")  # empty before, cannot be in the file: kept
    assert zones["Nuova"].id == "z1" and zones["Altra"].id == "z2"
    assert zones["Nuova"].color not in {"#E69F00", "#009E73"} and zones["Altra"].color != zones["Nuova"].color
    assert result.plan.unassigned == ("099002",)
    assert result.notes == ("1 comuni dell'area non sono nel file e restano non assegnati: Comune 0-2.",)


def test_colours_from_the_file_win(area, plan):
    data = csv_bytes("codice_istat;zona;colore\n099000;Zona Alta è;#d55e00\n099100;Zona Alta è;D55E00\n")
    assert import_plan("z.csv", data, area, plan).plan.zone("za").color == "#D55E00"


def test_a_wrong_comune_name_is_noted_but_the_code_counts(area):
    data = csv_bytes("codice_istat;comune;zona\n099000;Comune 0-0;A\n099001;Leno;A\n")
    result = import_plan("z.csv", data, area, empty_plan())
    assert result.ok and result.plan.zone_of("099001") == "z1"
    assert "Riga 3: il codice 099001 è di Comune 0-1, non di «Leno»: vale il codice." in result.notes


def test_third_party_geopackage_with_numeric_codes(area, tmp_path):
    frame = grid_area(2, 3, members=AREA_CODES).comuni[["geometry"]].copy()
    frame["PRO_COM"] = [int(c) for c in frame.index]  # as ISTAT's shapefiles: a number
    frame["ZONA"] = ["Est" if c.endswith(("01", "02")) else "Ovest" for c in frame.index]
    path = tmp_path / "terzi.gpkg"
    pyogrio.write_dataframe(frame.reset_index(drop=True), path, layer="limiti_comuni", driver="GPKG")
    result = import_plan("terzi.gpkg", path.read_bytes(), area, empty_plan())
    assert result.ok
    assert {z.name: result.plan.members(z.id) for z in result.plan.zones} == {
        "Ovest": ("099000", "099100"), "Est": ("099001", "099002", "099101")}


# -- import: what is refused, with a reason per problem --------------------------------------
@pytest.mark.parametrize("name, data, message", [
    ("vuoto.csv", b"", "Il file è vuoto."),
    ("binario.csv", bytes(range(256)) * 4, "contiene dati binari"),
    ("binario.xlsx", b"\x00\x01garbage" * 100, "non è un foglio Excel (.xlsx) leggibile"),
    ("rotto.xlsx", b"PK\x03\x04" + b"\x00" * 200, "non è un foglio Excel (.xlsx) leggibile"),
    ("binario.gpkg", b"\x00garbage" * 100, "non è un GeoPackage leggibile"),
    ("rotto.gpkg", b"SQLite format 3\x00" + b"\x00" * 200, "non è un GeoPackage leggibile"),
    ("zone.geojson", b"{not json", "non è un GeoJSON valido"),
    ("zone.geojson", b'{"type": "Point", "coordinates": [10, 45]}', "non contiene una FeatureCollection"),
    ("zone.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Excel 97-2003"),
    ("zone.pdf", b"%PDF-1.4", "non riconosciuto"),
    ("intestazione.csv", b"codice_istat;zona\r\n", "non contiene comuni"),
])
def test_broken_files_are_refused(area, plan, name, data, message):
    result = import_plan(name, data, area, plan)
    assert result.plan is None
    assert any(message in p for p in result.problems), result.problems


def test_wrong_columns_are_named(area, plan):
    result = import_plan("z.csv", csv_bytes("comune;gruppo\nLeno;A\n"), area, plan)
    assert result.problems == (
        "Manca la colonna con il codice ISTAT del comune (ad esempio «codice_istat»).",
        "Manca la colonna con la zona (ad esempio «zona»).",
        "Colonne trovate nel file: «comune», «gruppo».",
    )


def test_oversized_files_are_refused_before_reading(area, plan):
    result = import_plan("grande.csv", b"x" * (MAX_IMPORT_BYTES + 1), area, plan)
    assert result.problems == ("Il file è troppo grande (5,0 MB): il limite è 5,0 MB.",)
    assert import_plan("z.csv", b"codice_istat;zona\n099000;A\n", area, plan, max_bytes=10).plan is None


def test_too_many_rows(area, plan, monkeypatch):
    monkeypatch.setattr(_plan_files, "MAX_ROWS", 3)
    data = csv_bytes("codice_istat;zona\n" + "099000;A\n" * 4)
    assert "troppe righe" in import_plan("z.csv", data, area, plan).problems[0]


def test_a_zip_bomb_is_refused(area, plan, monkeypatch):
    monkeypatch.setattr(_plan_files, "MAX_UNZIPPED_BYTES", 100)
    data = to_xlsx(area, plan)
    assert import_plan("z.xlsx", data, area, plan).problems == ("Il file Excel è troppo grande una volta decompresso.",)


def test_every_problem_is_reported_with_its_row_and_nothing_changes(area, plan):
    data = csv_bytes(
        "codice_istat;zona;colore\n"
        "099000;Nord;\n"         # 2 ok
        "abc;Nord;\n"            # 3 not a code
        "123456;Nord;\n"         # 4 unknown comune
        "099102;Nord;\n"         # 5 outside the area
        "99000;Sud;\n"           # 6 duplicate of row 2 (written without the zero)
        f"099001;{'x' * 81};\n"  # 7 zone name too long
        "099100;Nord;rosso\n"    # 8 bad colour
        ";Nord;\n"               # 9 code missing
    )
    result = import_plan("z.csv", data, area, plan)
    assert result.plan is None
    assert result.problems == (
        "Riga 3: «abc» non è un codice ISTAT (6 cifre, ad esempio 017088).",
        "Riga 4: il codice ISTAT 123456 non corrisponde a nessun comune.",
        "Riga 5: Comune 1-2 (099102) non fa parte dell'area vasta.",
        "Riga 6: Comune 0-0 (099000) compare già (riga 2).",
        "Riga 7: il nome della zona è troppo lungo (massimo 80 caratteri).",
        "Riga 8: colore «rosso» non valido (atteso #RRGGBB, ad esempio #E69F00).",
        "Riga 9: manca il codice ISTAT.",
    )


def test_two_colours_for_one_zone_are_refused(area, plan):
    data = csv_bytes("codice_istat;zona;colore\n099000;Nord;#E69F00\n099100;Nord;#56B4E9\n")
    assert import_plan("z.csv", data, area, plan).problems == (
        "Riga 3: la zona «Nord» ha già il colore #E69F00 (riga 2).",)


def test_a_damaged_zone_list_in_a_geojson_is_refused(area, plan):
    collection = json.loads(to_geojson(area, plan))
    collection["zone_omogenee"][0]["color"] = "giallo"
    result = import_plan("z.geojson", json.dumps(collection).encode(), area, plan)
    assert result.plan is None and "elenco delle zone" in result.problems[0] and "giallo" in result.problems[0]


def test_many_problems_are_capped(area, plan):
    data = csv_bytes("codice_istat;zona\n" + "".join(f"x{i};A\n" for i in range(40)))
    problems = import_plan("z.csv", data, area, plan).problems
    assert len(problems) == 26 and problems[-1] == "... e altri 15 problemi."


def test_grid_codes_are_what_the_docstring_says():
    assert grid_code(1, 2) == "099102"
