"""The Collaborazioni page headless (Streamlit AppTest) on a temporary database."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo.store.collaborations import CollaborationStore
from geo.store.database import Store
from tests.apptest_support import as_coordinator, html_cards, html_tables
from tests.browser_support import ROOT

DAY = dt.date(2026, 11, 25)
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh database for each test (the app's cached stores are keyed by URL)."""
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path))
    return tmp_path


def saved(data_dir):
    """What a restarted server would read from the same database."""
    return {c.name: c for c in CollaborationStore(Store(f"sqlite:///{data_dir / 'pianura.sqlite3'}")).all()}


def open_page(data_dir, *, coordinator: bool = True) -> AppTest:
    """The page as the coordination sees it (collaborations are theirs to change), or a visitor."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    if coordinator:
        as_coordinator(app)
    app.switch_page("pages/collaborazioni.py")
    app.run()
    app.date_input(key="collaborations_day").set_value(DAY).run()
    assert not app.exception, app.exception
    return app


def listed(app) -> list[str]:
    return list(app.dataframe[0].value["Nome"])


def test_a_visitor_reads_the_collaborations_but_cannot_change_them(data_dir):
    app = open_page(data_dir, coordinator=False)
    assert len(listed(app)) == 6
    assert not [b for b in app.button if b.label in ("Salva", "Chiudi", "Salva le collaborazioni importate")]
    assert not app.get("file_uploader")
    assert sum("solo" in i.value or "spetta al coordinamento" in i.value or "il coordinamento" in i.value
               for i in app.info) == 2


def test_list_filters_by_function_status_and_comune(data_dir):
    app = open_page(data_dir)
    assert len(listed(app)) == 6
    app.multiselect(key="collaborations_functions").set_value(["polizia_locale"]).run()
    assert len(listed(app)) == 3
    app.multiselect(key="collaborations_statuses").set_value(["attiva"]).run()
    assert sorted(listed(app)) == ["Convenzione di Polizia Locale (ex Unione Bassa Bresciana Occidentale)",
                                   "Polizia Locale Leno-Pavone-Pralboino-Seniga"]
    app.selectbox(key="collaborations_comune").set_value("017088").run()  # Leno
    assert listed(app) == ["Polizia Locale Leno-Pavone-Pralboino-Seniga"]
    table = app.dataframe[0].value
    assert table.loc[0, "Stato"] == "attiva" and table.loc[0, "Da verificare"] == "sì"


def test_coverage_matrix_gaps_splits_and_distances_are_shown(data_dir):
    app = open_page(data_dir)
    frames = [d.value for d in app.dataframe]
    coverage = next(f for f in frames if "Polizia Locale: comuni" in f.columns)
    assert list(coverage["Zona"]) == ["Bassa Bresciana Occidentale", "Bassa Bresciana Centrale",
                                      "Bassa Bresciana Orientale", "Totale area"]
    assert coverage.iloc[0]["Polizia Locale: comuni"] == "6 su 15 (40,0%)"
    matrix = next(f for f in frames if "Codice ISTAT" in f.columns and "Servizi ICT" in f.columns)
    assert len(matrix) == 42 and matrix["Codice ISTAT"].str.len().eq(6).all()
    metrics = {m.label: m.value for m in app.metric}
    # by hand from the seed: the SUAP/SUE platform (19 memberships) spans the three
    # ambiti; the other four running collaborations (6 + 3 + 4 + 3 = 16) stay whole
    assert metrics["Collaborazioni rispettate"] == "46%"
    assert metrics["Collaborazioni divise tra più zone"] == "1"
    distances = next(f for f in frames if "Distanza massima (km)" in f.columns)
    assert set(distances["Collaborazione"]) == {
        "Convenzione di Polizia Locale (ex Unione Bassa Bresciana Occidentale)",
        "Polizia Locale Leno-Pavone-Pralboino-Seniga"}  # the ended Unione is left out
    downloads = [b.proto.label for b in app.get("download_button")]
    assert {"Scarica la matrice (CSV)", "Scarica la matrice (Excel)"} <= set(downloads)


def test_add_edit_and_close_persist_and_user_text_stays_literal(data_dir):
    app = open_page(data_dir)
    app.text_input(key="collaboration_form_name").input(EVIL).run()
    app.multiselect(key="collaboration_form_functions").set_value(["polizia_locale"]).run()
    app.multiselect(key="collaboration_form_members").set_value(["017088", "017152"]).run()
    app.selectbox(key="collaboration_form_capofila").set_value("017088").run()
    app.text_area(key="collaboration_form_sources").input("https://example.org/delibera").run()
    app.button(key="collaboration_form_save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert EVIL in saved(data_dir)
    assert EVIL in listed(app)  # shown as text in the table
    assert app.selectbox(key="collaboration_form_target").value == "img-src-x-onerror-alert-1"

    app.text_input(key="collaboration_form_name").input("Polizia Locale Leno-Pralboino").run()
    app.button(key="collaboration_form_save").click().run()
    assert "Polizia Locale Leno-Pralboino" in saved(data_dir) and EVIL not in saved(data_dir)

    app.date_input(key="collaboration_form_close_date").set_value(dt.date(2026, 6, 30)).run()
    app.button(key="collaboration_form_close").click().run()
    closed = saved(data_dir)["Polizia Locale Leno-Pralboino"]
    assert (closed.status, closed.end_date) == ("cessata", dt.date(2026, 6, 30))
    assert any("chiusa" in s.value for s in app.success)


def test_an_invalid_form_saves_nothing_and_says_why(data_dir):
    app = open_page(data_dir)
    before = saved(data_dir)
    app.text_input(key="collaboration_form_name").input("Solo un comune").run()
    app.multiselect(key="collaboration_form_functions").set_value(["tributi"]).run()
    app.multiselect(key="collaboration_form_members").set_value(["017088"]).run()
    app.button(key="collaboration_form_save").click().run()
    assert any("almeno 2" in e.value for e in app.error)
    assert saved(data_dir).keys() == before.keys()


def test_editing_a_record_changed_meanwhile_is_refused(data_dir):
    app = open_page(data_dir)
    app.selectbox(key="collaboration_form_target").set_value("comunita-della-pianura-bresciana").run()
    assert app.text_input(key="collaboration_form_name").value == "Comunità della Pianura Bresciana"
    # someone else saves the same record from another session
    other = CollaborationStore(Store(f"sqlite:///{data_dir / 'pianura.sqlite3'}"))
    record, version = other.get("comunita-della-pianura-bresciana")
    other.update(record, version, author="altra sessione")
    app.text_area(key="collaboration_form_notes").input("nota mia").run()
    app.button(key="collaboration_form_save").click().run()
    assert any("qualcun altro" in e.value for e in app.error)
    assert saved(data_dir)["Comunità della Pianura Bresciana"].notes != "nota mia"


def test_panoramica_has_the_layer_toggles(data_dir):
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    layers = app.pills(key="overview_layers")
    assert layers.options == ["Ufficio Tecnico", "Polizia Locale", "SUAP/SUE", "Servizi ICT", "Altre funzioni"]
    assert layers.value == []
    layers.set_value(["polizia_locale"]).run()
    assert not app.exception
    assert app.pills(key="overview_layers").value == ["polizia_locale"]


def test_coverage_summary_for_other_pages(data_dir):
    def script():
        import datetime as dt

        from ui import plan_session
        from ui.collaborations import show_coverage_summary
        from ui.plan_session import current_area, current_plan

        plan_session.start()
        show_coverage_summary(current_area(), current_plan(), day=dt.date(2026, 11, 25))

    app = AppTest.from_function(script, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    assert html_cards(app) == {"Collaborazioni rispettate": "46%", "Collaborazioni divise dal piano": "1"}
    coverage, divided = html_tables(app)
    assert list(coverage["Zona"])[-1] == "Totale area" and len(coverage) == 4
    assert list(divided["Collaborazione"]) == ["Sportello telematico SUAP/SUE condiviso (sportellotelematico-clu.it)"]
