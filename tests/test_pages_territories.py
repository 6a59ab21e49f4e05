"""Territories in the app, headless (AppTest): choosing one keeps each territory's own
plan; links, scenarios and workshops of one territory never open in another.

The two shipped territories: the Pianura Bresciana (default: 42 comuni, the ATS
ambiti) and the Rete dell'Hub (the 382 comuni of Brescia, Cremona and Mantova, one
zone per province, ids prov_bs, prov_cr, prov_mn).
"""

from __future__ import annotations

import re

import pytest
import streamlit as st

from geo.data.territory import TERRITORY_DIR
from geo.data.territory_data import load_catalogue
from geo.io.share_link import share_params
from geo.store.database import Store
from geo.store.scenarios import ScenarioStore
from geo.store.workshops import WorkshopStore
from geo.zoning.plan import Plan
from tests.apptest_support import as_coordinator, button, plan_of, run_app

LENO, CREMONA = "017088", "019036"
HUB, PIANURA = "rete_hub", "pianura_bresciana"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(TERRITORY_DIR)


@pytest.fixture(autouse=True)
def fresh_app(tmp_path, monkeypatch):
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    st.cache_resource.clear()  # the app's stores open this test's database
    yield
    st.cache_resource.clear()


def hub_plan(catalogue) -> Plan:
    hub = catalogue.get(HUB)
    return Plan.from_dict(hub.starting_plan).with_area(hub.area_codes)


def territory(app) -> str:
    return app.session_state["territory"].active


def texts(elements) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def offer(app, label: str):
    """The one button whose label reads ``label`` (labels escape user text: ``Hub\\: ...``)."""
    (found,) = [b for b in app.button if re.sub(r"\\(.)", r"\1", b.label) == label]
    return found


def choose(app, territory_id: str, page: str | None = None):
    """Choose the territory in the sidebar's selector. AppTest runs the router (which
    draws the selector) only on a session's first run: later runs run the page file
    alone (Streamlit 1.67 with a pages/ folder), so this is for a fresh session."""
    app.selectbox(key="territory_choice").set_value(territory_id).run()
    if page:
        app.switch_page(page).run()
    assert not app.exception
    return app


def test_choosing_a_territory_keeps_the_plan_drawn_in_the_other(catalogue):
    app = run_app()
    assert territory(app) == PIANURA and app.title[0].value == "Panoramica della Pianura Bresciana"
    app.session_state["plan"].history = app.session_state["plan"].history.push(
        plan_of(app).assign([LENO], "ambito8").plan)  # a drawing in progress
    ScenarioStore(Store()).save("Ambiti", plan_of(app), territory=PIANURA)  # to come back through its offer
    choose(app, HUB)
    assert territory(app) == HUB and len(plan_of(app).codes) == 382
    assert [z.name for z in plan_of(app).zones] == ["Provincia di Brescia", "Provincia di Cremona",
                                                    "Provincia di Mantova"]
    assert app.title[0].value == "Panoramica della rete dell'Hub (Brescia, Cremona, Mantova)"
    assert "382 comuni" in texts(app.info)
    app.switch_page("pages/scenari.py").run()
    offer(app, "Passa al territorio «Pianura Bresciana»").click().run()
    assert territory(app) == PIANURA
    assert len(plan_of(app).codes) == 42 and plan_of(app).zone_of(LENO) == "ambito8"  # as it was left
    assert app.session_state["plan"].history.can_undo
    assert app.session_state["territory"].kept[HUB].plan.history.present == hub_plan(catalogue)


def test_a_share_link_of_the_hub_opens_in_the_hub_and_says_so(catalogue):
    shared = hub_plan(catalogue).assign([CREMONA], "prov_bs").plan
    app = run_app(query=share_params(shared, HUB))
    assert territory(app) == HUB and plan_of(app) == shared
    assert "territorio «Rete dell'Hub: Brescia, Cremona, Mantova»" in texts(app.success)


def test_a_share_link_of_a_territory_this_server_lacks_is_refused(catalogue):
    app = run_app(query=share_params(hub_plan(catalogue), "lombardia"))
    assert territory(app) == PIANURA and len(plan_of(app).codes) == 42
    assert "«lombardia»" in texts(app.warning) and "non ha" in texts(app.warning)


def test_a_scenario_of_another_territory_is_refused_with_an_offer_to_switch(catalogue):
    saved = ScenarioStore(Store()).save("Tre province", hub_plan(catalogue), territory=HUB)
    app = run_app("pages/scenari.py")
    app.selectbox(key="scenarios_selected").set_value(saved.id).run()
    listed = next(d.value for d in app.dataframe if "Nome" in d.value.columns)
    assert listed.loc[0, "Territorio"] == "Rete dell'Hub: Brescia, Cremona, Mantova"
    button(app, "Apri lo scenario").click().run()
    assert territory(app) == PIANURA and len(plan_of(app).codes) == 42  # nothing opened
    assert "è del territorio «Rete dell'Hub: Brescia, Cremona, Mantova», non di «Pianura Bresciana»" in texts(app.error)
    offer(app, "Passa al territorio «Rete dell'Hub: Brescia, Cremona, Mantova»").click().run()
    assert territory(app) == HUB
    button(app, "Apri lo scenario").click().run()
    assert plan_of(app) == saved.plan and "aperto" in texts(app.success)


def test_a_workshop_of_another_territory_is_refused_with_an_offer_to_switch(catalogue):
    workshop = WorkshopStore(Store()).open("Incontro a Ostiano", hub_plan(catalogue), territory=HUB)
    app = run_app("pages/workshop.py")
    app.text_input(key="workshop_join_code").set_value(workshop.code)
    app.text_input(key="workshop_join_name").set_value("Sindaco di Ostiano")
    button(app, "Entra nel laboratorio").click().run()
    assert app.session_state["workshop"].participation is None and territory(app) == PIANURA
    assert "Il laboratorio «Incontro a Ostiano» è del territorio «Rete dell'Hub" in texts(app.error)
    offer(app, "Passa al territorio «Rete dell'Hub: Brescia, Cremona, Mantova» ed entra").click().run()
    assert territory(app) == HUB, texts(app.error)
    assert app.session_state["workshop"].participation.name == "Sindaco di Ostiano", texts(app.error)
    assert plan_of(app) == workshop.base_plan
    # a participant works in the workshop's territory until leaving it (the selector is disabled)
    assert app.session_state["access"].restriction is not None


def test_the_area_vasta_of_each_territory_changes_apart():
    app = choose(as_coordinator(run_app()), HUB, "pages/zone_editor.py")  # the area vasta is the coordination's
    app.segmented_control(key="editor_tool").set_value("area").run()
    app.text_input(key="user_name").set_value("Maria").run()
    app.selectbox(key="editor_area_remove").set_value(CREMONA).run()
    button(app, "Togli dall'area").click().run()
    assert len(plan_of(app).codes) == 381
    assert len(plan_of(run_app("pages/zone_editor.py")).codes) == 42  # the Pianura Bresciana's area is untouched
    assert len(plan_of(choose(run_app(), HUB)).codes) == 381  # shared data of the Hub, seen by a new session
