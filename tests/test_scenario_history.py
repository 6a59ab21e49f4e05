"""Who may change a scenario, every saved version, the bin, the change log, and 30
concurrent writers of name and notes (SQLite and PostgreSQL: the ``store`` fixture)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from geo.store.actors import Actor, browser_key
from geo.store.change_log import ChangeLog
from geo.store.database import Store
from geo.store.scenarios import (
    ScenarioConflict, ScenarioForbidden, ScenarioNotFound, ScenarioStore,
)
from geo.zoning.plan import Plan, Zone

ANNA = Actor(browser_key("a" * 32), "Anna")  # created the scenarios
LUCA = Actor(browser_key("b" * 32), "Luca")  # another browser, a visitor
COORD = Actor(browser_key("c" * 32), "Carla", coordinator=True)


@pytest.fixture
def scenarios(store):
    return ScenarioStore(store)


def plan_ab() -> Plan:
    """017001 -> A, 017002 -> unassigned."""
    return Plan.build([Zone("a", "A", "#E69F00")], {"017001": "a", "017002": None})


def test_the_key_of_a_browser_is_not_its_token():
    key = browser_key("a" * 32)
    assert len(key) == 32 and key != "a" * 32 and key == browser_key("a" * 32) != browser_key("b" * 32)


def test_a_visitor_cannot_change_or_delete_another_browsers_scenario(scenarios):
    saved = scenarios.save("Di Anna", plan_ab(), actor=ANNA)
    moved = plan_ab().assign(["017002"], "a").plan
    attempts = [
        lambda: scenarios.update_plan(saved.id, moved, expected_revision=1, actor=LUCA),
        lambda: scenarios.update_details(saved.id, name="X", author="", notes="", expected_revision=1, actor=LUCA),
        lambda: scenarios.delete(saved.id, actor=LUCA),
        lambda: scenarios.restore_version(saved.id, 1, expected_revision=1, actor=LUCA),
    ]
    for attempt in attempts:
        with pytest.raises(ScenarioForbidden, match="solo chi l'ha creato o il coordinamento"):
            attempt()
    assert scenarios.get(saved.id) == saved  # nothing written
    assert not scenarios.may_change(saved.id, LUCA)
    assert scenarios.may_change(saved.id, ANNA) and scenarios.may_change(saved.id, COORD)


def test_the_owner_and_the_coordination_may_change_it(scenarios):
    saved = scenarios.save("Di Anna", plan_ab(), actor=ANNA)
    by_owner = scenarios.update_details(saved.id, name="Di Anna 2", author="Anna", notes="", expected_revision=1,
                                        actor=ANNA)
    by_coordination = scenarios.update_plan(saved.id, plan_ab().assign(["017002"], "a").plan, expected_revision=2,
                                            actor=COORD)
    assert (by_owner.revision, by_coordination.revision) == (2, 3)
    assert by_coordination.name == "Di Anna 2" and by_coordination.plan.zone_of("017002") == "a"


def test_a_scenario_saved_before_owners_were_kept_belongs_to_the_coordination(store, scenarios):
    legacy = scenarios.save("Vecchio", plan_ab())  # no actor: saved by a script, no owner
    with pytest.raises(ScenarioForbidden):
        scenarios.update_plan(legacy.id, plan_ab(), expected_revision=1, actor=ANNA)
    assert scenarios.update_plan(legacy.id, plan_ab(), expected_revision=1, actor=COORD).revision == 2


def test_every_saved_state_is_a_version_and_any_can_be_restored(scenarios):
    saved = scenarios.save("Piano", plan_ab(), notes="prima", actor=ANNA)
    scenarios.update_details(saved.id, name="Piano", author="", notes="seconda", expected_revision=1, actor=ANNA)
    scenarios.update_plan(saved.id, plan_ab().assign(["017002"], "a").plan, expected_revision=2, actor=ANNA)
    versions = scenarios.versions(saved.id)
    assert [(v.revision, v.action, v.notes) for v in versions] == [
        (3, "modifica del piano", "seconda"), (2, "nome e note", "seconda"), (1, "creazione", "prima")]
    assert versions[0].author == "Anna" and not versions[0].by_coordination

    restored = scenarios.restore_version(saved.id, 1, expected_revision=3, actor=ANNA)
    assert (restored.revision, restored.notes, restored.plan) == (4, "prima", plan_ab())
    assert restored.created_at == saved.created_at
    assert [v.revision for v in scenarios.versions(saved.id)] == [4, 3, 2, 1]  # what it replaced stays
    with pytest.raises(ScenarioConflict):  # a stale restore is refused like a stale save
        scenarios.restore_version(saved.id, 2, expected_revision=3, actor=ANNA)


def test_a_deleted_scenario_waits_in_the_bin_and_comes_back_whole(scenarios):
    saved = scenarios.save("Da recuperare", plan_ab(), notes="note", actor=ANNA)
    changed = scenarios.update_details(saved.id, name="Da recuperare", author="Anna", notes="note 2",
                                       expected_revision=1, actor=ANNA)
    scenarios.delete(saved.id, actor=ANNA)
    assert scenarios.list() == []
    with pytest.raises(ScenarioNotFound):
        scenarios.get(saved.id)
    (entry,) = scenarios.bin()
    assert (entry.scenario_id, entry.name, entry.deleted_by) == (saved.id, "Da recuperare", "Anna")
    with pytest.raises(ScenarioForbidden):
        scenarios.restore_from_bin(saved.id, actor=LUCA)
    back = scenarios.restore_from_bin(saved.id, actor=ANNA)
    assert back == changed  # same id, revision, times, plan, notes
    assert scenarios.bin() == [] and [v.revision for v in scenarios.versions(saved.id)] == [2, 1]


def test_only_the_coordination_empties_the_bin(scenarios):
    first = scenarios.save("Uno", plan_ab(), actor=ANNA)
    second = scenarios.save("Due", plan_ab(), actor=ANNA)
    scenarios.delete(first.id, actor=ANNA)
    scenarios.delete(second.id, actor=COORD)
    with pytest.raises(ScenarioForbidden, match="Solo il coordinamento"):
        scenarios.empty_bin(actor=ANNA)
    assert scenarios.empty_bin(actor=COORD, scenario_ids=[first.id]) == 1
    assert [e.name for e in scenarios.bin()] == ["Due"]
    assert scenarios.versions(first.id) == []
    with pytest.raises(ScenarioNotFound, match="non è più nel cestino"):
        scenarios.restore_from_bin(first.id, actor=COORD)
    assert scenarios.empty_bin(actor=COORD) == 1 and scenarios.bin() == []


def test_every_change_is_logged_with_author_role_and_time(store, scenarios):
    saved = scenarios.save("Registrato", plan_ab(), actor=ANNA)
    scenarios.update_plan(saved.id, plan_ab(), expected_revision=1, actor=COORD)
    scenarios.delete(saved.id, actor=COORD)
    lines = ChangeLog(store).entries(subject="scenario")
    assert [(c.azione, c.autore, c.coordinamento, c.chiave) for c in lines] == [
        ("nel cestino", "Carla", True, COORD.key), ("modifica del piano", "Carla", True, COORD.key),
        ("creazione", "Anna", False, ANNA.key)]
    assert all(c.momento.tzinfo is not None and c.oggetto_id == saved.id for c in lines)
    assert "«Registrato»" in lines[-1].descrizione


def test_a_refused_change_writes_no_version_and_no_log_line(store, scenarios):
    saved = scenarios.save("Fermo", plan_ab(), actor=ANNA)
    with pytest.raises(ScenarioConflict):
        scenarios.update_plan(saved.id, plan_ab(), expected_revision=7, actor=ANNA)
    assert [v.revision for v in scenarios.versions(saved.id)] == [1]
    assert len(ChangeLog(store).entries()) == 1


def test_thirty_concurrent_writers_of_name_and_notes_lose_no_acknowledged_edit(store):
    """Each writer reads the notes, appends its token and saves with the revision it
    read; a conflict is reported (and retried after reading again). Every acknowledged
    edit must be in the final notes: with a last-write-wins save, most were lost."""
    saved = ScenarioStore(store).save("Conteso", plan_ab(), actor=COORD)
    writers, edits = 30, 4
    barrier = threading.Barrier(writers)
    acknowledged, conflicts, errors = [], [], []
    stores = [Store(store.url) for _ in range(3)]  # three "servers" sharing the database

    def write(n: int) -> None:
        scenarios = ScenarioStore(stores[n % len(stores)])
        try:
            barrier.wait()
            for e in range(edits):
                token = f"w{n}e{e}"
                while True:
                    current = scenarios.get(saved.id)
                    try:
                        scenarios.update_details(saved.id, name=current.name, author="",
                                                 notes=f"{current.notes} {token}",
                                                 expected_revision=current.revision, actor=COORD)
                    except ScenarioConflict as exc:
                        conflicts.append(str(exc))
                        continue
                    acknowledged.append(token)
                    break
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    final = ScenarioStore(store).get(saved.id)
    assert len(acknowledged) == writers * edits
    assert sorted(final.notes.split()) == sorted(acknowledged)  # none lost, none twice
    assert final.revision == 1 + writers * edits
    assert all("un'altra sessione" in message for message in conflicts)
    for s in stores:
        s.close()


def test_the_history_tables_leave_the_scenario_table_as_it_was(store, scenarios):
    scenarios.save("Colonne", plan_ab(), actor=ANNA)
    columns = [c["name"] for c in sa.inspect(store.engine).get_columns("scenari")]
    # the scenario's own columns (territory: migration 3 of the scenari component), no owner or bin column
    assert columns == ["id", "name", "author", "notes", "plan_json", "area_json", "created_at", "updated_at",
                       "revision", "territory"]
