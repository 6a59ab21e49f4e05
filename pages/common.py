"""Streamlit glue shared by the pages: cached data, the session's plan and its
history, the map widget.

Session state is initialised here, in one place; pages never keep mutable state at
module level (it would be shared by every user of the server). The plan lives in
``st.session_state["history"]`` (a :class:`geo.zoning.history.History`): pages read it with
:func:`current_plan` and change it only through :func:`commit_plan` (an undoable
step) or :func:`replace_plan` (opening a scenario: a fresh history).
"""

from __future__ import annotations

import functools
import os
import re
import time
from contextlib import contextmanager
from typing import Callable, Sequence

import streamlit as st
from streamlit_folium import st_folium

from geo.zoning.area import Area
from geo.store.area_edits import AreaEditLog
from geo.data.shipped import ATTRIBUTION, load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.history import History
from geo.render.html_table import html_table
from geo.render.maps import publish_base_map, zone_state
from geo.render.plan_view_map import legend_html, plan_layer, view_base_map
from geo.zoning.plan import Plan
from geo.store.scenarios import ScenarioStore
from geo.io.share_link import read_share_link
from geo.store.database import Store, database_url
from map_component import MapEvent, comuni_map

HISTORY_KEY = "history"
AREA_CODES_KEY = "area_codes"
USER_KEY = "user_name"
SHARE_NOTICE_KEY = "share_link_notice"
RESTRICTION_KEY = "sessione_limitata"


@st.cache_resource(show_spinner=False)
def shipped_comuni():
    return load_comuni()


def area_for(codes) -> Area:
    """The Area for a set of codes, shared by all sessions (it is immutable)."""
    return _area_for(tuple(codes))


# functools rather than st.cache_resource: this runs several times per click, and
# Streamlit hashes a 200-code key element by element in Python (about 1 ms a call).
@functools.lru_cache(maxsize=64)
def _area_for(codes: tuple[str, ...]) -> Area:
    return Area.from_comuni(shipped_comuni(), codes)


def app_store() -> Store:
    """The app database: one connection pool per database URL and server process,
    shared by the sessions (keyed by URL so a changed configuration, e.g. in
    tests, gets its own)."""
    return _store_for(database_url())


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> Store:
    return Store(url)


def area_log() -> AreaEditLog:
    """Changes to the area vasta made in the app (who, what, when)."""
    return _area_log_for(database_url())


@st.cache_resource(show_spinner=False)
def _area_log_for(url: str) -> AreaEditLog:
    return AreaEditLog(_store_for(url))


def scenario_store() -> ScenarioStore:
    """Saved scenarios, in the app database (shared by every session)."""
    return _scenario_store_for(app_store().url)


@st.cache_resource(show_spinner=False)
def _scenario_store_for(url: str) -> ScenarioStore:
    # keyed by the database URL, like the store itself: a new configuration gets its own
    return ScenarioStore(app_store())


@st.cache_data(show_spinner=False)
def default_area_codes() -> tuple[str, ...]:
    return tuple(load_area_list()["istat_code"])


@st.cache_data(show_spinner=False)
def default_plan_dict() -> dict:
    return load_default_plan_dict()


def default_plan(codes: tuple[str, ...]) -> Plan:
    """The starting proposal (``data/proposta_iniziale.json``) over the given area."""
    return Plan.from_dict(default_plan_dict()).with_area(codes)


def init_session_state() -> None:
    """Give a new session the working area list and the starting proposal."""
    if AREA_CODES_KEY not in st.session_state:
        st.session_state[AREA_CODES_KEY] = area_log().current_codes(default_area_codes())
    if HISTORY_KEY not in st.session_state:
        st.session_state[HISTORY_KEY] = History(default_plan(st.session_state[AREA_CODES_KEY]))
        open_share_link_from_url()
    st.session_state.setdefault(USER_KEY, "")
    show_share_link_notice()


def open_share_link_from_url() -> None:
    """At the start of a session, open the plan a share link carries in the URL
    (see :mod:`geo.io.share_link`); a damaged or outdated link leaves the starting
    proposal and an Italian message in ``st.session_state[SHARE_NOTICE_KEY]``."""
    result = read_share_link(st.query_params.to_dict(), shipped_comuni().index)
    if result is None:
        return
    if result.error:
        st.session_state[SHARE_NOTICE_KEY] = ("error", result.error)
        return
    st.session_state[AREA_CODES_KEY] = result.area_codes
    st.session_state[HISTORY_KEY] = History(result.plan)
    st.session_state[SHARE_NOTICE_KEY] = (
        "success", f"Hai aperto un piano condiviso con un link: {len(result.plan.zones)} zone su "
        f"{len(result.area_codes)} comuni. Per conservarlo salvalo come scenario (pagina «Scenari»).")


def show_share_link_notice() -> None:
    """The outcome of opening a share link, above the page until the user closes it."""
    notice = st.session_state.get(SHARE_NOTICE_KEY)
    if not notice:
        return
    kind, message = notice
    box = st.container(key="avviso_link")
    (box.warning if kind == "error" else box.success)(message, icon="⚠️" if kind == "error" else "🔗")
    box.button("Chiudi l'avviso", key="chiudi_avviso_link",
               on_click=lambda: st.session_state.pop(SHARE_NOTICE_KEY, None))


def _ensure_routed() -> None:
    """Make sure the session went through ``dashboard.py``.

    On a server's very first run Streamlit still treats ``pages/`` as a folder of
    pages (multipage v1) and, for a deep link such as ``/zone_editor``, runs that
    file directly: no router, no session set-up. Switch Streamlit to the
    ``st.navigation`` mode once and rerun, so the router handles the same URL.
    """
    if HISTORY_KEY in st.session_state:
        return
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    init_session_state()


def current_area() -> Area:
    _ensure_routed()
    return area_for(st.session_state[AREA_CODES_KEY])


def history() -> History:
    _ensure_routed()
    return st.session_state[HISTORY_KEY]


def current_plan() -> Plan:
    return history().present


def commit_plan(plan: Plan) -> None:
    """Make ``plan`` the session's plan as one undoable step."""
    st.session_state[HISTORY_KEY] = history().push(plan)


def replace_plan(plan: Plan) -> None:
    """Start over from ``plan`` (e.g. a reopened scenario): undo history is cleared."""
    st.session_state[HISTORY_KEY] = History(plan.with_area(st.session_state[AREA_CODES_KEY]))


def set_history(new_history: History) -> None:
    """Undo/redo: replace the whole history object."""
    st.session_state[HISTORY_KEY] = new_history


def set_area_codes(codes) -> None:
    """Change the session's area vasta; every plan of the history follows."""
    codes = tuple(sorted(codes))
    st.session_state[AREA_CODES_KEY] = codes
    st.session_state[HISTORY_KEY] = history().map(lambda p: p.with_area(codes))


@st.cache_data(show_spinner=False)
def default_view_bounds() -> tuple[float, float, float, float]:
    """Initial map view: the default area list (constant, so the base map is too)."""
    return tuple(float(v) for v in shipped_comuni().loc[list(default_area_codes())].total_bounds)


def show_map(plan: Plan, *, key: str, height: int = 620, drawing: bool = False,
             overlays: Sequence[dict] = (), on_change: Callable[[MapEvent], None] | None = None,
             **state_options) -> MapEvent | None:
    """The comuni map (:func:`map_component.comuni_map`); returns the last event.

    The base map is published once per process (same URL every rerun: no reload,
    same view); the zone state (``state_options``: :func:`geo.render.maps.zone_state`)
    and ``overlays`` are applied in place. ``on_change`` gets each new typed event.
    """
    base = publish_base_map(shipped_comuni(), default_view_bounds(), drawing=drawing)
    return comuni_map(zone_state(plan, **state_options), base=base, key=key, height=height,
                      overlays=overlays, on_change=on_change)


def show_view_map(plan: Plan, *, key: str, height: int = 560, highlight=()) -> None:
    """A plan on a plain folium map in streamlit-folium, legend below: for maps that
    send no events (``map_component/README.md``). The empty base map stays the same;
    the plan (``highlight`` outlined in red) is ``feature_group_to_add``, swapped in place.
    """
    area = area_for(plan.codes)
    st_folium(view_base_map(tuple(area.comuni.total_bounds)), key=key, height=height, use_container_width=True,
              returned_objects=[], feature_group_to_add=plan_layer(area.comuni, plan, highlight))
    st.html(legend_html(plan, area.comuni["pop_totale"]))


@contextmanager
def timing_log(name: str):
    """With ``PIANURA_TIMING_LOG`` set, append the server time of the block (name,
    milliseconds) to that file: the benchmarks read it. Otherwise does nothing."""
    log = os.environ.get("PIANURA_TIMING_LOG")
    start = time.perf_counter()
    try:
        yield
    finally:
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{name}\t{(time.perf_counter() - start) * 1000:.2f}\n")


def restrict_session(reason: str, pages, home: str, home_label: str) -> None:
    """Limit this session (e.g. a workshop participant's): only the pages whose
    ``url_path`` is in ``pages`` run, and code that changes shared data (such as
    the area vasta) refuses with ``reason`` (Italian, see :func:`session_restriction`);
    ``home`` is the page file where the restriction is lifted (link: ``home_label``)."""
    st.session_state[RESTRICTION_KEY] = {"reason": reason, "pages": tuple(pages), "home": home,
                                         "home_label": home_label}


def lift_session_restriction() -> None:
    st.session_state.pop(RESTRICTION_KEY, None)


def session_restriction() -> str | None:
    """Why this session may not change shared data, or ``None`` when it may."""
    restriction = st.session_state.get(RESTRICTION_KEY)
    return restriction["reason"] if restriction else None


def run_page(navigation) -> None:
    """Run the selected page, timed (see :func:`timing_log`); a restricted session
    (see :func:`restrict_session`) gets a message instead of the other pages."""
    restriction = st.session_state.get(RESTRICTION_KEY)
    if restriction and navigation.url_path not in restriction["pages"]:
        st.warning(restriction["reason"], icon="🔒")
        st.page_link(restriction["home"], label=restriction["home_label"], icon=":material/arrow_back:")
        return
    with timing_log(navigation.url_path or "home"):
        navigation.run()


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:])")


def md(text: object) -> str:
    """User text made inert inside Streamlit markdown (messages, labels): names of
    scenarios, zones and files are shown as typed, never as links or formatting."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def show_table(frame, *, numeric=(), total_last: bool = False) -> None:
    """A read-only table as light HTML (see :mod:`geo.render.html_table`): for tables that
    are redrawn on every click. Use ``st.dataframe`` where sorting helps."""
    st.html(html_table(frame, numeric=numeric, total_last=total_last))


def attribution_caption() -> None:
    st.caption(ATTRIBUTION)
