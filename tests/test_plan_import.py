"""Import of plans: what is accepted, and broken files refused with a reason per problem
(the grid and plan: ``tests/plan_io_support.py``)."""

from __future__ import annotations

import io
import json

import pyogrio
import pytest
from openpyxl import Workbook

from geo.io import plan_files as _plan_files
from geo.io.formats import MAX_IMPORT_BYTES
from geo.io.plan_export import to_geojson, to_xlsx
from geo.io.plan_import import import_plan
from tests.grids import grid_area, grid_code
from tests.plan_io_support import AREA_CODES, POPULATION, area, csv_bytes, empty_plan, plan  # noqa: F401 (fixtures)


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
