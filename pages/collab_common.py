"""Streamlit glue for the collaborations: store access, the map layer toggles and a
compact coverage summary, shared by the Collaborazioni page, the Panoramica and the
zone editor.

For another page, the whole integration is::

    overlays = collaboration_layer_toggles("editor")          # toggles, one per function
    show_map(plan, key=..., overlays=overlays)                 # no reload when toggled
    show_coverage_summary(current_area(), plan)                # coverage + coherence

Everything here reads the database through one cached :class:`CollaborationStore`
per server process; session-specific values live in ``st.session_state`` under the
caller's key prefix.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import streamlit as st

from geo.zoning.area import Area
from geo.render.collaboration_maps import LAYER_LABELS, LAYERS, collaboration_overlays, overlay_data
from geo.store.collaborations import CollaborationStore
from geo.render.collaboration_tables import coherence_text, coverage_display_table, splits_table
from geo.collaborations.model import Collaboration
from geo.collaborations.coverage import coherence, coverage_by_zone, plan_splits
from geo.collaborations.distances import interior_points
from geo.render.html_cards import Card, cards_html
from geo.zoning.plan import Plan
from geo.store.database import database_url
from pages.common import app_store, shipped_comuni, show_table


def collaboration_store() -> CollaborationStore:
    """The collaborations in the app database (seeded from ``data/collaborazioni.json`` once)."""
    return _collaboration_store_for(database_url())


@st.cache_resource(show_spinner=False)
def _collaboration_store_for(url: str) -> CollaborationStore:
    # Keyed by URL like app_store(), which returns the Store for this same URL.
    return CollaborationStore(app_store())


def current_collaborations() -> tuple[Collaboration, ...]:
    """Every saved collaboration, closed ones included, as of this rerun."""
    return collaboration_store().all()


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
    return interior_points(shipped_comuni())


@st.cache_data(show_spinner=False, max_entries=64)
def _overlay_data(collaborations: tuple[Collaboration, ...], day: dt.date) -> tuple[dict, ...]:
    # Geometry unions are the costly part: computed once per set of records and day.
    return overlay_data(shipped_comuni(), collaborations, day)


def collaboration_layer_toggles(key: str, collaborations: tuple[Collaboration, ...] | None = None,
                                day: dt.date | None = None) -> list[dict]:
    """Show the function layers as toggle buttons (pills) and return the overlays switched on.

    Parameters
    ----------
    key : str
        Prefix of the pills' session key (``<key>_strati``); one per page (e.g. ``"panoramica"``).
    collaborations : tuple of Collaboration, optional
        Default: every saved collaboration (:func:`current_collaborations`).
    day : datetime.date, optional
        Statuses as of this day; default today. Ended collaborations are not drawn.

    Returns
    -------
    list of dict
        Pass it to ``show_map(..., overlays=...)``: the overlays are redrawn in the
        browser, the map itself is not reloaded. Empty when every toggle is off.
    """
    day = day or dt.date.today()
    collaborations = current_collaborations() if collaborations is None else collaborations
    chosen = st.pills("Collaborazioni intercomunali sulla mappa (contorno dei comuni membri, cerchio sul capofila)",
                      list(LAYERS), selection_mode="multi", format_func=LAYER_LABELS.get, key=f"{key}_strati")
    return collaboration_overlays(_overlay_data(tuple(collaborations), day), chosen) if chosen else []


def show_coverage_summary(area: Area, plan: Plan, collaborations: tuple[Collaboration, ...] | None = None,
                          day: dt.date | None = None) -> None:
    """A compact section: coverage of the four priority functions per zone, the
    coherence score of ``plan`` and the collaborations it splits. Live: call it
    after the plan changes and it reflects the new zones."""
    collaborations = current_collaborations() if collaborations is None else collaborations
    day = day or dt.date.today()
    splits = plan_splits(plan, collaborations, day)
    score = coherence(splits)
    st.subheader("Servizi in gestione associata")
    st.markdown(cards_html([
        Card("Coerenza con le collaborazioni", coherence_text(score),
             "Quota delle adesioni (comune × collaborazione) che restano in collaborazioni tutte dentro una sola "
             "zona. Esclude le collaborazioni cessate e i comuni non assegnati."),
        Card("Collaborazioni divise dal piano", str(sum(s.is_split for s in splits))),
    ]), unsafe_allow_html=True)
    coverage = coverage_display_table(coverage_by_zone(area, plan, collaborations, day))
    show_table(coverage, numeric=[c for c in coverage.columns if c.endswith(": residenti")], total_last=True)
    divided = [s for s in splits if s.is_split]
    if divided:
        show_table(splits_table(divided, plan, comune_names()), numeric=["Membri in zona"])
