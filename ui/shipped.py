"""The shipped data (``data/``) of the session's territory, loaded once per server
process and territory and shared by every session (none of it changes while the
app runs). Each function reads the territory of the session (:mod:`ui.territory`).

The caches are ``functools`` ones keyed by the loaded territory itself (compared by
identity): Streamlit's would hash a whole table per call, and a key by id alone could
outlive the catalogue it came from.
"""

from __future__ import annotations

import functools

import geopandas as gpd

import geo
from ui.territory import catalogue, current


def shipped_comuni() -> gpd.GeoDataFrame:
    """Every comune of the territory's data file (covered ones and grey context)."""
    return current().comuni


def area_for(codes) -> geo.Area:
    """The Area for a set of codes of the session's territory, shared by all sessions (it is immutable)."""
    return _area_for(current(), tuple(codes))


def area_in(territory_id: str, codes) -> geo.Area:
    """The Area for a set of codes of a given territory (e.g. a scenario's thumbnail)."""
    return _area_for(catalogue().get(territory_id) or current(), tuple(codes))


# functools rather than st.cache_resource: this runs several times per click, and
# Streamlit hashes a 200-code key element by element in Python (about 1 ms a call).
@functools.lru_cache(maxsize=64)
def _area_for(territory: geo.LoadedTerritory, codes: tuple[str, ...]) -> geo.Area:
    return geo.Area.from_comuni(territory.comuni, codes)


def default_area_codes() -> tuple[str, ...]:
    """The territory's shipped list of the area vasta."""
    return current().area_codes


def default_plan_dict() -> dict:
    """The territory's starting proposal (``Plan.from_dict`` format)."""
    return current().starting_plan


def default_plan(codes: tuple[str, ...]) -> geo.Plan:
    """The starting proposal of the territory over the given area."""
    return _starting_plan(current()).with_area(codes)


@functools.lru_cache(maxsize=16)
def _starting_plan(territory: geo.LoadedTerritory) -> geo.Plan:
    return geo.Plan.from_dict(territory.starting_plan)


def joinable() -> geo.JoinableComuni:
    """The comuni that may join the area vasta: every comune the territory covers."""
    return _joinable(current())


@functools.lru_cache(maxsize=16)
def _joinable(territory: geo.LoadedTerritory) -> geo.JoinableComuni:
    return territory.joinable


def default_view_bounds() -> tuple[float, float, float, float]:
    """Initial map view: the territory's default area (constant, so the base map is too)."""
    return _view_bounds(current())


@functools.lru_cache(maxsize=16)
def _view_bounds(territory: geo.LoadedTerritory) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in territory.comuni.loc[list(territory.area_codes)].total_bounds)


def comune_names() -> dict[str, str]:
    """ISTAT code -> name of every comune of the territory's data (members may lie outside the area)."""
    return _comune_names(current())


@functools.lru_cache(maxsize=16)
def _comune_names(territory: geo.LoadedTerritory) -> dict[str, str]:
    comuni = territory.comuni
    return dict(zip(comuni.index, comuni["comune"]))


def comune_labels() -> dict[str, str]:
    """ISTAT code -> "Name (BS)", for choosing comuni in widgets."""
    return _comune_labels(current())


@functools.lru_cache(maxsize=16)
def _comune_labels(territory: geo.LoadedTerritory) -> dict[str, str]:
    comuni = territory.comuni
    return {c: f"{n} ({p})" for c, n, p in zip(comuni.index, comuni["comune"], comuni["sigla_provincia"])}


def comuni_points() -> gpd.GeoSeries:
    """Interior points of every comune of the territory's data, EPSG:32632 (for distances)."""
    return _comuni_points(current())


@functools.lru_cache(maxsize=16)
def _comuni_points(territory: geo.LoadedTerritory) -> gpd.GeoSeries:
    return geo.interior_points(territory.comuni)
