import logging
import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Tests never touch the real database in var/: every test process (and the app
# servers it starts) gets a fresh data directory...
os.environ["PIANURA_DATA_DIR"] = tempfile.mkdtemp(prefix="pianura-test-")
os.environ.pop("PIANURA_DB_URL", None)


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """...and every test its own, so what one test saves cannot leak into another
    (the app's database handles are cached per URL)."""
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    monkeypatch.delenv("PIANURA_DB_URL", raising=False)


class _ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def app_errors():
    """The unexpected errors the app caught and logged (``ui.errors``) during the
    test. The app shows them as an Italian message, not as an exception, so a
    test would not see them: any left in the list fails the test. A test that
    provokes one on purpose checks it, then empties the list."""
    handler = _ErrorRecords()
    logger = logging.getLogger("ui.errors")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    assert not handler.records, "the app caught unexpected errors:\n" + "\n".join(
        logging.Formatter().format(r) for r in handler.records)


PG_URL = os.environ.get("PIANURA_TEST_PG_URL", "").strip()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request, tmp_path):
    """A maker of fresh, empty app databases, once on SQLite and once on PostgreSQL
    (each a schema of its own on the server named by ``PIANURA_TEST_PG_URL``,
    dropped afterwards; skipped when none is configured: ``make test`` starts one)."""
    import uuid

    import sqlalchemy as sa

    from geo.store.database import Store

    made, schemas = [], []
    admin = None
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL non configurato (PIANURA_TEST_PG_URL)")
        admin = sa.create_engine(PG_URL)

    def make() -> Store:
        if admin is None:
            made.append(Store(f"sqlite:///{tmp_path / f'app{len(made)}.sqlite3'}"))
            return made[-1]
        schema = f"t_{uuid.uuid4().hex[:12]}"
        try:
            with admin.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        except sa.exc.OperationalError as exc:
            pytest.skip(f"PostgreSQL non raggiungibile: {exc}")
        schemas.append(schema)
        sep = "&" if "?" in PG_URL else "?"
        made.append(Store(f"{PG_URL}{sep}options=-csearch_path%3D{schema}"))
        return made[-1]

    yield make
    for store in made:
        store.close()
    if admin is not None:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def store(new_store):
    """A fresh app database, once on SQLite and once on PostgreSQL (see :func:`new_store`)."""
    return new_store()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, network blocked except localhost (one per test module)."""
    from tests.browser_support import launch_offline

    with launch_offline() as b:
        yield b


@pytest.fixture(scope="module")
def app_url():
    """The app on a Streamlit server of the test module, with its own database;
    modules that need seeded data define their own."""
    from tests.browser_support import streamlit_server

    with streamlit_server() as url:
        yield url
