"""Suggested zones in the session: the request, the warm worker that runs it, the
alternatives, accepting one as an undoable step.

The search runs in **one worker process per server**, started (and warmed: spopt
imported, generators seeded) at the first request, so that no session's script
thread is ever busy with it and the results do not depend on threads. A request is
split into starts (:func:`geo.prepare_suggestions`), each a task of the worker: the
page polls their futures, shows the progress, and when all are done checks and ranks
the results (:func:`geo.finish_suggestions`). Tasks of several sessions queue in the
worker; each request has its own time limit (its deadline), after which every start
returns the best plan it reached.

Nothing here changes the session's plan, except :func:`accept` (one undoable step).
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import streamlit as st

import geo
from ui import errors, flash
from ui.collaborations import current_collaborations
from ui.indicators import catalogue
from ui.plan_session import commit_plan, current_area, current_plan
from ui.session import SUGGESTIONS, suggestions_state

PLACE = "suggestions"
TIME_LIMITS = (10, 20, 30, 60)


@st.cache_resource(show_spinner=False)
def worker() -> ProcessPoolExecutor:
    """The server's one worker process, started and warmed on first use ("spawn": a fresh
    interpreter, none of the server's threads copied into it)."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=geo.warm_suggestion_worker)
    pool.submit(time.time)  # start it now: the first request finds it warm
    return pool


@dataclass(frozen=True)
class Job:
    """A request in the worker: its tasks and their futures."""

    constraints: geo.Constraints
    plan: geo.Plan
    tasks: tuple
    futures: tuple[Future, ...]
    started: float
    time_limit: float

    @property
    def done(self) -> int:
        return sum(f.done() for f in self.futures)

    @property
    def queued(self) -> bool:
        return not any(f.running() or f.done() for f in self.futures)


def running() -> Job | None:
    return suggestions_state().job


def result() -> geo.Suggestions | None:
    return suggestions_state().result


def keep_groups(keys) -> tuple[geo.KeptGroup, ...]:
    by_id = {c.id: c for c in current_collaborations()}
    return tuple(geo.KeptGroup(by_id[k].name, by_id[k].members) for k in keys if k in by_id)


def keepable() -> dict[str, str]:
    """Collaborations with at least two members in the area: ``{id: name}``."""
    area = set(current_area().codes)
    return {c.id: c.name for c in current_collaborations() if len(area.intersection(c.members)) >= 2}


@errors.callback(PLACE)
def start() -> None:
    """The form's button: check the request, queue its starts in the worker."""
    state = suggestions_state()
    if state.job is not None:
        flash.warning(PLACE, "È già in corso un calcolo: attendi che finisca o interrompilo.")
        return
    indicators = catalogue().chosen(SUGGESTIONS.get("indicators") or ())
    deviation = float(SUGGESTIONS.get("deviation")) if SUGGESTIONS.get("use_deviation") else None
    constraints = geo.Constraints(
        zones=int(SUGGESTIONS.get("zones")), min_residents=int(SUGGESTIONS.get("min_residents") or 0),
        indicators=indicators, max_deviation=deviation, seed=int(SUGGESTIONS.get("seed") or 0),
        keep_together=keep_groups(SUGGESTIONS.get("keep") or ()))
    limit = float(SUGGESTIONS.get("time_limit") or TIME_LIMITS[1])
    area, plan = current_area(), current_plan()
    try:
        tasks = geo.prepare_suggestions(area, plan, constraints, time_limit=limit)
    except geo.SuggestionInfeasible as refusal:
        flash.error(PLACE, "Non si può proporre nessun piano con queste richieste. " + " ".join(refusal.reasons))
        return
    try:
        futures = tuple(worker().submit(geo.run_suggestion_task, t) for t in tasks)
    except BrokenProcessPool:  # the worker died (killed, out of memory): start a new one
        worker.clear()
        futures = tuple(worker().submit(geo.run_suggestion_task, t) for t in tasks)
    state.job, state.result, state.based_on = Job(constraints, plan, tuple(tasks), futures, time.time(), limit), None, plan


def collect() -> bool:
    """If the running request is complete, rank its results (True: something changed)."""
    state = suggestions_state()
    job = state.job
    if job is None or job.done < len(job.futures):
        return False
    state.job = None
    try:
        results = [f.result() for f in job.futures if not f.cancelled()]
    except BrokenProcessPool:
        worker.clear()  # the next request starts a new worker
        flash.error(PLACE, "Il calcolo si è interrotto (il processo di calcolo è terminato): riprova.")
        return True
    except Exception as exc:  # noqa: BLE001 - a failed worker: the user gets a message, the log the traceback
        flash.error(PLACE, errors.user_message(exc, "ui.suggestions.collect"))
        return True
    state.result = geo.finish_suggestions(current_area(), job.plan, job.constraints, list(job.tasks), results)
    if not state.result.alternatives:
        flash.warning(PLACE, "Nessuna partenza ha trovato un piano che rispetti i vincoli: prova un minimo di "
                             "residenti più basso, uno scarto più ampio o meno zone.")
    return True


@errors.callback(PLACE)
def stop() -> None:
    """Stop waiting: queued starts are cancelled, the results are not shown."""
    state = suggestions_state()
    if state.job is not None:
        for future in state.job.futures:
            future.cancel()
    state.job = None
    flash.info(PLACE, "Calcolo interrotto: il piano non è cambiato.")


@errors.callback(PLACE)
def accept(index: int) -> None:
    """Make alternative ``index`` the session's plan (one undoable step)."""
    state = suggestions_state()
    chosen = state.result.alternatives[index] if state.result and index < len(state.result.alternatives) else None
    if chosen is None:
        flash.warning(PLACE, "Questa proposta non c'è più.")
        return
    if set(chosen.plan.codes) != set(current_plan().codes):
        flash.error(PLACE, "L'area vasta è cambiata dopo il calcolo: la proposta non vale più. Calcolala di nuovo.")
        return
    commit_plan(chosen.plan)
    state.result, state.based_on = None, None
    flash.success(PLACE, f"Proposta {index + 1} accettata: è il piano attuale. Puoi annullarla con «↶ Annulla».")


@errors.callback(PLACE)
def discard(index: int) -> None:
    """Drop alternative ``index`` from the list; the plan does not change."""
    state = suggestions_state()
    if state.result is None:
        return
    kept = tuple(a for i, a in enumerate(state.result.alternatives) if i != index)
    state.result = replace(state.result, alternatives=kept) if kept else None
    flash.info(PLACE, "Proposta scartata: il piano non è cambiato.")
