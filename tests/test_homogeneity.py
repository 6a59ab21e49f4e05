"""Homogeneity of a plan on indicators, on grids whose answers are worked out by hand.

The grid: one row of four 1 km comuni, zones A (c0, c1) and B (c2, c3)::

    c0 A   c1 A   c2 B   c3 B
    x  0   x  4   x  6   x 10      (indicator "x", weighted by "w")
    w  3   w  1   w  1   w  3

By hand: zone A weight 4, mean (3·0 + 1·4)/4 = 1, WSS 3·1² + 1·3² = 12; zone B weight
4, mean (1·6 + 3·10)/4 = 9, WSS 1·3² + 3·1² = 12. The area: weight 8, mean 40/8 = 5,
TSS 3·25 + 1 + 1 + 3·25 = 152 = BSS 4·16 + 4·16 = 128 + WSS 24. Share explained
128/152 = 16/19. Coefficients of variation: A √(12/4)/1 = √3, B √3/9. The area's
standard deviation √(152/8) = √19: c1 (3 from A's mean) and c2 (3 from B's) are the
furthest comuni of their zones (3/√19 standard deviations), c0 and c3 are 1/√19.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.zoning.homogeneity import NOT_POSITIVE_NOTE, explained_share, homogeneity
from geo.zoning.indicators import Indicator, SHIPPED_CATALOGUE, comune_values
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistic_types import DataSource, Statistic, SumRatio, Tally, WeightedMean
from geo.zoning.statistics import zone_statistics
from tests.grids import grid_area, grid_code as g

SOURCE = DataSource("2024", "Prova", "CC0")
CELLS = [g(0, c) for c in range(4)]


def mean_indicator(column: str, weight: str, positive: bool = True) -> Indicator:
    return Indicator(Statistic(key=column, label=column.upper(), unit="u", decimals=2, excel_format="0.00",
                               field=column, help="Prova.", source=SOURCE,
                               aggregation=WeightedMean(Tally(column, column), Tally(weight, weight))), positive)


X = mean_indicator("x", "w")
Y = mean_indicator("y", "w", positive=False)


@pytest.fixture(scope="module")
def area():
    frame = pd.DataFrame({"x": [0.0, 4.0, 6.0, 10.0], "w": [3.0, 1.0, 1.0, 3.0],
                          "y": [-1.0, 1.0, np.nan, 2.0]}, index=CELLS)
    return grid_area(1, 4).with_columns(frame)


@pytest.fixture(scope="module")
def plan():
    return Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                      dict(zip(CELLS, ["a", "a", "b", "b"])))


def test_zone_means_cv_and_explained_share_are_the_hand_figures(area, plan):
    result = homogeneity(area, plan, [X]).indicators[0]
    assert result.means.tolist() == pytest.approx([1.0, 9.0])
    assert result.cv.tolist() == pytest.approx([math.sqrt(3), math.sqrt(3) / 9])
    assert result.explained == pytest.approx(16 / 19)
    assert (result.area_mean, result.area_sd) == pytest.approx((5.0, math.sqrt(19)))
    assert result.missing.tolist() == [0, 0] and result.cv_note is None


def test_the_score_is_the_mean_of_the_shares(area, plan):
    # y: A has -1 and 1 (weights 3, 1): mean -0.5; B has only c3 (2; c2 missing): mean 2.
    # The area (weight 7): mean (-3 + 1 + 6)/7 = 4/7; TSS 3(-11/7)² + (3/7)² + 3(10/7)² = 672/49;
    # WSS 3·0.25 + 2.25 = 3 = 147/49: share 525/672 = 25/32.
    both = homogeneity(area, plan, [X, Y])
    y = both.indicators[1]
    assert y.explained == pytest.approx(25 / 32)
    assert both.score == pytest.approx((16 / 19 + 25 / 32) / 2)
    assert y.missing.tolist() == [0, 1]


def test_no_cv_for_an_indicator_that_may_be_negative_and_it_says_why(area, plan):
    y = homogeneity(area, plan, [Y]).indicators[0]
    assert np.isnan(y.cv).all()
    assert y.cv_note == NOT_POSITIVE_NOTE and "negativo" in y.cv_note


def test_the_furthest_comuni_of_each_zone(area, plan):
    result = homogeneity(area, plan, [X])
    (first_a, second_a), (first_b, second_b) = result.furthest
    assert (first_a.code, second_a.code, first_b.code, second_b.code) == (g(0, 1), g(0, 0), g(0, 2), g(0, 3))
    assert first_a.distance == pytest.approx(3 / math.sqrt(19))
    assert second_b.distance == pytest.approx(1 / math.sqrt(19))
    assert first_a.values == (4.0,)


def test_unassigned_comuni_are_left_out(area):
    # c3 unassigned: A (0, 4; w 3, 1) mean 1; B only c2: 6. Area (w 5): mean 10/5 = 2;
    # TSS 3·4 + 4 + 16 = 32; WSS 12: share 20/32.
    plan = Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                      dict(zip(CELLS, ["a", "a", "b", None])))
    assert homogeneity(area, plan, [X]).indicators[0].explained == pytest.approx(20 / 32)


def test_the_zone_statistic_is_the_weighted_mean(area, plan):
    stats = zone_statistics(area, plan, SHIPPED_CATALOGUE.registry([]).with_statistics(X.statistic))
    assert stats["x"].tolist() == pytest.approx([1.0, 9.0, 5.0])


def test_explained_share_pure_formula():
    values = np.array([0.0, 4.0, 6.0, 10.0])
    weights = np.array([3.0, 1.0, 1.0, 3.0])
    assert explained_share(values, weights, np.array([0, 0, 1, 1])) == pytest.approx(16 / 19)
    assert explained_share(values, weights, np.array([0, 0, 0, 0])) == pytest.approx(0.0)
    assert explained_share(values, weights, np.array([0, 1, 2, 3])) == pytest.approx(1.0)
    assert math.isnan(explained_share(np.ones(4), weights, np.array([0, 0, 1, 1])))


def test_a_ratio_statistic_gives_each_comune_its_own_ratio_weighted_by_the_denominator():
    """Density of comuni of 1 km² with 1000, 3000 residents: 1000 and 3000 per km², weight 1 km²."""
    area = grid_area(1, 2, population={g(0, 0): 1000, g(0, 1): 3000})
    density = SHIPPED_CATALOGUE["densita"]
    assert isinstance(density.statistic.aggregation, SumRatio)
    values, weights = comune_values(density, area)
    assert values.tolist() == pytest.approx([1000.0, 3000.0]) and weights.tolist() == pytest.approx([1.0, 1.0])


def test_the_shipped_catalogue_states_a_source_for_every_indicator():
    for indicator in SHIPPED_CATALOGUE:
        assert indicator.source.year and indicator.source.source and indicator.source.licence
    assert not SHIPPED_CATALOGUE["variazione_residenti"].positive
