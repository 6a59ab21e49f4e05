"""Running the app headless with Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.browser_support import ROOT


def run_app(page: str | None = None, query: dict | None = None, state: dict | None = None) -> AppTest:
    """The app after its first run, switched to ``page`` (a path under pages/).

    ``query`` sets URL query parameters before the first run (share links);
    ``state`` sets session state after it."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    for key, value in (state or {}).items():
        app.session_state[key] = value
    if page:
        app.switch_page(page)
        app.run()
    assert not app.exception, app.exception
    return app


def button(app: AppTest, label: str):
    """The one button (or form submit button) with this label."""
    found = [b for b in app.button if b.label == label]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def open_editor_tool(app: AppTest, tool: str) -> AppTest:
    """Open one of the zone editor's tools ("zone", "elenco", "area")."""
    app.segmented_control(key="ze_tool").set_value(tool).run()
    assert not app.exception, app.exception
    return app
