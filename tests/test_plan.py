import pytest

from geo.zoning.plan import PALETTE, Plan, PlanError, Zone, next_color, next_zone_id

A, B, C, D = "017001", "017002", "017003", "017004"


@pytest.fixture
def plan() -> Plan:
    zones = [Zone("n", "Nord", "#E69F00"), Zone("s", "Sud", "#56B4E9")]
    return Plan.build(zones, {A: "n", B: "n", C: "s", D: None})


def test_operations_return_new_plans_and_leave_the_original(plan):
    moved, skipped = plan.assign([A], "s")
    assert moved.zone_of(A) == "s" and skipped == ()
    assert plan.zone_of(A) == "n"
    assert moved is not plan


def test_assign_many_and_unassign(plan):
    moved = plan.assign([A, B, D], "s").plan
    assert moved.members("s") == (A, B, C, D)
    assert moved.assign([C], None).plan.unassigned == (C,)


def test_assign_accepts_codes_without_leading_zero(plan):
    assert plan.assign([17001], "s").plan.zone_of(A) == "s"


def test_assign_outside_the_area_is_refused(plan):
    with pytest.raises(PlanError, match="fuori dall'area"):
        plan.assign(["017999"], "s")


def test_unknown_zone_is_refused(plan):
    with pytest.raises(PlanError):
        plan.assign([A], "zz")


def test_rename_recolor_and_validation_of_inputs(plan):
    renamed = plan.rename_zone("n", "  Zona   Nord  ").recolor_zone("n", "#009e73")
    assert renamed.zone("n").name == "Zona Nord"
    assert renamed.zone("n").color == "#009E73"
    with pytest.raises(PlanError):
        plan.rename_zone("n", "   ")
    with pytest.raises(PlanError):
        plan.recolor_zone("n", "red")
    with pytest.raises(PlanError):
        plan.rename_zone("n", "x" * 81)


def test_add_zone_picks_a_free_id_and_an_unused_colour(plan):
    added = plan.add_zone("Est")
    new = added.zones[-1]
    assert new.id == "z1" and new.name == "Est"
    assert new.color not in {"#E69F00", "#56B4E9"} and new.color in PALETTE
    assert added.members("z1") == ()
    assert added.add_zone("Ovest").zones[-1].id == "z2"


def test_next_zone_id_is_the_first_free_number():
    assert next_zone_id([]) == "z1"
    assert next_zone_id(["z1", "z3", "n"]) == "z2"
    assert next_zone_id(["nuova1"], prefix="nuova") == "nuova2"


def test_next_color_is_the_first_unused_then_the_least_used():
    orange, sky, green = PALETTE[:3]
    assert next_color([]) == orange
    assert next_color([orange.lower(), green]) == sky  # colours compare in any case
    assert next_color(PALETTE) == orange  # all taken once: start again
    assert next_color(PALETTE + (orange,)) == sky
    assert next_color(PALETTE + (sky, orange)) == green


def test_the_plan_offers_the_id_and_colour_add_zone_uses(plan):
    assert (plan.next_zone_id(), plan.next_color()) == ("z1", PALETTE[2])  # Nord and Sud use the first two
    added = plan.add_zone("Est")
    assert (added.zones[-1].id, added.zones[-1].color) == ("z1", PALETTE[2])
    assert added.add_zone("Ovest", "#123456").zones[-1].color == "#123456"


def test_zone_names_are_cleaned_of_pasted_control_characters(plan):
    assert plan.rename_zone("n", "Zona\x07 del\tMella\x00").zone("n").name == "Zona del Mella"


def test_delete_zone_unassigns_its_comuni(plan):
    deleted = plan.delete_zone("n")
    assert deleted.zone_ids == ("s",)
    assert deleted.unassigned == (A, B, D)


def test_merge_moves_members_and_removes_the_absorbed_zone(plan):
    merged = plan.merge_zones("s", "n")
    assert merged.zone_ids == ("s",)
    assert merged.members("s") == (A, B, C)
    with pytest.raises(PlanError):
        plan.merge_zones("s", "s")


def test_locked_zone_keeps_its_comuni_and_refuses_new_ones(plan):
    locked = plan.set_locked("n", True)
    moved, skipped = locked.assign([D, A], "s")
    assert moved.zone_of(A) == "n"  # A stays: its zone is locked
    assert moved.zone_of(D) == "s"  # D was free
    assert skipped == (A,)
    assert locked.assign([B, A, D], None).skipped == (A, B)  # sorted by code
    only_locked = locked.assign(["17002"], "s")
    assert only_locked.plan is locked and only_locked.skipped == (B,)  # nothing moved
    with pytest.raises(PlanError, match="bloccata"):
        locked.assign([D], "n")
    with pytest.raises(PlanError, match="bloccata"):
        locked.delete_zone("n")
    with pytest.raises(PlanError, match="bloccata"):
        locked.merge_zones("s", "n")
    unlocked, skipped = locked.set_locked("n", False).assign([A], "s")
    assert unlocked.zone_of(A) == "s" and skipped == ()


def test_round_trip_through_dict(plan):
    again = Plan.from_dict(plan.set_locked("s", True).to_dict())
    assert again == plan.set_locked("s", True)


def test_with_area_adds_unassigned_and_drops_removed(plan):
    changed = plan.with_area([A, B, "017005"])
    assert changed.codes == (A, B, "017005")
    assert changed.zone_of("017005") is None
    assert changed.zone_of(A) == "n"


def test_inconsistent_plans_are_refused():
    with pytest.raises(PlanError):
        Plan.build([Zone("n", "N", "#000000"), Zone("n", "M", "#000000")], {A: "n"})
    with pytest.raises(PlanError):
        Plan.build([Zone("n", "N", "#000000")], {A: "x"})
