"""The "Scenari" and "Confronto scenari" pages and share links, headless (Streamlit AppTest).

Every test gets a fresh database: the app's cached store is rebuilt on a temporary
PIANURA_DATA_DIR, so nothing here touches var/.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.zoning.history import History
from geo.zoning.plan import Plan
from geo.store.scenarios import ScenarioStore
from geo.io.share_link import decode_share_params, share_params
from geo.store.database import Store
from ui.session import PlanSession
from ui.shipped import shipped_comuni
from geo.store.actors import Actor
from tests.apptest_support import browser_actor, plan_of, run_app

OTHER_BROWSER = Actor("f" * 32, "Luca")
COORDINATION = Actor("c" * 32, "Carla", coordinator=True)

LENO, AZZANO_MELLA, MANERBIO = "017088", "017008", "017103"
DEFAULT_CODES = tuple(load_area_list()["istat_code"])


def default_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(DEFAULT_CODES)


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    monkeypatch.delenv("PIANURA_DB_URL", raising=False)
    st.cache_resource.clear()  # the app's cached stores open the new database
    yield
    st.cache_resource.clear()


@pytest.fixture
def store():
    s = ScenarioStore(Store())
    yield s
    s.store.close()


def button(app: AppTest, label_start: str):
    return next(b for b in app.button if b.label.startswith(label_start))


# -- save, open, rename, duplicate, delete ---------------------------------------------------
def test_save_the_current_plan_as_a_scenario(store):
    app = run_app("pages/scenari.py")
    assert any("Nessuno scenario salvato" in i.value for i in app.info)
    app.text_input(key="scenarios_name").input("Proposta [marzo] *bozza*")
    app.text_input(key="scenarios_author").input("Anna Rossi")
    app.text_area(key="scenarios_notes").input("Discussa a Leno")
    button(app, "Salva come nuovo scenario").click().run()
    assert not app.exception
    # the name is shown literally (markdown escaped), not as a link or bold text
    assert [s.value for s in app.success] == [r"Scenario «Proposta \[marzo\] \*bozza\*» salvato\."]
    saved = store.list()
    assert [(s.name, s.author, s.notes) for s in saved] == [("Proposta [marzo] *bozza*", "Anna Rossi", "Discussa a Leno")]
    assert saved[0].plan == default_plan() and saved[0].area_codes == tuple(sorted(DEFAULT_CODES))
    assert app.dataframe[0].value["Nome"].tolist() == ["Proposta [marzo] *bozza*"]
    assert app.text_input(key="scenarios_name").value == ""  # ready for the next one


def test_a_scenario_needs_a_name(store):
    app = run_app("pages/scenari.py")
    button(app, "Salva come nuovo scenario").click().run()
    assert [e.value for e in app.error] == ["Scrivi il nome dello scenario\\."]
    assert store.list() == []


def test_open_a_scenario_with_another_area(store):
    area = sorted(set(DEFAULT_CODES) - {MANERBIO} | {AZZANO_MELLA})
    plan = default_plan().with_area(area).assign([AZZANO_MELLA, LENO], "ambito10").plan
    other = store.save("Altro", default_plan())
    wanted = store.save("Con Azzano Mella", plan)
    app = run_app("pages/scenari.py")
    assert app.selectbox(key="scenarios_selected").value == wanted.id  # most recent first
    app.selectbox(key="scenarios_selected").select(other.id).run()
    app.selectbox(key="scenarios_selected").select(wanted.id).run()
    button(app, "Apri lo scenario").click().run()
    assert not app.exception
    assert plan_of(app) == plan
    assert not app.session_state["plan"].history.can_undo  # a fresh history
    assert app.session_state["plan"].area_codes == tuple(area)
    assert any("Con Azzano Mella" in s.value for s in app.success)
    # the opened plan is the plan of every page
    app.switch_page("pages/panoramica.py")
    app.run()
    assert {m.label: m.value for m in app.metric}["Comuni"] == str(len(area))


def test_opening_over_unsaved_changes_asks_for_confirmation(store):
    saved = store.save("Da aprire", default_plan().assign([LENO], None).plan)
    edited = History(default_plan()).push(default_plan().assign([LENO], "ambito8").plan)
    app = run_app("pages/scenari.py", state={"plan": PlanSession(tuple(sorted(DEFAULT_CODES)), edited)})
    assert any("modifiche non salvate" in w.value for w in app.warning)
    assert button(app, "Apri lo scenario").disabled
    app.checkbox(key="scenarios_confirm_open").check().run()
    button(app, "Apri lo scenario").click().run()
    assert plan_of(app) == saved.plan


def test_rename_duplicate_and_delete_with_confirmation(store):
    app = run_app("pages/scenari.py")
    saved = store.save("Primo nome", default_plan(), author="Anna", actor=browser_actor(app))  # this browser's own
    app.run()
    assert app.text_input(key="scenarios_edit_name").value == "Primo nome"
    app.text_input(key="scenarios_edit_name").input("Nome nuovo")
    app.text_area(key="scenarios_edit_notes").input("con note")
    button(app, "Salva nome e note").click().run()
    assert (store.get(saved.id).name, store.get(saved.id).notes) == ("Nome nuovo", "con note")

    button(app, "Duplica").click().run()
    copies = [s for s in store.list() if s.id != saved.id]
    assert [c.name for c in copies] == ["Copia di Nome nuovo"] and copies[0].plan == saved.plan
    assert app.selectbox(key="scenarios_selected").value == copies[0].id

    delete = button(app, "Sposta nel cestino")
    assert delete.disabled  # not before the confirmation
    app.checkbox(key="scenarios_confirm_delete").check().run()
    button(app, "Sposta nel cestino").click().run()
    assert [s.id for s in store.list()] == [saved.id]
    assert any("spostato nel cestino" in s.value for s in app.success)
    assert [e.name for e in store.bin()] == ["Copia di Nome nuovo"]


def test_save_changes_into_the_opened_scenario_and_refuse_a_stale_one(store):
    app = run_app("pages/scenari.py")
    saved = store.save("Condiviso", default_plan(), actor=browser_actor(app))
    app.run()
    button(app, "Apri lo scenario").click().run()
    first_edit = default_plan().assign([LENO], "ambito10").plan
    session = app.session_state["plan"]
    session.history = session.history.push(first_edit)
    app.run()
    button(app, "Salva le modifiche nello scenario").click().run()
    assert store.get(saved.id).plan == first_edit and store.get(saved.id).revision == 2

    # meanwhile another session saves its own version of the same scenario
    theirs = default_plan().assign([LENO], None).plan
    store.update_plan(saved.id, theirs, expected_revision=2, actor=COORDINATION)
    session.history = session.history.push(default_plan().assign([LENO], "ambito8").plan)
    app.run()
    button(app, "Salva le modifiche nello scenario").click().run()
    assert any("altra sessione" in e.value for e in app.error)
    assert store.get(saved.id).plan == theirs  # their work is not overwritten


def test_exports_and_share_link_are_offered(store):
    app = run_app("pages/scenari.py")
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["⬇️ GeoPackage", "⬇️ GeoJSON", "⬇️ CSV", "⬇️ Excel", "⬇️ Immagine PNG"]
    link = app.code[0].value
    params = {k: v[-1] for k, v in parse_qs(urlsplit(link).query).items()}
    assert decode_share_params(params, shipped_comuni().index) == default_plan()


# -- compare ---------------------------------------------------------------------------------
def test_compare_two_scenarios(store):
    base = store.save("Ambiti ATS", default_plan())
    variant = store.save("Leno a est", default_plan().assign([LENO], "ambito10").plan)
    app = run_app("pages/confronto.py")
    app.multiselect(key="comparison_plans").set_value([base.id, variant.id]).run()
    assert not app.exception
    assert len(app.get("image")) == 3  # two small maps and the difference map
    summary = next(d.value for d in app.dataframe if "Indicatore" in d.value.columns).set_index("Indicatore")
    assert summary.loc["Comuni che cambiano zona rispetto a «Ambiti ATS»", "Leno a est"] == "1 (+1)"
    changes = next(d.value for d in app.dataframe if "Codice ISTAT" in d.value.columns)
    assert changes.to_dict("records") == [{
        "Codice ISTAT": LENO, "Comune": "Leno", "Differenza": "cambia zona",
        "Ambiti ATS": "Bassa Bresciana Centrale", "Leno a est": "Bassa Bresciana Orientale"}]


def test_compare_needs_two_plans(store):
    app = run_app("pages/confronto.py")
    assert app.multiselect(key="comparison_plans").value == ["__piano_attuale__"]
    assert any("almeno due piani" in i.value for i in app.info)


def test_compare_the_current_plan_with_a_scenario_of_equal_zones(store):
    store.save("Uguale", default_plan())
    app = run_app("pages/confronto.py")
    assert len(app.multiselect(key="comparison_plans").value) == 2  # current plan and the latest scenario
    assert any("Nessuna differenza" in s.value for s in app.success)


# -- share links -------------------------------------------------------------------------------
def test_a_share_link_opens_its_plan_and_area():
    area = sorted(set(DEFAULT_CODES) | {AZZANO_MELLA})
    shared = default_plan().with_area(area).assign([AZZANO_MELLA, LENO], "ambito8").plan.rename_zone("ambito9", "Centro")
    app = run_app(query=share_params(shared))
    assert plan_of(app) == shared
    assert app.session_state["plan"].area_codes == tuple(area)
    assert any("piano condiviso con un link" in s.value for s in app.success)
    button(app, "Chiudi l'avviso").click().run()
    assert not any("piano condiviso" in s.value for s in app.success)
    assert plan_of(app) == shared


def test_a_damaged_share_link_gives_a_message_and_the_default_plan():
    params = share_params(default_plan().assign([LENO], "ambito8").plan)
    app = run_app(query={**params, "pp": params["pp"][:-3]})
    assert plan_of(app) == default_plan()
    assert any("danneggiato" in w.value for w in app.warning)
