"""The comuni of each zone and their tallied sums, computed once per evaluation.

The zone editor evaluates every statistic on every click, so this stays cheap:
one pass in plain Python to find each comune's row (a zone, or the unassigned
comuni), then one ``numpy.bincount`` per tally. A pandas groupby over string
(Arrow) labels cost several times more.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from geo.zoning.area import Area
from geo.zoning.plan import Plan
from geo.zoning.statistic_types import Tally

UNASSIGNED_ROW = "__non_assegnati__"
TOTAL_ROW = "__totale__"


# eq=False: holds arrays and a memo; compared by identity.
@dataclass(frozen=True, eq=False)
class ZoneGroups:
    """Which comuni of ``area`` each zone of ``plan`` holds, and the sums of tallies.

    Attributes
    ----------
    area, plan :
        What is evaluated.
    rows : tuple of str
        Zone ids in plan order, then :data:`UNASSIGNED_ROW` if some comuni are unassigned.
    zone_count : int
        How many of ``rows`` are zones (the rest is the unassigned row).
    members : tuple of tuple of str
        The comuni of each row, in :attr:`geo.zoning.area.Area.codes` order.
    columns : tuple of str
        The area columns the tallies read (asked of the area once per evaluation).
    """

    area: Area
    plan: Plan
    rows: tuple[str, ...]
    zone_count: int
    members: tuple[tuple[str, ...], ...]
    columns: tuple[str, ...]
    _row_of_comune: np.ndarray
    _memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, area: Area, plan: Plan, columns: tuple[str, ...] = ()) -> "ZoneGroups":
        """Group the area's comuni by their zone in ``plan``, once per plan: the
        statistics, the checks and the coverage of one click share the grouping
        (:meth:`geo.zoning.area.Area.recent`).

        Raises
        ------
        KeyError
            If a comune of the area is not in the plan.
        """
        grouped = area.recent(("zone_groups", plan), lambda: cls._group(area, plan, ()))
        # The columns only say which area columns to read in one batch: the grouping,
        # and the memo of sums and pieces, are the same whichever caller asks first.
        return grouped if grouped.columns == tuple(columns) else dataclasses.replace(grouped, columns=tuple(columns))

    @classmethod
    def _group(cls, area: Area, plan: Plan, columns: tuple[str, ...]) -> "ZoneGroups":
        zone_ids = plan.zone_ids
        row_of = {zone_id: i for i, zone_id in enumerate(zone_ids)}
        unassigned = row_of[None] = len(zone_ids)
        zone_of = plan.zone_of
        rows_of_comuni = [row_of[zone_of(code)] for code in area.codes]
        members: list[list[str]] = [[] for _ in range(len(zone_ids) + 1)]
        for code, row in zip(area.codes, rows_of_comuni):
            members[row].append(code)
        rows = list(zone_ids)
        if members[unassigned]:
            rows.append(UNASSIGNED_ROW)
        else:
            members.pop()
        return cls(area, plan, tuple(rows), len(zone_ids), tuple(tuple(m) for m in members), tuple(columns),
                   np.asarray(rows_of_comuni, dtype=np.intp))

    @property
    def unassigned_row(self) -> int | None:
        """Position of :data:`UNASSIGNED_ROW` in :attr:`rows`, ``None`` without one."""
        return self.zone_count if len(self.rows) > self.zone_count else None

    def _values(self, tally: Tally) -> np.ndarray:
        # Columns outside the evaluation's set (a function's own tally) are asked one by one.
        names = self.columns if tally.column in self.columns else (tally.column,)
        return tally.values(self.area.columns(names) if tally.column else {}, len(self._row_of_comune))

    def _present(self, tallies: tuple[Tally, ...]) -> tuple[list[np.ndarray], np.ndarray]:
        """The tallies' values with missing ones set to 0, and where all are present."""
        values = [self._values(t) for t in tallies]
        present = np.ones(len(self._row_of_comune), dtype=bool)
        for v in values:
            present &= ~np.isnan(v)
        return [np.where(present, v, 0.0) for v in values], present

    def sums(self, *tallies: Tally) -> tuple[np.ndarray, ...]:
        """Per-row sums of each tally over the comuni where every one of ``tallies``
        has a value. A row whose comuni all lack one gets NaN (an empty zone, 0)."""
        key = ("sums", tallies)
        if key not in self._memo:
            values, present = self._present(tallies)
            size = len(self.rows)
            rows = self._row_of_comune
            counted = np.bincount(rows, weights=present, minlength=size)[:size]
            no_value = (counted == 0) & (self.member_counts > 0)
            self._memo[key] = tuple(
                np.where(no_value, np.nan, np.bincount(rows, weights=v, minlength=size)[:size]) for v in values)
        return self._memo[key]

    def weighted_sums(self, value: Tally, weight: Tally) -> tuple[np.ndarray, np.ndarray]:
        """Per-row sums of ``value x weight`` and of ``weight`` over the comuni where
        both have a value (NaN for a row whose comuni all lack one)."""
        key = ("weighted", value, weight)
        if key not in self._memo:
            (values, weights), present = self._present((value, weight))
            size, rows = len(self.rows), self._row_of_comune
            counted = np.bincount(rows, weights=present, minlength=size)[:size]
            no_value = (counted == 0) & (self.member_counts > 0)
            self._memo[key] = tuple(np.where(no_value, np.nan, np.bincount(rows, weights=v, minlength=size)[:size])
                                    for v in (values * weights, weights))
        return self._memo[key]

    def area_weighted_sums(self, value: Tally, weight: Tally) -> tuple[float, float]:
        """:meth:`weighted_sums` over the whole area (computed once per area)."""
        def compute() -> tuple[float, float]:
            (values, weights), present = self._present((value, weight))
            if not present.any():
                return np.nan, np.nan
            return float((values * weights).sum()), float(weights.sum())

        return self.area.cached(("area_weighted_sums", value, weight), compute)

    def missing(self, *tallies: Tally) -> np.ndarray:
        """Per-row count of comuni lacking a value of any of ``tallies``."""
        if not tallies:
            return np.zeros(len(self.rows), dtype=int)
        _, present = self._present(tallies)
        return np.bincount(self._row_of_comune, weights=~present, minlength=len(self.rows)).astype(int)

    def area_sums(self, *tallies: Tally) -> tuple[float, ...]:
        """The sums of :meth:`sums` over the whole area (zones and unassigned comuni);
        they do not depend on the plan, so they are computed once per area."""
        def compute() -> tuple[float, ...]:
            values, present = self._present(tallies)
            return tuple(float(v.sum()) if present.any() else np.nan for v in values)

        return self.area.cached(("area_sums", tallies), compute)

    @property
    def row_of_comune(self) -> np.ndarray:
        """The row of every comune, in :attr:`geo.zoning.area.Area.codes` order (read-only)."""
        rows = self._row_of_comune
        rows.flags.writeable = False
        return rows

    def pieces(self) -> np.ndarray:
        """Connected pieces (queen rule) of each row's comuni, all rows at once; 0 for an empty row."""
        if "pieces" not in self._memo:
            self._memo["pieces"] = self.area.graph.pieces_per_group(self._in_graph_order(), len(self.rows))
        return self._memo["pieces"]

    def perimeters_m(self) -> np.ndarray:
        """Perimeter in metres (EPSG:32632) of the union of each row's comuni, all rows at once."""
        if "perimeters" not in self._memo:
            self._memo["perimeters"] = self.area.graph.perimeter_per_group(self._in_graph_order(), len(self.rows))
        return self._memo["perimeters"]

    def _in_graph_order(self) -> np.ndarray:
        graph = self.area.graph
        if self.area.cached("graph_in_code_order", lambda: graph.order == self.area.codes):
            return self._row_of_comune
        position = self.area.cached("code_positions", lambda: {c: i for i, c in enumerate(self.area.codes)})
        return self._row_of_comune[[position[u] for u in graph.order]]

    @property
    def member_counts(self) -> np.ndarray:
        """Comuni per row."""
        if "members" not in self._memo:
            self._memo["members"] = np.array([len(m) for m in self.members])
        return self._memo["members"]
