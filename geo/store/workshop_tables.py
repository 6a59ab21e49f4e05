"""The workshop tables (component ``laboratori``): workshops, participants, proposals.

The stores are :mod:`geo.store.workshops` (workshops and proposals) and
:mod:`geo.store.workshop_participants` (joining); access is in
:mod:`geo.store.workshop_access`.
"""

from __future__ import annotations

import sqlalchemy as sa

from geo.data.territory import LEGACY_TERRITORY
from geo.store.column_types import CodeList, PlanJson, UtcTimestamp
from geo.store.database import METADATA, create, key_column
from geo.store.workshop_records import Workshop

COMPONENT = "laboratori"
OPEN, CLOSED = "aperto", "chiuso"

def _workshops_table(metadata: sa.MetaData, *territory: sa.Column) -> sa.Table:
    return sa.Table(
        "laboratori", metadata,
        key_column("id", sa.String(32)),
        sa.Column("code", sa.String(6), nullable=False, unique=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("facilitator", sa.String(80), nullable=False),
        sa.Column("plan_json", PlanJson, nullable=False),
        sa.Column("area_json", CodeList, nullable=False),
        sa.Column("status", sa.String(10), sa.CheckConstraint("status IN ('aperto', 'chiuso')"), nullable=False),
        sa.Column("opened_at", UtcTimestamp, nullable=False),
        sa.Column("closed_at", UtcTimestamp),
        *territory,
    )


# v5: the territory of the workshop (rows made before territories are the Pianura Bresciana's).
WORKSHOPS = _workshops_table(METADATA, sa.Column("territory", sa.String(40), nullable=False,
                                                 server_default=LEGACY_TERRITORY))
PARTICIPANTS = sa.Table(
    "laboratori_partecipanti", METADATA,
    key_column("id", sa.String(32)),
    sa.Column("workshop_id", sa.String(32), sa.ForeignKey("laboratori.id"), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("name_key", sa.String(80), nullable=False),
    sa.Column("pin_hash", sa.String(64), nullable=False),
    sa.Column("joined_at", UtcTimestamp, nullable=False),
    sa.UniqueConstraint("workshop_id", "name_key"),
)
PROPOSALS = sa.Table(
    "laboratori_proposte", METADATA,
    # INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, SERIAL on PostgreSQL: ids grow with
    # every sending, so the highest id of a participant is their last proposal.
    sa.Column("id", sa.Integer, primary_key=True, nullable=True, autoincrement=True),
    sa.Column("workshop_id", sa.String(32), sa.ForeignKey("laboratori.id"), nullable=False),
    sa.Column("participant_id", sa.String(32), sa.ForeignKey("laboratori_partecipanti.id"), nullable=False),
    sa.Column("plan_json", PlanJson, nullable=False),
    sa.Column("sent_at", UtcTimestamp, nullable=False),
    sqlite_autoincrement=True,
)
PROPOSALS_BY_WORKSHOP = sa.Index("laboratori_proposte_workshop", PROPOSALS.c.workshop_id, PROPOSALS.c.id)
MIGRATIONS = (create(_workshops_table(sa.MetaData())), create(PARTICIPANTS), create(PROPOSALS),
              create(PROPOSALS_BY_WORKSHOP),
              f"ALTER TABLE laboratori ADD COLUMN territory VARCHAR(40) DEFAULT '{LEGACY_TERRITORY}' NOT NULL")


def row_to_workshop(row) -> Workshop:
    return Workshop(row.id, row.code, row.title, row.facilitator, row.plan_json.with_area(row.area_json),
                    row.area_json, row.status == OPEN, row.opened_at, row.closed_at, row.territory)
