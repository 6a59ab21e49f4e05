from geo.zoning.plan import Plan, Zone
from geo.zoning.validation import validate
from tests.grids import grid_area, grid_code as g


def test_valid_plan_has_no_problems():
    area = grid_area(1, 4)
    plan = Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "a", g(0, 2): "b", g(0, 3): "b"})
    assert validate(area, plan) == []


def test_problems_name_the_comuni_in_italian():
    """
    1x4 strip:  A . A B   ((0,1) unassigned; A in two pieces); zone C empty.
    """
    area = grid_area(1, 4)
    plan = Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9"), Zone("c", "Centro", "#009E73")],
                      {g(0, 0): "a", g(0, 1): None, g(0, 2): "a", g(0, 3): "b"})
    problems = {p.kind: p for p in validate(area, plan)}
    assert set(problems) == {"non_assegnati", "zona_vuota", "non_contigua"}
    assert problems["non_assegnati"].codes == (g(0, 1),)
    assert "Comune 0-1" in problems["non_assegnati"].message
    assert "«Centro» non contiene comuni" in problems["zona_vuota"].message
    split = problems["non_contigua"]
    assert split.zone_id == "a"
    assert "2 parti" in split.message
    assert "parte 1: Comune 0-0" in split.message and "parte 2: Comune 0-2" in split.message
