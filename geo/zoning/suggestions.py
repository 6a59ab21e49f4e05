"""Suggested zones ("Proponi zone"): from a request to up to three checked, ranked plans.

The work is split in three so that the app can run the middle part in a worker
process, one start at a time (progress, a time limit, other sessions never blocked):

1. :func:`prepare`: the search space (or the reasons the request cannot be met,
   :class:`~geo.zoning.suggestion_problem.SuggestionInfeasible`) and one
   :class:`StartTask` per start: the current plan when it fits, and greedy growth
   from differently seeded starts;
2. :func:`run_task` (picklable, pure): one start and its AZP search
   (:mod:`geo.zoning.suggestion_search`);
3. :func:`finish`: each result as a plan (zones matched to the current plan's names
   and colours, locked zones untouched), re-checked independently
   (:mod:`geo.zoning.suggestion_check`), scored by the homogeneity score
   (:mod:`geo.zoning.homogeneity`), duplicates dropped, the best three kept.

:func:`suggest` runs the three in this process (command line, benchmark, tests).
Everything is deterministic for a seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from geo.zoning.area import Area
from geo.zoning.compare import match_zones
from geo.zoning.homogeneity import Homogeneity, homogeneity
from geo.zoning.plan import Plan, Zone, next_color, next_zone_id
from geo.zoning.suggestion_check import suggestion_problems
from geo.zoning.suggestion_problem import Constraints, SearchSpace, search_space
from geo.zoning.suggestion_search import azp, greedy_start

ALTERNATIVES = 3
GREEDY_STARTS = 5
DEFAULT_TIME_LIMIT_S = 20.0


@dataclass(frozen=True)
class StartTask:
    """One start of the search: ``labels`` (per unit) for the current plan, else greedy from ``seed``."""

    space: SearchSpace
    seed: int
    deadline: float  # time.time() when the search must stop
    labels: tuple[int, ...] | None = None
    search: bool = True  # False: the start alone (the greedy baseline)

    @property
    def kind(self) -> str:
        return "piano attuale" if self.labels is not None else "crescita da semi"


@dataclass(frozen=True)
class TaskResult:
    kind: str
    labels: tuple[int, ...] | None  # None: no feasible start from this seed
    timed_out: bool


@dataclass(frozen=True, eq=False)
class Alternative:
    """A checked proposal: the plan, its homogeneity, how many comuni change zone."""

    plan: Plan
    homogeneity: Homogeneity
    changed: tuple[str, ...]
    start: str
    timed_out: bool

    @property
    def score(self) -> float:
        return self.homogeneity.score


@dataclass(frozen=True, eq=False)
class Suggestions:
    alternatives: tuple[Alternative, ...]
    rejected: int  # results the independent check refused (never shown)
    no_start: int  # starts that found no plan within the bounds
    timed_out: bool


def _current_labels(space: SearchSpace, plan: Plan) -> tuple[int, ...] | None:
    """The current plan as unit labels, if it fits the request (one zone per unit, the
    right number of zones per component, every unit assigned, within the bounds)."""
    zone_of = [{plan.zone_of(c) for c in unit} for unit in space.units]
    if any(len(z) != 1 or None in z for z in zone_of):
        return None
    labels = np.empty(len(space.units), dtype=int)
    offset = 0
    for component, zones in zip(space.components, space.zones_per_component):
        ids = sorted({next(iter(zone_of[u])) for u in component})
        if len(ids) != zones:
            return None
        for u in component:
            labels[u] = offset + ids.index(next(iter(zone_of[u])))
        offset += zones
    people = np.bincount(labels, weights=space.residents)
    if (people < space.floor).any() or (people > space.ceiling).any():
        return None
    return tuple(int(v) for v in labels)


def prepare(area: Area, plan: Plan, constraints: Constraints, *, time_limit: float = DEFAULT_TIME_LIMIT_S,
            starts: int = GREEDY_STARTS, now: float | None = None) -> list[StartTask]:
    """The tasks of a request (raises :class:`SuggestionInfeasible` with the reasons)."""
    space = search_space(area, plan, constraints)
    deadline = (time.time() if now is None else now) + time_limit
    tasks = []
    current = _current_labels(space, plan)
    if current is not None:
        tasks.append(StartTask(space, constraints.seed, deadline, current))
    tasks += [StartTask(space, constraints.seed * 1000 + i, deadline) for i in range(starts)]
    return tasks


def warm_up() -> None:
    """Initialise a worker process: import the solver now (several seconds, once), seed
    the generators (each task seeds its own again: results never depend on the order)."""
    import random

    import spopt.region.azp  # noqa: F401

    random.seed(0)
    np.random.seed(0)


def run_task(task: StartTask) -> TaskResult:
    """Run one start (in any process): greedy or given labels, then AZP until the deadline."""
    space = task.space
    labels = np.empty(len(space.units), dtype=int)
    timed_out, offset = False, 0
    for c, (component, zones) in enumerate(zip(space.components, space.zones_per_component)):
        if task.labels is not None:
            start = np.array([task.labels[u] - offset for u in component])
        else:
            start = greedy_start(space, c, task.seed * 31 + c)
            if start is None:
                return TaskResult(task.kind, None, False)
        if task.search and not timed_out and time.time() < task.deadline:
            start, timed_out = azp(space, c, start, task.seed, task.deadline)
        else:
            timed_out = timed_out or task.search
        labels[list(component)] = np.asarray(start, dtype=int) + offset
        offset += zones
    return TaskResult(task.kind, tuple(int(v) for v in labels), timed_out)


def proposal_plan(area: Area, current: Plan, space: SearchSpace, labels) -> Plan:
    """The plan of unit ``labels``: locked zones as they are; each proposed zone takes the
    id, name and colour of the current zone it shares most comuni with (in the current
    order), the others are new ("Zona proposta N", the next free colour)."""
    locked = [z for z in current.zones if z.locked]
    drafts = [Zone(f"__proposta_{n}", f"Zona proposta {n + 1}", "#000000") for n in range(space.free_zones)]
    assignment = {c: current.zone_of(c) for z in locked for c in current.members(z.id)}
    for unit, label in zip(space.units, labels):
        assignment.update(dict.fromkeys(unit, drafts[label].id))
    draft = Plan.build([*locked, *drafts], assignment)
    unlocked = Plan.build([z for z in current.zones if not z.locked],
                          {c: None if z is None or current.zone(z).locked else z for c, z in current.assignment})
    old_of = {proposed: old for old, proposed in match_zones(unlocked, draft).items() if proposed in
              {d.id for d in drafts}}
    order = {z.id: i for i, z in enumerate(current.zones)}
    used, colours = {z.id for z in locked} | set(old_of.values()), [z.color for z in locked]
    colours += [current.zone(old).color for old in old_of.values()]
    final: dict[str, Zone] = {}
    for draft_zone in sorted(drafts, key=lambda d: (order.get(old_of.get(d.id), len(order)), d.id)):
        if draft_zone.id in old_of:
            old = current.zone(old_of[draft_zone.id])
            final[draft_zone.id] = Zone(old.id, old.name, old.color)
        else:
            zone = Zone(next_zone_id(used), draft_zone.name, next_color(colours))
            used.add(zone.id)
            colours.append(zone.color)
            final[draft_zone.id] = zone
    return Plan.build([*locked, *final.values()],
                      {c: final[z].id if z in final else z for c, z in draft.assignment})


def finish(area: Area, current: Plan, constraints: Constraints, tasks: list[StartTask],
           results: list[TaskResult]) -> Suggestions:
    """Check, score and rank the results (see module docstring)."""
    space = tasks[0].space
    seen, alternatives, rejected = set(), [], 0
    for result in results:
        if result.labels is None:
            continue
        plan = proposal_plan(area, current, space, result.labels)
        if suggestion_problems(area, current, constraints, plan):
            rejected += 1
            continue
        shape = frozenset(frozenset(plan.members(z)) for z in plan.zone_ids)
        if shape in seen:
            continue
        seen.add(shape)
        changed = tuple(c for c in plan.codes if plan.zone_of(c) != current.zone_of(c))
        alternatives.append(Alternative(plan, homogeneity(area, plan, constraints.indicators), changed, result.kind,
                                        result.timed_out))
    alternatives.sort(key=lambda a: (-a.score if a.score == a.score else 1.0, len(a.changed)))
    return Suggestions(tuple(alternatives[:ALTERNATIVES]), rejected, sum(r.labels is None for r in results),
                       any(r.timed_out for r in results))


def suggest(area: Area, plan: Plan, constraints: Constraints, *, time_limit: float = DEFAULT_TIME_LIMIT_S,
            starts: int = GREEDY_STARTS, progress: Callable[[int, int], None] | None = None) -> Suggestions:
    """:func:`prepare`, :func:`run_task` for each start, :func:`finish`, in this process."""
    tasks = prepare(area, plan, constraints, time_limit=time_limit, starts=starts)
    results = []
    for done, task in enumerate(tasks, start=1):
        results.append(run_task(task))
        if progress is not None:
            progress(done, len(tasks))
    return finish(area, plan, constraints, tasks, results)
