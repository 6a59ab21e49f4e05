"""Autosaved drafts: what a browser was doing, so that nothing is lost on a reload.

A draft belongs to one browser (its identity token, see ``ui/identity.py``: never
in a link) and is named by a *kind* and a *scope*: the plan being edited (kind
``"piano"``; scope ``""``, or ``"lab:<workshop id>"`` for a workshop
participant's unsent drawing), the browser's role in a workshop (kind ``"ruolo"``).
The payload is JSON written by the glue (plans through
:mod:`geo.store.history_codec`). A write replaces the browser's draft of that kind
and scope: two tabs of the same browser share it and the last write wins; each
write records the session that made it and bumps ``revision``, so a tab can tell
that another one wrote since (:meth:`DraftStore.head`).

Drafts expire :data:`DRAFT_DAYS` days after their last write: reads ignore older
ones and a write deletes them, at most once an hour per process (one indexed
``DELETE``).

Table ``bozze`` (component ``bozze`` of :class:`geo.store.database.Store`, SQLite or
PostgreSQL).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create

COMPONENT = "bozze"
DRAFT_DAYS = 30
MAX_PAYLOAD_CHARS = 4_000_000  # a 100-step history of every comune of Lombardy is ~100 kB
PURGE_EVERY = timedelta(hours=1)

DRAFTS = sa.Table(
    "bozze", METADATA,
    sa.Column("browser", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("scope", sa.String(64), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("writer", sa.String(32), nullable=False),
    sa.Column("updated_at", UtcTimestamp, nullable=False),
    sa.PrimaryKeyConstraint("browser", "kind", "scope"),
)
DRAFTS_BY_TIME = sa.Index("bozze_updated_at", DRAFTS.c.updated_at)
MIGRATIONS = (create(DRAFTS), create(DRAFTS_BY_TIME))


class DraftTooLarge(ValueError):
    """A payload over :data:`MAX_PAYLOAD_CHARS` (a bug of the caller: never the user's)."""


@dataclass(frozen=True)
class DraftHead:
    """Who wrote a draft last, and when: what a tab checks on each run."""

    revision: int
    writer: str
    updated_at: datetime


@dataclass(frozen=True)
class Draft(DraftHead):
    payload: dict


@dataclass(frozen=True)
class SavedDraft:
    """The outcome of :meth:`DraftStore.save`: the new revision, and the head the
    write replaced (``None`` for a new draft)."""

    revision: int
    replaced: DraftHead | None


class DraftStore:
    """Drafts in the app database (see module docstring).

    Parameters
    ----------
    store : Store
        The app database; the ``bozze`` table is created on first use.
    max_age_days : int
        Days after its last write when a draft expires.
    """

    def __init__(self, store: Store, *, max_age_days: int = DRAFT_DAYS):
        self.store = store
        self.max_age = timedelta(days=max_age_days)
        self._next_purge = utc_now()
        self._purge_lock = threading.Lock()
        store.migrate(COMPONENT, MIGRATIONS)

    @staticmethod
    def _key(browser: str, kind: str, scope: str):
        return sa.and_(DRAFTS.c.browser == browser, DRAFTS.c.kind == kind, DRAFTS.c.scope == scope)

    def _fresh(self, now: datetime):
        return DRAFTS.c.updated_at >= now - self.max_age

    def save(self, browser: str, kind: str, scope: str, payload: dict, *, writer: str,
             now: datetime | None = None) -> SavedDraft:
        """Write ``payload`` as the draft (one transaction); the last write wins.

        Raises
        ------
        DraftTooLarge
            The JSON text is over :data:`MAX_PAYLOAD_CHARS`: nothing is written.
        """
        now = now or utc_now()
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_PAYLOAD_CHARS:
            raise DraftTooLarge(f"draft of {len(text)} characters for {kind}/{scope}")
        key = self._key(browser, kind, scope)
        for attempt in range(2):
            try:
                with self.store.transaction() as conn:
                    query = sa.select(DRAFTS.c.revision, DRAFTS.c.writer, DRAFTS.c.updated_at).where(key)
                    if self.store.dialect != "sqlite":  # SQLite: BEGIN IMMEDIATE already locks
                        query = query.with_for_update()
                    row = conn.execute(query).first()
                    values = dict(payload=text, writer=writer, updated_at=now)
                    if row is None:
                        conn.execute(sa.insert(DRAFTS).values(browser=browser, kind=kind, scope=scope,
                                                              revision=1, **values))
                        saved = SavedDraft(1, None)
                    else:
                        conn.execute(sa.update(DRAFTS).where(key).values(revision=row.revision + 1, **values))
                        saved = SavedDraft(row.revision + 1, DraftHead(row.revision, row.writer, row.updated_at))
                break
            except sa.exc.IntegrityError:  # another tab created it in the meantime: update it
                if attempt:
                    raise
        self._maybe_purge(now)
        return saved

    def head(self, browser: str, kind: str, scope: str, *, now: datetime | None = None) -> DraftHead | None:
        """Revision, writer and time of the draft (no payload), ``None`` if none or expired."""
        query = (sa.select(DRAFTS.c.revision, DRAFTS.c.writer, DRAFTS.c.updated_at)
                 .where(self._key(browser, kind, scope), self._fresh(now or utc_now())))
        with self.store.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else DraftHead(row.revision, row.writer, row.updated_at)

    def load(self, browser: str, kind: str, scope: str, *, now: datetime | None = None) -> Draft | None:
        """The draft, ``None`` if none, expired, or not a JSON object."""
        query = (sa.select(DRAFTS.c.revision, DRAFTS.c.writer, DRAFTS.c.updated_at, DRAFTS.c.payload)
                 .where(self._key(browser, kind, scope), self._fresh(now or utc_now())))
        with self.store.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or len(row.payload) > MAX_PAYLOAD_CHARS:
            return None
        try:
            payload = json.loads(row.payload)
        except ValueError:
            return None
        return Draft(row.revision, row.writer, row.updated_at, payload) if isinstance(payload, dict) else None

    def delete(self, browser: str, kind: str, scope: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(sa.delete(DRAFTS).where(self._key(browser, kind, scope)))

    def purge(self, now: datetime | None = None) -> int:
        """Delete every expired draft; return how many."""
        with self.store.transaction() as conn:
            return conn.execute(sa.delete(DRAFTS).where(~self._fresh(now or utc_now()))).rowcount

    def _maybe_purge(self, now: datetime) -> None:
        if now < self._next_purge or not self._purge_lock.acquire(blocking=False):
            return
        try:
            self._next_purge = now + PURGE_EVERY
            self.purge(now)
        finally:
            self._purge_lock.release()
