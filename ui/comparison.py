"""The «Confronto scenari» page's choices: which plans can be compared and the
comparison of the chosen ones."""

from __future__ import annotations

import pandas as pd

import geo
from ui.plan_choices import CURRENT, PlanChoice, openable_scenarios
from ui.plan_images import plan_key
from ui.plan_session import current_area, current_plan
from ui.scenarios import scenario_label
from ui.session import COMPARISON
from ui.shipped import area_for

CHOICE_KEY = COMPARISON.key("plans")


def comparable() -> tuple[dict[str, PlanChoice], int]:
    """``{key: choice}`` (the current plan, then the openable scenarios) and how
    many scenarios cannot be compared (comuni missing from the data). The chosen
    keys are kept to those that still exist, the first two by default."""
    openable, left_out = openable_scenarios()
    choices = {CURRENT: PlanChoice(CURRENT, "Piano attuale (anche se non salvato)", "Piano attuale", "", "",
                                   current_area(), current_plan())}
    choices |= {s.id: PlanChoice(s.id, scenario_label(s), s.name, s.author, s.notes, area_for(s.area_codes), s.plan)
                for s in openable}
    chosen = COMPARISON.get("plans")
    COMPARISON.set("plans", list(choices)[:2] if chosen is None else [k for k in chosen if k in choices])
    return choices, left_out


def labelled(choices: dict[str, PlanChoice], chosen: list[str]) -> tuple[tuple[str, str], ...]:
    """The chosen plans as ``(name, plan_key)`` pairs: the cache key of the images."""
    return tuple((choices[k].title, plan_key(choices[k].plan)) for k in chosen)


def zones_summary(item: geo.ComparedPlan) -> pd.DataFrame:
    """The registry's short statistics of a plan (zone, comuni, residents): one small table per plan."""
    return geo.statistics_display_table(geo.zone_statistics(item.area, item.plan),
                                        keys=geo.statistics_registry().short)


def full_statistics(item: geo.ComparedPlan) -> pd.DataFrame:
    return geo.statistics_display_table(geo.zone_statistics(item.area, item.plan))
