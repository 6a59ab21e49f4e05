"""What a zone suggestion must respect, checked before any search, in plain Italian.

The user asks for ``K`` zones (2-8, the locked ones included), each with at least a
floor of residents (and optionally at most a given deviation from the mean zone),
homogeneous on chosen indicators, with some collaborations kept whole and the
locked zones kept as they are. :func:`search_space` turns that into what the solver
works on: **units** (a comune, or the members of kept collaborations merged into
one block: no library supports "must stay together"), their neighbours, residents
and standardised indicator values; and refuses, with every reason it finds, the
requests no plan can meet (a floor too high for the residents, a collaboration whose
members do not touch, locked zones cutting the rest into more pieces than zones...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from geo.base.errors import UserError
from geo.base.italian import format_number
from geo.zoning.area import Area
from geo.zoning.indicators import Indicator, comune_values
from geo.zoning.plan import Plan

MIN_ZONES, MAX_ZONES = 2, 8


class SuggestionInfeasible(UserError):
    """No plan can meet the request; ``reasons`` are Italian sentences."""

    def __init__(self, *reasons: str):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class KeptGroup:
    """Comuni that must end up in one zone (a collaboration's members): ``name`` for messages."""

    name: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Constraints:
    """The request (see module docstring); ``max_deviation`` in per cent, ``None``: no bound."""

    zones: int
    min_residents: int
    indicators: tuple[Indicator, ...]
    max_deviation: float | None = None
    keep_together: tuple[KeptGroup, ...] = ()
    seed: int = 0


@dataclass(frozen=True)
class SearchSpace:
    """The free part of the area as the solver sees it (picklable: sent to the worker).

    Attributes
    ----------
    units : tuple of tuple of str
        The comuni of each unit (a comune, or a block of kept collaborations).
    neighbours : tuple of tuple of int
        Units touching each unit (queen rule, EPSG:32632).
    residents : numpy.ndarray
        Residents per unit.
    values, weights : numpy.ndarray
        Units x indicators: each unit's weighted mean of the indicator, centred on the
        area's mean and divided by the square root of the area's total sum of squares
        (so each indicator's within-zone sum of squares is its share of the total), and
        its weight (0 where missing).
    components : tuple of tuple of int
        Connected pieces of the units (the locked zones may cut the area), with
        :attr:`zones_per_component` zones each.
    floor, ceiling : float
        Residents each proposed zone must have at least / at most (``inf``: no bound).
    """

    units: tuple[tuple[str, ...], ...]
    neighbours: tuple[tuple[int, ...], ...]
    residents: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    components: tuple[tuple[int, ...], ...]
    zones_per_component: tuple[int, ...]
    floor: float
    ceiling: float
    seed: int

    @property
    def free_zones(self) -> int:
        return sum(self.zones_per_component)


def _names(area: Area, codes) -> str:
    return ", ".join(area.names(sorted(codes)))


def _merged_groups(area: Area, free: set[str], groups: Sequence[KeptGroup], locked_of: dict[str, str],
                   reasons: list[str]) -> list[set[str]]:
    """The kept collaborations' free members, merged where they share a comune."""
    blocks: list[tuple[set[str], list[str]]] = []
    for group in groups:
        members = {c for c in group.codes if c in set(area.codes)}
        locked = {locked_of[c] for c in members if c in locked_of}
        if locked and (len(locked) > 1 or members - set(m for m in members if m in locked_of)):
            reasons.append(f"La collaborazione «{group.name}» ha comuni in una zona bloccata e fuori "
                           f"({_names(area, members)}): sblocca la zona o non tenerla intera.")
            continue
        members &= free
        if len(members) < 2:
            continue
        touching = [b for b in blocks if b[0] & members]
        merged = set(members).union(*(b[0] for b in touching))
        names = [group.name] + [n for b in touching for n in b[1]]
        blocks = [b for b in blocks if b not in touching] + [(merged, names)]
    out = []
    for members, names in blocks:
        pieces = area.graph.pieces(members)
        if len(pieces) > 1:
            described = "; ".join(_names(area, p) for p in pieces)
            which = ", ".join(f"«{n}»" for n in names)
            reasons.append(f"I comuni da tenere insieme ({which}) non confinano tra loro: {described}. La proposta "
                           "li unisce in un blocco, e un blocco di comuni non confinanti non può stare in una zona "
                           "contigua senza altri comuni: togli questa collaborazione dalle scelte.")
        else:
            out.append(members)
    return out


def _bounds(total: float, zones: int, constraints: Constraints) -> tuple[float, float]:
    floor, ceiling = float(constraints.min_residents), float("inf")
    if constraints.max_deviation is not None:
        mean = total / zones
        floor = max(floor, mean * (1 - constraints.max_deviation / 100))
        ceiling = mean * (1 + constraints.max_deviation / 100)
    return floor, ceiling


def search_space(area: Area, plan: Plan, constraints: Constraints) -> SearchSpace:
    """The units and bounds of the request, or the reasons it cannot be met.

    Raises
    ------
    SuggestionInfeasible
        With every reason found (Italian), the comuni named.
    """
    reasons: list[str] = []
    k = constraints.zones
    if not MIN_ZONES <= k <= MAX_ZONES:
        raise SuggestionInfeasible(f"Il numero di zone va da {MIN_ZONES} a {MAX_ZONES}.")
    if constraints.min_residents < 0:
        raise SuggestionInfeasible("Il minimo di residenti non può essere negativo.")
    if not constraints.indicators:
        raise SuggestionInfeasible("Scegli almeno un indicatore su cui rendere omogenee le zone.")
    locked = [z for z in plan.zones if z.locked]
    locked_of = {c: z.id for z in locked for c in plan.members(z.id)}
    free_k = k - len(locked)
    if free_k < 1:
        raise SuggestionInfeasible(f"Le zone bloccate sono {len(locked)}: con {k} zone non ne resta nessuna da "
                                   "proporre. Aumenta il numero di zone o sblocca una zona.")
    free = [c for c in area.codes if c not in locked_of]
    if not free:
        raise SuggestionInfeasible("Tutti i comuni sono in zone bloccate: non c'è nulla da proporre.")
    residents_of = dict(zip(area.codes, area.columns(("pop_totale",))["pop_totale"]))
    floor, ceiling = _bounds(sum(residents_of.values()), k, constraints)
    blocks = _merged_groups(area, set(free), constraints.keep_together, locked_of, reasons)
    in_block = {c: i for i, b in enumerate(blocks) for c in b}
    units = [tuple(sorted(b)) for b in blocks] + [(c,) for c in free if c not in in_block]
    unit_of = {c: i for i, u in enumerate(units) for c in u}
    residents = np.array([sum(residents_of[c] for c in u) for u in units], dtype=float)
    free_residents = float(residents.sum())
    if free_residents < free_k * floor:
        reasons.append(f"I comuni da suddividere hanno {format_number(free_residents)} residenti: per {free_k} zone "
                       f"con almeno {format_number(floor)} residenti ciascuna ne servirebbero "
                       f"{format_number(free_k * floor)}. Abbassa il minimo o chiedi meno zone.")
    if free_residents > free_k * ceiling:
        reasons.append(f"Con lo scarto massimo del {format_number(constraints.max_deviation)}% ogni zona può avere al "
                       f"più {format_number(ceiling)} residenti: {free_k} zone non bastano per "
                       f"{format_number(free_residents)} residenti. Allarga lo scarto o chiedi più zone.")
    for unit, people in zip(units, residents):
        if people > ceiling:
            reasons.append(f"{_names(area, unit)} da solo ha {format_number(people)} residenti, più del massimo di "
                           f"{format_number(ceiling)} che lo scarto del {format_number(constraints.max_deviation)}% "
                           "consente.")
    neighbours = tuple(tuple(sorted({unit_of[n] for c in u for n in area.graph.neighbours[c] if n in unit_of} - {i}))
                       for i, u in enumerate(units))
    pieces = area.graph.pieces(free)
    components = tuple(tuple(sorted({unit_of[c] for c in p})) for p in pieces)
    if len(components) > free_k:
        described = "; ".join(_names(area, p) for p in pieces)
        reasons.append(f"Le zone bloccate dividono il resto dell'area in {len(components)} parti staccate "
                       f"({described}): servono almeno {len(components)} zone da proporre.")
    if reasons:
        raise SuggestionInfeasible(*reasons)
    per_component = (_current_share(plan, units, components, residents, free_k, floor)
                     or _share_zones(components, residents, free_k, floor))
    for component, zones in zip(components, per_component):
        if residents[list(component)].sum() < zones * floor:
            raise SuggestionInfeasible(
                f"La parte dell'area formata da {_names(area, [c for i in component for c in units[i]])} ha "
                f"{format_number(residents[list(component)].sum())} residenti, meno del minimo per zona "
                f"({format_number(floor)}): abbassa il minimo o sblocca le zone che la separano.")
    values, weights = _standardised(area, units, constraints.indicators)
    return SearchSpace(tuple(units), neighbours, residents, values, weights, components, per_component,
                       floor, ceiling, int(constraints.seed))


def _current_share(plan: Plan, units, components, residents: np.ndarray, zones: int,
                   floor: float) -> tuple[int, ...] | None:
    """Zones per piece as in the current plan, when its free zones fit the request (each
    unit in one zone, each zone within one piece, ``zones`` in all, every piece with
    residents for its zones): the current plan can then be one of the starts."""
    share, seen = [], set()
    for component in components:
        ids = set()
        for u in component:
            of_unit = {plan.zone_of(c) for c in units[u]}
            if len(of_unit) != 1 or None in of_unit:
                return None
            ids |= of_unit
        if ids & seen or residents[list(component)].sum() < len(ids) * floor:
            return None
        seen |= ids
        share.append(len(ids))
    return tuple(share) if sum(share) == zones else None


def _share_zones(components, residents: np.ndarray, zones: int, floor: float) -> tuple[int, ...]:
    """Zones per piece: one each, the rest by largest residents per zone (D'Hondt)."""
    share = [1] * len(components)
    people = [float(residents[list(c)].sum()) for c in components]
    for _ in range(zones - len(components)):
        best = max(range(len(components)), key=lambda i: (people[i] / (share[i] + 1), -i)
                   if people[i] >= (share[i] + 1) * floor and share[i] < len(components[i]) else (-1.0, -i))
        share[best] += 1
    return tuple(share)


def _standardised(area: Area, units, indicators: Sequence[Indicator]) -> tuple[np.ndarray, np.ndarray]:
    position = {c: i for i, c in enumerate(area.codes)}
    values = np.zeros((len(units), len(indicators)))
    weights = np.zeros((len(units), len(indicators)))
    for j, indicator in enumerate(indicators):
        x, w = comune_values(indicator, area)
        x = np.where(np.isfinite(x), x, 0.0)
        mean = float((w * x).sum() / w.sum()) if w.sum() > 0 else 0.0
        total = float((w * (x - mean) ** 2).sum())
        scale = np.sqrt(total) if total > 0 else 1.0
        for i, unit in enumerate(units):
            rows = [position[c] for c in unit]
            weight = float(w[rows].sum())
            weights[i, j] = weight
            values[i, j] = float((w[rows] * (x[rows] - mean)).sum() / weight / scale) if weight > 0 else 0.0
    return values, weights
