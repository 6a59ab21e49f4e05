"""Saved scenarios: save, reopen, rename, duplicate, delete; atomic and concurrent writes.

Every test runs on a fresh SQLite file; the ``store`` fixture also runs on
PostgreSQL when ``PIANURA_TEST_PG_URL`` names a server (e.g.
``postgresql+psycopg://postgres@127.0.0.1:55432/pianura_test``), and skips that
variant cleanly otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from geo.zoning.plan import Plan, Zone
from geo.store.scenarios import (
    COMPONENT, MIGRATIONS, ScenarioConflict, ScenarioError, ScenarioNotFound, ScenarioStore,
    format_timestamp, missing_codes, scenario_table,
)
from geo.store.actors import Actor
from geo.store.database import Store
from tests.browser_support import ROOT

OWNER = Actor("a" * 32, "Anna")  # the browser that saves the scenarios of these tests


@pytest.fixture
def scenarios(store):
    return ScenarioStore(store)


def plan_abc() -> Plan:
    """Three comuni of two provinces:

        017001 -> Nord (locked)   017002 -> unassigned   019003 -> Sud «con accento è»
    """
    zones = [Zone("nord", "Nord", "#E69F00", True), Zone("z2", "Sud «con accento è»", "#56B4E9")]
    return Plan.build(zones, {"017001": "nord", "017002": None, "019003": "z2"})


def test_a_saved_scenario_reopens_identical(scenarios):
    before = datetime.now(timezone.utc)
    saved = scenarios.save("  Proposta   marzo ", plan_abc(), author="Anna Rossi", notes="Discussa a Leno.\nDa rivedere.",
                           actor=OWNER)
    again = scenarios.get(saved.id)
    assert again == saved
    assert again.name == "Proposta marzo"  # whitespace collapsed
    assert again.author == "Anna Rossi" and again.notes == "Discussa a Leno.\nDa rivedere."
    assert again.plan == plan_abc()
    assert again.plan.zone("nord").locked and again.plan.zone("z2").name == "Sud «con accento è»"
    assert again.area_codes == ("017001", "017002", "019003")
    assert again.revision == 1
    assert again.created_at.tzinfo == timezone.utc and again.created_at == again.updated_at
    assert before <= again.created_at <= datetime.now(timezone.utc)


def test_list_is_most_recent_first(scenarios):
    first = scenarios.save("Primo", plan_abc(), actor=OWNER)
    second = scenarios.save("Secondo", plan_abc(), actor=OWNER)
    assert [s.name for s in scenarios.list()] == ["Secondo", "Primo"]
    scenarios.rename(first.id, "Primo rinominato", expected_revision=1, actor=OWNER)
    assert [s.id for s in scenarios.list()] == [first.id, second.id]


@pytest.mark.parametrize("name, author, notes, message", [
    ("", "", "", "nome dello scenario"),
    ("   ", "", "", "nome dello scenario"),
    ("x" * 121, "", "", "troppo lungo"),
    ("Va bene", "y" * 81, "", "troppo lungo"),
    ("Va bene", "", "n" * 4001, "note sono troppo lunghe"),
])
def test_invalid_details_are_refused_and_nothing_is_written(scenarios, name, author, notes, message):
    with pytest.raises(ScenarioError, match=message):
        scenarios.save(name, plan_abc(), author=author, notes=notes)
    assert scenarios.list() == []


def test_rename_and_details_bump_the_revision(scenarios):
    saved = scenarios.save("A", plan_abc(), actor=OWNER)
    renamed = scenarios.rename(saved.id, "B", expected_revision=1, actor=OWNER)
    assert (renamed.name, renamed.revision) == ("B", 2)
    assert renamed.created_at == saved.created_at and renamed.updated_at >= saved.updated_at
    edited = scenarios.update_details(saved.id, name="C", author="Luca", notes="nuove note", expected_revision=2,
                                      actor=OWNER)
    assert (edited.name, edited.author, edited.notes, edited.revision) == ("C", "Luca", "nuove note", 3)
    with pytest.raises(ScenarioError):
        scenarios.rename(saved.id, "", expected_revision=3, actor=OWNER)
    assert scenarios.get(saved.id).name == "C"


def test_a_stale_update_is_refused_and_the_newer_plan_kept(scenarios):
    saved = scenarios.save("Condiviso", plan_abc(), actor=OWNER)
    # session 1 and session 2 both opened revision 1; session 2 saves first
    moved = plan_abc().assign(["017002"], "z2").plan
    second = scenarios.update_plan(saved.id, moved, expected_revision=1, actor=OWNER)
    assert second.revision == 2 and second.plan.zone_of("017002") == "z2"
    with pytest.raises(ScenarioConflict, match="un'altra sessione"):
        scenarios.update_plan(saved.id, plan_abc().assign(["017002"], None).plan, expected_revision=1, actor=OWNER)
    assert scenarios.get(saved.id).plan == moved


def test_update_plan_can_change_the_area(scenarios):
    saved = scenarios.save("Area", plan_abc(), actor=OWNER)
    bigger = plan_abc().with_area(["017001", "017002", "019003", "019004"])
    updated = scenarios.update_plan(saved.id, bigger, expected_revision=1, actor=OWNER)
    assert updated.area_codes == ("017001", "017002", "019003", "019004")
    assert updated.plan.zone_of("019004") is None


def test_duplicate_is_an_independent_copy(scenarios):
    saved = scenarios.save("Originale", plan_abc(), author="Anna", notes="note")
    copy = scenarios.duplicate(saved.id, author="Luca", actor=OWNER)
    assert copy.id != saved.id
    assert (copy.name, copy.author, copy.notes, copy.plan) == ("Copia di Originale", "Luca", "note", saved.plan)
    scenarios.rename(copy.id, "Copia modificata", expected_revision=1, actor=OWNER)  # the copy is the copier's
    assert scenarios.get(saved.id).name == "Originale"
    long_name = scenarios.save("n" * 120, plan_abc())
    assert len(scenarios.duplicate(long_name.id).name) == 120


def test_delete_and_missing_scenarios(scenarios):
    saved = scenarios.save("Da eliminare", plan_abc(), actor=OWNER)
    kept = scenarios.save("Da tenere", plan_abc(), actor=OWNER)
    scenarios.delete(saved.id, actor=OWNER)
    assert [s.id for s in scenarios.list()] == [kept.id]
    for action in (lambda: scenarios.get(saved.id), lambda: scenarios.delete(saved.id, actor=OWNER),
                   lambda: scenarios.rename(saved.id, "x", expected_revision=1, actor=OWNER),
                   lambda: scenarios.duplicate(saved.id)):
        with pytest.raises(ScenarioNotFound, match="non esiste più"):
            action()


def test_schema_is_versioned_and_upgrades_keep_the_data(store):
    # a database made by the first release (only step 1) with a scenario in it
    store.migrate(COMPONENT, MIGRATIONS[:1])
    with store.transaction() as conn:
        conn.execute(sa.text(
            "INSERT INTO scenari VALUES ('abc', 'Vecchio', '', '', :plan, :area,"
            " '2025-10-10T08:00:00.000000Z', '2025-10-10T08:00:00.000000Z', 1)"
        ), {"plan": json.dumps(plan_abc().to_dict()), "area": json.dumps(list(plan_abc().codes))})
    upgraded = ScenarioStore(Store(store.url))
    assert upgraded.store.schema_version(COMPONENT) == len(MIGRATIONS) == 3
    old = upgraded.get("abc")
    assert old.plan == plan_abc() and old.created_at == datetime(2025, 10, 10, 8, tzinfo=timezone.utc)
    assert old.territory == "pianura_bresciana"  # made before territories existed
    upgraded.store.close()


def test_times_are_shown_in_italian_local_time():
    assert format_timestamp(datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc)) == "15/01/2026 10:30"  # CET
    assert format_timestamp(datetime(2026, 7, 15, 9, 30, tzinfo=timezone.utc)) == "15/07/2026 11:30"  # CEST


def test_table_and_missing_codes(scenarios):
    saved = scenarios.save("Tabella", plan_abc(), author="")
    table = scenario_table([saved])
    assert list(table.columns) == ["Nome", "Autore", "Zone", "Comuni", "Non assegnati", "Creato", "Modificato", "Note"]
    assert table.iloc[0][["Nome", "Autore", "Zone", "Comuni", "Non assegnati"]].tolist() == ["Tabella", "–", 2, 3, 1]
    assert missing_codes(saved, ["017001", "17002", "019003"]) == ()
    assert missing_codes(saved, ["017001"]) == ("017002", "019003")


# -- concurrency and crashes --------------------------------------------------------------
def test_two_sessions_saving_at_the_same_moment_both_keep_their_scenario(store):
    # two ScenarioStores on two Stores: like two app servers (or two sessions) at once
    stores = [ScenarioStore(Store(store.url)) for _ in range(2)]
    barrier = threading.Barrier(4)
    saved, errors = [], []

    def save(scenarios, n):
        try:
            barrier.wait()
            saved.append(scenarios.save("Proposta della riunione", plan_abc(), author=f"sessione {n}"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(stores[n % 2], n)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    listed = ScenarioStore(store).list()
    assert sorted(s.author for s in listed) == ["sessione 0", "sessione 1", "sessione 2", "sessione 3"]
    assert {s.id for s in listed} == {s.id for s in saved}
    for s in stores:
        s.store.close()


def _run(code: str, env: dict, **kwargs):
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_the_database_survives_a_restart_of_the_process(tmp_path):
    env = {"PIANURA_DATA_DIR": str(tmp_path / "dati"), "PIANURA_DB_URL": ""}
    writer = _run("""
        from geo.zoning.plan import Plan, Zone
        from geo.store.scenarios import ScenarioStore
        from geo.store.database import Store
        plan = Plan.build([Zone("a", "Zona A", "#E69F00")], {"017088": "a", "017089": None})
        print(ScenarioStore(Store()).save("Sopravvive", plan, author="Anna").id)
    """, env)
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    saved_id = out.strip()
    assert (tmp_path / "dati" / "pianura.sqlite3").is_file()
    reader = _run(f"""
        import json
        from geo.store.scenarios import ScenarioStore
        from geo.store.database import Store
        s = ScenarioStore(Store()).get({saved_id!r})
        print(json.dumps([s.name, s.author, s.plan.to_dict()]))
    """, env)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert json.loads(out) == ["Sopravvive", "Anna", {"zones": [{"id": "a", "name": "Zona A", "color": "#E69F00",
                                                                  "locked": False}],
                                                       "assignment": {"017088": "a", "017089": None}}]


_LOOPING_WRITER = """
    import sys
    from geo.zoning.plan import Plan, Zone
    from geo.store.scenarios import ScenarioStore
    from geo.store.database import Store
    scenarios = ScenarioStore(Store(sys.argv[1]))
    n = 0
    while True:
        plan = Plan.build([Zone("a", f"Zona {n}", "#E69F00")], {"017088": "a", "017089": None})
        saved = scenarios.save(f"Scenario {n}", plan)
        print(saved.id, n, flush=True)  # printed only after the commit
        n += 1
"""


def test_a_writer_killed_while_saving_loses_nothing_already_saved(tmp_path):
    url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(_LOOPING_WRITER), url], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    committed = []
    for line in writer.stdout:
        committed.append(line.split())
        if len(committed) == 40:
            break
    writer.send_signal(signal.SIGKILL)  # in the middle of the following saves
    writer.wait(timeout=30)
    store = Store(url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    scenarios = ScenarioStore(store)
    for scenario_id, n in committed:
        reopened = scenarios.get(scenario_id)
        assert reopened.name == f"Scenario {n}" and reopened.plan.zone("a").name == f"Zona {n}"
    assert scenarios.save("Dopo il crash", plan_abc()).name == "Dopo il crash"  # no lock left behind
    store.close()


def test_a_save_killed_inside_its_transaction_leaves_no_trace(tmp_path):
    url = f"sqlite:///{tmp_path / 'mid.sqlite3'}"
    before = ScenarioStore(Store(url)).save("Già salvato", plan_abc())
    # The child pauses right after its INSERT, before the commit, and is killed there.
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        import sqlalchemy as sa
        from geo.zoning.plan import Plan, Zone
        from geo.store.scenarios import ScenarioStore
        from geo.store.database import Store
        store = Store(sys.argv[1])
        scenarios = ScenarioStore(store)
        @sa.event.listens_for(store.engine, "after_cursor_execute")
        def pause(conn, cursor, statement, *args):
            if statement.startswith("INSERT INTO scenari"):
                print("inside", flush=True)
                time.sleep(60)
        scenarios.save("Mai salvato", Plan.build([Zone("a", "A", "#E69F00")], {"017088": "a"}))
    """), url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "inside"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    scenarios = ScenarioStore(Store(url))
    assert [s.name for s in scenarios.list()] == ["Già salvato"]
    assert scenarios.get(before.id).plan == plan_abc()
    assert scenarios.save("Dopo", plan_abc()).name == "Dopo"
