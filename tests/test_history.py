from geo.zoning.history import History
from geo.zoning.plan import Plan, Zone

A, B = "017001", "017002"


def plan_with(zone_of_a):
    return Plan.build([Zone("n", "N", "#E69F00"), Zone("s", "S", "#56B4E9")], {A: zone_of_a, B: "s"})


def test_undo_redo_walks_back_and_forth():
    h = History(plan_with("n")).push(plan_with("s")).push(plan_with(None))
    assert h.present.zone_of(A) is None
    h = h.undo()
    assert h.present.zone_of(A) == "s"
    h = h.undo()
    assert h.present.zone_of(A) == "n" and not h.can_undo
    assert h.undo() is h
    h = h.redo().redo()
    assert h.present.zone_of(A) is None and not h.can_redo


def test_new_change_drops_the_redo_branch_and_same_plan_is_not_a_step():
    h = History(plan_with("n")).push(plan_with("s")).undo()
    assert h.can_redo
    h = h.push(plan_with(None))
    assert not h.can_redo
    assert h.push(plan_with(None)) is h


def test_at_least_fifty_steps_are_kept():
    h = History(plan_with("n"))
    for i in range(60):
        h = h.push(plan_with("s" if i % 2 == 0 else "n"))
    for _ in range(60):
        h = h.undo()
    assert not h.can_undo
    assert len(h.past) == 0 and len(h.future) == 60


def test_map_changes_every_plan():
    h = History(plan_with("n")).push(plan_with("s"))
    grown = h.map(lambda p: p.with_area([A, B, "017003"]))
    assert grown.present.codes == (A, B, "017003")
    assert grown.undo().present.codes == (A, B, "017003")
