"""The Presentazione and Rapporto pages headless (Streamlit AppTest), on a fresh database.

Two scenarios are saved before the app starts (the most recent is listed first):

* "Leno e Manerbio": the starting proposal plus a fourth zone with Leno (017088)
  and Manerbio (017103);
* "Leno *da decidere*": the starting proposal with Leno unassigned (one warning).

Residents are read here straight from the shipped data and summed by hand.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.plan import Plan
from geo.store.actors import Actor
from geo.store.scenarios import ScenarioStore
from geo.store.database import Store
from tests.apptest_support import plan_of
from tests.browser_support import ROOT

LENO, MANERBIO = "017088", "017103"
CODES = tuple(load_area_list()["istat_code"])
POPULATION = load_comuni()["pop_totale"]
MELLA_NAME, OPEN_NAME = "Leno e Manerbio", "Leno *da decidere*"
FUNCTIONS = ["Ufficio Tecnico", "Polizia Locale", "SUAP/SUE", "Servizi ICT"]


def italian(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def starting_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(CODES)


def mella_plan() -> Plan:
    plan = starting_plan().add_zone("Zona del Mella")
    return plan.assign([LENO, MANERBIO], plan.zone_ids[-1]).plan


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_resource.clear()  # the app's cached stores open this test's database
    yield
    st.cache_resource.clear()


@pytest.fixture
def scenarios():
    store = ScenarioStore(Store())
    first = store.save(MELLA_NAME, mella_plan(), author="Facilitatore")
    second = store.save(OPEN_NAME, starting_plan().assign([LENO], None).plan)
    yield store, first, second
    store.store.close()


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    return app


def click(app: AppTest, label: str) -> None:
    found = [b for b in app.button if b.label == label]
    assert len(found) == 1, label
    found[0].click().run()
    assert not app.exception, app.exception


def heading(app: AppTest) -> str:
    return app.markdown[0].value


def shown(frame):
    """A static table as people read it: its cells are markdown, escaped by the page
    (``ui.display.show_text_table``: ``14\\.338`` reads ``14.338``)."""
    unescape = lambda v: v.replace("\\", "") if isinstance(v, str) else v  # noqa: E731
    return frame.rename(columns=unescape).map(unescape)


def tables(app: AppTest):
    return [shown(t.value) for t in app.table]


def table(app: AppTest, first_column: str):
    return next(t for t in tables(app) if t.columns[0] == first_column and "Residenti" in t.columns)


# -- presentation ------------------------------------------------------------------------
def test_presentation_shows_the_current_plan_with_coverage_and_no_warning(scenarios):
    app = open_page("pages/presentazione.py")
    assert heading(app) == "# Piano attuale"
    assert app.caption[0].value == "Piano 1 di 3 · 3 zone, 42 comuni · nessun avviso"
    zones = table(app, "Zona")
    assert zones["Residenti"].iloc[-1] == italian(int(POPULATION.loc[list(CODES)].sum()))
    coverage = next(t for t in tables(app) if list(t.columns) == ["Zona", *FUNCTIONS])
    assert coverage["Zona"].iloc[-1] == "Totale area"
    assert any("Nessun avviso" in s.value for s in app.success)
    shortcuts = {b.label: b.proto.shortcut for b in app.button}
    assert shortcuts == {"Precedente": "left", "Successivo": "right", "Esci": "escape",
                         "Piano precedente": "pageup", "Piano successivo": "pagedown"}


def test_next_and_previous_step_through_the_scenarios_and_wrap(scenarios):
    app = open_page("pages/presentazione.py")
    click(app, "Successivo")  # the most recent scenario
    assert heading(app) == r"# Leno \*da decidere\*"  # user text shown literally
    assert app.caption[0].value == "Piano 2 di 3 · 3 zone, 42 comuni · 1 avviso (sotto la mappa)"
    # markdown escapes (\\) keep names literal; what the user reads is the sentence itself
    assert [w.value.replace("\\", "") for w in app.warning] == ["1 comune non assegnato a una zona: Leno."]
    zones = table(app, "Zona")
    assert zones.set_index("Zona").loc["Comuni non assegnati", "Residenti"] == italian(int(POPULATION[LENO]))

    click(app, "Successivo")
    assert heading(app) == "# Leno e Manerbio"
    zones = table(app, "Zona").set_index("Zona")
    assert zones.loc["Zona del Mella", "Residenti"] == italian(int(POPULATION[LENO] + POPULATION[MANERBIO]))
    assert zones.loc["Zona del Mella", "Comuni"] == "2"

    click(app, "Successivo")  # wraps to the first
    assert heading(app) == "# Piano attuale"
    click(app, "Precedente")  # and back to the last
    assert heading(app) == "# Leno e Manerbio"
    click(app, "Piano precedente")  # what PageUp presses
    assert heading(app) == r"# Leno \*da decidere\*"
    click(app, "Piano successivo")  # PageDown
    assert heading(app) == "# Leno e Manerbio"
    # presenting changes nothing: the session's plan is still the starting proposal
    assert plan_of(app) == starting_plan()


def test_choose_a_plan_from_the_list_and_survive_its_deletion(scenarios):
    store, first, _ = scenarios
    app = open_page("pages/presentazione.py")
    app.selectbox(key="presentation_plan").set_value(first.id).run()
    assert heading(app) == "# Leno e Manerbio"
    store.delete(first.id, actor=Actor("c" * 32, "Coordinamento", coordinator=True))  # in another session
    app.run()
    assert not app.exception
    assert heading(app) == "# Piano attuale"
    assert app.caption[0].value.startswith("Piano 1 di 2")


def test_without_scenarios_the_arrows_are_off_and_esc_goes_back():
    app = open_page("pages/presentazione.py")
    disabled = {b.label: b.disabled for b in app.button}
    assert disabled["Successivo"] and disabled["Precedente"] and not disabled["Esci"]
    click(app, "Esci")
    assert app.title[0].value == "Panoramica della Pianura Bresciana"


# -- report page --------------------------------------------------------------------------
def test_report_page_offers_pdf_and_excel_of_the_chosen_plan(scenarios):
    _, first, second = scenarios
    app = open_page("pages/report.py")
    labels = {b.proto.label for b in app.get("download_button")}
    assert labels == {"Scarica il rapporto PDF", "Scarica il rapporto Excel"}
    assert app.markdown[0].value == "**Piano attuale**: 3 zone, 42 comuni, nessun avviso."
    app.selectbox(key="report_plan").set_value(second.id).run()
    assert app.markdown[0].value == r"**Leno \*da decidere\***: 3 zone, 42 comuni, 1 avviso."
    app.selectbox(key="report_plan").set_value(first.id).run()
    zones = table(app, "Zona").set_index("Zona")
    assert zones.loc["Zona del Mella", "Residenti"] == italian(int(POPULATION[LENO] + POPULATION[MANERBIO]))
    assert not app.exception  # the files themselves are built on click: see tests/test_report_browser.py
