"""The session's area vasta and plan, with its undo history.

The plan lives in the session's :class:`ui.session.PlanSession` (a
:class:`geo.History` over the area's codes): pages read it with
:func:`current_plan` and change it only through :func:`commit_plan` (an undoable
step) or :func:`replace_plan` (opening a scenario: a fresh history). Every change
is saved at once as this browser's draft (:mod:`ui.drafts`), and a new session
of the same browser starts from it.
"""

from __future__ import annotations

import streamlit as st

import geo
from ui import drafts, flash, routing, session, territory
from ui.session import PlanSession
from ui.indicators import indicator_area
from ui.shipped import default_area_codes, default_plan
from ui.stores import stores


def _codes_of(territory_id: str):
    found = territory.catalogue().get(territory_id)
    return None if found is None else found.comuni.index


def start() -> None:
    """Give a new session the plan a share link in the URL carries, in the link's
    territory (see :mod:`geo.io.share_link`), else the draft this browser was
    drawing in the territory (:func:`ui.drafts.restore_plan`), else the territory's
    working area list and starting proposal: a damaged or outdated link, or one of
    a territory this server does not have, leaves the starting proposal and an
    Italian notice. On later runs, follow the browser's token if it arrives late."""
    if session.has_plan_session():
        state = session.plan_session(new_plan_session)
        replacement = drafts.follow_identity(state, _initial_plan(state.area_codes))
        if replacement is not None:
            state.area_codes, state.history = replacement.area_codes, replacement.history
        return
    result = geo.read_share_link(st.query_params.to_dict(), _codes_of)
    if result is not None and result.plan is not None:
        territory.enter(result.territory)
    if result is None:
        state = session.plan_session(new_plan_session)
        restored = drafts.restore_plan(_initial_plan(state.area_codes))
        if restored is not None:
            state.area_codes, state.history = restored.area_codes, restored.history
        return
    state = session.plan_session(new_plan_session)
    # The link has done its work: without it in the address, a reload brings back
    # the draft of what the user did since, not the shared plan again.
    for name in geo.SHARE_LINK_PARAMS:
        st.query_params.pop(name, None)
    if result.error:
        flash.notice("app", "warning", result.error, icon="⚠️")
        return
    state.area_codes, state.history = tuple(result.area_codes), geo.History(result.plan)
    drafts.save_plan(state)
    flash.notice("app", "success", f"Hai aperto un piano condiviso con un link: {len(result.plan.zones)} zone su "
                 f"{len(result.area_codes)} comuni, territorio «{territory.current().name}». Per conservarlo "
                 "salvalo come scenario (pagina «Scenari»).", icon="🔗")


def new_plan_session() -> PlanSession:
    """The territory's area vasta (its shipped list with the edits made in the app)
    and its starting proposal (a workshop participant's: the workshop's), with an
    empty history."""
    codes = stores().area_edits.current_codes(default_area_codes(), territory.current_id())
    return PlanSession(codes, geo.History(_initial_plan(codes)))


def _initial_plan(codes) -> geo.Plan:
    """Where a session starts: a workshop participant from the workshop's plan."""
    me = session.workshop_state().participation
    if me is not None:
        try:
            return stores().workshops.get(me.workshop_id).base_plan
        except geo.UserError:
            pass
    return default_plan(codes)


def _changed(state: PlanSession, before: geo.History) -> None:
    if state.history is not before:
        drafts.save_plan(state)


def _state() -> PlanSession:
    if not session.has_plan_session():
        routing.ensure_routed()  # a page run without the router: route it, or set the session up here
        start()
    return session.plan_session(new_plan_session)


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
    before, state.history = state.history, state.history.push(plan)
    _changed(state, before)


def replace_plan(plan: geo.Plan) -> None:
    """Start over from ``plan`` (e.g. a reopened scenario): undo history is cleared."""
    state = _state()
    before, state.history = state.history, geo.History(plan.with_area(state.area_codes))
    _changed(state, before)


def undo() -> None:
    state = _state()
    before, state.history = state.history, state.history.undo()
    _changed(state, before)


def redo() -> None:
    state = _state()
    before, state.history = state.history, state.history.redo()
    _changed(state, before)


def set_area_codes(codes) -> None:
    """Change the session's area vasta; every plan of the history follows."""
    state = _state()
    state.area_codes = codes = tuple(sorted(codes))
    before, state.history = state.history, state.history.map(lambda p: p.with_area(codes))
    _changed(state, before)


def unsent_draft() -> drafts.PlanDraft | None:
    """This browser's draft for the session's scope (a participant's: their
    workshop), without making it the plan."""
    return drafts.plan_draft()


def start_from_draft(draft: drafts.PlanDraft) -> None:
    """Make a draft read with :func:`unsent_draft` the session's plan, history included."""
    state = _state()
    state.area_codes, state.history = draft.plan.area_codes, draft.plan.history


def keep_as_draft() -> None:
    """Save the plan now as the draft of the session's scope (which just changed)."""
    drafts.save_plan(_state())


def use_other_tab_version() -> None:
    """The draft another tab of this browser wrote becomes this session's plan
    (with that tab's undo history): the button of the ``draft_tab`` notice."""
    other = drafts.other_tab_version()
    if other is None:
        flash.warning("draft_tab", "La versione dell'altra scheda non è più disponibile.")
        return
    state = _state()
    state.area_codes, state.history = other.area_codes, other.history


def start_from(plan: geo.Plan) -> None:
    """Make ``plan``, over its own comuni, the session's plan with a fresh history
    (a shared link, a workshop's starting plan, an adopted proposal)."""
    if set(plan.codes) != set(area_codes()):
        set_area_codes(plan.codes)
    replace_plan(plan)
