"""The homogeneity of a plan as display tables: Italian text, every number formatted.

* :func:`homogeneity_summary`: one row per indicator, the share of its variance the
  zones explain (0-1) and the comuni without a value;
* :func:`homogeneity_zones`: one row per zone: each indicator's mean (its unit) and
  coefficient of variation (%), and the comuni furthest from the zone's means;
* :func:`score_text`: the plan's score (``"0,50"``) or why there is none.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from geo.base.italian import format_number
from geo.zoning.homogeneity import Homogeneity
from geo.zoning.plan import Plan

SCORE_HELP = ("Omogeneità del piano, da 0 a 1: la media, sugli indicatori scelti, della quota delle differenze tra "
              "comuni spiegata dalle zone (somma dei quadrati tra zone sul totale). 1 = comuni uguali dentro ogni "
              "zona; 0 = ogni zona ha la media dell'area.")
CV_HEADING = "CV (%)"


def score_text(result: Homogeneity) -> str:
    score = result.score
    return "–" if score != score else format_number(score, 2)


def homogeneity_summary(result: Homogeneity) -> pd.DataFrame:
    """Indicator, share explained (0-1), comuni without a value."""
    rows = {"Indicatore": [], "Varianza spiegata dalle zone (0-1)": [], "Comuni senza dato": []}
    for item in result.indicators:
        rows["Indicatore"].append(f"{item.indicator.label} ({item.indicator.unit})")
        rows["Varianza spiegata dalle zone (0-1)"].append(format_number(item.explained, 2))
        rows["Comuni senza dato"].append(format_number(item.missing_total))
    return pd.DataFrame(rows, dtype=object)


def _furthest_text(result: Homogeneity, zone: int, name: Callable[[str], str]) -> str:
    far = result.furthest[zone]
    if not far:
        return "–"
    return "; ".join(f"{name(f.code)} ({format_number(f.distance, 1)} dev. st.)" for f in far)


def homogeneity_zones(result: Homogeneity, plan: Plan, name: Callable[[str], str]) -> pd.DataFrame:
    """Per zone: for each indicator its mean and CV, then the comuni furthest from the zone's means.

    ``name`` turns an ISTAT code into the comune's name.
    """
    columns: dict[str, list[str]] = {"Zona": [plan.zone(z).name for z in result.zone_ids]}
    for item in result.indicators:
        label = item.indicator.label
        columns[f"{label} ({item.indicator.unit})"] = [item.indicator.format(v) for v in item.means]
        columns[f"{label}: {CV_HEADING}"] = (["non mostrato"] * len(result.zone_ids) if item.cv_note
                                             else [format_number(100 * v, 0) for v in item.cv])
    columns["Comuni più lontani dalla media della zona"] = [
        _furthest_text(result, i, name) for i in range(len(result.zone_ids))]
    return pd.DataFrame(columns, dtype=object)


def cv_notes(result: Homogeneity) -> list[str]:
    """Why some coefficients of variation are not shown, one sentence per indicator."""
    return [f"{i.indicator.label}: {i.cv_note}." for i in result.indicators if i.cv_note]


def _number(value: float) -> float | None:
    return None if value != value else float(value)


def homogeneity_records(result: Homogeneity, plan: Plan) -> tuple[list[tuple[str, list[str], list[list], dict]], ...]:
    """The homogeneity as spreadsheet tables, numbers as numbers: ``(title, headers, rows,
    {column: Excel format})`` for the indicators, then for the zones (1-based columns)."""
    indicators = ("Indicatori", ["Indicatore", "Unità", "Varianza spiegata dalle zone (0-1)", "Comuni senza dato",
                                 "Fonte"],
                  [[i.indicator.label, i.indicator.unit, _number(i.explained), i.missing_total, i.indicator.source.line]
                   for i in result.indicators], {3: "0.00", 4: "#,##0"})
    headers, formats = ["Zona"], {}
    for item in result.indicators:
        headers += [f"{item.indicator.label} ({item.indicator.unit})", f"{item.indicator.label}: {CV_HEADING}"]
        formats[len(headers) - 1], formats[len(headers)] = item.indicator.statistic.excel_format, "0"
    rows = []
    for z, zone_id in enumerate(result.zone_ids):
        row = [plan.zone(zone_id).name]
        for item in result.indicators:
            row += [_number(item.means[z]), None if item.cv_note else _number(100 * item.cv[z])]
        rows.append(row)
    return indicators, ("Zone", headers, rows, formats)
