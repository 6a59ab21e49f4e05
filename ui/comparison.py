"""The «Confronto scenari» page's choices: which plans can be compared and the
comparison of the chosen ones."""

from __future__ import annotations

import pandas as pd

import geo
from ui.indicators import chosen_indicators, indicator_area, session_registry
from ui.plan_choices import CURRENT, PlanChoice, openable_scenarios
from ui.plan_images import plan_key
from ui.plan_session import current_area, current_plan
from ui.scenarios import scenario_label
from ui.session import COMPARISON

CHOICE_KEY = COMPARISON.key("plans")


def comparable() -> tuple[dict[str, PlanChoice], int]:
    """``{key: choice}`` (the current plan, then the openable scenarios) and how
    many scenarios cannot be compared (comuni missing from the data). The chosen
    keys are kept to those that still exist, the first two by default."""
    openable, left_out = openable_scenarios()
    choices = {CURRENT: PlanChoice(CURRENT, "Piano attuale (anche se non salvato)", "Piano attuale", "", "",
                                   current_area(), current_plan())}
    choices |= {s.id: PlanChoice(s.id, scenario_label(s), s.name, s.author, s.notes, indicator_area(s.area_codes),
                                 s.plan) for s in openable}
    chosen = COMPARISON.get("plans")
    COMPARISON.set("plans", list(choices)[:2] if chosen is None else [k for k in chosen if k in choices])
    return choices, left_out


def labelled(choices: dict[str, PlanChoice], chosen: list[str]) -> tuple[tuple[str, str], ...]:
    """The chosen plans as ``(name, plan_key)`` pairs: the cache key of the images."""
    return tuple((choices[k].title, plan_key(choices[k].plan)) for k in chosen)


def zones_summary(item: geo.ComparedPlan) -> pd.DataFrame:
    """The registry's short statistics of a plan (zone, comuni, residents): one small table per plan."""
    registry = session_registry()
    area = indicator_area(item.area.codes)
    return geo.statistics_display_table(geo.zone_statistics(area, item.plan, registry), registry,
                                        keys=registry.short)


def full_statistics(item: geo.ComparedPlan) -> pd.DataFrame:
    registry = session_registry()
    area = indicator_area(item.area.codes)
    return geo.statistics_display_table(geo.zone_statistics(area, item.plan, registry), registry)


def homogeneity_table(choices: dict[str, PlanChoice], chosen: list[str]) -> pd.DataFrame:
    """One row per plan: its homogeneity score and each chosen indicator's share explained (0-1)."""
    indicators = chosen_indicators()
    rows = []
    for key in chosen:
        choice = choices[key]
        result = geo.homogeneity(choice.area, choice.plan, indicators)
        row = {"Piano": choice.title, "Zone": geo.format_number(len(choice.plan.zones)),
               "Omogeneità (0-1)": geo.homogeneity_score_text(result)}
        row |= {f"{i.indicator.label}: varianza spiegata": geo.format_number(i.explained, 2) for i in result.indicators}
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)
