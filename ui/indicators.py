"""Indicators in the session: which ones exist (shipped and imported), which ones the
user looks at, the area with the imported columns, the registry every table, export
and report uses, and the map's colouring.

* :func:`catalogue`: shipped indicators, then the imported ones in use (database);
* :func:`indicator_area`: an area with the imported indicators' columns, shared by
  every session (rebuilt only when an indicator is imported, changed or deleted);
* :func:`session_registry`: the shipped statistics plus the chosen indicators: pass
  it as ``registry=`` so the chosen indicators appear in every table and file;
* :func:`colouring_controls` and :func:`map_thematic`: zone colours or an indicator's
  classes on the map, switched in place.
"""

from __future__ import annotations

import functools
import importlib
import threading
import time

import streamlit as st

import geo
from ui import errors
from ui.session import INDICATORS, indicator_choice, run_read
from ui.shipped import area_for
from ui.stores import stores

ZONE_COLOURS = "zone"
PLACE = "indicators"
PRELOAD_DELAY_S = 15.0


@functools.lru_cache(maxsize=8)
def _imported(url: str, fingerprint: tuple[tuple[str, int], ...]) -> tuple[geo.ImportedIndicator, ...]:
    # Keyed by the (key, revision) pairs: a change anywhere gives a new key.
    return tuple(s.record for s in stores().indicators.active())


def imported() -> tuple[geo.ImportedIndicator, ...]:
    """The imported indicators in use, as of this rerun."""
    app = stores()
    # Asked for by every widget and table of a rerun (a dozen times per click): one
    # fingerprint query per run (ui.session.run_read), and a new one after this process
    # writes (a callback's import, before the page draws).
    return run_read(("imported", app.database.url, app.database.writes),
                    lambda: _imported(app.database.url, app.indicators.fingerprint()))


@functools.lru_cache(maxsize=8)
def _catalogue(records: tuple[geo.ImportedIndicator, ...]) -> geo.IndicatorCatalogue:
    return geo.SHIPPED_CATALOGUE.with_indicators(*(r.indicator() for r in records))


def catalogue() -> geo.IndicatorCatalogue:
    return _catalogue(imported())


# functools, not st.cache_resource: this runs on every click (see ui.shipped.area_for).
@functools.lru_cache(maxsize=64)
def _indicator_area(codes: tuple[str, ...], records: tuple[geo.ImportedIndicator, ...]) -> geo.Area:
    area = area_for(codes)
    for record in records:
        area = area.with_columns(record.column())
    return area


def indicator_area(codes) -> geo.Area:
    """The area of ``codes`` with the imported indicators' columns (NaN where missing)."""
    return _indicator_area(tuple(codes), imported())


def chosen_keys() -> tuple[str, ...]:
    chosen = indicator_choice().chosen
    keys = geo.DEFAULT_CHOICE if chosen is None else chosen
    return tuple(k for k in keys if k in catalogue())


def chosen_indicators() -> tuple[geo.Indicator, ...]:
    return catalogue().chosen(chosen_keys())


@functools.lru_cache(maxsize=32)
def _registry(base: geo.StatisticsRegistry, catalogue_: geo.IndicatorCatalogue,
              keys: tuple[str, ...]) -> geo.StatisticsRegistry:
    return catalogue_.registry(keys, base=base)


def session_registry() -> geo.StatisticsRegistry:
    """The shipped statistics and the chosen indicators, in this order."""
    return _registry(geo.statistics_registry(), catalogue(), chosen_keys())


def source_lines() -> list[str]:
    """Year, source and licence of each chosen indicator, for captions."""
    return [f"{i.label}: {i.source.line}" for i in chosen_indicators()]


# -- widgets ---------------------------------------------------------------------------------
@errors.callback(PLACE)
def _keep_chosen() -> None:
    indicator_choice().chosen = tuple(INDICATORS.get("chosen") or ())


def indicator_picker() -> None:
    """The indicators to look at (homogeneity, tables, files), as toggle buttons: the pills
    the editor already uses, so its first load fetches no other widget's scripts."""
    options = catalogue()
    INDICATORS.set("chosen", list(chosen_keys()))
    st.pills("Indicatori per l'omogeneità", list(options.keys), selection_mode="multi", key=INDICATORS.key("chosen"),
             wrap=True, format_func=lambda k: options[k].label, on_change=_keep_chosen,
             help="Le zone sono tanto più omogenee quanto più i loro comuni si somigliano su questi indicatori. "
                  "Compaiono anche nelle tabelle, nei file esportati e nei rapporti.")


@errors.callback(PLACE)
def _keep_colouring() -> None:
    state = indicator_choice()
    state.colouring = INDICATORS.get("colouring") or ZONE_COLOURS
    state.method = INDICATORS.get("method") or state.method


def _import_later(seconds: float) -> None:
    time.sleep(seconds)
    importlib.import_module("mapclassify")


@st.cache_resource(show_spinner=False)
def _preload_classifier() -> threading.Thread:
    # mapclassify imports scikit-learn and scipy.stats: 3-7 s of CPU on this machine. Imported
    # in the background, some seconds after the first map with the colouring choice (make run's
    # warm-up draws one) so as not to slow that first load, and before a user switches.
    thread = threading.Thread(target=_import_later, args=(PRELOAD_DELAY_S,), daemon=True,
                              name="preload-mapclassify")
    thread.start()
    return thread


def colouring_controls() -> None:
    """Colours of the map: the zones, or one indicator in classes (and the class method),
    as pills and a segmented control (widgets the pages already load)."""
    _preload_classifier()
    state, options = indicator_choice(), catalogue()
    choices = [ZONE_COLOURS, *options.keys]
    if state.colouring not in choices:
        state.colouring = ZONE_COLOURS
    INDICATORS.set("colouring", state.colouring)
    INDICATORS.set("method", state.method)
    st.pills("Colori della mappa", choices, key=INDICATORS.key("colouring"), on_change=_keep_colouring,
             required=True, wrap=True, format_func=lambda k: "Zone" if k == ZONE_COLOURS else options[k].label,
             help="Colora i comuni per zona oppure per un indicatore, in classi; con un indicatore i confini tra "
                  "le zone sono in nero e il bordo di ogni comune ha il colore della sua zona.")
    if state.colouring != ZONE_COLOURS:
        st.segmented_control("Classi", list(geo.THEMATIC_METHODS), key=INDICATORS.key("method"), required=True,
                             wrap=True, on_change=_keep_colouring, format_func=geo.THEMATIC_METHODS.get,
                             help=geo.THEMATIC_METHODS_HELP)


def map_thematic(area: geo.Area) -> dict | None:
    """The ``thematic`` state option of the map for the session's colouring (``None``: zones)."""
    state = indicator_choice()
    if state.colouring == ZONE_COLOURS or state.colouring not in catalogue():
        return None
    return geo.thematic_state(geo.thematic_map(catalogue()[state.colouring], area, state.method, state.classes))
