"""The app's database: SQLite file by default, PostgreSQL through a URL, one code path.

Configuration (environment variables, read when a :class:`Store` is opened):

* ``PIANURA_DB_URL``: a SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``
  so that several app servers share scenarios;
* otherwise ``PIANURA_DATA_DIR`` (default ``var/`` in the project, outside version
  control): the SQLite file ``pianura.sqlite3`` is created there on first use.

Each feature owns its tables and declares them as numbered migration steps for a
*component* (:meth:`Store.migrate`); the applied version of every component is kept
in ``schema_version``, so features evolve their schema independently.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.base.paths import PROJECT_DIR

DEFAULT_DATA_DIR = PROJECT_DIR / "var"
DB_FILENAME = "pianura.sqlite3"

MigrationStep = str | Callable[[Connection], None]


def database_url() -> str:
    """The configured database URL (see module docstring)."""
    url = os.environ.get("PIANURA_DB_URL", "").strip()
    if url:
        return url
    data_dir = Path(os.environ.get("PIANURA_DATA_DIR", DEFAULT_DATA_DIR))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / DB_FILENAME}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer and a killed writer leaves the last
    # committed state intact; busy_timeout: concurrent writers wait, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
            # pysqlite's own transaction handling defers BEGIN; issue it ourselves
            # (BEGIN IMMEDIATE) so a write transaction takes the lock up front.
            sa.event.listen(self.engine, "connect", lambda conn, _r: setattr(conn, "isolation_level", None))
            sa.event.listen(self.engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        self._migrated: set[str] = set()
        self._lock = threading.Lock()
        with self.transaction() as conn:
            conn.execute(sa.text(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " component VARCHAR(64) PRIMARY KEY, version INTEGER NOT NULL)"
            ))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: committed if the block ends normally, rolled back
        (nothing written) if it raises. On SQLite it starts with ``BEGIN IMMEDIATE``
        and waits up to 10 s for another writer (``busy_timeout``)."""
        with self.engine.begin() as conn:
            yield conn

    def migrate(self, component: str, steps: Sequence[MigrationStep]) -> int:
        """Apply the steps of ``component`` not applied yet, in order, atomically.

        Parameters
        ----------
        component : str
            Name of the feature owning the tables (e.g. ``"scenari"``).
        steps : sequence of str or callable
            Step ``i`` (1-based) brings the component to version ``i``: an SQL
            statement or a function receiving the connection. Never edit a released
            step; append a new one.

        Returns
        -------
        int
            The component's schema version after migrating.
        """
        with self._lock:
            if component in self._migrated:
                return len(steps)
            with self.transaction() as conn:
                row = conn.execute(
                    sa.text("SELECT version FROM schema_version WHERE component = :c"), {"c": component}
                ).first()
                current = row[0] if row else 0
                if current > len(steps):
                    raise RuntimeError(
                        f"Il database è più recente dell'app ({component} v{current} > v{len(steps)})."
                    )
                for step in steps[current:]:
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(sa.text(step))
                if row is None:
                    conn.execute(sa.text("INSERT INTO schema_version (component, version) VALUES (:c, :v)"),
                                 {"c": component, "v": len(steps)})
                elif current != len(steps):
                    conn.execute(sa.text("UPDATE schema_version SET version = :v WHERE component = :c"),
                                 {"c": component, "v": len(steps)})
            self._migrated.add(component)
            return len(steps)

    def schema_version(self, component: str) -> int:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT version FROM schema_version WHERE component = :c"), {"c": component}
            ).first()
        return row[0] if row else 0

    def close(self) -> None:
        self.engine.dispose()
