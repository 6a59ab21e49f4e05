"""Databases made by the release before the Core tables keep opening, reading and writing.

The fixtures below are that release's migration statements, copied verbatim (with
its PostgreSQL rewrite of ``INTEGER PRIMARY KEY AUTOINCREMENT``), and rows written
the way it wrote them: scenario and workshop times as fixed-width UTC text, area
edits as ``isoformat()``, collaborations as ``isoformat(timespec="seconds")``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import sqlalchemy as sa

from geo.collaborations.model import Collaboration
from geo.store.area_edits import AreaEditLog
from geo.store.collaborations import CollaborationStore
from geo.store.database import METADATA, Store
from geo.store.drafts import DraftStore
from geo.store.indicators import IndicatorStore
from geo.store.scenarios import ScenarioStore
from geo.store.workshops import WorkshopStore
from geo.store.actors import Actor
from geo.store.attempts import AttemptLog
from geo.store.change_log import ChangeLog
from geo.store.coordination import CoordinationPassword
from geo.zoning.plan import Plan, Zone

UTC = dt.timezone.utc

RELEASED_SQL = {
    "scenari": [
        "CREATE TABLE scenari ("
        " id VARCHAR(32) PRIMARY KEY,"
        " name VARCHAR(200) NOT NULL,"
        " author VARCHAR(200) NOT NULL,"
        " notes TEXT NOT NULL,"
        " plan_json TEXT NOT NULL,"
        " area_json TEXT NOT NULL,"
        " created_at VARCHAR(32) NOT NULL,"
        " updated_at VARCHAR(32) NOT NULL,"
        " revision INTEGER NOT NULL)",
        "CREATE INDEX scenari_updated_at ON scenari (updated_at)",
    ],
    "area_vasta": [
        "CREATE TABLE area_vasta_modifiche ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " istat_code VARCHAR(6) NOT NULL,"
        " azione VARCHAR(10) NOT NULL CHECK (azione IN ('aggiunto', 'rimosso')),"
        " autore VARCHAR(120) NOT NULL,"
        " nota TEXT NOT NULL DEFAULT '',"
        " momento VARCHAR(32) NOT NULL)",
    ],
    "collaborazioni": [
        "CREATE TABLE collaborazioni ("
        " id VARCHAR(64) PRIMARY KEY, dati TEXT NOT NULL, versione INTEGER NOT NULL,"
        " aggiornata_il VARCHAR(32) NOT NULL)",
        "CREATE TABLE collaborazioni_versioni ("
        " id VARCHAR(64) NOT NULL, versione INTEGER NOT NULL, azione VARCHAR(32) NOT NULL,"
        " autore VARCHAR(120) NOT NULL, registrata_il VARCHAR(32) NOT NULL, dati TEXT NOT NULL,"
        " PRIMARY KEY (id, versione))",
        # step 3 copied the shipped seed: see _released_rows
    ],
    "laboratori": [
        "CREATE TABLE laboratori ("
        " id VARCHAR(32) PRIMARY KEY,"
        " code VARCHAR(6) NOT NULL UNIQUE,"
        " title VARCHAR(120) NOT NULL,"
        " facilitator VARCHAR(80) NOT NULL,"
        " plan_json TEXT NOT NULL,"
        " area_json TEXT NOT NULL,"
        " status VARCHAR(10) NOT NULL CHECK (status IN ('aperto', 'chiuso')),"
        " opened_at VARCHAR(32) NOT NULL,"
        " closed_at VARCHAR(32))",
        "CREATE TABLE laboratori_partecipanti ("
        " id VARCHAR(32) PRIMARY KEY,"
        " workshop_id VARCHAR(32) NOT NULL REFERENCES laboratori (id),"
        " name VARCHAR(80) NOT NULL,"
        " name_key VARCHAR(80) NOT NULL,"
        " pin_hash VARCHAR(64) NOT NULL,"
        " joined_at VARCHAR(32) NOT NULL,"
        " UNIQUE (workshop_id, name_key))",
        "CREATE TABLE laboratori_proposte ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " workshop_id VARCHAR(32) NOT NULL REFERENCES laboratori (id),"
        " participant_id VARCHAR(32) NOT NULL REFERENCES laboratori_partecipanti (id),"
        " plan_json TEXT NOT NULL,"
        " sent_at VARCHAR(32) NOT NULL)",
        "CREATE INDEX laboratori_proposte_workshop ON laboratori_proposte (workshop_id, id)",
    ],
}
RELEASED_VERSIONS = {"scenari": 2, "area_vasta": 1, "collaborazioni": 3, "laboratori": 4}
# Territories (issue 12) added one step to three components: a column, old rows the Pianura Bresciana's.
CURRENT_VERSIONS = {"scenari": 3, "area_vasta": 2, "collaborazioni": 3, "laboratori": 5}
SCHEMA_VERSION_SQL = ("CREATE TABLE IF NOT EXISTS schema_version ("
                      " component VARCHAR(64) PRIMARY KEY, version INTEGER NOT NULL)")

PLAN = Plan.build([Zone("a", "Zona A", "#E69F00"), Zone("b", "Zona B", "#56B4E9")],
                  {"017001": "a", "017002": "b", "017003": None})
PLAN_JSON = json.dumps(PLAN.to_dict(), ensure_ascii=False, separators=(",", ":"))
AREA_JSON = json.dumps(list(PLAN.codes))
SEED = Collaboration(id="vecchia", name="Convenzione vecchia", form="convenzione", functions=("tributi",),
                     members=("017001", "017002"), capofila="017001", status="attiva")
SEED_JSON = json.dumps(SEED.to_dict(), ensure_ascii=False, sort_keys=True)
PIN = "K7MR"


def _released_statements(dialect: str) -> list[str]:
    statements = [SCHEMA_VERSION_SQL]
    for steps in RELEASED_SQL.values():
        statements += steps
    if dialect == "postgresql":
        statements = [s.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY") for s in statements]
    return statements


def _released_rows() -> list[tuple[str, dict]]:
    pin_hash = hashlib.sha256(f"p1:{PIN}".encode()).hexdigest()
    return [
        ("INSERT INTO scenari VALUES ('s1', 'Vecchio', 'Anna', 'note', :plan, :area,"
         " '2025-10-10T08:00:00.000000Z', '2025-10-11T09:30:00.000000Z', 3)", {"plan": PLAN_JSON, "area": AREA_JSON}),
        ("INSERT INTO area_vasta_modifiche (istat_code, azione, autore, nota, momento)"
         " VALUES ('017004', 'aggiunto', 'Maria', 'confine', '2025-11-25T09:30:00+00:00')", {}),
        ("INSERT INTO collaborazioni VALUES ('vecchia', :d, 1, '2025-10-10T08:00:00+00:00')", {"d": SEED_JSON}),
        ("INSERT INTO collaborazioni_versioni VALUES ('vecchia', 1, 'dati iniziali', 'data/collaborazioni.json',"
         " '2025-10-10T08:00:00+00:00', :d)", {"d": SEED_JSON}),
        ("INSERT INTO laboratori VALUES ('w1', 'KMR3TX', 'Laboratorio di ottobre', 'Facilitatrice', :plan, :area,"
         " 'aperto', '2025-10-10T08:00:00.000000Z', NULL)", {"plan": PLAN_JSON, "area": AREA_JSON}),
        ("INSERT INTO laboratori_partecipanti VALUES ('p1', 'w1', 'Luca', 'luca', :pin,"
         " '2025-10-10T08:05:00.000000Z')", {"pin": pin_hash}),
        ("INSERT INTO laboratori_proposte (workshop_id, participant_id, plan_json, sent_at)"
         " VALUES ('w1', 'p1', :plan, '2025-10-10T08:10:00.000000Z')", {"plan": PLAN_JSON}),
    ] + [("INSERT INTO schema_version VALUES (:c, :v)", {"c": c, "v": v}) for c, v in RELEASED_VERSIONS.items()]


def make_released_database(store: Store) -> None:
    """Fill an empty database as the release before the Core tables left it."""
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE schema_version"))  # made by Store(): the release made its own
        for statement in _released_statements(store.dialect):
            conn.execute(sa.text(statement))
        for statement, params in _released_rows():
            conn.execute(sa.text(statement), params)


def open_stores(url: str):
    """Every store on a fresh connection pool, as a restarted app server opens them."""
    store = Store(url)
    CoordinationPassword(store), AttemptLog(store), ChangeLog(store), IndicatorStore(store)  # noqa: B018 - tables
    return (store, ScenarioStore(store), AreaEditLog(store), CollaborationStore(store, seed=()),
            WorkshopStore(store), DraftStore(store))


def test_a_released_database_opens_reads_and_writes(new_store):
    released = new_store()
    make_released_database(released)
    store, scenarios, area, collaborations, workshops, _ = open_stores(released.url)
    # the released steps are not re-run (the rows are still there), only the new ones
    assert {c: store.schema_version(c) for c in RELEASED_VERSIONS} == CURRENT_VERSIONS

    old = scenarios.get("s1")
    assert (old.name, old.plan, old.area_codes, old.revision) == ("Vecchio", PLAN, PLAN.codes, 3)
    assert old.territory == "pianura_bresciana"
    assert old.created_at == dt.datetime(2025, 10, 10, 8, tzinfo=UTC)
    assert old.updated_at == dt.datetime(2025, 10, 11, 9, 30, tzinfo=UTC)
    # saved before owners were kept: the coordination's to change
    moved = scenarios.update_plan("s1", PLAN.assign(["017003"], "a").plan, expected_revision=3,
                                  actor=Actor("c" * 32, "Carla", coordinator=True))
    assert moved.revision == 4 and scenarios.get("s1").plan.zone_of("017003") == "a"

    (edit,) = area.edits()
    assert (edit.istat_code, edit.autore, edit.momento) == ("017004", "Maria", dt.datetime(2025, 11, 25, 9, 30,
                                                                                          tzinfo=UTC))
    shipped = ("017001", "017002", "017003")
    assert area.record("017001", "rimosso", "Luca", shipped, shipped + ("017004",)) == ("017002", "017003", "017004")
    assert [e.momento.tzinfo for e in area.edits()] == [UTC, UTC]

    current, version = collaborations.get("vecchia")
    assert (current, version) == (SEED, 1)
    assert collaborations.update(current, version, author="Ufficio") == 2
    history = collaborations.history("vecchia")
    assert [h["versione"] for h in history] == [1, 2]
    assert history[0]["registrata_il"] == dt.datetime(2025, 10, 10, 8, tzinfo=UTC)

    workshop = workshops.by_code("kmr-3tx")
    assert workshop.territory == "pianura_bresciana"
    assert area.edits("rete_hub") == [] and len(area.edits("pianura_bresciana")) == 2
    assert (workshop.title, workshop.base_plan, workshop.opened_at) == (
        "Laboratorio di ottobre", PLAN, dt.datetime(2025, 10, 10, 8, tzinfo=UTC))
    rejoined = workshops.join("KMR3TX", "LUCA", pin=PIN)
    assert rejoined.pin is None and rejoined.participant.joined_at == dt.datetime(2025, 10, 10, 8, 5, tzinfo=UTC)
    (first,) = workshops.latest_submissions("w1")
    assert (first.participant_name, first.sendings, first.sent_at) == (
        "Luca", 1, dt.datetime(2025, 10, 10, 8, 10, tzinfo=UTC))
    sent = workshops.submit("w1", "p1", PLAN.assign(["017003"], "b").plan)
    assert sent.sendings == 2 and sent.sequence > first.sequence
    store.close()


def _unique_column_sets(engine: sa.Engine, table: str) -> list[tuple[str, ...]]:
    if engine.dialect.name != "sqlite":
        return sorted(tuple(u["column_names"]) for u in sa.inspect(engine).get_unique_constraints(table))
    # SQLite's reflection reads UNIQUE from the table's SQL text, where an inline
    # ``code ... UNIQUE`` and a table constraint ``UNIQUE (code)`` look different;
    # both make the same index, listed with origin "u".
    with engine.connect() as conn:
        names = [r[1] for r in conn.exec_driver_sql(f"PRAGMA index_list('{table}')") if r[3] == "u"]
        return sorted(tuple(c[2] for c in conn.exec_driver_sql(f"PRAGMA index_info('{n}')")) for n in names)


def _schema(engine: sa.Engine) -> dict:
    """What a database's schema says, table by table, as SQLAlchemy reflects it."""
    inspector = sa.inspect(engine)
    tables = {}
    for name in sorted(inspector.get_table_names()):
        tables[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                        for c in inspector.get_columns(name)],
            "primary key": inspector.get_pk_constraint(name)["constrained_columns"],
            "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                                   for f in inspector.get_foreign_keys(name)),
            "unique": _unique_column_sets(engine, name),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(name) if not i["name"].startswith("sqlite_autoindex")),
            "checks": sorted(" ".join(c["sqltext"].split()) for c in inspector.get_check_constraints(name)),
        }
    return tables


def test_a_new_database_has_the_schema_of_a_released_one_brought_up_to_date(new_store):
    """A released database, once opened by this release (which adds the components
    that release did not have), has the schema of a database this release made."""
    released = new_store()
    make_released_database(released)
    open_stores(released.url)[0].close()
    fresh = new_store()
    open_stores(fresh.url)[0].close()
    made_now, made_then = _schema(fresh.engine), _schema(released.engine)
    assert sorted(made_now) == sorted(METADATA.tables)
    # components added since (drafts, roles...) are created on the released database as on a new one
    assert sorted(made_now) == sorted(made_then)
    assert made_now == made_then
    # spot checks that the reflection really sees what matters
    assert made_now["laboratori"]["unique"] == [("code",)]
    assert made_now["laboratori_proposte"]["indexes"] == [("laboratori_proposte_workshop", ("workshop_id", "id"),
                                                           False)]
    (check,) = made_now["area_vasta_modifiche"]["checks"]
    assert "azione" in check and "'aggiunto'" in check and "'rimosso'" in check


def test_times_are_written_in_the_one_stored_format(store):
    log = AreaEditLog(store)
    log.record("017004", "aggiunto", "Maria", ("017001",), ("017001", "017004"),
               now=dt.datetime(2026, 7, 15, 11, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT momento FROM area_vasta_modifiche")).scalar() == \
            "2026-07-15T09:05:00.000000Z"


def test_a_time_without_timezone_is_never_written(store):
    log = AreaEditLog(store)
    with pytest.raises(sa.exc.StatementError, match="aware"):
        log.record("017004", "aggiunto", "Maria", ("017001",), ("017001", "017004"),
                   now=dt.datetime(2026, 7, 15, 11, 5))
    assert log.edits() == []
