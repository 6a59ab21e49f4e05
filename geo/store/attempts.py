"""Limits on guessing: failed attempts at a secret, counted per key in the database.

A personal code of a workshop participant has 160,000 values and the coordination
password is typed in a browser: both are guessed by trying, so failed attempts are
counted (table ``tentativi``, component ``tentativi``) per *key* — a participant's
name in a workshop, a browser — over a sliding window, and refused past a limit
until the oldest failure leaves the window. Counting in the database makes the
limit hold across the app's processes. The rows are also the log of the attempts
(kind, key, time, outcome); rows older than :data:`KEEP_DAYS` are purged as new
ones arrive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

import sqlalchemy as sa

from geo.base.errors import UserError
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create

COMPONENT = "tentativi"
KEEP_DAYS = 30

ATTEMPTS = sa.Table(
    "tentativi", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, nullable=True, autoincrement=True),
    sa.Column("tipo", sa.String(20), nullable=False),
    sa.Column("chiave", sa.String(200), nullable=False),
    sa.Column("momento", UtcTimestamp, nullable=False),
    sa.Column("riuscito", sa.Integer, nullable=False),
    sqlite_autoincrement=True,
)
BY_KEY = sa.Index("tentativi_chiave", ATTEMPTS.c.tipo, ATTEMPTS.c.chiave, ATTEMPTS.c.momento)
MIGRATIONS = (create(ATTEMPTS), create(BY_KEY))


class TooManyAttempts(UserError):
    """Refused before checking: too many failed attempts lately. ``wait_seconds`` until the next."""

    def __init__(self, message: str, wait_seconds: int):
        super().__init__(message)
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed attempts per key within ``window_seconds``."""

    failures: int = 5
    window_seconds: int = 60


def wait_text(seconds: int) -> str:
    """``"riprova tra 42 secondi"`` / ``"riprova tra 1 minuto"``."""
    if seconds < 60:
        return f"riprova tra {seconds} second{'o' if seconds == 1 else 'i'}"
    minutes = math.ceil(seconds / 60)
    return f"riprova tra {minutes} minut{'o' if minutes == 1 else 'i'}"


class AttemptLog:
    """Failed and successful attempts in the app database (see module docstring).

    Parameters
    ----------
    store : Store
        The app database; the table is created on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)

    def check(self, kind: str, keys: Sequence[str], limit: Limit, what: str, now: datetime | None = None) -> None:
        """Raise :class:`TooManyAttempts` (Italian: ``what`` names the secret) when any of
        ``keys`` has ``limit.failures`` failures within the window."""
        now = now or utc_now()
        since = now - timedelta(seconds=limit.window_seconds)
        query = (sa.select(ATTEMPTS.c.chiave, sa.func.count(), sa.func.min(ATTEMPTS.c.momento))
                 .where(ATTEMPTS.c.tipo == kind, ATTEMPTS.c.chiave.in_(list(keys)), ATTEMPTS.c.momento >= since,
                        ATTEMPTS.c.riuscito == 0)
                 .group_by(ATTEMPTS.c.chiave))
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
        waits = []
        for _key, failures, oldest in rows:
            if failures >= limit.failures:
                waits.append(max(1, math.ceil((oldest + timedelta(seconds=limit.window_seconds) - now)
                                              .total_seconds())))
        if waits:
            wait = max(waits)
            raise TooManyAttempts(f"Troppi tentativi sbagliati per {what}: {wait_text(wait)}.", wait)

    def record(self, kind: str, keys: Sequence[str], success: bool, now: datetime | None = None) -> None:
        """Log one attempt under each of ``keys``; purge rows older than :data:`KEEP_DAYS`."""
        now = now or utc_now()
        with self.store.transaction() as conn:
            conn.execute(sa.insert(ATTEMPTS), [{"tipo": kind, "chiave": key[:200], "momento": now,
                                                "riuscito": int(success)} for key in keys])
            conn.execute(sa.delete(ATTEMPTS).where(ATTEMPTS.c.momento < now - timedelta(days=KEEP_DAYS)))

    def failures(self, kind: str, key_prefix: str = "", since: datetime | None = None) -> int:
        """How many failed attempts of ``kind`` (keys starting with ``key_prefix``) since ``since``."""
        query = sa.select(sa.func.count()).select_from(ATTEMPTS).where(
            ATTEMPTS.c.tipo == kind, ATTEMPTS.c.riuscito == 0, ATTEMPTS.c.chiave.startswith(key_prefix, autoescape=True))
        if since is not None:
            query = query.where(ATTEMPTS.c.momento >= since)
        with self.store.engine.connect() as conn:
            return int(conn.execute(query).scalar())
