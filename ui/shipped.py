"""The shipped data (``data/``), loaded once per server process and shared by
every session (none of it changes while the app runs)."""

from __future__ import annotations

import functools

import geopandas as gpd
import streamlit as st

import geo


@st.cache_resource(show_spinner=False)
def shipped_comuni() -> gpd.GeoDataFrame:
    return geo.load_comuni()


def area_for(codes) -> geo.Area:
    """The Area for a set of codes, shared by all sessions (it is immutable)."""
    return _area_for(tuple(codes))


# functools rather than st.cache_resource: this runs several times per click, and
# Streamlit hashes a 200-code key element by element in Python (about 1 ms a call).
@functools.lru_cache(maxsize=64)
def _area_for(codes: tuple[str, ...]) -> geo.Area:
    return geo.Area.from_comuni(shipped_comuni(), codes)


@st.cache_data(show_spinner=False)
def default_area_codes() -> tuple[str, ...]:
    """The shipped working list of the area vasta."""
    return tuple(geo.load_area_list()["istat_code"])


@st.cache_data(show_spinner=False)
def default_plan_dict() -> dict:
    return geo.load_default_plan_dict()


def default_plan(codes: tuple[str, ...]) -> geo.Plan:
    """The starting proposal (``data/proposta_iniziale.json``) over the given area."""
    return geo.Plan.from_dict(default_plan_dict()).with_area(codes)


@st.cache_resource(show_spinner=False)
def joinable() -> geo.JoinableComuni:
    """The comuni that may join the area vasta (the working list's provinces)."""
    return geo.joinable_comuni(shipped_comuni(), default_area_codes())


@st.cache_data(show_spinner=False)
def default_view_bounds() -> tuple[float, float, float, float]:
    """Initial map view: the default area list (constant, so the base map is too)."""
    return tuple(float(v) for v in shipped_comuni().loc[list(default_area_codes())].total_bounds)


@st.cache_data(show_spinner=False)
def comune_names() -> dict[str, str]:
    """ISTAT code -> name of every shipped comune (members may lie outside the area)."""
    comuni = shipped_comuni()
    return dict(zip(comuni.index, comuni["comune"]))


@st.cache_data(show_spinner=False)
def comune_labels() -> dict[str, str]:
    """ISTAT code -> "Name (BS)", for choosing comuni in widgets."""
    comuni = shipped_comuni()
    return {c: f"{n} ({p})" for c, n, p in zip(comuni.index, comuni["comune"], comuni["sigla_provincia"])}


@st.cache_resource(show_spinner=False)
def comuni_points() -> gpd.GeoSeries:
    """Interior points of every shipped comune, EPSG:32632 (for distances)."""
    return geo.interior_points(shipped_comuni())
