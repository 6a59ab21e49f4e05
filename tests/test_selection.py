import shapely

from geo.zoning.plan import Plan, Zone
from geo.zoning.selection import comuni_in_shape, pending_change
from tests.grids import grid_area, grid_code as g


def test_drawn_shape_selects_comuni_by_interior_point():
    """
    3x3 grid of 1 km cells. A rectangle covering the centres of (0,0) and (0,1)
    (and only a corner of (1,1)) selects exactly those two.
    """
    area = grid_area(3, 3)
    pts = area.interior_points
    a, b, corner = pts[g(0, 0)], pts[g(0, 1)], pts[g(1, 1)]
    box = shapely.box(min(a.x, b.x) - 1e-4, min(a.y, b.y) - 1e-4, max(a.x, b.x) + 1e-4, max(a.y, b.y) + 1e-4)
    assert not box.contains(corner)
    assert comuni_in_shape(area, box) == (g(0, 0), g(0, 1))
    assert comuni_in_shape(area, shapely.box(0, 0, 1, 1)) == ()


def test_pending_change_reports_each_zone_before_and_after():
    """
    1x4 strip, residents 1000, 2000, 3000, 4000; zones A = cells 0,1 and B = cells 2,3.
    Moving cells 1 and 2 to B: A 3000 -> 1000, B 7000 -> 9000.
    """
    pops = {g(0, i): 1000 * (i + 1) for i in range(4)}
    area = grid_area(1, 4, population=pops)
    plan = Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "a", g(0, 2): "b", g(0, 3): "b"})
    after, effect = pending_change(area, plan, [g(0, 1), g(0, 2)], "b")
    assert after.members("b") == (g(0, 1), g(0, 2), g(0, 3))
    rows = {r.zona: r for r in effect.itertuples()}
    assert set(rows) == {"A", "B"}
    assert (rows["A"].residenti_prima, rows["A"].residenti_dopo, rows["A"].variazione) == (3000, 1000, -2000)
    assert (rows["B"].residenti_prima, rows["B"].residenti_dopo, rows["B"].variazione) == (7000, 9000, 2000)
    assert (rows["B"].comuni_prima, rows["B"].comuni_dopo) == (2, 3)
    assert plan.members("b") == (g(0, 2), g(0, 3)), "the preview does not change the plan"


def test_pending_change_skips_locked_zones_and_counts_unassigned():
    pops = {g(0, i): 100 for i in range(3)}
    area = grid_area(1, 3, population=pops)
    plan = Plan.build([Zone("a", "A", "#E69F00", locked=True), Zone("b", "B", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): None, g(0, 2): "b"})
    after, effect = pending_change(area, plan, [g(0, 0), g(0, 1)], "b")
    assert after.zone_of(g(0, 0)) == "a"
    rows = {r.zona: r.variazione for r in effect.itertuples()}
    assert rows == {"B": 100, "Non assegnati": -100}
