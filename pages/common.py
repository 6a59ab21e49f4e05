"""Streamlit glue shared by the pages: cached data, the session's plan and its
history, the map widget.

Session state is initialised here, in one place; pages never keep mutable state at
module level (it would be shared by every user of the server). The plan lives in
``st.session_state["history"]`` (a :class:`geo.history.History`): pages read it with
:func:`current_plan` and change it only through :func:`commit_plan` (an undoable
step) or :func:`replace_plan` (opening a scenario: a fresh history).
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.area import Area
from geo.data import ATTRIBUTION, load_area_list, load_comuni, load_default_plan_dict
from geo.history import History
from geo.maps import base_map, zone_state, zone_state_layer
from geo.plan import Plan
from geo.scenarios import ScenarioStore
from geo.share_link import read_share_link
from geo.storage import Store

HISTORY_KEY = "history"
AREA_CODES_KEY = "area_codes"
USER_KEY = "user_name"
MAP_VERSION_KEY = "map_version"
SHARE_NOTICE_KEY = "share_link_notice"


@st.cache_resource(show_spinner=False)
def shipped_comuni():
    return load_comuni()


@st.cache_resource(show_spinner=False)
def area_for(codes: tuple[str, ...]) -> Area:
    """The Area for a set of codes, shared by all sessions (it is immutable)."""
    return Area.from_comuni(shipped_comuni(), codes)


@st.cache_resource(show_spinner=False)
def app_store() -> Store:
    """The app database (one connection pool per server process, shared by sessions)."""
    return Store()


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
        st.session_state[AREA_CODES_KEY] = default_area_codes()
    if HISTORY_KEY not in st.session_state:
        st.session_state[HISTORY_KEY] = History(default_plan(st.session_state[AREA_CODES_KEY]))
        open_share_link_from_url()
    st.session_state.setdefault(USER_KEY, "")
    st.session_state.setdefault(MAP_VERSION_KEY, 0)
    show_share_link_notice()


def open_share_link_from_url() -> None:
    """At the start of a session, open the plan a share link carries in the URL
    (see :mod:`geo.share_link`); a damaged or outdated link leaves the starting
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


def current_area() -> Area:
    return area_for(st.session_state[AREA_CODES_KEY])


def history() -> History:
    return st.session_state[HISTORY_KEY]


def current_plan() -> Plan:
    return history().present


def commit_plan(plan: Plan) -> None:
    """Make ``plan`` the session's plan as one undoable step."""
    st.session_state[HISTORY_KEY] = history().push(plan)
    st.session_state[MAP_VERSION_KEY] += 1


def replace_plan(plan: Plan) -> None:
    """Start over from ``plan`` (e.g. a reopened scenario): undo history is cleared."""
    st.session_state[HISTORY_KEY] = History(plan.with_area(st.session_state[AREA_CODES_KEY]))
    st.session_state[MAP_VERSION_KEY] += 1


def set_history(new_history: History) -> None:
    """Undo/redo: replace the whole history object."""
    st.session_state[HISTORY_KEY] = new_history
    st.session_state[MAP_VERSION_KEY] += 1


def set_area_codes(codes) -> None:
    """Change the session's area vasta; every plan of the history follows."""
    codes = tuple(sorted(codes))
    st.session_state[AREA_CODES_KEY] = codes
    st.session_state[HISTORY_KEY] = history().map(lambda p: p.with_area(codes))
    st.session_state[MAP_VERSION_KEY] += 1


@st.cache_data(show_spinner=False)
def default_view_bounds() -> tuple[float, float, float, float]:
    """Initial map view: the default area list (constant, so the base map is too)."""
    return tuple(float(v) for v in shipped_comuni().loc[list(default_area_codes())].total_bounds)


def show_map(plan: Plan, *, key: str, height: int = 620, drawing: bool = False,
             overlays: list[folium.FeatureGroup] | None = None, on_change=None, **state_options):
    """Draw the comuni map and return the last event the browser sent (or ``None``).

    The base map is byte-identical across reruns, so streamlit-folium keeps the same
    iframe (no reload, no blank, same view); the zone state and any ``overlays``
    (e.g. collaborations) travel as feature groups that the browser swaps in place.
    Clicks and drawings arrive as ``{"pb": {...}}`` (see ``geo/js/pianura_map.js``);
    ``on_change`` runs before the script when one arrives: read it with
    ``st.session_state[key]``.
    """
    state = zone_state(plan, version=st.session_state.get(MAP_VERSION_KEY, 0), **state_options)
    return st_folium(
        base_map(shipped_comuni(), default_view_bounds(), height_px=height, drawing=drawing),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[zone_state_layer(state), *(overlays or [])],
        on_change=on_change,
    )


def attribution_caption() -> None:
    st.caption(ATTRIBUTION)
