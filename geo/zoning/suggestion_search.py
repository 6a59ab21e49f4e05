"""The search for homogeneous zones over a :class:`~geo.zoning.suggestion_problem.SearchSpace`.

Two steps per start, both deterministic for a seed:

1. a feasible start: the current plan when it fits, else **greedy growth** from
   seeds spread over the graph (each step, the zone with the fewest residents takes
   the neighbouring unit most like it), repaired by moving border units until every
   zone meets the floor and ceiling. Alone, this is the benchmark's greedy baseline;
2. **AZP** (spopt's automatic zoning procedure) from that start, minimising the sum
   over indicators of the within-zone sum of squares over the total (so maximising
   the homogeneity score), moving a unit only if its zone stays contiguous (spopt's
   rule) and both zones stay within the residents' bounds (our move rule). At the
   time limit the search stops and keeps the plan reached so far.

Labels are integers per unit: zone ``0..k-1`` of its component, offset so that the
zones of different components never share a number.
"""

from __future__ import annotations

import random
import time
from collections import deque

import numpy as np

from geo.zoning.suggestion_problem import SearchSpace


class _TimeUp(Exception):
    pass


def within_sum_of_squares(space: SearchSpace, labels: np.ndarray) -> float:
    """The objective: Σ over indicators and zones of Σ w (x - zone mean)² (standardised values)."""
    total = 0.0
    for zone in np.unique(labels[labels >= 0]):
        total += _wss(space.values[labels == zone], space.weights[labels == zone])
    return total


def _wss(x: np.ndarray, w: np.ndarray) -> float:
    s = w.sum(axis=0)
    sx = (w * x).sum(axis=0)
    sxx = (w * x * x).sum(axis=0)
    return float(np.where(s > 0, sxx - sx * sx / np.where(s > 0, s, 1.0), 0.0).sum())


def _connected_without(members: set[int], removed: int, neighbours) -> bool:
    rest = members - {removed}
    if not rest:
        return False
    start = next(iter(rest))
    seen, queue = {start}, deque([start])
    while queue:
        for other in neighbours[queue.popleft()]:
            if other in rest and other not in seen:
                seen.add(other)
                queue.append(other)
    return len(seen) == len(rest)


# -- greedy growth --------------------------------------------------------------------------
def _hops(start: int, units: set[int], neighbours) -> dict[int, int]:
    distance, queue = {start: 0}, deque([start])
    while queue:
        here = queue.popleft()
        for other in neighbours[here]:
            if other in units and other not in distance:
                distance[other] = distance[here] + 1
                queue.append(other)
    return distance


def _seeds(units: list[int], k: int, neighbours, rng: random.Random) -> list[int]:
    chosen = [rng.choice(units)]
    nearest = _hops(chosen[0], set(units), neighbours)
    while len(chosen) < k:
        far = max(nearest.values())
        candidates = sorted(u for u, d in nearest.items() if d == far and u not in chosen)
        chosen.append(rng.choice(candidates))
        for u, d in _hops(chosen[-1], set(units), neighbours).items():
            nearest[u] = min(nearest[u], d)
    return chosen


def greedy_start(space: SearchSpace, component: int, seed: int) -> np.ndarray | None:
    """Component-local labels (``0..k-1`` per unit of the component, in its order) from
    greedy growth and repair, or ``None`` when the repair cannot meet the bounds."""
    units = list(space.components[component])
    k = space.zones_per_component[component]
    local = {u: i for i, u in enumerate(units)}
    neighbours = _local_neighbours(space, units, local)
    values, weights = space.values[units], space.weights[units]
    residents = space.residents[units]
    labels = np.full(len(units), -1)
    people = np.zeros(k)
    sums_w = np.zeros((k, values.shape[1]))
    sums_wx = np.zeros_like(sums_w)
    frontiers: list[set[int]] = [set() for _ in range(k)]

    def take(zone: int, i: int) -> None:
        labels[i] = zone
        people[zone] += residents[i]
        sums_w[zone] += weights[i]
        sums_wx[zone] += weights[i] * values[i]
        for frontier in frontiers:
            frontier.discard(i)
        frontiers[zone].update(j for j in neighbours[i] if labels[j] < 0)

    for zone, unit in enumerate(_seeds(units, k, space.neighbours, random.Random(seed))):
        take(zone, local[unit])
    while (labels < 0).any():
        growing = [z for z in np.argsort(people, kind="stable") if frontiers[z]]
        if not growing:
            return None
        zone = int(growing[0])
        mean = sums_wx[zone] / np.where(sums_w[zone] > 0, sums_w[zone], 1.0)
        take(zone, min(frontiers[zone], key=lambda i: (float(((values[i] - mean) ** 2 * (weights[i] > 0)).sum()), i)))
    return labels if _repair(space, residents, neighbours, labels) else None


def _repair(space: SearchSpace, residents: np.ndarray, neighbours, labels: np.ndarray) -> bool:
    """Move border units until every zone is within the bounds (in place); False if stuck."""
    k = int(labels.max()) + 1
    people = np.bincount(labels, weights=residents, minlength=k)
    for _ in range(4 * len(labels)):
        low, high = set(np.flatnonzero(people < space.floor)), set(np.flatnonzero(people > space.ceiling))
        if not low and not high:
            return True
        moves = []
        for i, donor in enumerate(labels):
            r = residents[i]
            for recipient in {labels[j] for j in neighbours[i]} - {donor}:
                if (recipient in low or donor in high) and people[donor] - r >= space.floor \
                        and people[recipient] + r <= space.ceiling:
                    moves.append((-r, i, int(recipient)))
        for _, i, recipient in sorted(moves):
            if _connected_without(set(np.flatnonzero(labels == labels[i])), i, neighbours):
                people[labels[i]] -= residents[i]
                people[recipient] += residents[i]
                labels[i] = recipient
                break
        else:
            return False
    return False


def _local_neighbours(space: SearchSpace, units: list[int], local: dict[int, int]) -> list[list[int]]:
    return [[local[n] for n in space.neighbours[u] if n in local] for u in units]


# -- AZP -----------------------------------------------------------------------------------------
def azp(space: SearchSpace, component: int, start: np.ndarray, seed: int, deadline: float) -> tuple[np.ndarray, bool]:
    """AZP from component-local ``start`` labels; returns the labels and whether the
    time limit stopped it (the labels are then those reached so far, still feasible)."""
    from scipy import sparse
    from spopt.region.azp import AZPOrig
    from spopt.region.azp_util import AllowMoveAZP, AllowMoveStrategy
    from spopt.region.objective_function import ObjectiveFunction

    units = list(space.components[component])
    if len(np.unique(start)) < 2:
        return start.copy(), False
    local = {u: i for i, u in enumerate(units)}
    rows = [i for i, u in enumerate(units) for n in space.neighbours[u] if n in local]
    cols = [local[n] for u in units for n in space.neighbours[u] if n in local]
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(units), len(units)))
    m = space.values.shape[1]
    attr = np.hstack([space.values[units], space.weights[units]])
    residents = space.residents[units]

    class WithinSumOfSquares(ObjectiveFunction):
        def __call__(self, labels, attr):
            return sum(_wss(attr[labels == z, :m], attr[labels == z, m:]) for z in np.unique(labels))

        def update(self, moving, recipient, labels, attr):
            donor = labels[moving]
            d, r = labels == donor, labels == recipient
            d_after = d.copy()
            d_after[moving] = False
            r_after = r.copy()
            r_after[moving] = True
            before = _wss(attr[d, :m], attr[d, m:]) + _wss(attr[r, :m], attr[r, m:])
            after = _wss(attr[d_after, :m], attr[d_after, m:]) + _wss(attr[r_after, :m], attr[r_after, m:])
            return after - before

    class BoundedMove(AllowMoveStrategy):
        """Residents' floor and ceiling on both zones of a move; the time limit."""

        def __init__(self):
            self.inner, self.reached = AllowMoveAZP(), None

        def start_new_component(self, initial_labels, attr, objective_func, comp_idx):
            super().start_new_component(initial_labels, attr, objective_func, comp_idx)
            self.inner.start_new_component(initial_labels, attr, objective_func, comp_idx)

        @property
        def objective_val(self):
            return self.inner.objective_val

        @objective_val.setter
        def objective_val(self, value):
            pass  # the inner rule keeps the value

        def __call__(self, moving, recipient, labels):
            if time.time() > deadline:
                self.reached = labels.copy()
                raise _TimeUp
            people = residents[moving]
            if residents[labels == labels[moving]].sum() - people < space.floor:
                return False
            if residents[labels == recipient].sum() + people > space.ceiling:
                return False
            return self.inner(moving, recipient, labels)

    rule = BoundedMove()
    model = AZPOrig(allow_move_strategy=rule, random_state=seed)
    try:
        model.fit_from_scipy_sparse_matrix(adjacency, attr, len(np.unique(start)), initial_labels=start.copy(),
                                           objective_func=WithinSumOfSquares())
    except _TimeUp:
        return rule.reached, True
    return np.asarray(model.labels_, dtype=int), False
