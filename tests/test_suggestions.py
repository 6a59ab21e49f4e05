"""Suggested zones on small grids: every returned plan checked here, independently
(connectivity from the squares' own geometry, sums of residents, kept collaborations,
locked zones), and every infeasible request refused with its reason.

The grid (1 km squares, 1000 residents each; indicator "x")::

    row 1:  10 10  0  0
    row 0:  10 10  0  0

Two zones of 2000+ residents: the best split is obviously the two left columns
against the two right ones (share of variance explained 1).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
import shapely

from geo.zoning.homogeneity import homogeneity
from geo.zoning.indicators import Indicator
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistic_types import DataSource, Statistic, Tally, WeightedMean
from geo.zoning.suggestion_problem import Constraints, KeptGroup, SuggestionInfeasible
from geo.zoning.suggestions import prepare, run_task, suggest
from tests.grids import grid_area, grid_code as g

X = Indicator(Statistic(key="x", label="X", unit="u", decimals=1, excel_format="0.0", field="x", help="Prova.",
                        aggregation=WeightedMean(Tally("x", "x"), Tally("comuni")), source=DataSource("1", "p", "l")))
LEFT = {g(r, c) for r in range(2) for c in range(2)}
RIGHT = {g(r, c) for r in range(2) for c in range(2, 4)}


def area_of(rows=2, cols=4, values=None, population=None):
    grid = grid_area(rows, cols, population=population)
    values = values or {code: (10.0 if int(code[-2:]) < 2 else 0.0) for code in grid.codes}
    return grid.with_columns(pd.DataFrame({"x": values}))


def one_zone_plan(area, zones=("a",)):
    return Plan.build([Zone(z, z.upper(), "#E69F00") for z in zones], {c: zones[0] for c in area.codes})


def request(**changes) -> Constraints:
    return replace(Constraints(zones=2, min_residents=2000, indicators=(X,), seed=7), **changes)


def connected(area, codes) -> bool:
    """Connectivity from the squares' own geometry (shapely), not from the app's graph."""
    geoms = {c: area.comuni.geometry[c].buffer(1e-9) for c in codes}
    start = next(iter(codes))
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for other in codes:
            if other not in seen and shapely.intersects(geoms[here], geoms[other]):
                seen.add(other)
                todo.append(other)
    return seen == set(codes)


def assert_valid(area, current, constraints, plan):
    residents = area.table["pop_totale"]
    assert len(plan.zones) == constraints.zones and not plan.unassigned
    for zone in plan.zones:
        members = plan.members(zone.id)
        assert members and connected(area, members)
        if not zone.locked:
            assert residents[list(members)].sum() >= constraints.min_residents
    for group in constraints.keep_together:
        assert len({plan.zone_of(c) for c in group.codes}) == 1
    for zone in (z for z in current.zones if z.locked):
        assert plan.zone(zone.id) == zone and plan.members(zone.id) == current.members(zone.id)


def test_the_obvious_split_comes_first_with_score_one():
    area = area_of()
    current = one_zone_plan(area)
    result = suggest(area, current, request(), time_limit=30)
    assert result.alternatives and result.rejected == 0
    best = result.alternatives[0]
    assert {frozenset(best.plan.members(z)) for z in best.plan.zone_ids} == {frozenset(LEFT), frozenset(RIGHT)}
    assert best.score == pytest.approx(1.0)
    assert [a.score for a in result.alternatives] == sorted((a.score for a in result.alternatives), reverse=True)
    for alternative in result.alternatives:
        assert_valid(area, current, request(), alternative.plan)


def test_a_suggestion_does_not_change_the_plan_it_starts_from():
    area = area_of()
    current = one_zone_plan(area)
    before = current.to_dict()
    suggest(area, current, request(), time_limit=30)
    assert current.to_dict() == before


def test_the_same_seed_gives_the_same_plans():
    area = area_of(values={c: float(i % 5) for i, c in enumerate(sorted(grid_area(2, 4).codes))})
    plans = [[a.plan.to_dict() for a in suggest(area, one_zone_plan(area), request(), time_limit=30).alternatives]
             for _ in range(2)]
    assert plans[0] == plans[1]


def test_a_kept_collaboration_stays_whole_even_against_homogeneity():
    area = area_of()
    keep = KeptGroup("Convenzione di prova", (g(0, 1), g(0, 2)))
    constraints = request(keep_together=(keep,))
    result = suggest(area, one_zone_plan(area), constraints, time_limit=30)
    for alternative in result.alternatives:
        assert_valid(area, one_zone_plan(area), constraints, alternative.plan)
    assert result.alternatives[0].score < 1.0


def test_locked_zones_are_kept_as_they_are():
    area = area_of(2, 6, values={g(r, c): float(c) for r in range(2) for c in range(6)})
    assignment = {c: ("fermo" if c in (g(0, 0), g(1, 0)) else "a") for c in area.codes}
    current = Plan.build([Zone("fermo", "Ferma", "#009E73", locked=True), Zone("a", "A", "#E69F00")], assignment)
    constraints = request(zones=3)
    result = suggest(area, current, constraints, time_limit=30)
    assert result.alternatives
    for alternative in result.alternatives:
        assert_valid(area, current, constraints, alternative.plan)


def test_the_time_limit_keeps_the_best_found_so_far():
    area = area_of()
    tasks = prepare(area, one_zone_plan(area), request(), time_limit=0.0)
    results = [run_task(t) for t in tasks]
    assert all(r.timed_out for r in results) and all(r.labels is not None for r in results)


# -- infeasible requests: said plainly, with the comuni named ------------------------------------------
def refusal(area, current, constraints) -> str:
    with pytest.raises(SuggestionInfeasible) as caught:
        prepare(area, current, constraints)
    return str(caught.value)


def test_a_floor_too_high_for_the_number_of_zones():
    area = area_of()
    message = refusal(area, one_zone_plan(area), request(zones=3, min_residents=3000))
    assert "8.000 residenti" in message and "9.000" in message and "Abbassa il minimo" in message


def test_a_collaboration_whose_members_do_not_touch_is_named():
    area = area_of()
    message = refusal(area, one_zone_plan(area), request(keep_together=(KeptGroup("Convenzione X", (g(0, 0), g(0, 3))),)))
    assert "«Convenzione X»" in message and "Comune 0-0; Comune 0-3" in message and "non confinano" in message


def test_a_locked_zone_that_cuts_the_area():
    area = area_of(2, 3)
    middle = {g(0, 1), g(1, 1)}
    current = Plan.build([Zone("m", "Centro", "#009E73", locked=True), Zone("a", "A", "#E69F00")],
                         {c: ("m" if c in middle else "a") for c in area.codes})
    message = refusal(area, current, request(zones=2, min_residents=0))
    assert "2 parti staccate" in message and "servono almeno 2 zone" in message


def test_a_comune_larger_than_the_deviation_allows():
    area = area_of(population={g(0, 0): 9000})
    message = refusal(area, one_zone_plan(area), request(min_residents=0, max_deviation=10))
    assert "Comune 0-0 da solo ha 9.000 residenti" in message


def test_the_number_of_zones_and_the_indicators_are_checked():
    area = area_of()
    assert "da 2 a 8" in refusal(area, one_zone_plan(area), request(zones=9))
    assert "almeno un indicatore" in refusal(area, one_zone_plan(area), request(indicators=()))


def test_never_worse_than_a_starting_plan_that_meets_the_request():
    """Rows as zones (a poor split for x, which changes along the columns): the current
    plan is one of the starts, and AZP only improves it."""
    area = area_of(values={g(r, c): float(c * c + r) for r in range(2) for c in range(4)})
    current = Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                         {g(r, c): ("a" if r == 0 else "b") for r in range(2) for c in range(4)})
    start = homogeneity(area, current, (X,)).score
    best = suggest(area, current, request(), time_limit=30).alternatives[0]
    assert best.score >= start
