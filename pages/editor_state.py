"""Streamlit glue of the zone editor: its session keys and the callbacks that change
the plan. Callbacks run before the page script, so a click is applied once and the
page then draws the new state in the same rerun (no extra ``st.rerun``)."""

from __future__ import annotations

import streamlit as st

from geo.data.shipped import JoinableComuni, joinable_comuni
from geo.store.area_edits import AreaEditError
from geo.render.map_events import AreaClick, AssignClick, DrawnShape, parse_map_event
from geo.zoning.plan import PlanError
from geo.zoning.selection import comuni_in_shape
from pages.common import (
    USER_KEY, area_log, commit_plan, current_area, current_plan, default_area_codes, default_plan,
    history, session_restriction, set_area_codes, set_history, shipped_comuni,
)
from pages.workshop_common import workshop_base_plan

MAP_KEY = "ze_map"
MODE_KEY = "ze_mode"
ACTIVE_KEY = "ze_active"
PENDING_KEY = "ze_pending"
MESSAGE_KEY = "ze_message"
ZOOM_KEY = "ze_zoom"
LAST_SEQ_KEY = "ze_last_seq"
APP_RERUN_KEY = "ze_app_rerun"

TOOL_KEY = "ze_tool"
TOOLS = {"zone": "Gestione zone", "elenco": "Assegna da elenco", "area": "Area vasta"}

MODES = {"zone": "Assegna comuni alle zone", "area": "Modifica l'area vasta", "view": "Solo consultazione"}


def init_editor_state() -> None:
    st.session_state.setdefault(MODE_KEY, "zone")
    st.session_state.setdefault(PENDING_KEY, None)
    st.session_state.setdefault(MESSAGE_KEY, None)
    st.session_state.setdefault(ZOOM_KEY, ((), 0))
    keep_active_zone_valid()


def keep_active_zone_valid() -> None:
    """The active zone must exist: an undo or a deletion may have removed it. Call
    before the zone picker is drawn (a widget's value cannot change after)."""
    zone_ids = current_plan().zone_ids
    if st.session_state.get(ACTIVE_KEY) not in zone_ids:
        st.session_state[ACTIVE_KEY] = zone_ids[0] if zone_ids else None


def say(kind: str, text: str) -> None:
    """Leave a message for the page to show once (``kind``: success, warning, error)."""
    st.session_state[MESSAGE_KEY] = (kind, text)


def rerun_app_if_needed() -> None:
    """Call first thing in the editor fragment: when a callback's change also
    concerns the rest of the page (e.g. the area vasta), rerun the whole page
    instead, before anything is drawn (its message is shown by that run)."""
    if st.session_state.pop(APP_RERUN_KEY, False):
        st.rerun(scope="app")


def take_message():
    message = st.session_state.get(MESSAGE_KEY)
    st.session_state[MESSAGE_KEY] = None
    return message


# -- map events ------------------------------------------------------------------
def on_map_event() -> None:
    event = parse_map_event(st.session_state.get(MAP_KEY))
    if event is None or event.seq == st.session_state.get(LAST_SEQ_KEY):
        return
    st.session_state[LAST_SEQ_KEY] = event.seq
    if isinstance(event, AssignClick):
        assign([event.code], event.zone_id)
    elif isinstance(event, AreaClick):
        change_area(event.code, add=event.add)
    elif isinstance(event, DrawnShape):
        select_by_shape(event)


def assign(codes, zone_id: str | None) -> None:
    plan = current_plan()
    try:
        movable = plan.movable(codes)
        commit_plan(plan.assign(codes, zone_id))
    except PlanError as exc:
        say("error", str(exc))
        return
    skipped = sorted(set(codes) - set(movable))
    if skipped:
        area = current_area()
        say("warning", "Non spostati perché in una zona bloccata: " + ", ".join(area.names(skipped)) + ".")


def select_by_shape(event: DrawnShape) -> None:
    zone_id = st.session_state.get(ACTIVE_KEY)
    if st.session_state.get(MODE_KEY) != "zone" or zone_id is None:
        say("warning", "Per assegnare disegnando, scegli la modalità «Assegna comuni» e una zona attiva.")
        return
    codes = comuni_in_shape(current_area(), event.geometry)
    if not codes:
        say("warning", "Nessun comune dell'area ha il punto interno dentro la forma disegnata.")
        return
    st.session_state[PENDING_KEY] = {"codes": codes, "zone_id": zone_id}


def confirm_pending() -> None:
    pending = st.session_state.get(PENDING_KEY)
    st.session_state[PENDING_KEY] = None
    if pending:
        assign(pending["codes"], pending["zone_id"])


def cancel_pending() -> None:
    st.session_state[PENDING_KEY] = None
    say("success", "Selezione annullata: nessuna modifica.")


# -- area vasta ------------------------------------------------------------------
def province_candidates() -> JoinableComuni:
    """The comuni that may join the area (the shipped comuni of the working list's provinces)."""
    return joinable_comuni(shipped_comuni(), default_area_codes())


def change_area(code: str, *, add: bool, note: str = "") -> None:
    if session_restriction():  # e.g. a workshop participant: the area vasta is shared data
        say("error", session_restriction())
        return
    try:
        codes = area_log().record(code, "aggiunto" if add else "rimosso",
                                  st.session_state.get(USER_KEY, ""), default_area_codes(),
                                  province_candidates(), note)
    except (AreaEditError, ValueError) as exc:
        say("error", str(exc))
        return
    set_area_codes(codes)
    # The area tab (outside the editor fragment) lists the comuni: redraw it too.
    st.session_state[APP_RERUN_KEY] = True
    name = shipped_comuni().at[code, "comune"]
    say("success", f"{name} {'aggiunto all' if add else 'tolto dall'}'area vasta.")


# -- zones -----------------------------------------------------------------------
def apply_plan_change(change, success: str | None = None) -> bool:
    """Run ``change(plan) -> plan`` as an undoable step; show PlanError messages."""
    try:
        commit_plan(change(current_plan()))
    except PlanError as exc:
        say("error", str(exc))
        return False
    if success:
        say("success", success)
    return True


def undo() -> None:
    set_history(history().undo())


def redo() -> None:
    set_history(history().redo())


def reset_to_default() -> None:
    """Back to the starting proposal: a workshop participant's is the workshop's."""
    base = workshop_base_plan()
    commit_plan(base if base is not None else default_plan(current_plan().codes))
    say("success", "Ripristinata la proposta iniziale (puoi annullare).")


def zoom_to(codes) -> None:
    _, nonce = st.session_state[ZOOM_KEY]
    st.session_state[ZOOM_KEY] = (tuple(codes), nonce + 1)
