"""Per-zone statistics: a registry of declared statistics evaluated on (area, plan).

:func:`zone_statistics` evaluates a :class:`~geo.zoning.statistics_registry.StatisticsRegistry`
(by default the active one, :func:`statistics_registry`) into a table with one row
per zone, a row for unassigned comuni when there are any, and a total row.

The statistics themselves are declared in :mod:`geo.zoning.default_statistics`
(the ten shipped ones) with the types of :mod:`geo.zoning.statistic_types`.
"""

from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import pandas as pd

from geo.zoning.area import Area
from geo.zoning.default_statistics import DEFAULT_REGISTRY
from geo.zoning.plan import Plan
from geo.zoning.statistic_types import Statistic
from geo.zoning.statistics_registry import StatisticsRegistry
from geo.zoning.zone_groups import TOTAL_ROW, UNASSIGNED_ROW, ZoneGroups

__all__ = ["TOTAL_ROW", "UNASSIGNED_ROW", "max_deviation", "missing_values", "registered_statistics",
           "statistics_registry", "zone_statistics"]

_active = DEFAULT_REGISTRY
_swap = threading.Lock()


def statistics_registry() -> StatisticsRegistry:
    """The registry used when none is passed: the shipped statistics, plus those
    added by :func:`registered_statistics` while it is open."""
    return _active


@contextmanager
def registered_statistics(*statistics: Statistic) -> Iterator[StatisticsRegistry]:
    """Add ``statistics`` to the active registry for the duration of a ``with`` block.

    The active registry is process-wide: this is for tests and for a deployment's
    start-up. What one user brings (imported indicators) goes into a registry of
    their own (``statistics_registry().with_statistics(...)``) passed as ``registry=``.
    """
    global _active
    with _swap:
        previous = _active
        _active = previous.with_statistics(*statistics)
    try:
        yield _active
    finally:
        with _swap:
            _active = previous


def _row_names(groups: ZoneGroups, plan: Plan) -> list[str]:
    names = {z.id: z.name for z in plan.zones} | {UNASSIGNED_ROW: "Non assegnati", TOTAL_ROW: "Totale area"}
    return [names[row] for row in (*groups.rows, TOTAL_ROW)]


def zone_statistics(area: Area, plan: Plan, registry: StatisticsRegistry | None = None) -> pd.DataFrame:
    """Evaluate every statistic of ``registry`` for every zone and for the area.

    Parameters
    ----------
    area : Area
        The area vasta (population from ISTAT, areas in km² from EPSG:32632), with
        every column the registry's tallies sum.
    plan : Plan
        The zoning plan over the area's comuni.
    registry : StatisticsRegistry, optional
        Default: :func:`statistics_registry`.

    Returns
    -------
    pandas.DataFrame
        Index: zone ids in plan order, then ``UNASSIGNED_ROW`` if some comuni are
        unassigned, then ``TOTAL_ROW``. Columns: ``zona`` (display name) and one
        float column per statistic key, in registry order (NaN where a value has no
        meaning or no data).
    """
    registry = statistics_registry() if registry is None else registry
    groups = ZoneGroups.of(area, plan, registry.columns)
    size = len(groups.rows)
    data: dict[str, object] = {"zona": _row_names(groups, plan)}
    for stat in registry:
        values = np.empty(size + 1)
        values[:size] = stat.aggregation.per_zone(groups)
        values[size] = stat.aggregation.area_total(groups)
        data[stat.key] = values
    # An object index: pandas' default Arrow strings make every Series built on it slower.
    return pd.DataFrame(data, index=pd.Index([*groups.rows, TOTAL_ROW], dtype=object))


def missing_values(area: Area, plan: Plan, registry: StatisticsRegistry | None = None) -> pd.DataFrame:
    """How many comuni lack the data of each statistic: rows and columns as in
    :func:`zone_statistics` (counts, 0 where nothing is missing). Those comuni are
    left out of the statistic's sums, never given an invented value."""
    registry = statistics_registry() if registry is None else registry
    groups = ZoneGroups.of(area, plan, registry.columns)
    data: dict[str, object] = {"zona": _row_names(groups, plan)}
    for stat in registry:
        per_row = groups.missing(*stat.tallies)
        data[stat.key] = np.append(per_row, per_row.sum())
    return pd.DataFrame(data, index=pd.Index([*groups.rows, TOTAL_ROW], dtype=object))


def max_deviation(stats: pd.DataFrame) -> float:
    """Largest absolute deviation (%) of a zone's residents from the mean zone,
    from a :func:`zone_statistics` table; NaN with no zones."""
    zones = stats["scarto_media"].drop(index=[r for r in (UNASSIGNED_ROW, TOTAL_ROW) if r in stats.index])
    return float(zones.abs().max()) if zones.notna().any() else math.nan
