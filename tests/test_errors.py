"""Errors inside the app (ui/errors.py): the user reads Italian, the log keeps the traceback.

Each test breaks one piece of the domain on purpose (monkeypatch) and drives the
real app headless; ``app_errors`` (tests/conftest.py) holds what the app logged.
"""

from __future__ import annotations

import logging
import tomllib

from streamlit.testing.v1 import AppTest

import geo
from tests.apptest_support import button, plan_of, run_app
from tests.browser_support import ROOT
from ui.errors import UNEXPECTED
from ui.markdown import md

EDITOR = "pages/zone_editor.py"


class Broken(RuntimeError):
    pass


def breaks(*_args, **_kwargs):
    raise Broken("guasto di prova")


def italian_error_shown(app: AppTest) -> bool:
    return md(UNEXPECTED) in [e.value for e in app.error]


def assert_logged_with_traceback(app_errors, caplog, where: str) -> None:
    (record,) = app_errors
    assert record.name == "ui.errors" and where in record.getMessage()
    assert "Traceback (most recent call last)" in caplog.text and "Broken: guasto di prova" in caplog.text
    app_errors.clear()  # seen: not a failure of this test


def test_a_callback_that_fails_shows_an_italian_message_and_logs_the_traceback(monkeypatch, app_errors, caplog):
    caplog.set_level(logging.ERROR, logger="ui.errors")
    app = run_app(EDITOR)
    app.segmented_control(key="editor_tool").set_value("zone").run()
    app.text_input(key="editor_new_name").set_value("Zona nuova")
    button(app, "Aggiungi zona").click().run()
    edited = plan_of(app)
    monkeypatch.setattr(geo.History, "undo", breaks)
    button(app, "Annulla ultima modifica").click().run()
    assert not app.exception, app.exception  # no traceback on the page
    assert italian_error_shown(app)
    assert plan_of(app) == edited  # nothing changed
    assert_logged_with_traceback(app_errors, caplog, "ui.editor.undo")


def test_a_map_callback_that_fails_shows_an_italian_message(monkeypatch, app_errors, caplog):
    """The map's on_change (a click on a comune) runs through the same guard."""
    caplog.set_level(logging.ERROR, logger="ui.errors")
    monkeypatch.setattr("ui.editor.assign", breaks)  # the click's work fails

    def script():
        from map_component import AssignClick
        from ui import editor, flash, plan_session

        plan_session.start()
        editor.on_map_event(AssignClick(seq=1, code="017088", zone_id="ambito8"))
        flash.show(editor.PLACE)

    app = AppTest.from_function(script, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    assert italian_error_shown(app)
    assert_logged_with_traceback(app_errors, caplog, "ui.editor.on_map_event")


def test_a_fragment_that_fails_shows_the_message_in_place_and_the_page_goes_on(monkeypatch, app_errors, caplog):
    caplog.set_level(logging.ERROR, logger="ui.errors")
    app = run_app(EDITOR)
    monkeypatch.setattr(geo, "zone_statistics", breaks)
    app.run()
    assert not app.exception, app.exception
    assert italian_error_shown(app)
    assert app.segmented_control(key="editor_tool")  # drawn after the editor fragment
    assert_logged_with_traceback(app_errors, caplog, "editor")


def test_a_page_that_fails_shows_the_message_where_it_stopped(monkeypatch, app_errors, caplog):
    """The default page runs through the router (dashboard.py) even headless: its
    runner catches what the page raises."""
    caplog.set_level(logging.ERROR, logger="ui.errors")
    monkeypatch.setattr(geo, "statistics_display_table", breaks)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not app.exception, app.exception
    assert [t.value for t in app.title] == ["Panoramica della Pianura Bresciana"] and italian_error_shown(app)
    assert_logged_with_traceback(app_errors, caplog, "page home")


def test_the_domains_italian_refusals_are_shown_as_they_are_and_not_logged(monkeypatch, app_errors):
    def refuses(*_args, **_kwargs):
        raise geo.PlanError("Il piano non si può mostrare: prova.")

    monkeypatch.setattr(geo, "statistics_display_table", refuses)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not app.exception
    assert [e.value for e in app.error] == [md("Il piano non si può mostrare: prova.")]
    assert app_errors == []


def test_streamlit_shows_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
