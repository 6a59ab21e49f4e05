import math

import pytest

from geo.zoning.measures import polsby_popper
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistics import TOTAL_ROW, UNASSIGNED_ROW, zone_statistics
from tests.grids import grid_area, grid_code as g


def test_polsby_popper_of_a_square_is_pi_over_4():
    assert polsby_popper(1.0, 4.0) == pytest.approx(math.pi / 4)
    assert math.isnan(polsby_popper(0.0, 0.0))


@pytest.fixture
def two_by_three():
    """
    Row 1:  W W E      populations: (0,0)=1000 (0,1)=2000 (0,2)=3000
    Row 0:  W W E                   (1,0)=6000 (1,1)=500  (1,2)=9000
    W = a 2x2 square, E = a 1x2 column.
    """
    pops = {g(0, 0): 1000, g(0, 1): 2000, g(0, 2): 3000, g(1, 0): 6000, g(1, 1): 500, g(1, 2): 9000}
    old = {g(0, 0): 100, g(0, 1): 500, g(0, 2): 0, g(1, 0): 1500, g(1, 1): 400, g(1, 2): 3000}
    area = grid_area(2, 3, population=pops, elderly=old)
    plan = Plan.build(
        [Zone("w", "Ovest", "#E69F00"), Zone("e", "Est", "#56B4E9")],
        {g(0, 0): "w", g(0, 1): "w", g(1, 0): "w", g(1, 1): "w", g(0, 2): "e", g(1, 2): "e"},
    )
    return area, plan


def test_population_sums_shares_and_deviation(two_by_three):
    stats = zone_statistics(*two_by_three)
    assert stats.at["w", "residenti"] == 9500
    assert stats.at["e", "residenti"] == 12000
    assert stats.at[TOTAL_ROW, "residenti"] == 21500
    assert stats.at["w", "quota_residenti"] == pytest.approx(100 * 9500 / 21500)
    # mean zone = 10750: W is 1250 below (-11.63 %), E 1250 above
    assert stats.at["w", "scarto_media"] == pytest.approx(-100 * 1250 / 10750)
    assert stats.at["e", "scarto_media"] == pytest.approx(100 * 1250 / 10750)


def test_area_density_small_comuni_and_elderly(two_by_three):
    stats = zone_statistics(*two_by_three)
    assert stats.at["w", "superficie"] == pytest.approx(4.0)
    assert stats.at["e", "densita"] == pytest.approx(12000 / 2)
    assert stats.at["w", "comuni_piccoli"] == 3  # 1000, 2000, 500 < 5000
    assert stats.at["e", "comuni_piccoli"] == 1  # 3000
    assert stats.at[TOTAL_ROW, "comuni_piccoli"] == 4
    assert stats.at["e", "quota_65_piu"] == pytest.approx(100 * 3000 / 12000)
    assert stats.at[TOTAL_ROW, "quota_65_piu"] == pytest.approx(100 * 5500 / 21500)


def test_compactness_of_square_and_rectangle(two_by_three):
    stats = zone_statistics(*two_by_three)
    assert stats.at["w", "compattezza"] == pytest.approx(math.pi / 4, rel=1e-6)
    # 1 km x 2 km: 4*pi*2 / 6**2
    assert stats.at["e", "compattezza"] == pytest.approx(4 * math.pi * 2 / 36, rel=1e-6)
    # whole area, 2 km x 3 km: 4*pi*6 / 10**2
    assert stats.at[TOTAL_ROW, "compattezza"] == pytest.approx(4 * math.pi * 6 / 100, rel=1e-6)


def test_pieces_and_unassigned_row(two_by_three):
    area, plan = two_by_three
    # W keeps (0,0) and (1,1) (diagonal: still one piece), loses (0,1),(1,0);
    # E gets (0,1); (1,0) is unassigned.
    changed = plan.assign([g(0, 1)], "e").plan.assign([g(1, 0)], None).plan
    stats = zone_statistics(area, changed)
    assert stats.at["w", "pezzi"] == 1
    assert stats.at["e", "pezzi"] == 1
    assert stats.at[UNASSIGNED_ROW, "residenti"] == 6000
    assert stats.at[UNASSIGNED_ROW, "comuni"] == 1
    assert stats.at[TOTAL_ROW, "residenti"] == 21500
    split = plan.assign([g(0, 0)], "e").plan  # (0,0) is far from column 2
    assert zone_statistics(area, split).at["e", "pezzi"] == 2


def test_empty_zone_has_zero_residents_and_no_compactness(two_by_three):
    area, plan = two_by_three
    stats = zone_statistics(area, plan.add_zone("Vuota"))
    assert stats.at["z1", "residenti"] == 0
    assert stats.at["z1", "pezzi"] == 0
    assert math.isnan(stats.at["z1", "compattezza"])
    # the mean now counts three zones: 21500 / 3
    assert stats.at["z1", "scarto_media"] == pytest.approx(-100.0)


def test_max_deviation_is_the_largest_absolute_one(two_by_three):
    from geo.zoning.statistics import max_deviation

    stats = zone_statistics(*two_by_three)
    assert max_deviation(stats) == pytest.approx(100 * 1250 / 10750)
