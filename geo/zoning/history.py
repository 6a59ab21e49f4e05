"""Undo/redo over immutable plans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from geo.zoning.plan import Plan

HISTORY_LIMIT = 100  # the zone editor promises at least 50 steps


@dataclass(frozen=True)
class History:
    """Past plans, the present one, and the undone ones that can be redone."""

    present: Plan
    past: tuple[Plan, ...] = ()
    future: tuple[Plan, ...] = ()
    limit: int = HISTORY_LIMIT

    def push(self, plan: Plan) -> "History":
        """Make ``plan`` the present; forget the redo branch. No-op if unchanged."""
        if plan == self.present:
            return self
        past = (self.past + (self.present,))[-self.limit:]
        return History(plan, past, (), self.limit)

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)

    def undo(self) -> "History":
        if not self.past:
            return self
        return History(self.past[-1], self.past[:-1], (self.present,) + self.future, self.limit)

    def redo(self) -> "History":
        if not self.future:
            return self
        return History(self.future[0], self.past + (self.present,), self.future[1:], self.limit)

    def map(self, change: Callable[[Plan], Plan]) -> "History":
        """Apply ``change`` to every plan (e.g. when the area vasta gains a comune)."""
        return History(change(self.present), tuple(map(change, self.past)),
                       tuple(map(change, self.future)), self.limit)
