"""Each kind of aggregation, totals, missing values and the registry's rules, on a strip
of four 1 km comuni with answers worked out by hand.

::

    cell:        00      01      02      03
    zone:        a       a       b       (unassigned)
    residents:   1000    3000    6000    500
    sportelli:   2       NaN     5       1     (added with Area.with_columns; 01 has no data)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyogrio
import pytest

from geo.io.plan_export import to_geopackage
from geo.render.statistics_table import statistics_column_help, statistics_display_table
from geo.zoning.area import AreaError
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistic_types import NO_TOTAL, ColumnSum, Statistic, StatisticError, SumRatio, Tally, ZoneFunction
from geo.zoning.statistics import TOTAL_ROW, UNASSIGNED_ROW, missing_values, statistics_registry, zone_statistics
from geo.zoning.statistics_registry import StatisticsRegistry
from tests.grids import grid_area, grid_code as g

POP = {g(0, 0): 1000, g(0, 1): 3000, g(0, 2): 6000, g(0, 3): 500}
SPORTELLI = Tally("sportelli", "sportelli")
RESIDENTS = Tally("residenti", "pop_totale")


def stat(key: str, aggregation, **extra) -> Statistic:
    declared = dict(label=key.capitalize(), unit="n.", decimals=1, excel_format="0.0", field=key,
                    help="Una spiegazione.")
    return Statistic(key=key, aggregation=aggregation, **(declared | extra))


@pytest.fixture(scope="module")
def area():
    base = grid_area(1, 4, population=POP)
    # ISTAT codes as numbers, as a spreadsheet gives them: 99000 is 099000.
    return base.with_columns(pd.DataFrame({"sportelli": [2.0, np.nan, 5.0, 1.0]},
                                          index=[99000, 99001, 99002, 99003]))


@pytest.fixture(scope="module")
def plan():
    return Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "a", g(0, 2): "b", g(0, 3): None})


def evaluate(area, plan, *statistics) -> pd.DataFrame:
    return zone_statistics(area, plan, StatisticsRegistry(statistics))


def column(table: pd.DataFrame, key: str) -> list:
    return [None if isinstance(v, float) and math.isnan(v) else v for v in table[key].tolist()]


def test_column_sum_leaves_missing_values_out_and_counts_them(area, plan):
    registry = StatisticsRegistry([stat("sportelli", ColumnSum(SPORTELLI))])
    # rows a, b, unassigned, total: 01 has no data, so a is 2 (not 2 + something invented)
    assert column(zone_statistics(area, plan, registry), "sportelli") == [2.0, 5.0, 1.0, 8.0]
    assert missing_values(area, plan, registry)["sportelli"].tolist() == [1, 0, 0, 1]


def test_a_zone_whose_comuni_all_lack_the_data_has_no_value_and_an_empty_zone_zero(area, plan):
    only_01 = plan.add_zone("Solo 01").assign([g(0, 1)], "z1").plan.add_zone("Vuota")
    stats = evaluate(area, only_01, stat("sportelli", ColumnSum(SPORTELLI)))
    assert column(stats, "sportelli") == [2.0, 5.0, None, 0.0, 1.0, 8.0]  # a, b, z1, z2, unassigned, total


def test_a_transform_counts_comuni_and_keeps_missing_values_missing(area, plan):
    big = Tally("grandi", "pop_totale", lambda residents: residents >= 3000)
    with_desks = Tally("con_sportelli", "sportelli", lambda desks: desks > 0)
    stats = evaluate(area, plan, stat("grandi", ColumnSum(big)), stat("con_sportelli", ColumnSum(with_desks)))
    assert column(stats, "grandi") == [1.0, 1.0, 0.0, 2.0]
    assert column(stats, "con_sportelli") == [1.0, 1.0, 1.0, 3.0]  # 01 is not counted either way


def test_counting_comuni_reads_no_column(area, plan):
    stats = evaluate(area, plan, stat("comuni", ColumnSum(Tally("comuni")), whole=True, decimals=0))
    assert column(stats, "comuni") == [2.0, 1.0, 1.0, 4.0]


def test_sum_ratio_with_a_scale_leaves_a_comune_out_of_both_sums(area, plan):
    per_10k = stat("sportelli_10k", SumRatio(SPORTELLI, RESIDENTS, scale=10_000))
    stats = evaluate(area, plan, per_10k)
    # a: 01 has no desks figure, so its residents do not count either: 2 / 1000 (not 2 / 4000)
    # b: 5 / 6000; unassigned 1 / 500; area (2 + 5 + 1) / (1000 + 6000 + 500)
    assert column(stats, "sportelli_10k") == pytest.approx([20.0, 10_000 * 5 / 6000, 20.0, 10_000 * 8 / 7500])
    assert missing_values(area, plan, StatisticsRegistry([per_10k]))["sportelli_10k"].tolist() == [1, 0, 0, 1]


def test_sum_ratio_over_nothing_is_not_a_number(area, plan):
    empty = plan.add_zone("Vuota")
    stats = evaluate(area, empty, stat("densita", SumRatio(RESIDENTS, Tally("superficie", "area_km2"))))
    assert column(stats, "densita") == [2000.0, 6000.0, None, 500.0, 10_500 / 4]


def test_zone_function_and_the_total_rules(area, plan):
    ten_per_comune = ZoneFunction(lambda groups: [10 * len(m) for m in groups.members], lambda groups: -1.0)
    no_total = ZoneFunction(lambda groups: [len(m) for m in groups.members], NO_TOTAL)
    custom_sum_total = ColumnSum(RESIDENTS, total=lambda groups: 42.0)
    stats = evaluate(area, plan, stat("dieci", ten_per_comune), stat("senza", no_total),
                     stat("residenti", custom_sum_total))
    assert list(stats.index) == ["a", "b", UNASSIGNED_ROW, TOTAL_ROW]
    assert column(stats, "dieci") == [20.0, 10.0, 10.0, -1.0]
    assert column(stats, "senza") == [2.0, 1.0, 1.0, None]
    assert column(stats, "residenti") == [4000.0, 6000.0, 500.0, 42.0]


def test_with_columns_gives_a_new_area_and_refuses_what_it_cannot_use():
    base = grid_area(1, 4, population=POP)
    partial = base.with_columns(pd.DataFrame({"x": [7]}, index=["099002"]))
    assert "x" not in base.table.columns and "x" in partial.table.columns and "x" in partial.context.columns
    assert partial.graph is base.graph and partial.codes == base.codes  # the contiguity is not rebuilt
    assert partial.columns(("x",))["x"].tolist()[2] == 7.0 and np.isnan(partial.columns(("x",))["x"][0])
    with pytest.raises(AreaError, match="la colonna «pop_totale» esiste già"):
        base.with_columns(pd.DataFrame({"pop_totale": [1]}, index=["099000"]))
    with pytest.raises(AreaError, match="non sono numeri"):
        base.with_columns(pd.DataFrame({"y": ["tanti"]}, index=["099000"]))
    with pytest.raises(AreaError, match="compare più volte"):
        base.with_columns(pd.DataFrame({"y": [1, 2]}, index=["099000", "99000"]))
    with pytest.raises(AreaError, match="Dati per comune mancanti: nessuna"):
        zone_statistics(base, Plan.build([], {c: None for c in base.codes}),
                        StatisticsRegistry([stat("n", ColumnSum(Tally("n", "nessuna")))]))


def test_the_registry_refuses_repeated_keys_fields_and_two_tallies_of_one_name():
    one = stat("uno", ColumnSum(RESIDENTS))
    with pytest.raises(StatisticError, match="Chiave ripetuta"):
        StatisticsRegistry([one, one])
    with pytest.raises(StatisticError, match="Nome di campo ripetuto"):
        StatisticsRegistry([one, stat("due", ColumnSum(RESIDENTS), field="uno")])
    with pytest.raises(StatisticError, match="stesso nome: «residenti»"):
        StatisticsRegistry([one, stat("due", ColumnSum(Tally("residenti", "pop_65_piu")))])
    with pytest.raises(StatisticError, match="brevi non presenti: tre"):
        StatisticsRegistry([one], short=["tre"])


def test_a_declaration_is_checked():
    with pytest.raises(StatisticError, match="numero intero"):
        stat("conteggio", ColumnSum(Tally("comuni")), whole=True, decimals=1)
    with pytest.raises(StatisticError, match="Nome di campo non valido"):
        stat("quota", ColumnSum(RESIDENTS), field="Quota %")
    with pytest.raises(StatisticError, match="formato Excel"):
        stat("quota", ColumnSum(RESIDENTS), excel_format="")
    with pytest.raises(TypeError):  # no default: a forgotten format cannot write a share as an integer
        Statistic(key="x", label="X", unit="%", aggregation=ColumnSum(RESIDENTS), decimals=1, field="x", help="?")


def test_registries_are_values():
    shipped = statistics_registry()
    extended = shipped.with_statistics(stat("extra", ColumnSum(RESIDENTS)))
    assert extended.keys == (*shipped.keys, "extra") and "extra" not in shipped
    assert extended.subset(["residenti", "comuni"]).keys == ("residenti", "comuni")
    assert extended.short == shipped.short == ("comuni", "residenti")
    with pytest.raises(StatisticError, match="Statistica sconosciuta: «nessuna»"):
        shipped["nessuna"]


def test_the_display_table_uses_declared_decimals_and_chosen_keys(area, plan):
    thirds = ZoneFunction(lambda groups: [1 / 3] * len(groups.rows), lambda groups: 2 / 3)
    registry = StatisticsRegistry([stat("terzi", thirds, decimals=3, unit="%"),
                                   stat("comuni", ColumnSum(Tally("comuni")), whole=True, decimals=0)],
                                  short=["comuni"])
    shown = statistics_display_table(zone_statistics(area, plan, registry), registry)
    assert list(shown.columns) == ["Zona", "Terzi (%)", "Comuni"]  # no unit shown for counts
    assert shown["Terzi (%)"].tolist() == ["0,333", "0,333", "0,333", "0,667"]
    short = statistics_display_table(zone_statistics(area, plan, registry), registry, keys=registry.short)
    assert short.to_dict("list") == {"Zona": ["A", "B", "Non assegnati", "Totale area"],
                                     "Comuni": ["2", "1", "1", "4"]}
    helped = StatisticsRegistry([stat("terzi", thirds, unit="%", help="Un terzo di ogni zona."),
                                 stat("comuni", ColumnSum(Tally("comuni")), whole=True, decimals=0)])
    assert statistics_column_help(helped) == {"Terzi (%)": "Un terzo di ogni zona.", "Comuni": "Una spiegazione."}
    assert statistics_column_help(helped, keys=["comuni"]) == {"Comuni": "Una spiegazione."}


def test_the_shipped_short_subset_is_what_the_comparison_shows(area, plan):
    shown = statistics_display_table(zone_statistics(area, plan), keys=statistics_registry().short)
    assert shown.to_dict("list") == {"Zona": ["A", "B", "Non assegnati", "Totale area"],
                                     "Comuni": ["2", "1", "1", "4"],
                                     "Residenti": ["4.000", "6.000", "500", "10.500"]}


def test_counts_are_written_as_integers_and_missing_ones_as_empty_fields(area, plan, tmp_path):
    desks = stat("sportelli", ColumnSum(SPORTELLI), whole=True, decimals=0)
    assert (desks.number(7.0), desks.number(float("nan")), stat("q", ColumnSum(RESIDENTS)).number(7)) == (7, None, 7.0)
    assert isinstance(desks.number(7.0), int)
    only_01 = plan.add_zone("Solo 01").assign([g(0, 1)], "z1").plan
    path = tmp_path / "piano.gpkg"
    path.write_bytes(to_geopackage(area, only_01, statistics_registry().with_statistics(desks)))
    info = pyogrio.read_info(path, layer="zone_omogenee")
    assert dict(zip(info["fields"], info["dtypes"]))["sportelli"] == "int32"
    zones = pyogrio.read_dataframe(path, layer="zone_omogenee")
    assert zones["sportelli"].tolist()[:2] == [2, 5] and math.isnan(zones["sportelli"].tolist()[2])
