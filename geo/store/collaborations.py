"""Collaborations in the app database (component ``"collaborazioni"``).

The first time a database is opened, the sourced records of
``data/collaborazioni.json`` are copied into it; from then on the database is the
truth and the users' additions, edits and closures survive restarts. Nothing is
ever deleted: every saved state is also kept, numbered, in
``collaborazioni_versioni`` (who, when, what), so an edit can always be traced and
undone by hand.

Concurrent edits (a room of people on one server) are caught with a version number:
an update names the version it started from and is refused if someone saved in the
meantime, instead of silently overwriting their work.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.collaborations.catalogue import load_seed
from geo.collaborations.model import Collaboration, CollaborationError
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create, key_column

COMPONENT = "collaborazioni"
MAX_AUTHOR_LENGTH = 120

# The current state of each collaboration (JSON of Collaboration.to_dict) and its version.
CURRENT = sa.Table(
    "collaborazioni", METADATA,
    key_column("id", sa.String(64)),
    sa.Column("dati", sa.Text, nullable=False),
    sa.Column("versione", sa.Integer, nullable=False),
    sa.Column("aggiornata_il", UtcTimestamp, nullable=False),
)
# Every saved state, numbered: nothing is ever lost.
VERSIONS = sa.Table(
    "collaborazioni_versioni", METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("versione", sa.Integer, primary_key=True),
    sa.Column("azione", sa.String(32), nullable=False),
    sa.Column("autore", sa.String(120), nullable=False),
    sa.Column("registrata_il", UtcTimestamp, nullable=False),
    sa.Column("dati", sa.Text, nullable=False),
)


class ConcurrentEditError(CollaborationError):
    """Someone else saved the collaboration after it was opened."""


def _json(collaboration: Collaboration) -> str:
    return json.dumps(collaboration.to_dict(), ensure_ascii=False, sort_keys=True)


def _write_version(conn: Connection, c: Collaboration, version: int, action: str, author: str) -> None:
    conn.execute(sa.insert(VERSIONS).values(id=c.id, versione=version, azione=action,
                                            autore=author[:MAX_AUTHOR_LENGTH], registrata_il=utc_now(),
                                            dati=_json(c)))


def _insert(conn: Connection, c: Collaboration, action: str, author: str) -> None:
    conn.execute(sa.insert(CURRENT).values(id=c.id, dati=_json(c), versione=1, aggiornata_il=utc_now()))
    _write_version(conn, c, 1, action, author)


def _stored(conn: Connection, *conditions) -> list[Collaboration]:
    rows = conn.execute(sa.select(CURRENT.c.dati).where(*conditions)).scalars()
    return [Collaboration.from_dict(json.loads(r)) for r in rows]


def _migrations(seed: Iterable[Collaboration]) -> list:
    def seed_step(conn: Connection) -> None:
        for collaboration in seed:
            _insert(conn, collaboration, "dati iniziali", "data/collaborazioni.json")

    return [create(CURRENT), create(VERSIONS), seed_step]


class CollaborationStore:
    """Read and change the collaborations kept in a :class:`geo.store.database.Store`.

    Parameters
    ----------
    store : Store
        The app database (SQLite file or PostgreSQL).
    seed : iterable of Collaboration, optional
        Records copied in when the component is created; default the shipped
        ``data/collaborazioni.json``. Only ever applied once per database.
    """

    def __init__(self, store: Store, seed: Iterable[Collaboration] | None = None):
        self.store = store
        store.migrate(COMPONENT, _migrations(load_seed() if seed is None else tuple(seed)))

    # -- reading ------------------------------------------------------------------
    def all(self) -> tuple[Collaboration, ...]:
        """Every collaboration, closed ones included, sorted by name."""
        with self.store.engine.connect() as conn:
            return tuple(sorted(_stored(conn), key=lambda c: (c.name.casefold(), c.id)))

    def get(self, collaboration_id: str) -> tuple[Collaboration, int]:
        """The collaboration and its current version number (pass it back to :meth:`update`)."""
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(CURRENT.c.dati, CURRENT.c.versione)
                               .where(CURRENT.c.id == collaboration_id)).first()
        if row is None:
            raise CollaborationError(f"Collaborazione inesistente: «{collaboration_id}».")
        return Collaboration.from_dict(json.loads(row.dati)), int(row.versione)

    def history(self, collaboration_id: str) -> list[dict]:
        """Saved versions, oldest first: ``versione``, ``azione``, ``autore``,
        ``registrata_il`` (aware UTC datetime), ``dati`` (the record as a dictionary)."""
        query = (sa.select(VERSIONS.c.versione, VERSIONS.c.azione, VERSIONS.c.autore, VERSIONS.c.registrata_il,
                           VERSIONS.c.dati)
                 .where(VERSIONS.c.id == collaboration_id).order_by(VERSIONS.c.versione))
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [dict(r, dati=json.loads(r["dati"])) for r in rows]

    # -- changes (each one transaction) -------------------------------------------------
    def add(self, collaboration: Collaboration, author: str = "") -> Collaboration:
        """Save a new collaboration; refused if its id or name is already used."""
        return self.add_many([collaboration], author)[0]

    def add_many(self, collaborations: Iterable[Collaboration], author: str = "",
                 action: str = "creazione") -> list[Collaboration]:
        """Save several new collaborations atomically: all of them, or none."""
        new = list(collaborations)
        with self.store.transaction() as conn:
            existing = _stored(conn)
            ids = {c.id for c in existing}
            names = {c.name.casefold() for c in existing}
            for c in new:
                if c.id in ids:
                    raise CollaborationError(f"Esiste già una collaborazione con identificativo «{c.id}».")
                if c.name.casefold() in names:
                    raise CollaborationError(f"Esiste già una collaborazione chiamata «{c.name}».")
                ids.add(c.id)
                names.add(c.name.casefold())
                _insert(conn, c, action, author)
        return new

    def update(self, collaboration: Collaboration, expected_version: int, author: str = "",
               action: str = "modifica") -> int:
        """Replace a collaboration (same id) if nobody saved it since ``expected_version``.

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        ConcurrentEditError
            If the stored version is not ``expected_version``.
        """
        with self.store.transaction() as conn:
            others = _stored(conn, CURRENT.c.id != collaboration.id)
            if any(c.name.casefold() == collaboration.name.casefold() for c in others):
                raise CollaborationError(f"Esiste già una collaborazione chiamata «{collaboration.name}».")
            # The version test and the write are one statement: of two sessions saving
            # from the same version, only one succeeds.
            result = conn.execute(
                sa.update(CURRENT)
                .where(CURRENT.c.id == collaboration.id, CURRENT.c.versione == expected_version)
                .values(dati=_json(collaboration), versione=CURRENT.c.versione + 1, aggiornata_il=utc_now()))
            if result.rowcount != 1:
                raise ConcurrentEditError(
                    "Nel frattempo qualcun altro ha modificato questa collaborazione: "
                    "ricarica la pagina per vedere la versione attuale e riprova."
                )
            _write_version(conn, collaboration, expected_version + 1, action, author)
        return expected_version + 1

    def close(self, collaboration_id: str, end_date: dt.date, expected_version: int,
              author: str = "", today: dt.date | None = None) -> Collaboration:
        """Record the end of a collaboration (see :meth:`Collaboration.closed`)."""
        current, _ = self.get(collaboration_id)
        closed = current.closed(end_date, today)
        self.update(closed, expected_version, author, action="chiusura")
        return closed
