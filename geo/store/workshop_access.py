"""Who may conduct a workshop and who takes part in it: the facilitator's key, one
participant per browser, participants the facilitator removed.

Tables of component ``laboratori_accesso`` beside the workshop tables (which they
never alter):

* ``laboratori_chiavi``: the salted hash of each workshop's *facilitator key*
  (shown once when the workshop opens; needed to resume, close, reopen it and to
  remove participants). A workshop opened before keys existed has none: only the
  coordination may resume it;
* ``laboratori_browser``: which participant each browser is in a workshop
  (:func:`geo.store.actors.browser_key`): a browser takes part under one name only;
* ``laboratori_esclusi``: participants the facilitator removed: they may not send
  or rejoin, their proposals stay in the record but leave the consensus.

Every function runs in the caller's transaction (:class:`geo.store.workshops.WorkshopStore`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.base.passwords import hash_secret, random_secret, secret_matches
from geo.store.attempts import Limit
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, create, key_column

COMPONENT = "laboratori_accesso"
KEY_GROUPS, KEY_SIZE = 3, 4  # "k7pq-r2mx-we9a": 12 symbols of 31, 59 bits
PIN_LIMIT = Limit(failures=5, window_seconds=60)  # per name, per browser
KEY_LIMIT = Limit(failures=5, window_seconds=60)  # per workshop, per browser

KEYS = sa.Table(
    "laboratori_chiavi", METADATA,
    key_column("workshop_id", sa.String(32)),
    sa.Column("chiave_hash", sa.String(200), nullable=False),
)
BROWSERS = sa.Table(
    "laboratori_browser", METADATA,
    sa.Column("workshop_id", sa.String(32), primary_key=True),
    sa.Column("browser", sa.String(32), primary_key=True),
    sa.Column("participant_id", sa.String(32), nullable=False),
)
REMOVED = sa.Table(
    "laboratori_esclusi", METADATA,
    sa.Column("workshop_id", sa.String(32), primary_key=True),
    sa.Column("participant_id", sa.String(32), primary_key=True),
    sa.Column("escluso_il", UtcTimestamp, nullable=False),
    sa.Column("escluso_da", sa.String(120), nullable=False),
)
MIGRATIONS = (create(KEYS), create(BROWSERS), create(REMOVED))


def new_facilitator_key() -> str:
    return random_secret(KEY_GROUPS, KEY_SIZE)


def keep_key(conn: Connection, workshop_id: str, key: str) -> None:
    conn.execute(sa.insert(KEYS).values(workshop_id=workshop_id, chiave_hash=hash_secret(key)))


def key_matches(conn: Connection, workshop_id: str, typed: str) -> bool | None:
    """True or False for the typed key; ``None`` when the workshop has no key (opened before keys)."""
    stored = conn.execute(sa.select(KEYS.c.chiave_hash).where(KEYS.c.workshop_id == workshop_id)).scalar()
    return None if stored is None else secret_matches(typed, stored)


def participant_of_browser(conn: Connection, workshop_id: str, browser: str) -> str | None:
    if not browser:
        return None
    return conn.execute(sa.select(BROWSERS.c.participant_id).where(
        BROWSERS.c.workshop_id == workshop_id, BROWSERS.c.browser == browser)).scalar()


def link_browser(conn: Connection, workshop_id: str, browser: str, participant_id: str) -> None:
    """From now on this browser is ``participant_id`` in the workshop (a second device of the same person)."""
    if browser and participant_of_browser(conn, workshop_id, browser) is None:
        conn.execute(sa.insert(BROWSERS).values(workshop_id=workshop_id, browser=browser,
                                                participant_id=participant_id))


def removed_ids(conn: Connection, workshop_id: str) -> set[str]:
    return set(conn.execute(sa.select(REMOVED.c.participant_id).where(REMOVED.c.workshop_id == workshop_id))
               .scalars())


def remove(conn: Connection, workshop_id: str, participant_id: str, by: str) -> bool:
    """Mark a participant removed (once); True when this call removed them."""
    if participant_id in removed_ids(conn, workshop_id):
        return False
    conn.execute(sa.insert(REMOVED).values(workshop_id=workshop_id, participant_id=participant_id,
                                           escluso_il=utc_now(), escluso_da=by[:120]))
    return True


def removed_count(workshop_id_column) -> sa.ScalarSelect:
    """How many participants were removed, as a subquery correlated to ``workshop_id_column``."""
    return (sa.select(sa.func.count()).select_from(REMOVED)
            .where(REMOVED.c.workshop_id == workshop_id_column).scalar_subquery())
