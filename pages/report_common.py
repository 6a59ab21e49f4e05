"""Streamlit glue shared by the Presentazione and Rapporto pages: the plans one can
show (the session's current plan, then every saved scenario that opens on the
shipped data) and the report content of one of them.

Neither page changes the session's plan: they only read it and the scenarios.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.zoning.area import Area
from geo.zoning.plan import Plan
from geo.report.content import ReportContent, build_report
from geo.base.italian import format_timestamp
from pages.collab_common import current_collaborations
from pages.common import area_for, current_area, current_plan, scenario_store, shipped_comuni
from pages.scenari_state import has_unsaved_changes, opened

CURRENT = "__piano_attuale__"


@dataclass(frozen=True)
class PlanChoice:
    """A plan the user can present or report on: ``key`` is :data:`CURRENT` or a scenario id."""

    key: str
    label: str
    title: str
    author: str
    notes: str
    area: Area
    plan: Plan


def plan_choices() -> list[PlanChoice]:
    """The current plan first, then the saved scenarios (most recent first);
    scenarios with comuni missing from the data are left out (they cannot be drawn)."""
    known = set(shipped_comuni().index)
    mark = opened()
    # The current plan carries the name of the scenario it was opened from, until it is changed.
    title = mark["name"] if mark and not has_unsaved_changes() else "Piano attuale"
    choices = [PlanChoice(CURRENT, "Piano attuale (anche se non salvato)", title, "", "",
                          current_area(), current_plan())]
    for s in scenario_store().list():
        if set(s.area_codes) <= known:
            author = f", {s.author}" if s.author else ""
            choices.append(PlanChoice(s.id, f"{s.name} ({format_timestamp(s.updated_at)}{author})", s.name,
                                      s.author, s.notes, area_for(s.area_codes), s.plan))
    return choices


def report_for(choice: PlanChoice, day: dt.date | None = None) -> ReportContent:
    """The report content of a plan, with the saved collaborations as of ``day`` (default today)."""
    return build_report(choice.area, choice.plan, current_collaborations(), title=choice.title,
                        author=choice.author, notes=choice.notes, day=day)
