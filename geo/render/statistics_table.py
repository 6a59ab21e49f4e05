"""The per-zone statistics table as Italian text, ready to show or export."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from geo.zoning.statistics import statistics_registry
from geo.zoning.statistics_registry import StatisticsRegistry

# Counts and residents read well without a unit in the heading.
_UNITS_LEFT_OUT = ("n.", "ab.")


def statistics_display_table(stats: pd.DataFrame, registry: StatisticsRegistry | None = None,
                             keys: Sequence[str] | None = None) -> pd.DataFrame:
    """The output of :func:`geo.zoning.statistics.zone_statistics` with Italian headers
    (label and unit) and numbers formatted as text with each statistic's declared
    decimals, ready to show or export.

    Parameters
    ----------
    stats : pandas.DataFrame
        From :func:`geo.zoning.statistics.zone_statistics` with the same registry.
    registry : StatisticsRegistry, optional
        Default: :func:`geo.zoning.statistics.statistics_registry`.
    keys : sequence of str, optional
        Show only these statistics, in this order (e.g. ``registry.short``).
    """
    registry = statistics_registry() if registry is None else registry
    columns = {"Zona": list(stats["zona"])}
    for stat in registry.subset(keys) if keys is not None else registry:
        columns[_header(stat)] = [stat.format(v) for v in stats[stat.key].tolist()]
    # object dtype: pandas would otherwise copy every text column into Arrow (several ms per click)
    return pd.DataFrame(columns, dtype=object)


def statistics_column_help(registry: StatisticsRegistry | None = None,
                           keys: Sequence[str] | None = None) -> dict[str, str]:
    """Each column heading of :func:`statistics_display_table` with its statistic's
    declared one-line help (``Statistic.help``), for tooltips and the help list.

    Parameters
    ----------
    registry, keys
        As for :func:`statistics_display_table`.
    """
    registry = statistics_registry() if registry is None else registry
    return {_header(stat): stat.help for stat in (registry.subset(keys) if keys is not None else registry)
            if stat.help}


def _header(stat) -> str:
    return stat.label if stat.unit in _UNITS_LEFT_OUT else stat.heading
