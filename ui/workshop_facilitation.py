"""The workshops from the facilitator's side: opening (the coordination), resuming with
the code and the facilitator key, closing and reopening, removing a participant, what
the room sent and where it agrees, adopting a plan as a scenario.

The key is made when the workshop opens and shown once; the session that opened or
resumed the workshop keeps it, so closing, reopening and removing need no retyping.
No list of workshops is ever shown: their codes are for the room they are shown to."""

from __future__ import annotations

import streamlit as st

import geo
from ui import drafts, errors, flash
from ui.coordination import actor
from ui.plan_session import current_plan, start_from
from ui.session import WORKSHOP, workshop_state
from ui.shipped import area_for
from ui.stores import stores
from ui.territory import current_id, switch
from ui.workshop import PLACE

REFRESH_SECONDS = 2
CONSENSUS = "__consenso__"
DEFAULT_THRESHOLD = 75  # per cent


def start() -> None:
    WORKSHOP.setdefault("threshold", DEFAULT_THRESHOLD)


def conducted_id() -> str | None:
    """The workshop this session conducts (it opened it, or resumed it with its key)."""
    state = workshop_state()
    return state.conducted_id if state.facilitator_key is not None else None


def new_key() -> str | None:
    """The facilitator key of the workshop just opened, until the facilitator wrote it down."""
    return workshop_state().new_key


# -- facilitator's actions -----------------------------------------------------------------
@errors.callback(PLACE)
def open_workshop() -> None:
    key = geo.new_facilitator_key()
    workshop = stores().workshops.open(WORKSHOP.get("open_title", ""), current_plan(),
                                       facilitator=WORKSHOP.get("open_facilitator", ""), facilitator_key=key,
                                       actor=actor(), territory=current_id())
    state = workshop_state()
    state.conducted_id, state.facilitator_key, state.new_key = workshop.id, key, key
    drafts.save_role({"conducts": workshop.id})
    WORKSHOP.set("open_title", "")
    flash.success(PLACE, f"Laboratorio «{workshop.title}» aperto: mostra il codice ai partecipanti.")


@errors.callback(PLACE)
def key_written_down() -> None:
    workshop_state().new_key = None


@errors.callback(PLACE)
def resume() -> None:
    typed_key = WORKSHOP.get("resume_key", "")
    WORKSHOP.set("resume_key", "")
    workshop = stores().workshops.resume(WORKSHOP.get("resume_code", ""), typed_key, actor=actor())
    # The key proves who conducts it: the session moves to the workshop's territory
    # (this territory's plan stays in the session) rather than refusing.
    if workshop.territory != current_id() and not switch(workshop.territory, place=PLACE):
        return
    state = workshop_state()
    state.conducted_id, state.facilitator_key, state.new_key = workshop.id, typed_key, None
    drafts.save_role({"conducts": workshop.id})
    flash.success(PLACE, f"Hai ripreso la conduzione del laboratorio «{workshop.title}».")


@errors.callback(PLACE)
def stop_conducting() -> None:
    state = workshop_state()
    state.conducted_id = state.facilitator_key = state.new_key = None
    drafts.save_role(None)


@errors.callback(PLACE)
def close_workshop() -> None:
    workshop = stores().workshops.close(conducted_id(), facilitator_key=workshop_state().facilitator_key,
                                        actor=actor())
    WORKSHOP.set("confirm_close", False)
    flash.success(PLACE, f"Laboratorio «{workshop.title}» chiuso: le proposte ricevute restano consultabili.")


@errors.callback(PLACE)
def reopen_workshop() -> None:
    workshop = stores().workshops.reopen(conducted_id(), facilitator_key=workshop_state().facilitator_key,
                                         actor=actor())
    flash.success(PLACE, f"Laboratorio «{workshop.title}» riaperto: si può di nuovo entrare e inviare proposte.")


@errors.callback(PLACE)
def remove_participant() -> None:
    removed = stores().workshops.remove_participant(
        conducted_id(), WORKSHOP.get("remove_participant"), facilitator_key=workshop_state().facilitator_key,
        actor=actor())
    WORKSHOP.set("confirm_remove", False)
    flash.success(PLACE, f"{removed.name} è escluso dal laboratorio: le sue proposte restano agli atti ma non "
                  "contano nel consenso.")


def adoptable(workshop: geo.Workshop, submissions, consensus: geo.Consensus) -> dict[str, tuple[str, geo.Plan]]:
    """What may become a scenario: ``{key: (label, plan)}``, the consensus first;
    the choice and the scenario's name get their defaults (call before drawing them)."""
    plans = {CONSENSUS: ("il consenso (zona più votata)", consensus.plan)}
    plans.update({s.participant_id: (f"la proposta di {s.participant_name}", s.plan) for s in submissions})
    WORKSHOP.keep_valid("adopt_source", plans, CONSENSUS)
    WORKSHOP.setdefault("adopt_name", f"Laboratorio «{workshop.title}»"[:geo.MAX_SCENARIO_NAME_LENGTH])
    return plans


@errors.callback(PLACE)
def adopt(workshop: geo.Workshop, plans: dict[str, tuple[str, geo.Plan]]) -> None:
    """Save the chosen plan (consensus or a proposal) as a new scenario and open it."""
    label, plan = plans[WORKSHOP.get("adopt_source")]
    notes = f"Dal laboratorio «{workshop.title}» del {geo.format_timestamp(workshop.opened_at)}: {label}."
    scenario = stores().scenarios.save(WORKSHOP.get("adopt_name", ""), plan, author=workshop.facilitator,
                                       notes=notes, actor=actor(), territory=workshop.territory)
    start_from(scenario.plan)
    flash.success(PLACE, f"Salvato lo scenario «{scenario.name}» ({label}): è ora il piano attuale, "
                  "modificabile in «Zone omogenee».")


# -- what the facilitator sees -----------------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=16)
def _results(workshop_id: str, fingerprint: tuple) -> tuple[geo.Workshop, list, list, geo.Consensus | None]:
    # keyed by the fingerprint: recomputed only when someone joins, sends, is removed, or the workshop closes
    store = stores().workshops
    workshop = store.get(workshop_id)
    submissions = store.latest_submissions(workshop_id)  # removed participants' are not counted
    consensus = (geo.build_consensus(area_for(workshop.area_codes), workshop.base_plan, [s.plan for s in submissions])
                 if submissions else None)
    return workshop, store.participants(workshop_id), submissions, consensus


def record(workshop_id: str) -> list:
    """Every participant's last proposal, the removed ones' included (the facilitator's table)."""
    return stores().workshops.latest_submissions(workshop_id, include_removed=True)


def pin_failures(workshop_id: str) -> int:
    return stores().workshops.pin_failures(workshop_id)


def results(workshop_id: str):
    """``(workshop, participants, last counted submissions, consensus or None)`` now; the
    page remembers what it showed, for :func:`watch_for_changes`."""
    fingerprint = stores().workshops.fingerprint(workshop_id)
    workshop_state().seen = fingerprint
    return _results(workshop_id, fingerprint)


@errors.fragment(run_every=REFRESH_SECONDS)
def watch_for_changes(workshop_id: str) -> None:
    """Poll the database every few seconds (one small query); when someone joined,
    sent a proposal or the workshop closed, redraw the page: no reload needed."""
    if stores().workshops.fingerprint(workshop_id) != workshop_state().seen:
        st.rerun(scope="app")
    st.caption(f"Aggiornamento automatico ogni {REFRESH_SECONDS} secondi.")


def map_choices(submissions, consensus: geo.Consensus, threshold: float) -> dict[str, tuple[str, geo.Plan, tuple]]:
    """What the map can show: ``{key: (label, plan, highlighted comuni)}``: the
    consensus with its contested comuni (``threshold``: share of the proposals),
    or one proposal with the comuni where it differs from the consensus. The
    choice gets its default (call before drawing it)."""
    choices = {CONSENSUS: ("consenso (zona più votata)", consensus.plan, consensus.contested(threshold))}
    for index, sent in enumerate(submissions):
        choices[sent.participant_id] = (f"proposta di {sent.participant_name}", sent.plan, consensus.differs(index))
    WORKSHOP.keep_valid("shown", choices, CONSENSUS)
    return choices
