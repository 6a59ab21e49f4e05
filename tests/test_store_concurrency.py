"""Several app processes opening one new database at the same moment (``make serve``
starts them together): one schema, one seed of the collaborations, no process fails.

Without the database-wide lock of the migrations, PostgreSQL lets two processes both
find a table missing and the second fails on the catalogue (``pg_type`` unique
index), and each process could seed the collaborations again; SQLite's
``BEGIN IMMEDIATE`` already admits one writer at a time, and is checked all the same.
"""

import multiprocessing
import traceback

import sqlalchemy as sa

PROCESSES = 6


def _open_every_store(url: str, barrier, results) -> None:
    # Imports first (the slow part), then everyone opens the database together.
    from geo.store.area_edits import AreaEditLog
    from geo.store.attempts import AttemptLog
    from geo.store.change_log import ChangeLog
    from geo.store.collaborations import CollaborationStore
    from geo.store.coordination import CoordinationPassword
    from geo.store.database import Store
    from geo.store.drafts import DraftStore
    from geo.store.indicators import IndicatorStore
    from geo.store.scenarios import ScenarioStore
    from geo.store.workshops import WorkshopStore

    barrier.wait(timeout=120)
    try:
        store = Store(url)
        # every store the app opens (ui/stores.py), in its order
        for feature in (ScenarioStore, AreaEditLog, CollaborationStore, WorkshopStore, CoordinationPassword,
                        AttemptLog, ChangeLog, DraftStore, IndicatorStore):
            feature(store)
        store.close()
        results.put("ok")
    except Exception:  # reported to the test, which fails with it
        results.put(traceback.format_exc())


def test_processes_starting_together_make_one_schema_and_one_seed(new_store):
    from geo.collaborations.catalogue import load_seed
    from geo.store import (
        area_edits, attempts, change_log, collaborations, coordination, drafts, indicators, scenario_history, scenarios,
        workshop_access, workshop_tables,
    )

    empty = new_store()
    with empty.transaction() as conn:  # a database no process has opened yet
        conn.execute(sa.text("DROP TABLE schema_version"))
    url = empty.url
    empty.close()

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    children = [context.Process(target=_open_every_store, args=(url, barrier, results)) for _ in range(PROCESSES)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=180) for _ in children]
    for child in children:
        child.join(timeout=30)
    assert outcomes == ["ok"] * PROCESSES, "\n".join(o for o in outcomes if o != "ok")

    seed = load_seed()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT component, version FROM schema_version")).all()
        stored = conn.execute(sa.text("SELECT count(*) FROM collaborazioni")).scalar()
        kept = conn.execute(sa.text("SELECT count(*) FROM collaborazioni_versioni")).scalar()
    engine.dispose()
    # each component once, at its last step (the collaborations': tables, index, seed)
    assert sorted(versions) == sorted([(collaborations.COMPONENT, 3)] + [
        (m.COMPONENT, len(m.MIGRATIONS)) for m in (area_edits, attempts, change_log, coordination, drafts, indicators,
                                                   scenario_history, scenarios, workshop_access, workshop_tables)])
    assert stored == len(seed) > 0
    assert kept == len(seed)  # one "dati iniziali" version each: seeded once, not once per process
