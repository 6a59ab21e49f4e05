"""Which comuni may join the area vasta: a rule read from the data, not typed in a page."""

import pandas as pd
import pytest

from geo.data.shipped import joinable_comuni, load_area_list, load_comuni


@pytest.fixture
def comuni():
    """Five comuni in three provinces (only the index and ``provincia`` matter)::

        016001 Bergamo   017001 Brescia   017002 Brescia   019001 Cremona   019002 Cremona
    """
    codes = ["016001", "017001", "017002", "019001", "019002"]
    return pd.DataFrame({"provincia": ["Bergamo", "Brescia", "Brescia", "Cremona", "Cremona"]}, index=codes)


def test_the_provinces_of_the_working_list_give_the_comuni_that_may_join(comuni):
    joinable = joinable_comuni(comuni, ["017001"])
    assert joinable.codes == {"017001", "017002"}
    assert joinable.provinces == ("Brescia",)
    assert "017002" in joinable and "019001" not in joinable
    assert joinable.where == "della provincia di Brescia"
    assert joinable.refusal == "Si possono aggiungere solo comuni della provincia di Brescia."


def test_a_working_list_over_several_provinces_names_them_all(comuni):
    joinable = joinable_comuni(comuni, ["19001", "017002", "016001"])  # codes as typed, unpadded too
    assert joinable.codes == set(comuni.index)
    assert joinable.provinces == ("Bergamo", "Brescia", "Cremona")
    assert joinable.where == "delle province di Bergamo, Brescia e Cremona"
    assert joinable_comuni(comuni, ["017001", "019002"]).where == "delle province di Brescia e Cremona"


def test_the_shipped_working_list_lets_every_shipped_comune_of_its_province_join():
    shipped = load_comuni()
    joinable = joinable_comuni(shipped, load_area_list()["istat_code"])
    # the working list is the three ATS ambiti of the Bassa Bresciana: province of Brescia only
    assert joinable.provinces == ("Brescia",)
    assert joinable.codes == set(shipped.index[shipped["sigla_provincia"] == "BS"])
