"""The session's area vasta and plan, with its undo history.

The plan lives in the session's :class:`ui.session.PlanSession` (a
:class:`geo.History` over the area's codes): pages read it with
:func:`current_plan` and change it only through :func:`commit_plan` (an undoable
step) or :func:`replace_plan` (opening a scenario: a fresh history).
"""

from __future__ import annotations

import streamlit as st

import geo
from ui import flash, routing, session
from ui.session import PlanSession
from ui.indicators import indicator_area
from ui.shipped import default_area_codes, default_plan, shipped_comuni
from ui.stores import stores


def start() -> None:
    """Give a new session the working area list and the starting proposal, or the
    plan a share link in the URL carries (see :mod:`geo.io.share_link`): a damaged
    or outdated link leaves the starting proposal and an Italian notice."""
    if session.has_plan_session():
        return
    state = session.plan_session(_new_plan_session)
    result = geo.read_share_link(st.query_params.to_dict(), shipped_comuni().index)
    if result is None:
        return
    if result.error:
        flash.notice("app", "warning", result.error, icon="⚠️")
        return
    state.area_codes, state.history = tuple(result.area_codes), geo.History(result.plan)
    flash.notice("app", "success", f"Hai aperto un piano condiviso con un link: {len(result.plan.zones)} zone su "
                 f"{len(result.area_codes)} comuni. Per conservarlo salvalo come scenario (pagina «Scenari»).",
                 icon="🔗")


def _new_plan_session() -> PlanSession:
    codes = stores().area_edits.current_codes(default_area_codes())
    return PlanSession(codes, geo.History(default_plan(codes)))


def _state() -> PlanSession:
    if not session.has_plan_session():
        routing.ensure_routed()  # a page run without the router: route it, or set the session up here
        start()
    return session.plan_session(_new_plan_session)


def current_area() -> geo.Area:
    """The session's area vasta, with the imported indicators' columns."""
    return indicator_area(_state().area_codes)


def area_codes() -> tuple[str, ...]:
    return _state().area_codes


def history() -> geo.History:
    return _state().history


def current_plan() -> geo.Plan:
    return history().present


def commit_plan(plan: geo.Plan) -> None:
    """Make ``plan`` the session's plan as one undoable step."""
    state = _state()
    state.history = state.history.push(plan)


def replace_plan(plan: geo.Plan) -> None:
    """Start over from ``plan`` (e.g. a reopened scenario): undo history is cleared."""
    state = _state()
    state.history = geo.History(plan.with_area(state.area_codes))


def undo() -> None:
    state = _state()
    state.history = state.history.undo()


def redo() -> None:
    state = _state()
    state.history = state.history.redo()


def set_area_codes(codes) -> None:
    """Change the session's area vasta; every plan of the history follows."""
    state = _state()
    state.area_codes = codes = tuple(sorted(codes))
    state.history = state.history.map(lambda p: p.with_area(codes))


def start_from(plan: geo.Plan) -> None:
    """Make ``plan``, over its own comuni, the session's plan with a fresh history
    (a shared link, a workshop's starting plan, an adopted proposal)."""
    if set(plan.codes) != set(area_codes()):
        set_area_codes(plan.codes)
    replace_plan(plan)
