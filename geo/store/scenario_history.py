"""What keeps scenarios from being lost: every saved version, who owns each, and the bin.

Tables of component ``scenari_storia`` beside ``scenari`` (which they never alter,
so the scenario table keeps evolving on its own):

* ``scenari_versioni``: every saved state of every scenario, by revision, with who
  saved it and why (creation, plan, details, restore...); any of them can be
  restored as a new revision;
* ``scenari_proprietari``: the browser (:func:`geo.store.actors.browser_key`) that
  created a scenario: it may always change or delete its own;
* ``scenari_cestino``: deleted scenarios, whole, until the coordination empties the
  bin; restoring puts the row back as it was.

A state is kept as the scenario's row exactly as stored (JSON of the column values
as the database holds them), so columns added to ``scenari`` later travel through
versions and the bin without this module knowing them. Every function here runs in
the caller's transaction (:class:`geo.store.scenarios.ScenarioStore`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.store.actors import Actor
from geo.store.column_types import UtcTimestamp, to_text, utc_now
from geo.store.database import METADATA, create, key_column

COMPONENT = "scenari_storia"
SCENARIO_TABLE = "scenari"
# The columns a restored version takes from its saved row; the others (id, created_at,
# revision, updated_at) belong to the scenario's own timeline.
RESTORED_COLUMNS = ("name", "author", "notes", "plan_json", "area_json")

OWNERS = sa.Table(
    "scenari_proprietari", METADATA,
    key_column("scenario_id", sa.String(32)),
    sa.Column("chiave", sa.String(32), nullable=False),
)
VERSIONS = sa.Table(
    "scenari_versioni", METADATA,
    sa.Column("scenario_id", sa.String(32), primary_key=True),
    sa.Column("revisione", sa.Integer, primary_key=True),
    sa.Column("azione", sa.String(40), nullable=False),
    sa.Column("autore", sa.String(120), nullable=False),
    sa.Column("chiave", sa.String(32), nullable=False),
    sa.Column("coordinamento", sa.Integer, nullable=False),
    sa.Column("registrata_il", UtcTimestamp, nullable=False),
    sa.Column("dati", sa.Text, nullable=False),
)
BIN = sa.Table(
    "scenari_cestino", METADATA,
    key_column("scenario_id", sa.String(32)),
    sa.Column("nome", sa.String(200), nullable=False),
    sa.Column("eliminato_il", UtcTimestamp, nullable=False),
    sa.Column("autore", sa.String(120), nullable=False),
    sa.Column("chiave", sa.String(32), nullable=False),
    sa.Column("dati", sa.Text, nullable=False),
)
MIGRATIONS = (create(OWNERS), create(VERSIONS), create(BIN))


@dataclass(frozen=True)
class ScenarioVersion:
    """One saved state of a scenario (``saved_at`` UTC; ``author`` as typed, may be empty)."""

    scenario_id: str
    revision: int
    action: str
    author: str
    by_coordination: bool
    saved_at: datetime
    name: str
    notes: str
    zones: int


@dataclass(frozen=True)
class BinEntry:
    """A deleted scenario waiting in the bin (``deleted_at`` UTC)."""

    scenario_id: str
    name: str
    deleted_at: datetime
    deleted_by: str
    owner_key: str


# -- rows as stored ---------------------------------------------------------------------
def raw_row(conn: Connection, scenario_id: str) -> dict | None:
    """The scenario's row with every column as the database holds it (text, numbers)."""
    row = conn.execute(sa.text(f"SELECT * FROM {SCENARIO_TABLE} WHERE id = :id"), {"id": scenario_id}).mappings().first()
    return dict(row) if row is not None else None


def _lightweight(columns) -> sa.TableClause:
    # Untyped columns: values go in exactly as they were read (no type conversion).
    return sa.table(SCENARIO_TABLE, *(sa.column(name) for name in columns))


def insert_raw(conn: Connection, row: dict, known_columns) -> None:
    """Put a row read by :func:`raw_row` back (columns the table no longer has are dropped)."""
    kept = {k: v for k, v in row.items() if k in set(known_columns)}
    conn.execute(sa.insert(_lightweight(kept)).values(**kept))


def restore_columns(conn: Connection, scenario_id: str, saved: dict, expected_revision: int) -> bool:
    """Write the :data:`RESTORED_COLUMNS` of a saved row over the scenario if its revision is
    still ``expected_revision`` (one statement: a concurrent change wins, nothing is written);
    the revision grows by one and the time is now. True when written."""
    values = {k: saved[k] for k in RESTORED_COLUMNS if k in saved}
    table = _lightweight([*values, "id", "revision", "updated_at"])
    result = conn.execute(sa.update(table)
                          .where(table.c.id == scenario_id, table.c.revision == int(expected_revision))
                          .values(**values, updated_at=to_text(utc_now()), revision=table.c.revision + 1))
    return result.rowcount == 1


# -- owners -----------------------------------------------------------------------------------
def owner_of(conn: Connection, scenario_id: str) -> str:
    """The key of the browser that created the scenario (``""``: unknown, e.g. saved
    before owners were kept: only the coordination may change it)."""
    return conn.execute(sa.select(OWNERS.c.chiave).where(OWNERS.c.scenario_id == scenario_id)).scalar() or ""


def set_owner(conn: Connection, scenario_id: str, key: str) -> None:
    if key:
        conn.execute(sa.insert(OWNERS).values(scenario_id=scenario_id, chiave=key))


def may_change(owner_key: str, actor: Actor) -> bool:
    """The coordination may change any scenario; a browser, the ones it created."""
    return actor.coordinator or (bool(owner_key) and owner_key == actor.key)


# -- versions ---------------------------------------------------------------------------------
def keep_version(conn: Connection, scenario_id: str, action: str, actor: Actor) -> None:
    """Keep the scenario's current state as its version (once per revision: a state saved
    before versions were kept gets its version the first time it is changed)."""
    row = raw_row(conn, scenario_id)
    if row is None:
        return
    revision = int(row["revision"])
    exists = conn.execute(sa.select(VERSIONS.c.revisione).where(
        VERSIONS.c.scenario_id == scenario_id, VERSIONS.c.revisione == revision)).first()
    if exists is None:
        conn.execute(sa.insert(VERSIONS).values(
            scenario_id=scenario_id, revisione=revision, azione=action[:40], autore=actor.name[:120],
            chiave=actor.key, coordinamento=int(actor.coordinator), registrata_il=utc_now(),
            dati=json.dumps(row, ensure_ascii=False, default=str)))


def saved_row(conn: Connection, scenario_id: str, revision: int) -> dict | None:
    """The row as it was at ``revision`` (``None``: no such version)."""
    data = conn.execute(sa.select(VERSIONS.c.dati).where(
        VERSIONS.c.scenario_id == scenario_id, VERSIONS.c.revisione == int(revision))).scalar()
    return json.loads(data) if data is not None else None


def versions(conn: Connection, scenario_id: str) -> list[ScenarioVersion]:
    """Every kept version of the scenario, newest first."""
    rows = conn.execute(sa.select(VERSIONS).where(VERSIONS.c.scenario_id == scenario_id)
                        .order_by(VERSIONS.c.revisione.desc())).all()
    out = []
    for r in rows:
        data = json.loads(r.dati)
        zones = len(json.loads(data.get("plan_json") or "{}").get("zones", []))
        out.append(ScenarioVersion(r.scenario_id, int(r.revisione), r.azione, r.autore, bool(r.coordinamento),
                                   r.registrata_il, str(data.get("name", "")), str(data.get("notes", "")), zones))
    return out


# -- bin --------------------------------------------------------------------------------------
def to_bin(conn: Connection, scenario_id: str, actor: Actor) -> dict | None:
    """Move the scenario's row into the bin (its versions and owner stay); returns the row."""
    row = raw_row(conn, scenario_id)
    if row is None:
        return None
    conn.execute(sa.delete(BIN).where(BIN.c.scenario_id == scenario_id))
    conn.execute(sa.insert(BIN).values(scenario_id=scenario_id, nome=str(row.get("name", ""))[:200],
                                       eliminato_il=utc_now(), autore=actor.name[:120], chiave=actor.key,
                                       dati=json.dumps(row, ensure_ascii=False, default=str)))
    conn.execute(sa.text(f"DELETE FROM {SCENARIO_TABLE} WHERE id = :id"), {"id": scenario_id})
    return row


def binned_row(conn: Connection, scenario_id: str) -> dict | None:
    data = conn.execute(sa.select(BIN.c.dati).where(BIN.c.scenario_id == scenario_id)).scalar()
    return json.loads(data) if data is not None else None


def leave_bin(conn: Connection, scenario_id: str) -> None:
    conn.execute(sa.delete(BIN).where(BIN.c.scenario_id == scenario_id))


def bin_entries(conn: Connection) -> list[BinEntry]:
    """The bin, most recently deleted first."""
    query = (sa.select(BIN.c.scenario_id, BIN.c.nome, BIN.c.eliminato_il, BIN.c.autore,
                       sa.func.coalesce(OWNERS.c.chiave, ""))
             .select_from(BIN.outerjoin(OWNERS, OWNERS.c.scenario_id == BIN.c.scenario_id))
             .order_by(BIN.c.eliminato_il.desc(), BIN.c.scenario_id))
    return [BinEntry(*row) for row in conn.execute(query)]


def purge(conn: Connection, scenario_ids) -> int:
    """Delete binned scenarios for good (with their versions and owner); returns how many."""
    ids = [i for i in scenario_ids]
    if not ids:
        return 0
    gone = conn.execute(sa.delete(BIN).where(BIN.c.scenario_id.in_(ids))).rowcount
    conn.execute(sa.delete(VERSIONS).where(VERSIONS.c.scenario_id.in_(ids)))
    conn.execute(sa.delete(OWNERS).where(OWNERS.c.scenario_id.in_(ids)))
    return gone
