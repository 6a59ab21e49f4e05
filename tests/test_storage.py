import threading

import pytest
import sqlalchemy as sa

from geo.store.database import Store, database_url


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    yield s
    s.close()


STEPS = [
    "CREATE TABLE note (id INTEGER PRIMARY KEY, testo TEXT NOT NULL)",
    "ALTER TABLE note ADD COLUMN autore TEXT",
]


def test_migrations_apply_once_and_record_the_version(store, tmp_path):
    assert store.migrate("note", STEPS[:1]) == 1
    assert store.schema_version("note") == 1
    # a later release appends a step: only the new one runs, in a new process too
    again = Store(store.url)
    assert again.migrate("note", STEPS) == 2
    with again.transaction() as conn:
        conn.execute(sa.text("INSERT INTO note (testo, autore) VALUES ('a', 'b')"))
    assert again.schema_version("note") == 2
    again.close()


def test_a_newer_database_is_refused(store):
    store.migrate("note", STEPS)
    older_app = Store(store.url)
    with pytest.raises(RuntimeError, match="più recente"):
        older_app.migrate("note", STEPS[:1])
    older_app.close()


def test_failed_transaction_writes_nothing(store):
    store.migrate("note", STEPS)
    with pytest.raises(ZeroDivisionError):
        with store.transaction() as conn:
            conn.execute(sa.text("INSERT INTO note (testo) VALUES ('perso')"))
            1 / 0
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM note")).scalar() == 0


def test_concurrent_writers_all_commit(store):
    store.migrate("note", STEPS)

    def write(i):
        with store.transaction() as conn:
            conn.execute(sa.text("INSERT INTO note (testo) VALUES (:t)"), {"t": f"n{i}"})

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM note")).scalar() == 8


def test_database_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("PIANURA_DB_URL", raising=False)
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    assert database_url() == f"sqlite:///{tmp_path / 'dati' / 'pianura.sqlite3'}"
    assert (tmp_path / "dati").is_dir()
    monkeypatch.setenv("PIANURA_DB_URL", "postgresql+psycopg://u@localhost/x")
    assert database_url() == "postgresql+psycopg://u@localhost/x"


def test_on_sqlite_a_read_does_not_wait_for_a_writer(store):
    """WAL lets readers go on while a write transaction is open: reads must not
    take the write lock (BEGIN IMMEDIATE), or a room joining at once queues on it."""
    store.migrate("note", STEPS)
    with store.transaction() as conn:
        conn.execute(sa.text("INSERT INTO note (testo) VALUES ('prima')"))
    read = []
    with store.transaction() as writer:  # another session is writing, not committed yet
        writer.execute(sa.text("INSERT INTO note (testo) VALUES ('dopo')"))

        def reader():
            with store.engine.connect() as conn:
                read.append(conn.execute(sa.text("SELECT testo FROM note")).scalars().all())

        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(timeout=3)
        assert read == [["prima"]]  # at once, and without the uncommitted row
    thread.join()
