"""Comparison of plans on a 1 x 7 strip of 1 km comuni (codes 099000 ... 099006, 1000 residents each
unless stated), answers worked out by hand."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.image import imread

from geo.zoning.plan import Plan, Zone
from geo.render.difference_map import CHANGED_COLOR, difference_map_png
from geo.zoning.compare import CompareError, ComparedPlan, compare_plans, match_zones, unique_labels
from tests.grids import grid_area, grid_code

CODES = [grid_code(0, c) for c in range(7)]  # 099000 ... 099006, west to east
STRIP = grid_area(1, 7)


def plan(groups: dict[str, list[int]], names: dict[str, str] | None = None, codes=CODES) -> Plan:
    """Zones from cell numbers: ``{"X": [0, 1, 2]}``; other cells unassigned."""
    names = names or {}
    zones = [Zone(z, names.get(z, f"Zona {z}"), "#E69F00") for z in groups]
    where = {CODES[i]: z for z, cells in groups.items() for i in cells}
    return Plan.build(zones, {c: where.get(c) for c in codes})


def item(label: str, p: Plan) -> ComparedPlan:
    return ComparedPlan(label, STRIP, p)


def test_the_pairing_is_optimal_where_greedy_would_not_be():
    """Reference X = cells 0-4, Y = 5-6. Other plan P = 0,1,2,5,6, Q = 3,4.

    Shared comuni: X-P 3, X-Q 2, Y-P 2, Y-Q 0. Greedy pairs X-P first (3) and is left
    with Y-Q (0): 3 in all, and 4 comuni "change". The best pairing is X-Q, Y-P: 2 + 2 = 4
    shared, so only cells 0, 1, 2 (in X, but in P, Y's partner) change zone.
    """
    reference = plan({"X": [0, 1, 2, 3, 4], "Y": [5, 6]})
    other = plan({"P": [0, 1, 2, 5, 6], "Q": [3, 4]})
    assert match_zones(reference, other) == {"X": "Q", "Y": "P"}
    comparison = compare_plans([item("A", reference), item("B", other)])
    assert comparison.changed == (CODES[0], CODES[1], CODES[2])


def test_same_grouping_with_other_names_and_ids_is_no_change():
    reference = plan({"a": [0, 1, 2], "b": [3, 4, 5, 6]}, {"a": "Ovest", "b": "Est"})
    renamed = plan({"z1": [0, 1, 2], "z2": [3, 4, 5, 6]}, {"z1": "Occidente", "z2": "Oriente"})
    comparison = compare_plans([item("A", reference), item("B", renamed)])
    assert comparison.pairs[1] == {"a": "z1", "b": "z2"}
    assert comparison.changed == () and comparison.area_differences == ()


def test_ties_are_broken_by_the_zone_name():
    """a = 0,1 «Nord», b = 2,3 «Sud»; other x = 0,2 «Sud», y = 1,3 «Nord»: every pairing
    shares 1 comune per pair, so the names decide: a-y, b-x; cell 0 (a, but in x) and
    cell 3 (b, but in y) change zone."""
    reference = plan({"a": [0, 1], "b": [2, 3]}, {"a": "Nord", "b": "Sud"})
    other = plan({"x": [0, 2], "y": [1, 3]}, {"x": "Sud", "y": "Nord"})
    assert match_zones(reference, other) == {"a": "y", "b": "x"}
    assert compare_plans([item("A", reference), item("B", other)]).changed == (CODES[0], CODES[3])


def test_an_equal_name_outweighs_an_equal_id():
    """a = 0,1 «Nord», b = 2,3 «Sud»; other a = 0,2 «Sud», b = 1,3 «Nord»: every pairing
    shares 1 comune per pair. Pairing by name (a-b, b-a) scores 2 + 2, by id (a-a, b-b)
    1 + 1: the names win."""
    reference = plan({"a": [0, 1], "b": [2, 3]}, {"a": "Nord", "b": "Sud"})
    other = plan({"a": [0, 2], "b": [1, 3]}, {"a": "Sud", "b": "Nord"})
    assert match_zones(reference, other) == {"a": "b", "b": "a"}


def test_an_equal_id_breaks_a_tie_left_by_the_names():
    """a = 0,1, b = 2,3; other b = 0,2, a = 1,3, all names different: every pairing shares
    1 comune per pair, so the ids decide (a-a, b-b)."""
    reference = plan({"a": [0, 1], "b": [2, 3]}, {"a": "Nord", "b": "Sud"})
    other = plan({"b": [0, 2], "a": [1, 3]}, {"b": "Uno", "a": "Due"})
    assert match_zones(reference, other) == {"a": "a", "b": "b"}


def test_plans_with_a_different_number_of_zones_pair_what_they_can():
    """X = 0-3, Y = 4-6; other P = 0,1,2, Q = 3, R = 4,5,6: X-P and Y-R share 3 each, Q
    (1 comune shared with X) stays without partner. The other way round, the same pairs."""
    reference = plan({"X": [0, 1, 2, 3], "Y": [4, 5, 6]})
    other = plan({"P": [0, 1, 2], "Q": [3], "R": [4, 5, 6]})
    assert match_zones(reference, other) == {"X": "P", "Y": "R"}
    assert match_zones(other, reference) == {"P": "X", "R": "Y"}


def test_zones_sharing_nothing_pair_only_by_name():
    """X = 0,1 «Nord» (reference); other: X' = 2,3 «Nord», cells 0,1 unassigned; another
    zone «Sud» = 4,5. Nothing is shared, so only the equal name makes a pair."""
    reference = plan({"X": [0, 1]}, {"X": "Nord"})
    other = plan({"n": [2, 3], "s": [4, 5]}, {"n": "Nord", "s": "Sud"})
    assert match_zones(reference, other) == {"X": "n"}


def test_one_moved_comune_and_the_changes_table():
    reference = plan({"a": [0, 1, 2], "b": [3, 4, 5, 6]}, {"a": "Ovest", "b": "Est"})
    moved = plan({"a": [0, 1], "b": [2, 3, 4, 5, 6]}, {"a": "Ovest", "b": "Est"})
    unassigned = plan({"a": [0, 1, 2], "b": [3, 4, 5]}, {"a": "Ovest", "b": "Est"})  # cell 6 left out
    comparison = compare_plans([item("Base", reference), item("Variante", moved), item("Base", unassigned)])
    assert comparison.labels == ("Base", "Variante", "Base (2)")
    assert comparison.changed == (CODES[2], CODES[6])
    assert [comparison.changed_count(i) for i in range(3)] == [0, 1, 1]
    table = comparison.changes_table(STRIP.name)
    assert table.to_dict("records") == [
        {"Codice ISTAT": "099002", "Comune": "Comune 0-2", "Differenza": "cambia zona",
         "Base": "Ovest", "Variante": "Est", "Base (2)": "Ovest"},
        {"Codice ISTAT": "099006", "Comune": "Comune 0-6", "Differenza": "cambia zona",
         "Base": "Est", "Variante": "Est", "Base (2)": "non assegnato"},
    ]


def test_comuni_in_some_areas_only_are_listed_apart():
    reference = plan({"a": [0, 1, 2], "b": [3, 4, 5]}, codes=CODES[:6])
    bigger = plan({"a": [0, 1, 2], "b": [3, 4, 5, 6]})
    comparison = compare_plans([ComparedPlan("A", grid_area(1, 7, members=CODES[:6]), reference),
                                item("B", bigger)])
    assert comparison.changed == () and comparison.area_differences == (CODES[6],)
    assert comparison.zone_label(0, CODES[6]) == "fuori dall'area"
    assert comparison.changes_table(STRIP.name)["Differenza"].tolist() == ["area diversa"]


def test_summary_and_zone_pairs_worked_by_hand():
    """Residents 1000 each except cell 0 (4000): reference a = 0,1,2 (6000), b = 3..6 (4000);
    variant moves cell 2 to b: a = 5000, b = 5000."""
    area = grid_area(1, 7, population={CODES[0]: 4000})
    reference = plan({"a": [0, 1, 2], "b": [3, 4, 5, 6]}, {"a": "Ovest", "b": "Est"})
    variant = plan({"a": [0, 1], "b": [2, 3, 4, 5, 6]}, {"a": "Ovest", "b": "Est"})
    comparison = compare_plans([ComparedPlan("Base", area, reference), ComparedPlan("Variante", area, variant)])
    summary = comparison.summary_table()
    assert summary.loc["Residenti della zona più piccola"].tolist() == [4000, 5000]
    assert summary.loc["Residenti della zona più grande"].tolist() == [6000, 5000]
    assert summary.loc["Differenza massima dalla media (%)"].tolist() == [20.0, 0.0]  # mean 5000
    assert summary.loc["Comuni che cambiano zona rispetto a «Base»"].tolist() == [0, 1]
    shown = comparison.summary_display().set_index("Indicatore")
    assert shown.loc["Residenti della zona più piccola", "Variante"] == "5.000 (+1.000)"
    assert shown.loc["Differenza massima dalla media (%)", "Variante"] == "0,0 (-20,0)"
    assert shown.loc["Zone", "Variante"] == "2"  # no difference, no brackets
    pairs = comparison.zone_pairs_display()
    assert pairs.to_dict("records") == [
        {"Base": "Ovest: 6.000 ab., 3 comuni", "Variante": "Ovest: 5.000 ab., 2 comuni (-1.000 ab.)"},
        {"Base": "Est: 4.000 ab., 4 comuni", "Variante": "Est: 5.000 ab., 5 comuni (+1.000 ab.)"},
    ]


def test_a_zone_with_no_partner_gets_its_own_row():
    reference = plan({"a": [0, 1, 2, 3, 4, 5, 6]})
    split = plan({"a": [0, 1, 2, 3], "n": [4, 5, 6]})
    comparison = compare_plans([item("A", reference), item("B", split)])
    assert comparison.changed == (CODES[4], CODES[5], CODES[6])
    assert comparison.zone_pairs_display()["A"].tolist() == ["Zona a: 7.000 ab., 7 comuni", "–"]


@pytest.mark.parametrize("count", [1, 5])
def test_two_to_four_plans(count):
    with pytest.raises(CompareError, match="da 2 a 4"):
        compare_plans([item(f"P{i}", plan({"a": [0]})) for i in range(count)])


def test_unique_labels():
    assert unique_labels(["A", "B", "A", "A"]) == ["A", "B", "A (2)", "A (3)"]


def test_difference_map_marks_the_changed_comuni():
    reference = plan({"a": [0, 1, 2], "b": [3, 4, 5, 6]})
    moved = plan({"a": [0, 1], "b": [2, 3, 4, 5, 6]})
    data = difference_map_png(compare_plans([item("A", reference), item("B", moved)]), STRIP, width_in=8, dpi=100)
    image = imread(io.BytesIO(data), format="png")
    rgb = np.array([int(CHANGED_COLOR[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    changed_pixels = int(np.all(np.abs(image[:, :, :3] - rgb) < 1 / 255, axis=2).sum())
    assert changed_pixels > 1000  # one comune of seven, filled (the legend swatch alone is ~100)
