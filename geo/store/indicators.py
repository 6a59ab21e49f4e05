"""Imported indicators in the app database (component ``"indicatori_importati"``).

Each indicator is one row of ``indicatori_importati`` (the record as JSON, its
revision, whether it is deleted) and every state ever saved is kept, numbered, in
``indicatori_importati_versioni`` (who, when, which action, the record). Deleting
only marks the row: it can be restored, with its values, by anyone. Every change
names the revision it started from and is refused if someone saved in the meantime,
so nobody's work is silently overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.base.errors import UserError
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create, key_column
from geo.zoning.imported_indicators import ImportedIndicator

COMPONENT = "indicatori_importati"
MAX_AUTHOR_LENGTH = 120

CURRENT = sa.Table(
    "indicatori_importati", METADATA,
    key_column("id", sa.String(64)),
    sa.Column("dati", sa.Text, nullable=False),
    sa.Column("revisione", sa.Integer, nullable=False),
    sa.Column("eliminato", sa.Boolean, nullable=False),
    sa.Column("aggiornato_il", UtcTimestamp, nullable=False),
)
VERSIONS = sa.Table(
    "indicatori_importati_versioni", METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("revisione", sa.Integer, primary_key=True),
    sa.Column("azione", sa.String(32), nullable=False),
    sa.Column("autore", sa.String(MAX_AUTHOR_LENGTH), nullable=False),
    sa.Column("registrata_il", UtcTimestamp, nullable=False),
    sa.Column("dati", sa.Text, nullable=False),
)
MIGRATIONS = (create(CURRENT), create(VERSIONS))
_CONFLICT = ("Nel frattempo qualcun altro ha modificato l'indicatore «{label}»: ricarica la pagina per vedere "
             "la versione attuale e riprova.")


class IndicatorStoreError(UserError):
    """A change refused; the message is in Italian."""


@dataclass(frozen=True)
class StoredIndicator:
    """An indicator as stored: the record, its revision, when it last changed, deleted or not."""

    record: ImportedIndicator
    revision: int
    updated_at: datetime
    deleted: bool


def _json(record: ImportedIndicator) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True)


def _row(row) -> StoredIndicator:
    return StoredIndicator(ImportedIndicator.from_dict(json.loads(row.dati)), int(row.revisione), row.aggiornato_il,
                           bool(row.eliminato))


class IndicatorStore:
    """Read and change the imported indicators of a :class:`geo.store.database.Store`."""

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)

    # -- reading --------------------------------------------------------------------------
    def _select(self, *conditions) -> list[StoredIndicator]:
        query = sa.select(CURRENT).where(*conditions)
        with self.store.engine.connect() as conn:
            stored = [_row(r) for r in conn.execute(query)]
        return sorted(stored, key=lambda s: (s.record.label.casefold(), s.record.key))

    def active(self) -> tuple[StoredIndicator, ...]:
        """The indicators in use (not deleted), by name."""
        return tuple(self._select(CURRENT.c.eliminato.is_(False)))

    def deleted(self) -> tuple[StoredIndicator, ...]:
        """The deleted indicators, which can be restored."""
        return tuple(self._select(CURRENT.c.eliminato.is_(True)))

    def fingerprint(self) -> tuple[tuple[str, int], ...]:
        """``(key, revision)`` of the active indicators: one small query, so a cache of
        the data built from them knows when to rebuild."""
        query = sa.select(CURRENT.c.id, CURRENT.c.revisione).where(CURRENT.c.eliminato.is_(False)).order_by(CURRENT.c.id)
        with self.store.engine.connect() as conn:
            return tuple((r.id, int(r.revisione)) for r in conn.execute(query))

    def keys(self) -> set[str]:
        """Every key ever used, deleted ones included (a new import never reuses one)."""
        with self.store.engine.connect() as conn:
            return set(conn.execute(sa.select(CURRENT.c.id)).scalars())

    def history(self, key: str) -> list[dict]:
        """Saved versions, oldest first: ``revisione``, ``azione``, ``autore``, ``registrata_il``, ``record``."""
        query = (sa.select(VERSIONS).where(VERSIONS.c.id == key).order_by(VERSIONS.c.revisione))
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [{"revisione": r.revisione, "azione": r.azione, "autore": r.autore, "registrata_il": r.registrata_il,
                 "record": ImportedIndicator.from_dict(json.loads(r.dati))} for r in rows]

    # -- changes (each one transaction) ----------------------------------------------------------
    def add(self, records: Iterable[ImportedIndicator], author: str) -> None:
        """Save new indicators, all or none; a key already used or the name of an
        indicator in use is refused."""
        self.save(records, (), author)

    def save(self, new: Iterable[ImportedIndicator], updates: Iterable[tuple[ImportedIndicator, int]],
             author: str) -> None:
        """Save new indicators and new versions of existing ones (``(record, expected
        revision)``) in one transaction: all of them, or none."""
        with self.store.transaction() as conn:
            for record, expected in updates:
                self._change_in(conn, record.key, expected, author, "aggiornamento", record=record, deleted=False)
            existing = conn.execute(sa.select(CURRENT.c.id, CURRENT.c.dati, CURRENT.c.eliminato)).all()
            keys = {r.id for r in existing}
            names = {json.loads(r.dati)["label"].casefold() for r in existing if not r.eliminato}
            for record in new:
                if record.key in keys:
                    raise IndicatorStoreError(f"Esiste già un indicatore con la chiave «{record.key}».")
                if record.label.casefold() in names:
                    raise IndicatorStoreError(f"Esiste già un indicatore chiamato «{record.label}»: scegli un altro "
                                              "nome, oppure aggiorna quello esistente.")
                keys.add(record.key)
                names.add(record.label.casefold())
                conn.execute(sa.insert(CURRENT).values(id=record.key, dati=_json(record), revisione=1,
                                                       eliminato=False, aggiornato_il=utc_now()))
                self._version(conn, record, 1, "importazione", author)

    def replace(self, record: ImportedIndicator, expected_revision: int, author: str) -> int:
        """Save a new version of an indicator in use (same key: new values, year, source...)."""
        return self._change(record.key, expected_revision, author, "aggiornamento", record=record, deleted=False)

    def delete(self, key: str, expected_revision: int, author: str) -> int:
        """Mark an indicator deleted (values and versions kept: :meth:`restore` brings it back)."""
        return self._change(key, expected_revision, author, "eliminazione", deleted=True)

    def restore(self, key: str, expected_revision: int, author: str) -> int:
        return self._change(key, expected_revision, author, "ripristino", deleted=False)

    def _change(self, key: str, expected: int, author: str, action: str, *,
                record: ImportedIndicator | None = None, deleted: bool) -> int:
        with self.store.transaction() as conn:
            return self._change_in(conn, key, expected, author, action, record=record, deleted=deleted)

    def _change_in(self, conn: Connection, key: str, expected: int, author: str, action: str, *,
                   record: ImportedIndicator | None, deleted: bool) -> int:
        row = conn.execute(sa.select(CURRENT).where(CURRENT.c.id == key)).first()
        if row is None:
            raise IndicatorStoreError(f"L'indicatore «{key}» non esiste.")
        current = ImportedIndicator.from_dict(json.loads(row.dati))
        new = record or current
        if not deleted and (row.eliminato or record is not None):
            others = conn.execute(sa.select(CURRENT.c.dati).where(CURRENT.c.id != key,
                                                                  CURRENT.c.eliminato.is_(False))).scalars()
            if any(json.loads(d)["label"].casefold() == new.label.casefold() for d in others):
                raise IndicatorStoreError(f"Esiste già un indicatore in uso chiamato «{new.label}».")
        # The revision test and the write are one statement: of two sessions, only one succeeds.
        result = conn.execute(sa.update(CURRENT).where(CURRENT.c.id == key, CURRENT.c.revisione == expected)
                              .values(dati=_json(new), revisione=expected + 1, eliminato=deleted,
                                      aggiornato_il=utc_now()))
        if result.rowcount != 1:
            raise IndicatorStoreError(_CONFLICT.format(label=current.label))
        self._version(conn, new, expected + 1, action, author)
        return expected + 1

    @staticmethod
    def _version(conn: Connection, record: ImportedIndicator, revision: int, action: str, author: str) -> None:
        conn.execute(sa.insert(VERSIONS).values(id=record.key, revisione=revision, azione=action,
                                                autore=(author or "")[:MAX_AUTHOR_LENGTH], registrata_il=utc_now(),
                                                dati=_json(record)))
