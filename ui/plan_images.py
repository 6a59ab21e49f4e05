"""Map images of plans (PNG), cached per plan: thumbnails and the difference map.

A plan's cache key is its JSON (:func:`plan_key`) and its territory (the same
comuni are drawn over each territory's data): plans are immutable values, and the
same plan shown on two pages or by two sessions is drawn once.
"""

from __future__ import annotations

import json

import streamlit as st

import geo
from ui.shipped import area_in
from ui.territory import current_id


def plan_key(plan: geo.Plan) -> str:
    return json.dumps(plan.to_dict(), sort_keys=True)


def _plan(plan_json: str) -> geo.Plan:
    return geo.Plan.from_dict(json.loads(plan_json))


def plan_thumbnail(plan_json: str, title: str, territory_id: str | None = None) -> bytes:
    """A small PNG map of a plan (:func:`plan_key`) of a territory (default the
    session's), without the sources line: the pages show the sources once, at the bottom."""
    return _thumbnail(plan_json, title, territory_id or current_id())


@st.cache_data(show_spinner=False, max_entries=64)
def _thumbnail(plan_json: str, title: str, territory_id: str) -> bytes:
    plan = _plan(plan_json)
    return geo.render_plan_png(area_in(territory_id, plan.codes), plan, title=title, width_in=5.0, dpi=110,
                               attribution=False)


def compared(label: str, plan_json: str, territory_id: str) -> geo.ComparedPlan:
    plan = _plan(plan_json)
    return geo.ComparedPlan(label, area_in(territory_id, plan.codes), plan)


def compare(labelled_plans: tuple[tuple[str, str], ...]) -> geo.Comparison:
    """The comparison of ``(label, plan_key)`` pairs of the session's territory, the first the reference."""
    territory_id = current_id()
    return geo.compare_plans([compared(label, plan_json, territory_id) for label, plan_json in labelled_plans])


def difference_png(labelled_plans: tuple[tuple[str, str], ...]) -> bytes:
    """The map of the comuni that change zone between the plans (see :func:`compare`)."""
    return _difference_png(labelled_plans, current_id())


@st.cache_data(show_spinner=False, max_entries=16)
def _difference_png(labelled_plans: tuple[tuple[str, str], ...], territory_id: str) -> bytes:
    comparison = compare(labelled_plans)
    return geo.difference_map_png(comparison, area_in(territory_id, comparison.union_codes))
