"""Roles without accounts, headless (AppTest): a visitor, the owner's browser, the coordination.

A visitor may not overwrite, rename or delete another browser's scenario (the controls
are absent); the coordination password, typed once per session in the sidebar, opens
them; attempts at it are limited per browser; a password nobody set is generated once
and printed in the server's log.
"""

from __future__ import annotations

import logging
import re

import pytest
import streamlit as st

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.store.actors import Actor
from geo.store.coordination import CoordinationPassword
from geo.store.database import Store
from geo.store.scenarios import ScenarioStore
from geo.zoning.plan import Plan
from tests.apptest_support import as_coordinator, browser_actor, button, run_app

PASSWORD = "Campo-di-prova-2026"
OTHER_BROWSER = Actor("f" * 32, "Luca")
LENO = "017088"


def default_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(tuple(load_area_list()["istat_code"]))


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    monkeypatch.delenv("PIANURA_DB_URL", raising=False)
    monkeypatch.setenv("PIANURA_COORDINATION_PASSWORD", PASSWORD)
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def store():
    s = ScenarioStore(Store())
    yield s
    s.store.close()


def labels(app) -> list[str]:
    return [b.label for b in app.button]


def sidebar_labels(app) -> list[str]:
    """What the sidebar shows on the first run (AppTest keeps no sidebar element of the
    entry script after a rerun with ``st.navigation``: the form itself is driven in
    ``tests/test_browser_roles.py``)."""
    def label(element):
        if getattr(element, "type", None) == "popover":  # AppTest has no popover element: its block's proto
            return element.proto.popover.label
        return getattr(element, "label", None)

    return [label(e) for e in app.sidebar.children.values() if label(e)]


def test_a_visitor_cannot_overwrite_rename_or_delete_another_browsers_scenario(store):
    theirs = store.save("Di un altro browser", default_plan(), actor=OTHER_BROWSER)
    app = run_app("pages/scenari.py")
    assert "Sposta nel cestino" not in labels(app) and "Salva nome e note" not in labels(app)
    assert not [e for e in app.expander if e.label in ("Elimina lo scenario", "Rinomina o modifica autore e note")]
    assert any("salvato da un altro browser" in c.value for c in app.caption)
    # open it, change it: only "save as new" is offered
    button(app, "Apri lo scenario").click().run()
    session = app.session_state["plan"]
    session.history = session.history.push(default_plan().assign([LENO], "ambito10").plan)
    app.run()
    assert not [b for b in labels(app) if b.startswith("Salva le modifiche nello scenario")]
    assert store.get(theirs.id) == theirs


def test_the_coordination_deletes_anyones_scenario_and_reads_the_change_log(store):
    theirs = store.save("Di un altro browser", default_plan(), actor=OTHER_BROWSER)
    app = run_app("pages/scenari.py")
    assert not [e for e in app.expander if e.label.startswith("Registro delle modifiche")]
    as_coordinator(app).run()
    app.checkbox(key="scenarios_confirm_delete").check().run()
    button(app, "Sposta nel cestino").click().run()
    assert store.list() == [] and [e.scenario_id for e in store.bin()] == [theirs.id]
    table = next(d.value for d in app.dataframe if "Azione" in d.value.columns and "Chi" in d.value.columns)
    assert table["Azione"].tolist() == ["nel cestino", "creazione"]
    assert "coordinamento" in table.iloc[0]["Chi"] and "Luca (visitatore" in table.iloc[1]["Chi"]
    assert "Svuota il cestino" in labels(app)


def test_the_owner_restores_from_the_bin_and_a_visitor_cannot_empty_it(store):
    app = run_app("pages/scenari.py")
    mine = store.save("Mio", default_plan(), actor=browser_actor(app))
    app.run()
    app.checkbox(key="scenarios_confirm_delete").check().run()
    button(app, "Sposta nel cestino").click().run()
    assert store.list() == []
    assert "Svuota il cestino" not in labels(app)
    button(app, "Ripristina").click().run()
    assert [s.id for s in store.list()] == [mine.id] and store.bin() == []
    assert any("ripristinato dal cestino" in s.value for s in app.success)


def test_a_version_is_restored_from_the_page(store):
    app = run_app("pages/scenari.py")
    mine = store.save("Versioni", default_plan(), notes="prima", actor=browser_actor(app))
    store.update_details(mine.id, name="Versioni", author="", notes="seconda", expected_revision=1,
                         actor=browser_actor(app))
    app.run()
    versions = next(d.value for d in app.dataframe if "Versione" in d.value.columns)
    assert versions["Versione"].tolist() == [2, 1]
    app.selectbox(key="scenarios_restore_revision").select(1).run()
    button(app, "Ripristina questa versione").click().run()
    assert (store.get(mine.id).notes, store.get(mine.id).revision) == ("prima", 3)
    assert app.text_area(key="scenarios_edit_notes").value == "prima"  # the form follows


def test_the_name_and_notes_form_refuses_a_stale_save(store):
    app = run_app("pages/scenari.py")
    mine = store.save("Conteso", default_plan(), actor=browser_actor(app))
    app.run()
    store.update_details(mine.id, name="Cambiato altrove", author="", notes="", expected_revision=1,
                         actor=browser_actor(app))  # another tab of the same browser
    app.text_input(key="scenarios_edit_name").input("Il mio nome")
    button(app, "Salva nome e note").click().run()
    assert any("un'altra sessione" in e.value for e in app.error)
    assert store.get(mine.id).name == "Cambiato altrove"


def test_the_coordination_may_change_everything_a_visitor_may_not(store):
    theirs = store.save("Di un altro browser", default_plan(), actor=OTHER_BROWSER)
    app = as_coordinator(run_app("pages/scenari.py"))
    app.run()
    app.text_input(key="scenarios_edit_name").input("Rinominato dal coordinamento")
    button(app, "Salva nome e note").click().run()
    assert store.get(theirs.id).name == "Rinominato dal coordinamento"


def test_the_sign_in_form_is_in_the_sidebar(store):
    app = run_app()
    assert "Accesso coordinamento" in sidebar_labels(app)


def test_a_generated_password_is_printed_once_and_works(monkeypatch, caplog):
    monkeypatch.delenv("PIANURA_COORDINATION_PASSWORD")
    with caplog.at_level(logging.WARNING, logger="ui.coordination"):
        run_app()
    printed = re.findall(r"PASSWORD DI COORDINAMENTO .*: (\S+)", caplog.text)
    assert len(printed) == 1 and len(printed[0]) == 23  # 4 groups of 5, dashes between
    caplog.clear()
    st.cache_resource.clear()  # as a second process (or a restart) on the same database
    with caplog.at_level(logging.WARNING, logger="ui.coordination"):
        run_app()
    assert "PASSWORD DI COORDINAMENTO" not in caplog.text
    stored = CoordinationPassword(Store())
    assert stored.matches(printed[0]) and stored.matches(printed[0].upper())  # read aloud, typed in capitals
    assert not stored.matches("un'altra")
