"""Changes to the area vasta made in the app, kept as data with who and when.

The shipped list (``data/area_vasta.csv``) is the starting point; each addition or
removal made by the project team is a row of the ``area_vasta_modifiche`` table.
The current area is the shipped list with the changes replayed in order, so the
history of who changed what, and when, is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

import sqlalchemy as sa

from geo.base.codes import istat_code
from geo.data.shipped import JoinableComuni
from geo.store.database import Store

COMPONENT = "area_vasta"
MIGRATIONS = [
    "CREATE TABLE area_vasta_modifiche ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " istat_code VARCHAR(6) NOT NULL,"
    " azione VARCHAR(10) NOT NULL CHECK (azione IN ('aggiunto', 'rimosso')),"
    " autore VARCHAR(120) NOT NULL,"
    " nota TEXT NOT NULL DEFAULT '',"
    " momento VARCHAR(32) NOT NULL)",
]
MIGRATIONS_POSTGRES = [MIGRATIONS[0].replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY")]
MAX_AUTHOR_LENGTH = 120


class AreaEditError(ValueError):
    """A change the area refuses; the message is in Italian."""


@dataclass(frozen=True)
class AreaEdit:
    """One change: ``azione`` is ``"aggiunto"`` or ``"rimosso"``; ``momento`` in UTC."""

    istat_code: str
    azione: str
    autore: str
    nota: str
    momento: datetime


class AreaEditLog:
    """The table of area changes in the app database.

    Parameters
    ----------
    store : geo.store.database.Store
        The app database.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS_POSTGRES if store.dialect == "postgresql" else MIGRATIONS)

    def edits(self) -> list[AreaEdit]:
        """Every change, oldest first."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT istat_code, azione, autore, nota, momento FROM area_vasta_modifiche ORDER BY id"
            )).all()
        return [AreaEdit(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4])) for r in rows]

    def current_codes(self, shipped: Iterable[str]) -> tuple[str, ...]:
        """The shipped list with every change replayed, sorted."""
        return apply_edits(shipped, self.edits())

    def record(self, code: str, action: str, author: str, shipped: Iterable[str],
               candidates: JoinableComuni, note: str = "", now: datetime | None = None) -> tuple[str, ...]:
        """Add (``"aggiunto"``) or remove (``"rimosso"``) a comune and return the new area.

        Parameters
        ----------
        code : str
            ISTAT code of the comune.
        action : {"aggiunto", "rimosso"}
        author : str
            Who makes the change (required, shown in the history).
        shipped : iterable of str
            The shipped list the changes apply to.
        candidates : JoinableComuni
            Comuni that may join (:func:`geo.data.shipped.joinable_comuni`); its
            Italian refusal names their provinces.
        note : str
            Why, optionally.

        Raises
        ------
        AreaEditError
            Unknown comune, nothing to change, a missing author, or an area that
            would become empty.
        """
        code = istat_code(code)
        author = " ".join(str(author).split())
        if not author:
            raise AreaEditError("Scrivi il tuo nome prima di modificare l'area vasta.")
        if len(author) > MAX_AUTHOR_LENGTH:
            raise AreaEditError(f"Nome troppo lungo (massimo {MAX_AUTHOR_LENGTH} caratteri).")
        if action not in ("aggiunto", "rimosso"):
            raise AreaEditError(f"Azione sconosciuta: {action}.")
        shipped = tuple(shipped)
        with self.store.transaction() as conn:
            # Read and write in one serialised transaction: two people editing at
            # once each see the other's change before theirs is checked. SQLite's
            # BEGIN IMMEDIATE already serialises writers; PostgreSQL needs a lock.
            if self.store.dialect == "postgresql":
                conn.execute(sa.text("LOCK TABLE area_vasta_modifiche IN EXCLUSIVE MODE"))
            rows = conn.execute(sa.text(
                "SELECT istat_code, azione, autore, nota, momento FROM area_vasta_modifiche ORDER BY id"
            )).all()
            current = set(apply_edits(shipped, [AreaEdit(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]))
                                                for r in rows]))
            if action == "aggiunto":
                if code in current:
                    raise AreaEditError("Il comune fa già parte dell'area vasta.")
                if code not in candidates:
                    raise AreaEditError(candidates.refusal)
                current.add(code)
            else:
                if code not in current:
                    raise AreaEditError("Il comune non fa parte dell'area vasta.")
                if len(current) == 1:
                    raise AreaEditError("L'area vasta non può restare senza comuni.")
                current.discard(code)
            moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
            conn.execute(sa.text(
                "INSERT INTO area_vasta_modifiche (istat_code, azione, autore, nota, momento)"
                " VALUES (:c, :a, :u, :n, :m)"
            ), {"c": code, "a": action, "u": author, "n": str(note)[:500], "m": moment.isoformat()})
        return tuple(sorted(current))


def apply_edits(shipped: Iterable[str], edits: Iterable[AreaEdit]) -> tuple[str, ...]:
    """Replay ``edits`` over the ``shipped`` list of codes; returns sorted codes."""
    codes = {istat_code(c) for c in shipped}
    for edit in edits:
        if edit.azione == "aggiunto":
            codes.add(edit.istat_code)
        else:
            codes.discard(edit.istat_code)
    return tuple(sorted(codes))
