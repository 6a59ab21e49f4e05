"""Streamlit glue of the workshops: the store, the session's role, the actions (as
widget callbacks: they run before the page script, so the page always shows the
state after the action) and the panel the zone editor shows to participants.

A session is a *participant* (joined with the code: it draws in the zone editor
and sends its proposal; it may not change shared data, see
:func:`pages.common.restrict_session`), a *facilitator* (opened or resumed a
workshop on the page «Laboratorio») or neither. The app has no accounts: the
facilitator's controls are open to any session that is not a participant.
"""

from __future__ import annotations

import streamlit as st

from geo.zoning.consensus import Consensus, build_consensus
from geo.zoning.plan import Plan
from geo.base.italian import format_timestamp
from geo.store.scenarios import ScenarioError
from geo.store.database import database_url
from geo.store.workshop_records import Submission, Workshop, WorkshopError
from geo.store.workshops import WorkshopStore
from geo.base.italian import local_time
from pages.common import (
    AREA_CODES_KEY, app_store, area_for, current_plan, lift_session_restriction, md, replace_plan, restrict_session,
    scenario_store, set_area_codes,
)

LAB_PAGE = "pages/workshop.py"
EDITOR_PAGE = "pages/zone_editor.py"
# What a participant may open: the map, the editor, the comparison, this page.
PARTICIPANT_PAGES = ("", "zone_editor", "confronto", "workshop")
REFRESH_SECONDS = 2

PARTICIPANT_KEY = "lab_partecipante"  # {"workshop_id", "participant_id", "name", "title", "pin"}
FACILITATOR_KEY = "lab_conduzione"  # id of the workshop this session conducts
MESSAGE_KEY = "lab_messaggio"
SEEN_KEY = "lab_visto"  # the fingerprint the facilitator's page was drawn with
JOIN_CODE_KEY, JOIN_NAME_KEY, JOIN_PIN_KEY = "lab_codice", "lab_nome", "lab_pin"
OPEN_TITLE_KEY, OPEN_NAME_KEY = "lab_titolo", "lab_facilitatore"
RESUME_KEY = "lab_riprendi"
THRESHOLD_KEY, SHOWN_KEY = "lab_soglia", "lab_mostra"
ADOPT_SOURCE_KEY, ADOPT_NAME_KEY = "lab_adotta", "lab_nome_scenario"
CONFIRM_CLOSE_KEY = "lab_conferma_chiusura"
CONSENSUS = "__consenso__"


def workshop_store() -> WorkshopStore:
    """Workshops in the app database (one handle per database URL and server)."""
    return _workshop_store_for(database_url())


@st.cache_resource(show_spinner=False)
def _workshop_store_for(url: str) -> WorkshopStore:
    return WorkshopStore(app_store())


def say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def show_message() -> None:
    """The message left by the last action, once."""
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        {"success": st.success, "warning": st.warning, "error": st.error, "info": st.info}[message[0]](message[1])


def participant() -> dict | None:
    return st.session_state.get(PARTICIPANT_KEY)


def conducted_id() -> str | None:
    return st.session_state.get(FACILITATOR_KEY)


# -- participant's actions -------------------------------------------------------------
def _start_from(plan: Plan) -> None:
    if set(plan.codes) != set(st.session_state[AREA_CODES_KEY]):
        set_area_codes(plan.codes)
    replace_plan(plan)


def join() -> None:
    store = workshop_store()
    try:
        joined = store.join(st.session_state.get(JOIN_CODE_KEY, ""), st.session_state.get(JOIN_NAME_KEY, ""),
                            st.session_state.get(JOIN_PIN_KEY, ""))
    except WorkshopError as exc:
        say("error", md(exc))
        return
    workshop, person = joined.workshop, joined.participant
    last = None if joined.pin else store.last_submission(workshop.id, person.id)
    _start_from(last.plan if last else workshop.base_plan)
    st.session_state[PARTICIPANT_KEY] = {
        "workshop_id": workshop.id, "participant_id": person.id, "name": person.name, "title": workshop.title,
        "pin": joined.pin or st.session_state.get(JOIN_PIN_KEY, "").strip().upper()}
    st.session_state.pop(FACILITATOR_KEY, None)
    restrict_session(
        f"Durante il laboratorio «{md(workshop.title)}» puoi disegnare solo la tua proposta: l'area vasta, le "
        "collaborazioni e gli scenari salvati non si modificano da qui. Per usare le altre pagine esci dal "
        "laboratorio (pagina «Laboratorio»).", PARTICIPANT_PAGES, LAB_PAGE, "Torna al laboratorio")
    for key in (JOIN_CODE_KEY, JOIN_PIN_KEY):
        st.session_state[key] = ""
    if joined.pin:
        say("success", f"Sei nel laboratorio «{md(workshop.title)}» come **{md(person.name)}**. Il tuo codice "
                       f"personale è **{joined.pin}**: annotalo, serve per rientrare se chiudi la pagina.")
    else:
        say("success", f"Bentornato nel laboratorio «{md(workshop.title)}», {md(person.name)}: "
                       + ("riparti dalla tua ultima proposta inviata." if last else "riparti dal piano di partenza."))


def submit() -> None:
    me = participant()
    if not me:
        return
    try:
        sent = workshop_store().submit(me["workshop_id"], me["participant_id"], current_plan())
    except WorkshopError as exc:
        say("error", md(exc))
        return
    say("success", f"Proposta inviata alle {local_time(sent.sent_at)} (invio n. {sent.sendings}). Puoi "
                   "continuare a modificarla e reinviarla: conta l'ultima.")


def leave() -> None:
    st.session_state.pop(PARTICIPANT_KEY, None)
    lift_session_restriction()
    say("info", "Sei uscito dal laboratorio. Il piano attuale resta quello che stavi disegnando.")


def workshop_base_plan() -> Plan | None:
    """For a participant, the plan the workshop started from (else ``None``)."""
    me = participant()
    return workshop_store().get(me["workshop_id"]).base_plan if me else None


def last_sent(me: dict) -> Submission | None:
    return workshop_store().last_submission(me["workshop_id"], me["participant_id"])


# A fragment: sending reruns this panel only, not the whole editor (a click on the
# map reruns the editor's own fragment, which does not include this panel).
@st.fragment
def workshop_participant_panel() -> None:
    """For a participant (nothing otherwise): which workshop, as whom, and the
    button that sends the current plan as their proposal."""
    me = participant()
    if not me:
        return
    workshop = workshop_store().get(me["workshop_id"])
    last = last_sent(me)
    with st.container(border=True, key="lab_pannello"):
        text, action = st.columns([3, 1], vertical_alignment="center")
        text.markdown(f"**Laboratorio «{md(workshop.title)}»**: partecipi come **{md(me['name'])}**.")
        if not workshop.is_open:
            text.warning("Il laboratorio è chiuso: non si possono più inviare proposte.")
        elif last:
            text.caption(f"Ultimo invio alle {local_time(last.sent_at)} ({last.sendings} in tutto): se modifichi "
                         "le zone, reinvia; conta l'ultima proposta.")
        else:
            text.caption("Disegna le zone come le vorresti, poi invia la proposta al facilitatore.")
        action.button("Invia la mia proposta", type="primary", on_click=submit, width="stretch",
                      disabled=not workshop.is_open, key="lab_invia")
        show_message()


# -- facilitator's actions -----------------------------------------------------------------
def open_workshop() -> None:
    try:
        workshop = workshop_store().open(st.session_state.get(OPEN_TITLE_KEY, ""), current_plan(),
                                         facilitator=st.session_state.get(OPEN_NAME_KEY, ""))
    except WorkshopError as exc:
        say("error", md(exc))
        return
    st.session_state[FACILITATOR_KEY] = workshop.id
    st.session_state[OPEN_TITLE_KEY] = ""
    say("success", f"Laboratorio «{md(workshop.title)}» aperto: mostra il codice ai partecipanti.")


def resume() -> None:
    st.session_state[FACILITATOR_KEY] = st.session_state.get(RESUME_KEY)


def stop_conducting() -> None:
    st.session_state.pop(FACILITATOR_KEY, None)


def close_workshop() -> None:
    workshop = workshop_store().close(conducted_id())
    st.session_state[CONFIRM_CLOSE_KEY] = False
    say("success", f"Laboratorio «{md(workshop.title)}» chiuso: le proposte ricevute restano consultabili.")


def adopt(workshop: Workshop, plans: dict[str, tuple[str, Plan]]) -> None:
    """Save the chosen plan (consensus or a proposal) as a new scenario and open it."""
    label, plan = plans[st.session_state[ADOPT_SOURCE_KEY]]
    notes = (f"Dal laboratorio «{workshop.title}» del {format_timestamp(workshop.opened_at)}: {label}.")
    try:
        scenario = scenario_store().save(st.session_state.get(ADOPT_NAME_KEY, ""), plan,
                                         author=workshop.facilitator, notes=notes)
    except ScenarioError as exc:
        say("error", md(exc))
        return
    _start_from(scenario.plan)
    say("success", f"Salvato lo scenario «{md(scenario.name)}» ({md(label)}): è ora il piano attuale, "
                   "modificabile in «Zone omogenee».")


# -- what the facilitator sees -----------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=16)
def _results(workshop_id: str, fingerprint: tuple) -> tuple[Workshop, list, list[Submission], Consensus | None]:
    # keyed by the fingerprint: recomputed only when someone joins, sends or the workshop closes
    store = workshop_store()
    workshop = store.get(workshop_id)
    submissions = store.latest_submissions(workshop_id)
    consensus = (build_consensus(area_for(workshop.area_codes), workshop.base_plan, [s.plan for s in submissions])
                 if submissions else None)
    return workshop, store.participants(workshop_id), submissions, consensus


def results(workshop_id: str):
    """``(workshop, participants, last submissions, consensus or None)`` now; the
    page remembers what it showed, for :func:`watch_for_changes`."""
    fingerprint = workshop_store().fingerprint(workshop_id)
    st.session_state[SEEN_KEY] = fingerprint
    return _results(workshop_id, fingerprint)


@st.fragment(run_every=REFRESH_SECONDS)
def watch_for_changes(workshop_id: str) -> None:
    """Poll the database every few seconds (one small query); when someone joined,
    sent a proposal or the workshop closed, redraw the page: no reload needed."""
    if workshop_store().fingerprint(workshop_id) != st.session_state.get(SEEN_KEY):
        st.rerun(scope="app")
    st.caption(f"Aggiornamento automatico ogni {REFRESH_SECONDS} secondi.")


def map_choices(submissions: list[Submission], consensus: Consensus) -> dict[str, tuple[str, Plan, tuple]]:
    """What the map can show: ``{key: (label, plan, highlighted comuni)}``: the
    consensus with its contested comuni, or one proposal with the comuni where it
    differs from the consensus."""
    threshold = st.session_state.get(THRESHOLD_KEY, 75) / 100
    choices = {CONSENSUS: ("consenso (zona più votata)", consensus.plan, consensus.contested(threshold))}
    for index, sent in enumerate(submissions):
        choices[sent.participant_id] = (f"proposta di {sent.participant_name}", sent.plan, consensus.differs(index))
    return choices
