"""Running the app headless with Streamlit's AppTest."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.browser_support import ROOT


def run_app(page: str | None = None, query: dict | None = None, state: dict | None = None,
            browser: str | None = None) -> AppTest:
    """The app after its first run, switched to ``page`` (a path under pages/).

    ``query`` sets URL query parameters before the first run (share links);
    ``state`` sets session state after it; ``browser`` (32 hex digits) is the
    browser's identity token, as if its cookie came with the connection: two
    sessions with the same token are two tabs of one browser."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    if browser is not None:
        from ui.session import IdentityState

        app.session_state["identity"] = IdentityState(browser, confirmed=True)
    app.run()
    for key, value in (state or {}).items():
        app.session_state[key] = value
    if page:
        app.switch_page(page)
        app.run()
    assert not app.exception, app.exception
    return app


def browser_actor(app: AppTest, *, coordinator: bool = False):
    """The author of this session's changes, as the stores see it (its browser's key):
    a test seeds scenarios as this browser's own with it."""
    from geo.store.actors import Actor, browser_key

    return Actor(browser_key(app.session_state["identity"].token), "", coordinator)


def as_coordinator(app: AppTest) -> AppTest:
    """This session as if it had typed the coordination password (``ui.coordination``)."""
    from ui.session import CoordinationState

    app.session_state["coordination"] = CoordinationState(unlocked=True)
    return app


def plan_of(app: AppTest):
    """The session's current plan (``ui.session.PlanSession`` under the key ``plan``)."""
    return app.session_state["plan"].history.present


def button(app: AppTest, label: str):
    """The one button (or form submit button) with this label."""
    found = [b for b in app.button if b.label == label]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def open_editor_tool(app: AppTest, tool: str) -> AppTest:
    """Open one of the zone editor's tools ("zone", "elenco", "area")."""
    app.segmented_control(key="editor_tool").set_value(tool).run()
    assert not app.exception, app.exception
    return app


class _TableReader(HTMLParser):
    """Cells of every <table> in a piece of HTML, as text (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(app: AppTest) -> list[pd.DataFrame]:
    """The HTML tables (``ui.display.show_table``) on the page, in order, each
    as a DataFrame of the displayed text with the header row as columns."""
    frames = []
    for element in app.html:
        reader = _TableReader()
        reader.feed(element.value)
        frames += [pd.DataFrame(rows[1:], columns=rows[0]) for rows in reader.tables if rows]
    return frames


class _CardReader(HTMLParser):
    """Label -> value of the figure cards (``geo.render.html_cards``) in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, str] = {}
        self._label: str | None = None
        self._in_value = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-label" in attrs:
            self._label = attrs["data-label"]
        elif attrs.get("class") == "pb-card-value":
            self._in_value = True
            self.cards[self._label] = ""

    def handle_endtag(self, tag):
        self._in_value = False

    def handle_data(self, data):
        if self._in_value:
            self.cards[self._label] += data


def html_cards(app: AppTest) -> dict[str, str]:
    """Every figure card on the page (``geo.render.html_cards``), label -> shown value."""
    reader = _CardReader()
    for element in app.markdown:
        if "pb-cards" in element.value:
            reader.feed(element.value)
    return reader.cards
