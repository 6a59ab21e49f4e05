"""Per-zone statistics: a registry of named, pure functions of (area, plan).

Each :class:`Statistic` computes one column for every zone and one value for the
whole area. :func:`zone_statistics` evaluates the registry into a table with one
row per zone, a row for unassigned comuni when there are any, and a total row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from geo.zoning.area import Area
from geo.zoning.measures import percent, polsby_popper
from geo.zoning.plan import Plan

SMALL_COMUNE_RESIDENTS = 5000
# Columns summed per zone: residents, residents 65+, km², comuni, comuni under 5,000.
_SUMMED = ("pop_totale", "pop_65_piu", "area_km2", "comuni", "piccoli")
UNASSIGNED_ROW = "__non_assegnati__"
TOTAL_ROW = "__totale__"


@dataclass(frozen=True)
class _Groups:
    """Sums of the members' attributes per zone, computed once per evaluation."""

    area: Area
    plan: Plan
    sums: pd.DataFrame  # index: zone ids in plan order (+ UNASSIGNED_ROW); numeric columns
    members: dict[str | None, tuple[str, ...]]

    @classmethod
    def of(cls, area: Area, plan: Plan) -> "_Groups":
        # Plain Python sums: this runs on every click of the zone editor, and a
        # pandas groupby over string (Arrow) labels cost several times more.
        rows = list(plan.zone_ids) + ([UNASSIGNED_ROW] if plan.unassigned else [])
        totals = {z: [0.0] * len(_SUMMED) for z in rows}
        members: dict[str | None, list[str]] = {z: [] for z in plan.zone_ids}
        members[None] = []
        for code, pop, old, km2 in area.numeric_rows:
            zone_id = plan.zone_of(code)
            members[zone_id].append(code)
            acc = totals[zone_id or UNASSIGNED_ROW]
            acc[0] += pop
            acc[1] += old
            acc[2] += km2
            acc[3] += 1
            acc[4] += pop < SMALL_COMUNE_RESIDENTS
        # An object index: pandas' default Arrow strings make every Series built on it slower.
        sums = pd.DataFrame([totals[z] for z in rows], index=pd.Index(rows, dtype=object), columns=list(_SUMMED))
        return cls(area, plan, sums, {z: tuple(m) for z, m in members.items()})

    @property
    def zone_sums(self) -> pd.DataFrame:
        return self.sums.loc[list(self.plan.zone_ids)]

    def total(self, column: str) -> float:
        """Sum over the whole area (zones and unassigned comuni)."""
        return float(self.sums[column].sum())


@dataclass(frozen=True)
class Statistic:
    """One statistic: a key, an Italian label and unit, and how to compute it.

    ``per_zone`` returns a Series indexed like the groups (zones, then unassigned);
    ``total`` returns the value for the whole area (``None`` where a total has no
    meaning, e.g. the deviation from the mean zone).
    """

    key: str
    label: str
    unit: str
    per_zone: Callable[[_Groups], pd.Series]
    total: Callable[[_Groups], object]
    help: str = ""


def _mean_zone_population(g: _Groups) -> float:
    zones = g.zone_sums
    return float(zones["pop_totale"].mean()) if len(zones) else math.nan


def _deviation(g: _Groups) -> pd.Series:
    mean = _mean_zone_population(g)
    out = g.sums["pop_totale"].map(lambda p: percent(p - mean, mean))
    if UNASSIGNED_ROW in out.index:
        out[UNASSIGNED_ROW] = math.nan
    return out


def _pieces(g: _Groups) -> pd.Series:
    return pd.Series(
        {z: len(g.area.graph.pieces(g.members[None if z == UNASSIGNED_ROW else z])) for z in g.sums.index}
    )


def _compactness(g: _Groups) -> pd.Series:
    out = {}
    for z in g.sums.index:
        members = g.members[None if z == UNASSIGNED_ROW else z]
        if z == UNASSIGNED_ROW or not members:
            out[z] = math.nan
            continue
        out[z] = polsby_popper(g.sums.at[z, "area_km2"] * 1e6, g.area.graph.perimeter_of(members))
    return pd.Series(out)


def _area_compactness(g: _Groups) -> float:
    codes = g.area.codes
    return polsby_popper(g.total("area_km2") * 1e6, g.area.graph.perimeter_of(codes))


STATISTICS: tuple[Statistic, ...] = (
    Statistic("comuni", "Comuni", "n.", lambda g: g.sums["comuni"], lambda g: g.total("comuni")),
    Statistic("residenti", "Residenti", "ab.", lambda g: g.sums["pop_totale"], lambda g: g.total("pop_totale")),
    Statistic(
        "quota_residenti", "Quota residenti", "%",
        lambda g: g.sums["pop_totale"].map(lambda p: percent(p, g.total("pop_totale"))),
        lambda g: 100.0,
        "Residenti della zona sul totale dell'area vasta.",
    ),
    Statistic(
        "scarto_media", "Scarto dalla media", "%", _deviation, lambda g: None,
        "Differenza tra i residenti della zona e la media delle zone.",
    ),
    Statistic("superficie", "Superficie", "km²", lambda g: g.sums["area_km2"], lambda g: g.total("area_km2")),
    Statistic(
        "densita", "Densità", "ab./km²",
        lambda g: g.sums["pop_totale"] / g.sums["area_km2"].where(g.sums["area_km2"] > 0),
        lambda g: g.total("pop_totale") / g.total("area_km2"),
    ),
    Statistic(
        "comuni_piccoli", f"Comuni sotto {SMALL_COMUNE_RESIDENTS:,} ab.".replace(",", "."), "n.",
        lambda g: g.sums["piccoli"], lambda g: g.total("piccoli"),
    ),
    Statistic(
        "quota_65_piu", "Quota 65 anni e più", "%",
        lambda g: (100 * g.sums["pop_65_piu"] / g.sums["pop_totale"].where(g.sums["pop_totale"] > 0)),
        lambda g: percent(g.total("pop_65_piu"), g.total("pop_totale")),
    ),
    Statistic(
        "pezzi", "Parti separate", "n.", _pieces, lambda g: len(g.area.graph.pieces(g.area.codes)),
        "1 = zona contigua (confini in comune, anche solo un punto).",
    ),
    Statistic(
        "compattezza", "Compattezza (Polsby-Popper)", "0-1", _compactness, _area_compactness,
        "4π·superficie/perimetro², calcolata in metri (EPSG:32632): 1 = cerchio, 0,785 = quadrato.",
    ),
)

STATISTIC_BY_KEY = {s.key: s for s in STATISTICS}


def zone_statistics(area: Area, plan: Plan) -> pd.DataFrame:
    """Evaluate every registered statistic for every zone and for the area.

    Parameters
    ----------
    area : Area
        The area vasta (population from ISTAT, areas in km² from EPSG:32632).
    plan : Plan
        The zoning plan over the area's comuni.

    Returns
    -------
    pandas.DataFrame
        Index: zone ids in plan order, then ``UNASSIGNED_ROW`` if some comuni are
        unassigned, then ``TOTAL_ROW``. Columns: ``zona`` (display name) and one
        column per statistic key (see :data:`STATISTICS`).
    """
    groups = _Groups.of(area, plan)
    table = pd.DataFrame({s.key: s.per_zone(groups) for s in STATISTICS}, index=groups.sums.index)
    table.loc[TOTAL_ROW] = [s.total(groups) for s in STATISTICS]
    names = {z.id: z.name for z in plan.zones} | {UNASSIGNED_ROW: "Non assegnati", TOTAL_ROW: "Totale area"}
    table.insert(0, "zona", [names[i] for i in table.index])
    return table


def max_deviation(stats: pd.DataFrame) -> float:
    """Largest absolute deviation (%) of a zone's residents from the mean zone,
    from a :func:`zone_statistics` table; NaN with no zones."""
    zones = stats["scarto_media"].drop(index=[r for r in (UNASSIGNED_ROW, TOTAL_ROW) if r in stats.index])
    return float(zones.abs().max()) if zones.notna().any() else math.nan
