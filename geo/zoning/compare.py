"""Differences between two to four plans: which comuni change zone, how the statistics move.

Zones of different plans are different objects (a copy may rename them, a plan
drawn from scratch has other ids), so plans are compared by what they group. The
first plan is the reference; each zone of another plan is paired with at most one
zone of the reference so that the pairs share as many comuni as possible (an
optimal assignment by :func:`scipy.optimize.linear_sum_assignment`, ties broken
by equal name, then equal id). A comune *changes zone* when, in some plan, it is
not in the partner of its reference zone: with this pairing the list of changes is
the shortest possible. Unassigned comuni pair only with unassigned comuni.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from geo.base.errors import UserError
from geo.zoning.area import Area
from geo.base.italian import format_number
from geo.zoning.plan import Plan
from geo.zoning.statistics import UNASSIGNED_ROW, statistics_registry, zone_statistics
from geo.zoning.statistics_registry import StatisticsRegistry

MIN_PLANS, MAX_PLANS = 2, 4
OUTSIDE = "fuori dall'area"
UNASSIGNED = "non assegnato"


@dataclass(frozen=True)
class SummaryRow:
    """A key figure of a plan from one statistic over its zones: ``reduce`` turns the
    zones' values into one number, shown with the statistic's decimals unless it
    ``counts`` zones."""

    label: str
    key: str
    reduce: Callable[[pd.Series], float]
    counts: bool = False


SUMMARY: tuple[SummaryRow, ...] = (
    SummaryRow("Residenti della zona più piccola", "residenti", lambda v: float(v.min())),
    SummaryRow("Residenti della zona più grande", "residenti", lambda v: float(v.max())),
    SummaryRow("Differenza massima dalla media (%)", "scarto_media", lambda v: float(v.abs().max())),
    SummaryRow("Zone divise in più parti", "pezzi", lambda v: int((v > 1).sum()), counts=True),
    SummaryRow("Forma compatta media (0-1)", "compattezza", lambda v: float(v.mean())),
)


class CompareError(UserError):
    """The comparison cannot be made; the message is in Italian."""


def match_zones(reference: Plan, other: Plan) -> dict[str, str]:
    """Pair zones of ``other`` with zones of ``reference`` (one to one) sharing the
    most comuni; returns ``{reference zone id: other zone id}``.

    Only comuni in both plans' areas count. Pairs that share no comune are kept
    only when the two zones have the same name.
    """
    from scipy.optimize import linear_sum_assignment  # heavy: only the comparison pages need it

    common = set(reference.codes) & set(other.codes)
    ref_zones, other_zones = reference.zones, other.zones
    if not ref_zones or not other_zones:
        return {}
    # Shared comuni dominate: the name/id bonus (at most 3 per pair, so less than
    # ``scale`` over all pairs) only chooses among assignments sharing as many comuni.
    scale = 3 * max(len(ref_zones), len(other_zones)) + 1
    shared = np.array([[sum(1 for c in reference.members(a.id) if c in common and other.zone_of(c) == b.id)
                        for b in other_zones] for a in ref_zones])
    bonus = np.array([[2 * (a.name == b.name) + (a.id == b.id) for b in other_zones] for a in ref_zones])
    rows, columns = linear_sum_assignment(shared * scale + bonus, maximize=True)
    return {ref_zones[i].id: other_zones[j].id for i, j in zip(rows, columns)
            if shared[i, j] > 0 or ref_zones[i].name == other_zones[j].name}


@dataclass(frozen=True)
class ComparedPlan:
    """A plan to compare, with the label shown to the user and its own area."""

    label: str
    area: Area
    plan: Plan


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare_plans`.

    Attributes
    ----------
    items : tuple of ComparedPlan
        The plans, the first being the reference; labels made unique.
    pairs : tuple of dict
        For each plan, ``{reference zone id: zone id}`` (the reference maps to itself).
    changed : tuple of str
        Comuni in every plan's area that change zone (sorted by code).
    area_differences : tuple of str
        Comuni that are in the area of some plans only.
    """

    items: tuple[ComparedPlan, ...]
    pairs: tuple[dict[str, str], ...]
    changed: tuple[str, ...]
    area_differences: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(i.label for i in self.items)

    @property
    def union_codes(self) -> tuple[str, ...]:
        return tuple(sorted({c for i in self.items for c in i.plan.codes}))

    def zone_label(self, index: int, code: str) -> str:
        """Name of the zone of ``code`` in plan ``index`` (or unassigned / outside)."""
        plan = self.items[index].plan
        if code not in plan.codes:
            return OUTSIDE
        zone_id = plan.zone_of(code)
        return UNASSIGNED if zone_id is None else plan.zone(zone_id).name

    def changes_table(self, name_of) -> pd.DataFrame:
        """One row per comune that differs: code, name (``name_of(code)``), what
        differs, and its zone in every plan (one column per label)."""
        rows = []
        for code in sorted(self.changed + self.area_differences):
            row = {"Codice ISTAT": code, "Comune": name_of(code),
                   "Differenza": "cambia zona" if code in self.changed else "area diversa"}
            row.update({label: self.zone_label(i, code) for i, label in enumerate(self.labels)})
            rows.append(row)
        return pd.DataFrame(rows, columns=["Codice ISTAT", "Comune", "Differenza", *self.labels])

    def changed_count(self, index: int) -> int:
        """Comuni whose zone in plan ``index`` is not the partner of their reference zone."""
        return sum(1 for c in self.changed if self._differs(index, c))

    def _differs(self, index: int, code: str) -> bool:
        reference, plan = self.items[0].plan, self.items[index].plan
        ref_zone, zone = reference.zone_of(code), plan.zone_of(code)
        expected = None if ref_zone is None else self.pairs[index].get(ref_zone, "\0unpaired")
        return zone != expected

    def summary_table(self, registry: StatisticsRegistry | None = None) -> pd.DataFrame:
        """Key figures of every plan (rows: indicators, columns: labels), as numbers;
        ``registry`` (default: the active one) must hold the statistics of :data:`SUMMARY`."""
        columns = {}
        for index, item in enumerate(self.items):
            stats = zone_statistics(item.area, item.plan, registry)
            zones = stats.loc[list(item.plan.zone_ids)]
            column = {
                "Zone": len(item.plan.zones),
                "Comuni nell'area": len(item.plan.codes),
                "Comuni non assegnati": len(item.plan.unassigned),
                "Residenti non assegnati": float(stats.at[UNASSIGNED_ROW, "residenti"])
                if UNASSIGNED_ROW in stats.index else 0.0,
            }
            column.update({row.label: row.reduce(zones[row.key]) for row in SUMMARY})  # NaN with no zones
            column[f"Comuni che cambiano zona rispetto a «{self.labels[0]}»"] = self.changed_count(index)
            columns[item.label] = column
        return pd.DataFrame(columns)

    def summary_display(self, registry: StatisticsRegistry | None = None) -> pd.DataFrame:
        """:meth:`summary_table` as Italian text (decimals as declared for each
        statistic), with each plan's difference from the reference in brackets."""
        registry = statistics_registry() if registry is None else registry
        table = self.summary_table(registry)
        decimals = {row.label: 0 if row.counts else registry[row.key].decimals for row in SUMMARY}
        out = pd.DataFrame({"Indicatore": table.index})
        reference = table.columns[0]
        for label in table.columns:
            cells = []
            for indicator, value in table[label].items():
                places = decimals.get(indicator, 0)
                text = format_number(value, places)
                base = table.at[indicator, reference]
                if label != reference and not (_is_nan(value) or _is_nan(base)) and round(value - base, places):
                    difference = format_number(value - base, places)
                    text += f" ({'+' if value > base else ''}{difference})"
                cells.append(text)
            out[label] = cells
        return out

    def zone_pairs_display(self) -> pd.DataFrame:
        """Corresponding zones side by side with residents and comuni; for every plan
        after the first, the change in residents from the reference zone."""
        rows = []
        for ref_zone in self.items[0].plan.zones:
            rows.append([self.pairs[i].get(ref_zone.id) for i in range(len(self.items))])
        for index in range(1, len(self.items)):  # zones of other plans with no partner
            paired = set(self.pairs[index].values())
            for zone in self.items[index].plan.zones:
                if zone.id not in paired:
                    rows.append([zone.id if i == index else None for i in range(len(self.items))])
        table = []
        for row in rows:
            cells, reference_residents = {}, None
            for index, (item, zone_id) in enumerate(zip(self.items, row)):
                if zone_id is None:
                    cells[item.label] = "–"
                    continue
                members = item.plan.members(zone_id)
                residents = int(item.area.comuni.loc[list(members), "pop_totale"].sum())
                text = (f"{item.plan.zone(zone_id).name}: {format_number(residents)} ab., "
                        f"{len(members)} comuni")
                if index == 0:
                    reference_residents = residents
                elif reference_residents is not None and residents != reference_residents:
                    sign = "+" if residents > reference_residents else ""
                    text += f" ({sign}{format_number(residents - reference_residents)} ab.)"
                cells[item.label] = text
            table.append(cells)
        return pd.DataFrame(table, columns=list(self.labels))


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Labels made distinct by numbering repeats: ``["A", "A"]`` -> ``["A", "A (2)"]``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def compare_plans(items: Sequence[ComparedPlan]) -> Comparison:
    """Compare 2 to 4 plans, the first being the reference (see module docstring).

    Raises
    ------
    CompareError
        With fewer than 2 or more than 4 plans.
    """
    if not MIN_PLANS <= len(items) <= MAX_PLANS:
        raise CompareError(f"Scegli da {MIN_PLANS} a {MAX_PLANS} piani da confrontare.")
    labels = unique_labels([i.label for i in items])
    items = tuple(ComparedPlan(label, i.area, i.plan) for label, i in zip(labels, items))
    reference = items[0].plan
    pairs = ({z.id: z.id for z in reference.zones},) + tuple(match_zones(reference, i.plan) for i in items[1:])
    areas = [set(i.plan.codes) for i in items]
    in_all = set.intersection(*areas)
    area_differences = tuple(sorted(set.union(*areas) - in_all))
    partial = Comparison(items, pairs, (), area_differences)
    changed = tuple(c for c in sorted(in_all) if any(partial._differs(k, c) for k in range(1, len(items))))
    return Comparison(items, pairs, changed, area_differences)
