"""Autosave: the session's plan (with its undo history) and its workshop role, written
to the app database at every change, keyed by the browser (:func:`ui.identity.browser_id`).

A reload, a new tab of the same browser or a restart of the server starts a new
session: :func:`restore_plan` gives it the plan this browser was drawing, with a
notice (place ``"draft"``) that offers to start again from the initial proposal.
A workshop participant's unsent drawing is a draft of its own per workshop
(:func:`plan_scope`); the role (participant, facilitator) is kept by
:mod:`ui.workshop` through :func:`save_role` and :func:`load_role`.

Two tabs of the same browser share the draft and the last write wins: a tab
whose draft another tab has overwritten says so when it next reruns (place
``"draft_tab"``, :func:`check_other_tabs`), and offers to load that version.

Writing a draft must never cost the user a click: a failed write is logged and
the session goes on (what the user sees is still right; only a reload would
miss the step).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

import geo
from ui import flash, session
from ui.identity import browser_id
from ui.markdown import strong
from ui.session import DraftState, PlanSession
from ui.shipped import shipped_comuni
from ui.stores import stores
from ui.territory import current_id
from ui.timing import timing_log

log = logging.getLogger(__name__)

PLAN, ROLE = "piano", "ruolo"
PLACE, OTHER_TAB = "draft", "draft_tab"
RESTART_LABEL = "Ricomincia dalla proposta iniziale"
LOAD_OTHER_LABEL = "Usa la versione dell'altra scheda"
SAVE_TIMING = "draft/save"  # the name of the draft's write in the timing log


def _state() -> DraftState:
    return session.draft_state(lambda: DraftState(secrets.token_hex(16), geo.HistoryCodec()))


def plan_scope() -> str:
    """Which plan draft this session writes: one per territory (the default
    territory's is ``""``, as before territories), a workshop participant's own per
    workshop (a workshop is of one territory)."""
    me = session.workshop_state().participation
    if me:
        return f"lab:{me.workshop_id}"
    active = current_id()
    return "" if active == geo.LEGACY_TERRITORY else f"territorio:{active}"


def _payload(plan: PlanSession) -> dict:
    return {"area": list(plan.area_codes), "history": _state().codec.encode(plan.history)}


def save_plan(plan: PlanSession) -> None:
    """Write the session's plan and history as this browser's draft (in the run of the change)."""
    state, token, scope = _state(), browser_id(), plan_scope()
    try:
        with timing_log(SAVE_TIMING):  # its cost per click, read by bench/editor_latency.py
            saved = stores().drafts.save(token, PLAN, scope, _payload(plan), writer=state.writer)
    except Exception:  # noqa: BLE001 - the user's click must not fail because of the draft
        log.exception("draft not saved")
        return
    replaced = saved.replaced
    if (replaced is not None and replaced.writer != state.writer
            and (state.token, state.scope, state.seen) != (token, scope, replaced.revision)):
        flash.notice(OTHER_TAB, "warning", "Questo piano è aperto anche in un'altra scheda di questo browser, che "
                     f"lo aveva modificato alle {geo.local_time(replaced.updated_at)}. Vale l'ultima modifica: "
                     "quella appena fatta qui.", icon="🗂️")
    state.token, state.scope, state.seen = token, scope, saved.revision


def _decode(draft, codes_known) -> PlanSession | None:
    try:
        area = tuple(sorted(str(c) for c in draft.payload["area"]))
        history = geo.decode_history(draft.payload["history"])
    except (geo.UserError, KeyError, TypeError, ValueError) as exc:
        log.warning("draft not readable, ignored: %s", exc)
        return None
    if not area or not set(area) <= set(codes_known) or history.present.codes != area:
        log.warning("draft over other comuni than the shipped ones, ignored")
        return None
    return PlanSession(area, history)


@dataclass(frozen=True)
class PlanDraft:
    plan: PlanSession
    updated_at: datetime


def plan_draft() -> PlanDraft | None:
    """This browser's plan draft for the session's scope, read (``None``: no draft,
    or one that cannot be read); from now on the session writes that draft."""
    state, token, scope = _state(), browser_id(), plan_scope()
    state.token, state.scope, state.seen = token, scope, None
    draft = stores().drafts.load(token, PLAN, scope)
    restored = _decode(draft, shipped_comuni().index) if draft else None
    if restored is None:
        return None
    state.seen = draft.revision
    return PlanDraft(restored, draft.updated_at)


def restore_plan(initial: geo.Plan | None = None) -> PlanSession | None:
    """The plan this browser was drawing (see :func:`plan_draft`); a notice says so
    unless it is just ``initial`` with no history."""
    draft = plan_draft()
    if draft is None:
        return None
    history = draft.plan.history
    if history.past or history.future or history.present != initial:
        flash.notice(PLACE, "info", "Ripreso il piano a cui stavi lavorando in questo browser (ultima modifica: ",
                     strong(geo.format_timestamp(draft.updated_at)), "). Se preferisci, ricomincia dalla "
                     "proposta iniziale: potrai comunque annullare.", icon="💾")
    return draft.plan


def has_plan_draft() -> bool:
    """Whether this browser has a plan draft for the session's scope."""
    return stores().drafts.head(browser_id(), PLAN, plan_scope()) is not None


def follow_identity(plan: PlanSession, initial: geo.Plan) -> PlanSession | None:
    """On every full run: the browser's token may arrive after the first run (its
    identity frame answered with the token it already had). Returns that
    browser's draft when the session had not started drawing yet."""
    state, token, scope = _state(), browser_id(), plan_scope()
    if (state.token, state.scope) == (token, scope):
        return None
    if not plan.history.past and not plan.history.future and plan.history.present == initial:
        return restore_plan(initial)
    state.token, state.scope, state.seen = token, scope, None
    return None


def check_other_tabs() -> None:
    """Whether another tab of this browser wrote the draft since this session last
    wrote or read it: then a notice (place ``"draft_tab"``), once per write."""
    state, token, scope = _state(), browser_id(), plan_scope()
    if (state.token, state.scope) != (token, scope):
        return
    try:
        head = stores().drafts.head(token, PLAN, scope)
    except Exception:  # noqa: BLE001 - a notice is not worth a failed page
        log.exception("draft head not read")
        return
    if head is None or head.revision == state.seen or head.writer == state.writer:
        return
    state.seen = head.revision
    flash.notice(OTHER_TAB, "warning", "Questo piano è stato modificato in un'altra scheda di questo browser alle ",
                 strong(geo.local_time(head.updated_at)), ". Qui vedi ancora la tua versione: la prossima modifica "
                 "fatta qui sostituirà quella dell'altra scheda.", icon="🗂️")


def other_tab_version() -> PlanSession | None:
    """The version another tab wrote (for the notice's button), ``None`` if gone."""
    draft = stores().drafts.load(browser_id(), PLAN, plan_scope())
    if draft is None:
        return None
    _state().seen = draft.revision
    return _decode(draft, shipped_comuni().index)


# -- workshop role ---------------------------------------------------------------------
def save_role(role: dict | None) -> None:
    """Keep this browser's workshop role (``None``: none any more)."""
    state, token = _state(), browser_id()
    try:
        if role is None:
            stores().drafts.delete(token, ROLE, "")
        else:
            stores().drafts.save(token, ROLE, "", role, writer=state.writer)
    except Exception:  # noqa: BLE001
        log.exception("workshop role not saved")


def load_role() -> dict | None:
    draft = stores().drafts.load(browser_id(), ROLE, "")
    return draft.payload if draft else None
