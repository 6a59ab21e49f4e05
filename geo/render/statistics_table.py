"""The per-zone statistics table as Italian text, ready to show or export."""

from __future__ import annotations

import pandas as pd

from geo.base.italian import format_number
from geo.zoning.statistics import STATISTICS

_DECIMALS = {
    "comuni": 0, "residenti": 0, "quota_residenti": 1, "scarto_media": 1, "superficie": 1,
    "densita": 0, "comuni_piccoli": 0, "quota_65_piu": 1, "pezzi": 0, "compattezza": 2,
}


def statistics_display_table(stats: pd.DataFrame) -> pd.DataFrame:
    """The output of :func:`geo.zoning.statistics.zone_statistics` with Italian headers
    (label and unit) and numbers formatted as text, ready to show or export."""
    columns = {"Zona": list(stats["zona"])}
    for stat in STATISTICS:
        header = f"{stat.label} ({stat.unit})" if stat.unit not in ("n.", "ab.") else stat.label
        columns[header] = [format_number(v, _DECIMALS.get(stat.key, 1)) for v in stats[stat.key].tolist()]
    # object dtype: pandas would otherwise copy every text column into Arrow (several ms per click)
    return pd.DataFrame(columns, dtype=object)
