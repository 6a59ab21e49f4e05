"""The workshops from a participant's side: joining, sending the proposal, leaving,
and the panel the zone editor shows to participants.

A session is a *participant* (joined with the code: it draws in the zone editor
and sends its proposal; it may not change shared data, see
:func:`ui.routing.restrict_session`), a *facilitator* (opened or resumed a
workshop on the page «Laboratorio», see :mod:`ui.workshop_facilitation`) or
neither. The app has no accounts: opening a workshop is for the coordination
(:mod:`ui.coordination`); conducting it needs its facilitator key, shown once when
it opens. A browser takes part under one name; the facilitator may remove a
participant.
"""

from __future__ import annotations

import streamlit as st

import geo
from ui import drafts, errors, flash, plan_session
from ui.markdown import md, strong
from ui.layout import PARTICIPANT_PANEL_KEY
from ui.plan_session import current_plan, start_from
from ui.identity import browser_id
from ui.routing import lift_session_restriction, restrict_session
from ui.session import WORKSHOP, Participation, workshop_state
from ui.stores import stores
from ui.territory import current_id, enter, refuse_other, switch

PLACE = "workshop"
LAB_PAGE = "pages/workshop.py"
EDITOR_PAGE = "pages/zone_editor.py"
# What a participant may open: the map, the editor, the comparison, this page.
PARTICIPANT_PAGES = ("", "zone_editor", "confronto", "workshop")


def participation() -> Participation | None:
    return workshop_state().participation


def workshop_of(me: Participation) -> geo.Workshop:
    return stores().workshops.get(me.workshop_id)


def last_sent(me: Participation) -> geo.Submission | None:
    return stores().workshops.last_submission(me.workshop_id, me.participant_id)


def workshop_base_plan() -> geo.Plan | None:
    """For a participant, the plan the workshop started from (else ``None``)."""
    me = participation()
    return workshop_of(me).base_plan if me else None


# -- participant's actions -------------------------------------------------------------
def elsewhere() -> geo.Workshop | None:
    """The workshop of the typed code when it is of another territory than the
    session's (the page then offers to change territory), else ``None``."""
    if not WORKSHOP.get("join_code", "").strip():
        return None
    try:
        workshop = stores().workshops.by_code(WORKSHOP.get("join_code", ""))
    except geo.WorkshopError:
        return None
    return workshop if workshop.territory != current_id() else None


def _become_participant(workshop: geo.Workshop, participant_id: str, name: str, pin: str) -> None:
    state = workshop_state()
    state.participation = Participation(workshop.id, participant_id, name, workshop.title, pin)
    state.conducted_id = None
    restrict_session(
        f"Durante il laboratorio «{workshop.title}» puoi disegnare solo la tua proposta: l'area vasta, le "
        "collaborazioni e gli scenari salvati non si modificano da qui. Per usare le altre pagine esci dal "
        "laboratorio (pagina «Laboratorio»).", PARTICIPANT_PAGES, LAB_PAGE, "Torna al laboratorio")
    # The personal code is shown, never stored again: the browser's token is what
    # lets this browser back in after a reload.
    drafts.save_role({"participant": {"workshop": workshop.id, "id": participant_id, "name": name}})


@errors.callback(PLACE)
def join() -> None:
    store = stores().workshops
    typed, browser = WORKSHOP.get("join_code", ""), geo.browser_key(browser_id())
    found = store.workshop_to_join(typed, browser)  # a wrong code is refused (and counted) first
    if refuse_other(found.territory, f"Il laboratorio «{found.title}»", PLACE):
        return
    joined = store.join(typed, WORKSHOP.get("join_name", ""), WORKSHOP.get("join_pin", ""), browser=browser)
    workshop, person = joined.workshop, joined.participant
    last = None if joined.pin else store.last_submission(workshop.id, person.id)
    _become_participant(workshop, person.id, person.name, joined.pin or WORKSHOP.get("join_pin", "").strip().upper())
    unsent = plan_session.unsent_draft()  # this browser's drawing for this workshop, not sent yet
    if unsent is not None and (last is None or unsent.updated_at > last.sent_at):
        plan_session.start_from_draft(unsent)
    else:
        unsent = None
        start_from(last.plan if last else workshop.base_plan)
    for name in ("join_code", "join_pin"):
        WORKSHOP.set(name, "")
    start = ("riprendi il disegno che non avevi ancora inviato." if unsent else
             "riparti dalla tua ultima proposta inviata." if last else "riparti dal piano di partenza.")
    if joined.pin:
        flash.success(PLACE, f"Sei nel laboratorio «{workshop.title}» come ", strong(person.name),
                      ". Il tuo codice personale è ", strong(joined.pin),
                      ": annotalo, serve per rientrare da un altro dispositivo." + (" Qui " + start if unsent else ""))
    else:
        flash.success(PLACE, f"Bentornato nel laboratorio «{workshop.title}», {person.name}: {start}")


def resume_role() -> None:
    """On a session's first run (the router calls it before the plan is set up):
    the workshop role this browser had before a reload, a new tab or a restart
    of the server. A participant continues from the drawing they had not sent
    (:mod:`ui.drafts`), else from their last proposal, else from the workshop's
    plan, in the workshop's territory; a facilitator finds the workshop's code in
    the resume form and types the key again (the key is kept only hashed: a
    browser never gets it back from the server)."""
    state = workshop_state()
    if state.role_checked:
        return
    state.role_checked = True
    role = drafts.load_role() or {}
    store = stores().workshops
    try:
        if "participant" in role:
            me = role["participant"]
            workshop = store.get(str(me["workshop"]))
            if str(me["id"]) not in {p.id for p in store.participants(workshop.id) if not p.removed}:
                raise geo.WorkshopError("partecipante non trovato")
            enter(workshop.territory)
            _become_participant(workshop, str(me["id"]), str(me["name"]), "")
            if not drafts.has_plan_draft():
                last = store.last_submission(workshop.id, str(me["id"]))
                start_from(last.plan if last else workshop.base_plan)
            flash.info(PLACE, f"Sei ancora nel laboratorio «{workshop.title}» come ", strong(str(me["name"])), ".")
        elif "conducts" in role:
            workshop = store.get(str(role["conducts"]))
            enter(workshop.territory)
            WORKSHOP.set("resume_code", workshop.display_code)
            flash.info(PLACE, f"Stavi conducendo il laboratorio «{workshop.title}»: per riprenderlo scrivi la chiave "
                              "del facilitatore in «Riprendi un laboratorio».")
    except (geo.UserError, KeyError, TypeError):
        drafts.save_role(None)  # the workshop or the participant is gone: nothing to resume


@errors.callback(PLACE)
def switch_and_join() -> None:
    """The offer after a refused join: work in the workshop's territory (the plan of
    this one stays in the session), then join."""
    workshop = elsewhere()
    if workshop is not None and switch(workshop.territory):
        join()


@errors.callback(PLACE)
def submit() -> None:
    me = participation()
    if not me:
        return
    sent = stores().workshops.submit(me.workshop_id, me.participant_id, current_plan())
    flash.success(PLACE, f"Proposta inviata alle {geo.local_time(sent.sent_at)} (invio n. {sent.sendings}). "
                  "Puoi continuare a modificarla e reinviarla: conta l'ultima.")


@errors.callback(PLACE)
def leave() -> None:
    workshop_state().participation = None
    lift_session_restriction()
    drafts.save_role(None)
    plan_session.keep_as_draft()  # the plan drawn in the workshop is now the browser's plan
    flash.info(PLACE, "Sei uscito dal laboratorio. Il piano attuale resta quello che stavi disegnando.")


# A fragment: sending reruns this panel only, not the whole editor (a click on the
# map reruns the editor's own fragment, which does not include this panel).
@errors.fragment
def workshop_participant_panel() -> None:
    """For a participant (nothing otherwise): which workshop, as whom, and the
    button that sends the current plan as their proposal."""
    me = participation()
    if not me:
        return
    workshop = workshop_of(me)
    last = last_sent(me)
    # Beside the map (the editor's side column): compact, the button in view.
    with st.container(border=True, key=PARTICIPANT_PANEL_KEY, gap="small"):  # fixed at the bottom on a phone
        # Keyed: on a phone this line is left out, so that the panel fits below the map.
        st.container(key=PARTICIPANT_PANEL_KEY + "_title").markdown(
            f"**Laboratorio «{md(workshop.title)}»**: partecipi come **{md(me.name)}**.")
        if not workshop.is_open:
            st.warning("Il laboratorio è chiuso: non si possono più inviare proposte.")
        elif last:
            st.caption(f"Ultimo invio alle {geo.local_time(last.sent_at)} ({last.sendings} in tutto): se "
                       "modifichi le zone, reinvia; conta l'ultima proposta.")
        else:
            st.caption("Disegna le zone come le vorresti, poi invia la proposta al facilitatore.")
        st.button("Invia la mia proposta", type="primary", on_click=submit, width="stretch",
                  disabled=not workshop.is_open, key=WORKSHOP.key("send"))
        flash.show(PLACE)
