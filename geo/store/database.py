"""The app's database: SQLite file by default, PostgreSQL through a URL, one code path.

Configuration (environment variables, read when a :class:`Store` is opened):

* ``PIANURA_DB_URL``: a SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``
  so that several app servers share scenarios;
* otherwise ``PIANURA_DATA_DIR`` (default ``var/`` in the project, outside version
  control): the SQLite file ``pianura.sqlite3`` is created there on first use.

Each feature owns its tables: SQLAlchemy Core :class:`~sqlalchemy.Table` objects on
:data:`METADATA`, queried through Core (one SQL text for both databases), created by
numbered migration steps for a *component* (:meth:`Store.migrate`); the applied
version of every component is kept in ``schema_version``, so features evolve their
schema independently. Several app processes may open one database at the same moment
(``make serve``): migrations, and the first-time seeding done inside them, run under
one database-wide lock (:meth:`Store.exclusive_transaction`), so the schema and the
seed are made once. A database at version N must be the same whichever release
made it: a released step is never edited, and a step built from a table creates it
as the table was at that version (when a later step alters a table, freeze the
earlier shape in the earlier step).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, CreateTable

from geo.base.paths import PROJECT_DIR

DEFAULT_DATA_DIR = PROJECT_DIR / "var"
DB_FILENAME = "pianura.sqlite3"

MigrationStep = str | Callable[[Connection], None]
# The key of the app's PostgreSQL advisory lock: a 64-bit number no other program
# sharing the database is likely to use.
SCHEMA_LOCK_KEY = int.from_bytes(hashlib.sha256(b"pianura:schema").digest()[:8], "big", signed=True)

METADATA = sa.MetaData()


def key_column(name: str, type_: sa.types.TypeEngine, **kwargs) -> sa.Column:
    """A single-column primary key as the released SQL declared it (``id TYPE PRIMARY
    KEY``): without ``NOT NULL``, which SQLite then does not imply (PostgreSQL does),
    so that a database made from the Core tables equals one made by that SQL."""
    return sa.Column(name, type_, primary_key=True, nullable=True, **kwargs)


SCHEMA_VERSION = sa.Table(
    "schema_version", METADATA,
    key_column("component", sa.String(64)),
    sa.Column("version", sa.Integer, nullable=False),
)


def create(*objects: sa.Table | sa.Index) -> Callable[[Connection], None]:
    """A migration step creating ``objects`` in order: each table alone (its indexes
    are steps of their own) and each index."""
    def step(conn: Connection) -> None:
        for item in objects:
            conn.execute(CreateTable(item) if isinstance(item, sa.Table) else CreateIndex(item))

    return step


def database_url() -> str:
    """The configured database URL (see module docstring)."""
    url = os.environ.get("PIANURA_DB_URL", "").strip()
    if url:
        return url
    return _sqlite_url(os.environ.get("PIANURA_DATA_DIR", str(DEFAULT_DATA_DIR)))


@functools.lru_cache(maxsize=16)
def _sqlite_url(data_dir: str) -> str:
    # Asked for on every store access of every rerun: the directory is made once.
    path = Path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path / DB_FILENAME}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer and a killed writer leaves the last
    # committed state intact; busy_timeout: concurrent writers wait, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_WRITE = "pianura_write"  # execution option of the connections of Store.transaction


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


class Store:
    """A connection pool to the app database with per-component migrations.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default from :func:`database_url`.
    """

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine: Engine = sa.create_engine(self.url, future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            # pysqlite's own transaction handling defers BEGIN; issue it ourselves:
            # BEGIN IMMEDIATE for a write transaction, which takes the lock up front,
            # a plain BEGIN for reads, which in WAL mode never wait for a writer (a
            # room of participants joining at once would otherwise queue on it).
            sa.event.listen(self.engine, "connect", lambda conn, _r: setattr(conn, "isolation_level", None))
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        self._migrated: set[str] = set()
        self.writes = 0  # write transactions committed by this process: a cache of reads keys on it
        self._lock = threading.Lock()
        # Under the lock: two PostgreSQL sessions running CREATE TABLE IF NOT EXISTS
        # together can both find no table, and the second then fails on the catalogue.
        with self.exclusive_transaction() as conn:
            conn.execute(CreateTable(SCHEMA_VERSION, if_not_exists=True))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: committed if the block ends normally, rolled back
        (nothing written) if it raises. On SQLite it starts with ``BEGIN IMMEDIATE``
        and waits up to 10 s for another writer (``busy_timeout``)."""
        with self.engine.connect() as conn, conn.execution_options(**{_WRITE: True}).begin():
            yield conn
        self.writes += 1

    @contextmanager
    def exclusive_transaction(self) -> Iterator[Connection]:
        """A write transaction that no other one of this kind overlaps, in any process:
        for work that must happen once per database (migrations, first-time seeding,
        generating a secret). PostgreSQL: ``pg_advisory_xact_lock`` (released with
        the transaction, even when the process dies); SQLite: ``BEGIN IMMEDIATE``
        already admits one writer at a time."""
        with self.transaction() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            yield conn

    def migrate(self, component: str, steps: Sequence[MigrationStep]) -> int:
        """Apply the steps of ``component`` not applied yet, in order, atomically.

        Parameters
        ----------
        component : str
            Name of the feature owning the tables (e.g. ``"scenari"``).
        steps : sequence of str or callable
            Step ``i`` (1-based) brings the component to version ``i``: an SQL
            statement or a function receiving the connection (e.g. :func:`create`).
            Never edit a released step; append a new one.

        Returns
        -------
        int
            The component's schema version after migrating.
        """
        with self._lock:
            if component in self._migrated or self.schema_version(component) == len(steps):
                self._migrated.add(component)  # the usual case: no lock needed to find it done
                return len(steps)
            with self.exclusive_transaction() as conn:
                # read again under the lock: another process may have just migrated
                recorded = self._version(conn, component)
                current = recorded or 0
                if current > len(steps):
                    raise RuntimeError(
                        f"Il database è più recente dell'app ({component} v{current} > v{len(steps)})."
                    )
                for step in steps[current:]:
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(sa.text(step))
                if recorded is None:
                    conn.execute(sa.insert(SCHEMA_VERSION).values(component=component, version=len(steps)))
                elif current != len(steps):
                    conn.execute(sa.update(SCHEMA_VERSION).where(SCHEMA_VERSION.c.component == component)
                                 .values(version=len(steps)))
            self._migrated.add(component)
            return len(steps)

    def schema_version(self, component: str) -> int:
        """The applied version of ``component`` (0: none of its steps yet)."""
        with self.engine.connect() as conn:
            return self._version(conn, component) or 0

    @staticmethod
    def _version(conn: Connection, component: str) -> int | None:
        return conn.execute(sa.select(SCHEMA_VERSION.c.version)
                            .where(SCHEMA_VERSION.c.component == component)).scalar()

    def close(self) -> None:
        self.engine.dispose()
