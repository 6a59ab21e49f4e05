"""Service coverage of the priority functions, and how a zone plan meets the collaborations.

All functions are pure: (area, plan, collaborations, day) in, tables out, so the
pages recompute them live on every change of the zones.

Vocabulary
----------
* A comune is **covered** for a function on a day when it is a member of a
  collaboration for that function that is operating that day (status ``attiva`` or
  ``in_scioglimento``, see :meth:`Collaboration.status_on`). Coverage resting only
  on records flagged ``da_verificare`` is counted as covered and also reported
  apart, so nobody mistakes an old source for a certainty.
* **Planned** (``prevista``): only a collaboration ``da_costituire`` covers it.
* A plan **splits** a collaboration when its members in the area are assigned to
  more than one zone. The **coherence score** is the share of memberships (one per
  member comune and collaboration) that belong to collaborations kept whole.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from geo.base.italian import today_in_italy
from geo.zoning.area import Area
from geo.collaborations.model import PRIORITY_FUNCTIONS, Collaboration
from geo.zoning.measures import percent
from geo.zoning.plan import Plan
from geo.zoning.statistics import TOTAL_ROW, UNASSIGNED_ROW
from geo.zoning.zone_groups import ZoneGroups

COVERED = "attiva"
COVERED_UNVERIFIED = "attiva_da_verificare"
PLANNED = "prevista"
NOT_COVERED = "nessuna"
COVERAGE_LABELS = {
    COVERED: "attiva",
    COVERED_UNVERIFIED: "attiva (da verificare)",
    PLANNED: "prevista",
    NOT_COVERED: "nessuna",
}
_RANK = {NOT_COVERED: 0, PLANNED: 1, COVERED_UNVERIFIED: 2, COVERED: 3}


def _state_of(collaboration: Collaboration, day: dt.date) -> str:
    status = collaboration.status_on(day)
    if status in ("attiva", "in_scioglimento"):
        return COVERED_UNVERIFIED if collaboration.da_verificare else COVERED
    return PLANNED if status == "da_costituire" else NOT_COVERED


def coverage_matrix(codes: Iterable[str], collaborations: Iterable[Collaboration],
                    functions: Sequence[str] = PRIORITY_FUNCTIONS,
                    today: dt.date | None = None) -> pd.DataFrame:
    """Coverage of each comune for each function.

    Parameters
    ----------
    codes : iterable of str
        ISTAT codes of the comuni (rows, in this order).
    collaborations : iterable of Collaboration
    functions : sequence of str
        Function keys (columns); default the four priority functions.
    today : datetime.date, optional
        Day the statuses refer to; default today.

    Returns
    -------
    pandas.DataFrame
        Index: ISTAT codes; one column per function with the best state among the
        comune's collaborations: ``attiva`` > ``attiva_da_verificare`` >
        ``prevista`` > ``nessuna`` (see :data:`COVERAGE_LABELS`).
    """
    day = today or today_in_italy()
    # The matrix does not depend on the zones: cached, the zone editor's clicks reuse it.
    return _cached_matrix(tuple(codes), tuple(collaborations), tuple(functions), day).copy()


@lru_cache(maxsize=32)
def _cached_matrix(codes: tuple[str, ...], collaborations: tuple[Collaboration, ...],
                   functions: tuple[str, ...], day: dt.date) -> pd.DataFrame:
    matrix = pd.DataFrame(NOT_COVERED, index=pd.Index(codes, dtype=object), columns=list(functions))
    wanted = set(codes)
    for collaboration in collaborations:
        state = _state_of(collaboration, day)
        if state == NOT_COVERED:
            continue
        for function in functions:
            if not collaboration.covers(function):
                continue
            for code in wanted.intersection(collaboration.members):
                if _RANK[state] > _RANK[matrix.at[code, function]]:
                    matrix.at[code, function] = state
    return matrix


@lru_cache(maxsize=32)
def _state_arrays(area: Area, collaborations: tuple[Collaboration, ...], functions: tuple[str, ...],
                  day: dt.date) -> dict[str, np.ndarray]:
    """Each function's coverage state of every comune (:data:`_RANK` numbers) in
    ``area.codes`` order: it does not depend on the zones, so the editor's clicks
    reuse it (the Area is hashed by identity)."""
    matrix = _cached_matrix(area.codes, collaborations, functions, day)
    return {f: np.array([_RANK[state] for state in matrix[f]], dtype=np.int8) for f in functions}


def coverage_by_zone(area: Area, plan: Plan, collaborations: Iterable[Collaboration],
                     today: dt.date | None = None,
                     functions: Sequence[str] = PRIORITY_FUNCTIONS) -> pd.DataFrame:
    """Comuni and residents covered by an operating collaboration, per zone and function.

    Parameters
    ----------
    area : Area
        Residents are ISTAT's population on 1 January 2023 (``pop_totale``).
    plan : Plan
        The current zones.
    collaborations : iterable of Collaboration
    today : datetime.date, optional
        Day the statuses refer to; default today.
    functions : sequence of str
        Default the four priority functions.

    Returns
    -------
    pandas.DataFrame
        One row per (zone, function): zones in plan order, then ``UNASSIGNED_ROW``
        if some comuni are unassigned, then ``TOTAL_ROW`` (the whole area).
        Columns ``zona_id``, ``zona``, ``funzione``, ``comuni``, ``comuni_coperti``,
        ``quota_comuni`` (%), ``residenti``, ``residenti_coperti``,
        ``quota_residenti`` (%), ``comuni_da_verificare`` (covered only by records
        ``da_verificare``), ``comuni_previsti`` (only a planned collaboration).
        Percentages are NaN for an empty zone.
    """
    day = today or today_in_italy()
    functions = tuple(functions)
    states = _state_arrays(area, tuple(collaborations), functions, day)
    # One grouping of the comuni per click, shared with the statistics; sums by
    # numpy.bincount: this runs on every click of the zone editor.
    groups = ZoneGroups.of(area, plan)
    size = len(groups.rows)
    rows = groups.row_of_comune
    (residents,) = area.columns(("pop_totale",)).values()
    names = {z.id: z.name for z in plan.zones} | {UNASSIGNED_ROW: "Non assegnati"}

    def per_row(weights: np.ndarray) -> np.ndarray:
        sums = np.bincount(rows, weights=weights, minlength=size)[:size]
        return np.append(sums, weights.sum()).round().astype(np.int64)

    ones = np.ones(len(rows))
    comuni, people = per_row(ones), per_row(residents)
    row_ids = [*groups.rows, TOTAL_ROW]
    columns: dict[str, list] = {k: [] for k in ("zona_id", "zona", "funzione", "comuni", "comuni_coperti",
                                                 "quota_comuni", "residenti", "residenti_coperti",
                                                 "quota_residenti", "comuni_da_verificare", "comuni_previsti")}
    per_function = {}
    for function in functions:
        state = states[function]
        covered = state >= _RANK[COVERED_UNVERIFIED]
        per_function[function] = (per_row(covered * ones), per_row(covered * residents),
                                  per_row((state == _RANK[COVERED_UNVERIFIED]) * ones),
                                  per_row((state == _RANK[PLANNED]) * ones))
    for r, row_id in enumerate(row_ids):
        for function in functions:
            n_cov, res_cov, unverified, planned = (values[r] for values in per_function[function])
            columns["zona_id"].append(row_id)
            columns["zona"].append(names.get(row_id, "Totale area"))
            columns["funzione"].append(function)
            columns["comuni"].append(int(comuni[r]))
            columns["comuni_coperti"].append(int(n_cov))
            columns["quota_comuni"].append(percent(n_cov, comuni[r]))
            columns["residenti"].append(int(people[r]))
            columns["residenti_coperti"].append(int(res_cov))
            columns["quota_residenti"].append(percent(res_cov, people[r]))
            columns["comuni_da_verificare"].append(int(unverified))
            columns["comuni_previsti"].append(int(planned))
    return pd.DataFrame(columns)


def coverage_gaps(area: Area, plan: Plan, collaborations: Iterable[Collaboration],
                  today: dt.date | None = None,
                  functions: Sequence[str] = PRIORITY_FUNCTIONS) -> pd.DataFrame:
    """Comuni of the area with no operating collaboration for a function.

    Returns
    -------
    pandas.DataFrame
        Columns ``istat_code``, ``comune``, ``zona_id`` (``None`` when unassigned),
        ``zona``, ``funzione``, ``stato`` (``nessuna`` or ``prevista``),
        ``residenti``; sorted by zone (plan order), function, comune name.
    """
    matrix = coverage_matrix(area.codes, collaborations, functions, today)
    order = {z.id: i for i, z in enumerate(plan.zones)}
    names = {z.id: z.name for z in plan.zones}
    rows = []
    for code in area.codes:
        zone_id = plan.zone_of(code)
        for f_index, function in enumerate(functions):
            state = matrix.at[code, function]
            if state in (NOT_COVERED, PLANNED):
                rows.append({
                    "istat_code": code, "comune": area.name(code), "zona_id": zone_id,
                    "zona": names.get(zone_id, "Non assegnati"), "funzione": function, "stato": state,
                    "residenti": int(area.table.at[code, "pop_totale"]),
                    "_order": (order.get(zone_id, len(order)), f_index, area.name(code).casefold()),
                })
    columns = ["istat_code", "comune", "zona_id", "zona", "funzione", "stato", "residenti"]
    if not rows:
        return pd.DataFrame(columns=columns)
    rows.sort(key=lambda r: r["_order"])
    return pd.DataFrame(rows)[columns]


@dataclass(frozen=True)
class CollaborationSplit:
    """Where a plan puts the members of one collaboration.

    Attributes
    ----------
    collaboration : Collaboration
    parts : tuple of (str, tuple of str)
        Zone id and the member codes assigned to it, in plan order.
    unassigned : tuple of str
        Members in the area not assigned to any zone (not counted as a cut).
    outside : tuple of str
        Members outside the area vasta (not counted).
    """

    collaboration: Collaboration
    parts: tuple[tuple[str, tuple[str, ...]], ...]
    unassigned: tuple[str, ...]
    outside: tuple[str, ...]

    @property
    def is_split(self) -> bool:
        return len(self.parts) > 1

    @property
    def memberships(self) -> int:
        """Members assigned to a zone: the memberships the coherence score counts."""
        return sum(len(codes) for _, codes in self.parts)


def plan_splits(plan: Plan, collaborations: Iterable[Collaboration],
                today: dt.date | None = None) -> list[CollaborationSplit]:
    """How the plan distributes the members of each collaboration not ended on ``today``.

    Only collaborations with at least two members assigned to zones are returned
    (fewer cannot be split); ``cessata`` ones are left out. Planned collaborations
    count: a plan that cuts a convention being set up matters too.
    """
    day = today or today_in_italy()
    in_area = set(plan.codes)
    out = []
    for collaboration in collaborations:
        if collaboration.status_on(day) == "cessata":
            continue
        inside = [c for c in collaboration.members if c in in_area]
        by_zone = {z: tuple(c for c in inside if plan.zone_of(c) == z) for z in plan.zone_ids}
        parts = tuple((z, codes) for z, codes in by_zone.items() if codes)
        split = CollaborationSplit(
            collaboration, parts,
            unassigned=tuple(c for c in inside if plan.zone_of(c) is None),
            outside=tuple(c for c in collaboration.members if c not in in_area),
        )
        if split.memberships >= 2:
            out.append(split)
    return out


@dataclass(frozen=True)
class Coherence:
    """Memberships kept whole by a plan: ``kept`` of ``total``; ``share`` in 0-1 (NaN if none)."""

    kept: int
    total: int

    @property
    def share(self) -> float:
        return math.nan if self.total == 0 else self.kept / self.total


def coherence(splits: Iterable[CollaborationSplit]) -> Coherence:
    """Coherence score of a plan from :func:`plan_splits`.

    Each collaboration weighs as many memberships as it has members assigned to
    zones; a collaboration counts as kept when all of them are in one zone.
    """
    splits = list(splits)
    return Coherence(kept=sum(s.memberships for s in splits if not s.is_split),
                     total=sum(s.memberships for s in splits))
