"""An undo history (:class:`geo.zoning.history.History`) as small JSON, for autosaved drafts.

A history holds up to :data:`geo.zoning.history.HISTORY_LIMIT` plans that mostly
differ by one comune. Written whole, 100 plans of 205 comuni are about 400 kB per
click; here the present plan is written whole and every other plan as its
difference from the neighbour nearer the present (the comuni whose zone differs,
and the zones when they differ): one click is a few dozen bytes. The differences
between two plans are remembered by the plans' identity (plans never change), so
encoding after a click computes only the new step.

Format (``version`` 1)::

    {"v": 1, "limit": 100, "present": Plan.to_dict(),
     "past": [step, ...],    # oldest first; past[i] is relative to past[i + 1], the last to present
     "future": [step, ...]}  # next first; future[0] is relative to present, future[j] to future[j - 1]

    step = {"a": {code: zone id or null}}, plus "z": [zones] when the zones differ,
    or {"full": Plan.to_dict()} when the comuni differ.
"""

from __future__ import annotations

from typing import Mapping

from geo.zoning.history import HISTORY_LIMIT, History
from geo.zoning.plan import Plan, PlanError

VERSION = 1


def _zones(plan: Plan) -> list[dict]:
    return plan.to_dict()["zones"]


def plan_step(reference: Plan, plan: Plan) -> dict:
    """``plan`` as its difference from ``reference`` (see module docstring)."""
    if reference.codes != plan.codes:
        return {"full": plan.to_dict()}
    step: dict = {"a": {c: z for (c, z), (_, ref) in zip(plan.assignment, reference.assignment) if z != ref}}
    if plan.zones != reference.zones:
        step["z"] = _zones(plan)
    return step


def apply_step(reference: Plan, step: Mapping) -> Plan:
    """The plan ``step`` describes relative to ``reference`` (inverse of :func:`plan_step`)."""
    if "full" in step:
        return Plan.from_dict(step["full"])
    zones = step.get("z")
    assignment = dict(reference.assignment)
    changes = step.get("a") or {}
    if not isinstance(changes, Mapping) or not set(changes) <= set(assignment):
        raise PlanError("Bozza non leggibile: comuni fuori dal piano.")
    assignment.update(changes)
    return Plan.from_dict({"zones": zones if zones is not None else _zones(reference), "assignment": assignment})


class HistoryCodec:
    """Encodes histories, remembering the steps already computed (one per session).

    The memory holds the steps of the last history encoded only, keyed by the
    identity of the two plans (kept alive with the step, so an id is never reused
    while remembered).
    """

    def __init__(self) -> None:
        self._steps: dict[tuple[int, int], tuple[Plan, Plan, dict]] = {}

    def _step(self, reference: Plan, plan: Plan, used: dict) -> dict:
        key = (id(reference), id(plan))
        known = self._steps.get(key)
        if known is None or known[0] is not reference or known[1] is not plan:
            known = (reference, plan, plan_step(reference, plan))
        used[key] = known
        return known[2]

    def encode(self, history: History) -> dict:
        """``history`` as the JSON-ready dictionary of the module docstring."""
        used: dict = {}
        chain = history.past + (history.present,)
        past = [self._step(chain[i + 1], chain[i], used) for i in range(len(history.past))]
        future, reference = [], history.present
        for plan in history.future:
            future.append(self._step(reference, plan, used))
            reference = plan
        self._steps = used
        return {"v": VERSION, "limit": history.limit, "present": history.present.to_dict(),
                "past": past, "future": future}


def decode_history(data: Mapping) -> History:
    """The :class:`History` that :meth:`HistoryCodec.encode` wrote.

    Raises
    ------
    geo.zoning.plan.PlanError
        The data are not a history of this format (its message is Italian).
    """
    try:
        if data.get("v") != VERSION:
            raise PlanError("Bozza di una versione non riconosciuta.")
        present = Plan.from_dict(data["present"])
        limit = min(int(data.get("limit", HISTORY_LIMIT)), HISTORY_LIMIT)
        past_steps, future_steps = list(data.get("past") or ())[-limit:], list(data.get("future") or ())[:limit]
        past: list[Plan] = []
        reference = present
        for step in reversed(past_steps):
            reference = apply_step(reference, step)
            past.append(reference)
        future: list[Plan] = []
        reference = present
        for step in future_steps:
            reference = apply_step(reference, step)
            future.append(reference)
    except PlanError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PlanError("Bozza non leggibile.") from exc
    return History(present, tuple(reversed(past)), tuple(future), limit)

