"""Map images of plans (PNG), cached per plan: thumbnails and the difference map.

A plan's cache key is its JSON (:func:`plan_key`): plans are immutable values, and
the same plan shown on two pages or by two sessions is drawn once.
"""

from __future__ import annotations

import json

import streamlit as st

import geo
from ui.shipped import area_for


def plan_key(plan: geo.Plan) -> str:
    return json.dumps(plan.to_dict(), sort_keys=True)


def _plan(plan_json: str) -> geo.Plan:
    return geo.Plan.from_dict(json.loads(plan_json))


@st.cache_data(show_spinner=False, max_entries=64)
def plan_thumbnail(plan_json: str, title: str) -> bytes:
    """A small PNG map of a plan (:func:`plan_key`), without the sources line: the
    pages show the sources once, at the bottom."""
    plan = _plan(plan_json)
    return geo.render_plan_png(area_for(plan.codes), plan, title=title, width_in=5.0, dpi=110, attribution=False)


def compared(label: str, plan_json: str) -> geo.ComparedPlan:
    plan = _plan(plan_json)
    return geo.ComparedPlan(label, area_for(plan.codes), plan)


def compare(labelled_plans: tuple[tuple[str, str], ...]) -> geo.Comparison:
    """The comparison of ``(label, plan_key)`` pairs, the first the reference."""
    return geo.compare_plans([compared(label, plan_json) for label, plan_json in labelled_plans])


@st.cache_data(show_spinner=False, max_entries=16)
def difference_png(labelled_plans: tuple[tuple[str, str], ...]) -> bytes:
    """The map of the comuni that change zone between the plans (see :func:`compare`)."""
    comparison = compare(labelled_plans)
    return geo.difference_map_png(comparison, area_for(comparison.union_codes))
