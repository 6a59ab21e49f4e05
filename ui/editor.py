"""The zone editor's state and actions. Callbacks run before the page script, so a
click is applied once and the page then draws the new state in the same rerun (no
extra ``st.rerun``); each action leaves its outcome for the place ``"editor"``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo
from ui import drafts, errors, flash, plan_session
from ui.markdown import md
from ui.area_editing import change_area
from ui.coordination import is_coordinator
from ui.plan_session import commit_plan, current_area, current_plan
from ui.session import EDITOR, Pending, editor_state
from ui.shipped import default_plan
from ui.workshop import workshop_base_plan
from map_component import AreaClick, AssignClick, DrawnShape, MapEvent, ShapeTooLarge

PLACE = "editor"
MAP_KEY = EDITOR.key("map")
TOOLS = {"zone": "Gestione zone", "elenco": "Assegna da elenco", "area": "Area vasta", "proponi": "Proponi zone"}
MODES = {"zone": "Assegna comuni alle zone", "area": "Modifica l'area vasta", "view": "Solo consultazione"}
HELP = (
    "**Assegna comuni**: scegli la *zona attiva* accanto alla mappa, poi fai clic (o tocca) i comuni: "
    "passano a quella zona. Per molti comuni insieme disegna un poligono o un rettangolo con gli strumenti "
    "a sinistra sulla mappa: i comuni con il punto interno dentro la forma vanno alla zona attiva dopo la "
    "tua conferma.\n\n"
    "**Modifica l'area vasta**: un clic su un comune grigio lo aggiunge all'area, su uno colorato lo toglie "
    "(serve il tuo nome, in «Area vasta» sotto la mappa).\n\n"
    "**Solo consultazione**: i clic non cambiano nulla; un tocco su un comune ne mostra nome, residenti e zona "
    "(col mouse basta passarci sopra).\n\n"
    "Ogni modifica si può annullare («Annulla ultima modifica») ed è salvata subito in questo browser: se "
    "ricarichi la pagina o la riapri, ritrovi il piano com'era. Sotto la mappa: le statistiche per zona e "
    "gli **strumenti** (nuove zone e modifiche, assegnazione da elenco con la tastiera, area vasta, zone "
    "proposte dall'app per l'omogeneità)."
)


def start() -> None:
    EDITOR.setdefault("mode", "zone")
    EDITOR.keep_valid("mode", modes(), "zone")  # e.g. after leaving the coordination
    keep_active_zone_valid()


def modes() -> dict[str, str]:
    """The map's modes this session may use: changing the area vasta is for the coordination."""
    return MODES if is_coordinator() else {k: v for k, v in MODES.items() if k != "area"}


def keep_active_zone_valid() -> None:
    """The active zone must exist: an undo or a deletion may have removed it. Call
    before the zone picker is drawn (a widget's value cannot change after)."""
    zone_ids = current_plan().zone_ids
    EDITOR.keep_valid("active_zone", zone_ids, zone_ids[0] if zone_ids else None)


def keep_mode_valid() -> None:
    """The mode must be one of :func:`modes`: Streamlit can drop a fragment widget's
    value when reruns overlap (seen in Chromium: mode None, the map raised), and a
    session that left the coordination may not keep the area mode; assigning is then
    the mode. Call before the mode control is drawn."""
    EDITOR.keep_valid("mode", modes(), "zone")


def rerun_app_if_needed() -> None:
    """Call first thing in the editor fragment: when a callback's change also
    concerns the rest of the page (e.g. the area vasta), rerun the whole page
    instead, before anything is drawn (its message is shown by that run)."""
    state = editor_state()
    if state.rerun_app:
        state.rerun_app = False
        st.rerun(scope="app")


def pending() -> Pending | None:
    """The comuni of a drawn shape waiting for confirmation."""
    return editor_state().pending


def map_options() -> dict:
    """The editor's state as :func:`ui.map_widget.show_map` options."""
    state = editor_state()
    chosen = state.pending
    # Read, not repaired: the mode control is drawn outside the editor's fragment (its
    # value can only be set before it is drawn); a value Streamlit dropped when reruns
    # overlapped means assigning, as keep_mode_valid would make it on the next full run.
    mode = EDITOR.get("mode")
    mode = mode if mode in modes() else "zone"
    return dict(mode=mode, active_zone=EDITOR.get("active_zone"), can_edit_area=is_coordinator(),
                keep_drawing=bool(chosen), highlight=chosen.codes if chosen else state.zoom_codes,
                zoom_to=state.zoom_codes, zoom_nonce=state.zoom_nonce)


def zone_label(plan: geo.Plan):
    """A zone as plain text (select boxes show text as it is)."""
    return lambda zone_id: plan.zone(zone_id).name + (" (bloccata)" if plan.zone(zone_id).locked else "")


def zone_pill_label(plan: geo.Plan):
    """A zone as a pill shows it: pills render their labels as markdown, so the name is escaped."""
    plain = zone_label(plan)
    return lambda zone_id: md(plain(zone_id))


def preview_table(area: geo.Area, plan: geo.Plan, chosen: Pending) -> pd.DataFrame:
    """What confirming ``chosen`` changes, per zone, as displayed text (empty: nothing)."""
    _, effect = geo.pending_change(area, plan, list(chosen.codes), chosen.zone_id)
    shown = effect.rename(columns={
        "zona": "Zona", "residenti_prima": "Residenti prima", "residenti_dopo": "Residenti dopo",
        "variazione": "Variazione", "comuni_prima": "Comuni prima", "comuni_dopo": "Comuni dopo"})
    for col in shown.columns[1:]:
        shown[col] = [geo.format_number(v) if col != "Variazione" else f"{v:+,}".replace(",", ".")
                      for v in shown[col]]
    return shown


# -- map events ------------------------------------------------------------------
@errors.callback(PLACE)
def on_map_event(event: MapEvent) -> None:
    """The map's ``on_change``: apply a click or a drawn shape (once per event)."""
    state = editor_state()
    if event.seq == state.last_event_seq:
        return
    state.last_event_seq = event.seq
    if isinstance(event, AssignClick):
        assign([event.code], event.zone_id)
    elif isinstance(event, AreaClick):
        change_area(event.code, add=event.add)
    elif isinstance(event, DrawnShape):
        select_by_shape(event)
    elif isinstance(event, ShapeTooLarge):
        flash.warning(PLACE, f"La forma disegnata ha troppi punti (più di {geo.format_number(event.limit)}): "
                      "disegnane una più semplice, per esempio un rettangolo.")


def assign(codes, zone_id: str | None) -> None:
    try:
        moved, skipped = current_plan().assign(codes, zone_id)
    except geo.PlanError as exc:
        flash.error(PLACE, str(exc))
        return
    commit_plan(moved)
    if skipped:
        flash.warning(PLACE, "Non spostati perché in una zona bloccata: "
                      + ", ".join(current_area().names(skipped)) + ".")


def assign_from_list(codes, zone_id: str | None) -> None:
    if not codes:
        flash.warning(PLACE, "Scegli almeno un comune.")
    else:
        assign(codes, zone_id)


def select_by_shape(event) -> None:
    zone_id = EDITOR.get("active_zone")
    if EDITOR.get("mode") != "zone" or zone_id is None:
        flash.warning(PLACE, "Per assegnare disegnando, scegli la modalità «Assegna comuni» e una zona attiva.")
        return
    codes = geo.comuni_in_shape(current_area(), event.geometry)
    if not codes:
        flash.warning(PLACE, "Nessun comune dell'area ha il punto interno dentro la forma disegnata.")
        return
    editor_state().pending = Pending(tuple(codes), zone_id)


@errors.callback(PLACE)
def confirm_pending() -> None:
    state = editor_state()
    chosen, state.pending = state.pending, None
    if chosen:
        assign(list(chosen.codes), chosen.zone_id)


@errors.callback(PLACE)
def cancel_pending() -> None:
    editor_state().pending = None
    flash.success(PLACE, "Selezione scartata: nessuna modifica.")


# -- zones -----------------------------------------------------------------------
def apply_plan_change(change, success: str | None = None) -> bool:
    """Run ``change(plan) -> plan`` as an undoable step; show PlanError messages."""
    try:
        commit_plan(change(current_plan()))
    except geo.PlanError as exc:
        flash.error(PLACE, str(exc))
        return False
    if success:
        flash.success(PLACE, success)
    return True


def add_zone(name: str, color: str) -> None:
    apply_plan_change(lambda p: p.add_zone(name, color), f"Zona «{name.strip()}» aggiunta.")


def update_zone(zone_id: str, name: str, color: str, locked: bool) -> None:
    def change(p: geo.Plan) -> geo.Plan:
        p = p.set_locked(zone_id, False).rename_zone(zone_id, name).recolor_zone(zone_id, color)
        return p.set_locked(zone_id, locked)
    apply_plan_change(change, "Zona aggiornata.")


def merge_zones(target: str, zone_id: str) -> None:
    apply_plan_change(lambda p: p.merge_zones(target, zone_id), "Zone unite.")


def delete_zone(zone_id: str) -> None:
    apply_plan_change(lambda p: p.delete_zone(zone_id), "Zona eliminata: i suoi comuni sono ora non assegnati.")


@errors.callback(PLACE)
def undo() -> None:
    plan_session.undo()


@errors.callback(PLACE)
def redo() -> None:
    plan_session.redo()


@errors.callback(PLACE)
def reset_to_default() -> None:
    """Back to the starting proposal: a workshop participant's is the workshop's."""
    base = workshop_base_plan()
    commit_plan(base if base is not None else default_plan(current_plan().codes))
    flash.success(PLACE, "Ripristinata la proposta iniziale (puoi annullare).")


@errors.callback("draft_tab")
def use_other_tab_version() -> None:
    plan_session.use_other_tab_version()


def show_draft_notices() -> None:
    """The autosave's notices (:mod:`ui.drafts`), next to the map: a restored draft
    (with «Ricomincia dalla proposta iniziale», undoable) and another tab's write."""
    drafts.check_other_tabs()
    flash.show(drafts.PLACE, action=(drafts.RESTART_LABEL, reset_to_default))
    flash.show(drafts.OTHER_TAB, action=(drafts.LOAD_OTHER_LABEL, use_other_tab_version))


@errors.callback(PLACE)
def zoom_to(codes) -> None:
    state = editor_state()
    state.zoom_codes, state.zoom_nonce = tuple(codes), state.zoom_nonce + 1
