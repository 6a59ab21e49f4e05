"""Changes to the area vasta made in the app, kept as data with who and when.

Each territory's shipped list (``data/area_vasta.csv`` for the Pianura Bresciana)
is the starting point; each addition or removal made by the project team is a row
of the ``area_vasta_modifiche`` table, in its territory (column ``territorio``,
v2; earlier rows are the Pianura Bresciana's). The current area is the shipped list
with the territory's changes replayed in order, so the history of who changed
what, and when, is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.text import clean_text
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create
from geo.data.shipped import JoinableComuni
from geo.data.territory import LEGACY_TERRITORY

COMPONENT = "area_vasta"
ACTIONS = ("aggiunto", "rimosso")
MAX_AUTHOR_LENGTH = 120
MAX_NOTE_LENGTH = 500



def _edits_table(metadata: sa.MetaData, *territory: sa.Column) -> sa.Table:
    return sa.Table(
        "area_vasta_modifiche", metadata,
        # INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, SERIAL on PostgreSQL: ids grow, so
        # ``ORDER BY id`` replays the changes in the order they were made.
        sa.Column("id", sa.Integer, primary_key=True, nullable=True, autoincrement=True),
        sa.Column("istat_code", sa.String(6), nullable=False),
        sa.Column("azione", sa.String(10), sa.CheckConstraint("azione IN ('aggiunto', 'rimosso')"), nullable=False),
        sa.Column("autore", sa.String(120), nullable=False),
        sa.Column("nota", sa.Text, nullable=False, server_default=""),
        sa.Column("momento", UtcTimestamp, nullable=False),
        *territory,
        sqlite_autoincrement=True,
    )


EDITS = _edits_table(METADATA, sa.Column("territorio", sa.String(40), nullable=False,
                                         server_default=LEGACY_TERRITORY))
MIGRATIONS = (create(_edits_table(sa.MetaData())),
              f"ALTER TABLE area_vasta_modifiche ADD COLUMN territorio VARCHAR(40) DEFAULT '{LEGACY_TERRITORY}' "
              "NOT NULL")
_COLUMNS = (EDITS.c.istat_code, EDITS.c.azione, EDITS.c.autore, EDITS.c.nota, EDITS.c.momento)


class AreaEditError(UserError):
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
        store.migrate(COMPONENT, MIGRATIONS)

    def edits(self, territory: str = LEGACY_TERRITORY) -> list[AreaEdit]:
        """Every change of the territory's area, oldest first."""
        with self.store.engine.connect() as conn:
            return self._edits(conn, territory)

    def current_codes(self, shipped: Iterable[str], territory: str = LEGACY_TERRITORY) -> tuple[str, ...]:
        """The territory's shipped list with every change replayed, sorted."""
        return apply_edits(shipped, self.edits(territory))

    def record(self, code: str, action: str, author: str, shipped: Iterable[str],
               candidates: JoinableComuni, note: str = "", now: datetime | None = None,
               territory: str = LEGACY_TERRITORY) -> tuple[str, ...]:
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
            Why, optionally (cut to 500 characters).
        now : datetime, optional
            When (aware); default now.
        territory : str
            The territory whose area changes (its id).

        Raises
        ------
        AreaEditError
            Unknown comune, nothing to change, a missing author, or an area that
            would become empty.
        """
        code = istat_code(code)
        author = clean_text(author, MAX_AUTHOR_LENGTH, error=AreaEditError,
                            empty="Scrivi il tuo nome prima di modificare l'area vasta.",
                            too_long=f"Nome troppo lungo (massimo {MAX_AUTHOR_LENGTH} caratteri).")
        note = clean_text(note, MAX_NOTE_LENGTH, multiline=True, too_long=None)
        if action not in ACTIONS:
            raise AreaEditError(f"Azione sconosciuta: {action}.")
        shipped = tuple(shipped)
        with self.store.transaction() as conn:
            # Read and write in one serialised transaction: two people editing at
            # once each see the other's change before theirs is checked. SQLite's
            # BEGIN IMMEDIATE already serialises writers; PostgreSQL needs a lock.
            if self.store.dialect == "postgresql":
                conn.execute(sa.text("LOCK TABLE area_vasta_modifiche IN EXCLUSIVE MODE"))
            current = set(apply_edits(shipped, self._edits(conn, territory)))
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
            conn.execute(sa.insert(EDITS).values(istat_code=code, azione=action, autore=author, nota=note,
                                                 momento=now or utc_now(), territorio=territory))
        return tuple(sorted(current))

    @staticmethod
    def _edits(conn, territory: str) -> list[AreaEdit]:
        query = sa.select(*_COLUMNS).where(EDITS.c.territorio == territory).order_by(EDITS.c.id)
        return [AreaEdit(*row) for row in conn.execute(query)]


def apply_edits(shipped: Iterable[str], edits: Iterable[AreaEdit]) -> tuple[str, ...]:
    """Replay ``edits`` over the ``shipped`` list of codes; returns sorted codes."""
    codes = {istat_code(c) for c in shipped}
    for edit in edits:
        if edit.azione == "aggiunto":
            codes.add(edit.istat_code)
        else:
            codes.discard(edit.istat_code)
    return tuple(sorted(codes))
