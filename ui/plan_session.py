"""The session's area vasta and plan, with its undo history.

The plan lives in the session's :class:`ui.session.PlanSession` (a
:class:`geo.History` over the area's codes): pages read it with
:func:`current_plan` and change it only through :func:`commit_plan` (an undoable
step) or :func:`replace_plan` (opening a scenario: a fresh history).
"""

from __future__ import annotations

import streamlit as st

import geo
from ui import flash, routing, session, territory
from ui.session import PlanSession
from ui.shipped import area_for, default_area_codes, default_plan
from ui.stores import stores


def _codes_of(territory_id: str):
    found = territory.catalogue().get(territory_id)
    return None if found is None else found.comuni.index


def start() -> None:
    """Give a new session the working area list and the starting proposal of the
    default territory, or the plan a share link in the URL carries, in the link's
    territory (see :mod:`geo.io.share_link`): a damaged or outdated link, or one of
    a territory this server does not have, leaves the starting proposal and an
    Italian notice."""
    if session.has_plan_session():
        return
    result = geo.read_share_link(st.query_params.to_dict(), _codes_of)
    if result is not None and result.plan is not None:
        territory.enter(result.territory)
    state = session.plan_session(new_plan_session)
    if result is None:
        return
    if result.error:
        flash.notice("app", "warning", result.error, icon="⚠️")
        return
    state.area_codes, state.history = tuple(result.area_codes), geo.History(result.plan)
    flash.notice("app", "success", f"Hai aperto un piano condiviso con un link: {len(result.plan.zones)} zone su "
                 f"{len(result.area_codes)} comuni, territorio «{territory.current().name}». Per conservarlo "
                 "salvalo come scenario (pagina «Scenari»).", icon="🔗")


def new_plan_session() -> PlanSession:
    """The territory's area vasta (its shipped list with the edits made in the app)
    and its starting proposal, with an empty history."""
    codes = stores().area_edits.current_codes(default_area_codes(), territory.current_id())
    return PlanSession(codes, geo.History(default_plan(codes)))


def _state() -> PlanSession:
    if not session.has_plan_session():
        routing.ensure_routed()  # a page run without the router: route it, or set the session up here
        start()
    return session.plan_session(new_plan_session)


def current_area() -> geo.Area:
    return area_for(_state().area_codes)


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
