"""Streamlit glue shared by the pages: cached data, the session's plan, the map widget.

Session state is initialised here, in one place; pages never keep mutable state at
module level (it would be shared by every user of the server).
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.area import Area
from geo.data import ATTRIBUTION, load_area_list, load_comuni, load_default_plan_dict
from geo.maps import base_map, zone_state, zone_state_layer
from geo.plan import Plan

PLAN_KEY = "plan"
AREA_CODES_KEY = "area_codes"


@st.cache_resource(show_spinner=False)
def shipped_comuni():
    return load_comuni()


@st.cache_resource(show_spinner=False)
def area_for(codes: tuple[str, ...]) -> Area:
    """The Area for a set of codes, shared by all sessions (it is immutable)."""
    return Area.from_comuni(shipped_comuni(), codes)


@st.cache_data(show_spinner=False)
def default_area_codes() -> tuple[str, ...]:
    return tuple(load_area_list()["istat_code"])


@st.cache_data(show_spinner=False)
def default_plan_dict() -> dict:
    return load_default_plan_dict()


def default_plan(codes: tuple[str, ...]) -> Plan:
    return Plan.from_dict(default_plan_dict()).with_area(codes)


def init_session_state() -> None:
    """Give a new session the working area list and the starting proposal."""
    if AREA_CODES_KEY not in st.session_state:
        st.session_state[AREA_CODES_KEY] = default_area_codes()
    if PLAN_KEY not in st.session_state:
        st.session_state[PLAN_KEY] = default_plan(st.session_state[AREA_CODES_KEY])


def current_area() -> Area:
    return area_for(st.session_state[AREA_CODES_KEY])


def current_plan() -> Plan:
    return st.session_state[PLAN_KEY]


def show_map(area: Area, plan: Plan, *, key: str, height: int = 620, **state_options):
    """Draw the comuni map; only the small zone-state layer changes between reruns,
    so the map keeps its view and never blanks."""
    state = zone_state(plan, **state_options)
    return st_folium(
        base_map(area, height),
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        feature_group_to_add=zone_state_layer(state),
    )


def attribution_caption() -> None:
    st.caption(ATTRIBUTION)
