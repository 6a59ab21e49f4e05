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

from geo.collaborations.model import Collaboration, CollaborationError, load_seed
from geo.store.database import Store

COMPONENT = "collaborazioni"


class ConcurrentEditError(CollaborationError):
    """Someone else saved the collaboration after it was opened."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _json(collaboration: Collaboration) -> str:
    return json.dumps(collaboration.to_dict(), ensure_ascii=False, sort_keys=True)


def _write_version(conn: Connection, c: Collaboration, version: int, action: str, author: str) -> None:
    conn.execute(
        sa.text("INSERT INTO collaborazioni_versioni (id, versione, azione, autore, registrata_il, dati)"
                " VALUES (:id, :v, :a, :autore, :t, :d)"),
        {"id": c.id, "v": version, "a": action, "autore": author[:120], "t": _now(), "d": _json(c)},
    )


def _insert(conn: Connection, c: Collaboration, action: str, author: str) -> None:
    conn.execute(
        sa.text("INSERT INTO collaborazioni (id, dati, versione, aggiornata_il) VALUES (:id, :d, 1, :t)"),
        {"id": c.id, "d": _json(c), "t": _now()},
    )
    _write_version(conn, c, 1, action, author)


def _migrations(seed: Iterable[Collaboration]) -> list:
    def seed_step(conn: Connection) -> None:
        for collaboration in seed:
            _insert(conn, collaboration, "dati iniziali", "data/collaborazioni.json")

    return [
        "CREATE TABLE collaborazioni ("
        " id VARCHAR(64) PRIMARY KEY, dati TEXT NOT NULL, versione INTEGER NOT NULL,"
        " aggiornata_il VARCHAR(32) NOT NULL)",
        "CREATE TABLE collaborazioni_versioni ("
        " id VARCHAR(64) NOT NULL, versione INTEGER NOT NULL, azione VARCHAR(32) NOT NULL,"
        " autore VARCHAR(120) NOT NULL, registrata_il VARCHAR(32) NOT NULL, dati TEXT NOT NULL,"
        " PRIMARY KEY (id, versione))",
        seed_step,
    ]


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
            rows = conn.execute(sa.text("SELECT dati FROM collaborazioni")).scalars().all()
        return tuple(sorted((Collaboration.from_dict(json.loads(r)) for r in rows),
                            key=lambda c: (c.name.casefold(), c.id)))

    def get(self, collaboration_id: str) -> tuple[Collaboration, int]:
        """The collaboration and its current version number (pass it back to :meth:`update`)."""
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.text("SELECT dati, versione FROM collaborazioni WHERE id = :id"),
                               {"id": collaboration_id}).first()
        if row is None:
            raise CollaborationError(f"Collaborazione inesistente: «{collaboration_id}».")
        return Collaboration.from_dict(json.loads(row[0])), int(row[1])

    def history(self, collaboration_id: str) -> list[dict]:
        """Saved versions, oldest first: ``versione``, ``azione``, ``autore``, ``registrata_il``, ``dati``."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT versione, azione, autore, registrata_il, dati FROM collaborazioni_versioni"
                        " WHERE id = :id ORDER BY versione"), {"id": collaboration_id}).mappings().all()
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
            existing = [Collaboration.from_dict(json.loads(r)) for r in
                        conn.execute(sa.text("SELECT dati FROM collaborazioni")).scalars()]
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
            clash = conn.execute(
                sa.text("SELECT dati FROM collaborazioni WHERE id <> :id"), {"id": collaboration.id}
            ).scalars()
            if any(json.loads(d)["name"].casefold() == collaboration.name.casefold() for d in clash):
                raise CollaborationError(f"Esiste già una collaborazione chiamata «{collaboration.name}».")
            result = conn.execute(
                sa.text("UPDATE collaborazioni SET dati = :d, versione = versione + 1, aggiornata_il = :t"
                        " WHERE id = :id AND versione = :v"),
                {"d": _json(collaboration), "t": _now(), "id": collaboration.id, "v": expected_version},
            )
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
