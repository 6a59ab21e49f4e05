"""The coordination password, when the server was not given one: made once, kept hashed.

Coordination (who may delete or overwrite others' scenarios, edit the area vasta and
the collaborations, open workshops) is one shared password, not accounts. An
administrator may set it (environment variable or Streamlit secrets: the glue reads
them); otherwise the first process that needs it makes a strong random one
(:func:`geo.base.passwords.random_secret`), keeps only its salted hash in the table
``coordinamento`` (component ``coordinamento``) and hands it back once, to be printed
in that process's log, as Jupyter does with its token. The row is inserted with a
fixed key, so of two processes starting together exactly one succeeds: the other
finds the row and prints nothing.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from geo.base.passwords import hash_secret, random_secret, secret_matches
from geo.store.column_types import UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create, key_column

COMPONENT = "coordinamento"
ROW_ID = 1

PASSWORD = sa.Table(
    "coordinamento", METADATA,
    key_column("id", sa.Integer),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("creata_il", UtcTimestamp, nullable=False),
)
MIGRATIONS = (create(PASSWORD),)


class CoordinationPassword:
    """The generated coordination password's hash in the app database.

    Parameters
    ----------
    store : Store
        The app database; the table is created on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)

    def created_at(self) -> datetime | None:
        """When the stored password was made (``None``: none yet)."""
        with self.store.engine.connect() as conn:
            return conn.execute(sa.select(PASSWORD.c.creata_il).where(PASSWORD.c.id == ROW_ID)).scalar()

    def ensure(self) -> str | None:
        """Make the password if there is none: return it (the only time it exists in
        clear) when this call made it, ``None`` when it was already there."""
        if self.created_at() is not None:
            return None
        password = random_secret()
        try:
            with self.store.transaction() as conn:
                conn.execute(sa.insert(PASSWORD).values(id=ROW_ID, password_hash=hash_secret(password),
                                                        creata_il=utc_now()))
        except sa.exc.IntegrityError:  # another process made it first: theirs stands
            return None
        return password

    def replace(self) -> str:
        """A new password in place of the stored one (an administrator's reset); returns it."""
        password = random_secret()
        with self.store.transaction() as conn:
            conn.execute(sa.delete(PASSWORD).where(PASSWORD.c.id == ROW_ID))
            conn.execute(sa.insert(PASSWORD).values(id=ROW_ID, password_hash=hash_secret(password),
                                                    creata_il=utc_now()))
        return password

    def matches(self, typed: str) -> bool:
        """True when ``typed`` is the stored password (constant-time)."""
        with self.store.engine.connect() as conn:
            stored = conn.execute(sa.select(PASSWORD.c.password_hash).where(PASSWORD.c.id == ROW_ID)).scalar()
        return stored is not None and secret_matches(typed, stored)
