"""The log of changes to shared work: who (name, browser, role), when, what.

Every change to what other people see (scenarios, the area vasta, collaborations,
workshops) adds a row to ``registro_modifiche`` (component ``registro``); the
coordination reads it in the app. Stores that can, write the row in the same
transaction as the change (:func:`write`), so a change is never without its line;
others call :meth:`ChangeLog.record` right after the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.base.text import clean_text
from geo.store.actors import Actor
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create

COMPONENT = "registro"
SUBJECTS = ("scenario", "area_vasta", "collaborazione", "laboratorio", "coordinamento")
MAX_SUMMARY_LENGTH = 500

CHANGES = sa.Table(
    "registro_modifiche", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, nullable=True, autoincrement=True),
    sa.Column("momento", UtcTimestamp, nullable=False),
    sa.Column("autore", sa.String(120), nullable=False),
    sa.Column("chiave", sa.String(32), nullable=False),
    sa.Column("coordinamento", sa.Integer, nullable=False),
    sa.Column("oggetto", sa.String(20), nullable=False),
    sa.Column("oggetto_id", sa.String(64), nullable=False),
    sa.Column("azione", sa.String(40), nullable=False),
    sa.Column("descrizione", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)
BY_TIME = sa.Index("registro_modifiche_momento", CHANGES.c.momento)
MIGRATIONS = (create(CHANGES), create(BY_TIME))


@dataclass(frozen=True)
class Change:
    """One line of the log; ``momento`` is UTC."""

    momento: datetime
    autore: str
    chiave: str
    coordinamento: bool
    oggetto: str
    oggetto_id: str
    azione: str
    descrizione: str


def write(conn: Connection, actor: Actor, subject: str, subject_id: str, action: str, summary: str) -> None:
    """Add a line inside the caller's transaction (``subject`` one of :data:`SUBJECTS`)."""
    if subject not in SUBJECTS:
        raise ValueError(f"unknown subject of a change: {subject!r}")
    conn.execute(sa.insert(CHANGES).values(
        momento=utc_now(), autore=clean_text(actor.name, 120, too_long=None), chiave=actor.key,
        coordinamento=int(actor.coordinator), oggetto=subject, oggetto_id=str(subject_id)[:64],
        azione=action[:40], descrizione=clean_text(summary, MAX_SUMMARY_LENGTH, too_long=None)))


class ChangeLog:
    """The change log of the app database.

    Parameters
    ----------
    store : Store
        The app database; the table is created on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)

    def record(self, actor: Actor, subject: str, subject_id: str, action: str, summary: str) -> None:
        """Add a line in a transaction of its own."""
        with self.store.transaction() as conn:
            write(conn, actor, subject, subject_id, action, summary)

    def entries(self, limit: int = 500, subject: str | None = None) -> list[Change]:
        """The most recent ``limit`` lines, newest first (only ``subject``'s, if given)."""
        query = sa.select(*(c for c in CHANGES.c if c.name != "id")).order_by(CHANGES.c.id.desc()).limit(limit)
        if subject is not None:
            query = query.where(CHANGES.c.oggetto == subject)
        with self.store.engine.connect() as conn:
            return [Change(r.momento, r.autore, r.chiave, bool(r.coordinamento), r.oggetto, r.oggetto_id, r.azione,
                           r.descrizione) for r in conn.execute(query)]
