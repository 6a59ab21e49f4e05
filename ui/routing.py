"""The router's rules: every session goes through ``dashboard.py``; a restricted
session (a workshop participant's) runs only some pages."""

from __future__ import annotations

import streamlit as st

from ui import errors, session
from ui.markdown import md
from ui.session import Restriction
from ui.timing import timing_log


def ensure_routed() -> None:
    """Send a page that runs without the router back through it.

    Streamlit (1.67) has no documented way to keep a ``pages/`` folder out of
    routing: until ``st.navigation`` first runs in a server process, a deep link
    such as ``/zone_editor`` runs that file of ``pages/`` directly (Streamlit's
    first multipage mode), with no router and no session set-up. Switch Streamlit
    to the ``st.navigation`` mode and rerun, so the router handles the same URL.
    The flag is Streamlit's private one: ``tests/test_routing.py`` fails when it
    changes.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def restrict_session(reason: str, pages, home: str, home_label: str) -> None:
    """Limit this session (e.g. a workshop participant's): only the pages whose
    ``url_path`` is in ``pages`` run, and code that changes shared data (such as
    the area vasta) refuses with ``reason`` (Italian plain text, see
    :func:`session_restriction`); ``home`` is the page file where the restriction
    is lifted (link: ``home_label``)."""
    session.access_state().restriction = Restriction(reason, tuple(pages), home, home_label)


def lift_session_restriction() -> None:
    session.access_state().restriction = None


def session_restriction() -> str | None:
    """Why this session may not change shared data, or ``None`` when it may."""
    restriction = session.access_state().restriction
    return restriction.reason if restriction else None


def visible_pages(pages: list) -> list:
    """The ``st.Page`` objects this session's navigation lists: all of them, or for a
    restricted session (a workshop participant's) only those it may use, so that
    its menu shows no page that would only say it is locked."""
    restriction = session.access_state().restriction
    return list(pages) if restriction is None else [p for p in pages if p.url_path in restriction.pages]


def run_page(navigation) -> None:
    """Run the selected page, timed (see :func:`ui.timing.timing_log`), its errors
    shown in Italian (see :mod:`ui.errors`); a restricted session (see
    :func:`restrict_session`) gets a message instead of the other pages."""
    restriction = session.access_state().restriction
    if restriction and navigation.url_path not in restriction.pages:
        st.warning(md(restriction.reason), icon="🔒")
        st.page_link(restriction.home, label=restriction.home_label, icon=":material/arrow_back:")
        return
    name = navigation.url_path or "home"
    with timing_log(name):
        try:
            navigation.run()
        except Exception as exc:  # noqa: BLE001 - shown in Italian, traceback to the log
            errors.show_error(exc, f"page {name}")
