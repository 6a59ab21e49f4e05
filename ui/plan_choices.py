"""The plans a page can show side by side or one at a time (Confronto, Presentazione,
Rapporto): the session's current plan first, then every saved scenario of the
session's territory that opens on its data (most recent first). These pages only
read the session's plan and the scenarios: they never change them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geo
from ui.collaborations import current_collaborations
from ui.indicators import chosen_indicators, indicator_area, session_registry
from ui.plan_session import current_area, current_plan
from ui.scenarios import current_title, scenario_label
from ui.shipped import shipped_comuni
from ui.stores import stores
from ui.territory import current, current_id

CURRENT = "__piano_attuale__"


@dataclass(frozen=True)
class PlanChoice:
    """A plan the user can present, compare or report on: ``key`` is :data:`CURRENT` or a scenario id."""

    key: str
    label: str
    title: str
    author: str
    notes: str
    area: geo.Area
    plan: geo.Plan


def openable_scenarios() -> tuple[list[geo.Scenario], int]:
    """The saved scenarios of the session's territory whose comuni are all in its
    data, and how many of its scenarios are left out (scenarios of other
    territories are not counted: :func:`elsewhere_count`)."""
    known = set(shipped_comuni().index)
    here = current_id()
    scenarios = [s for s in stores().scenarios.list() if s.territory == here]
    openable = [s for s in scenarios if set(s.area_codes) <= known]
    return openable, len(scenarios) - len(openable)


def elsewhere_count() -> int:
    """How many saved scenarios belong to other territories (they are shown only there)."""
    here = current_id()
    return sum(s.territory != here for s in stores().scenarios.list())


def plan_choices() -> list[PlanChoice]:
    """The current plan first (titled with the scenario it was opened from, until
    it is changed), then the saved scenarios; scenarios with comuni missing from
    the data are left out (they cannot be drawn)."""
    choices = [PlanChoice(CURRENT, "Piano attuale (anche se non salvato)", current_title() or "Piano attuale", "",
                          "", current_area(), current_plan())]
    for s in openable_scenarios()[0]:
        choices.append(PlanChoice(s.id, scenario_label(s), s.name, s.author, s.notes, indicator_area(s.area_codes),
                                  s.plan))
    return choices


def report_for(choice: PlanChoice, day: dt.date | None = None) -> geo.ReportContent:
    """The report content of a plan, with the saved collaborations as of ``day`` (default today),
    the session's statistics and the homogeneity on its chosen indicators."""
    return geo.build_report(choice.area, choice.plan, current_collaborations(), title=choice.title,
                            author=choice.author, notes=choice.notes, day=day, registry=session_registry(),
                            indicators=chosen_indicators(), territory=current().territory)
