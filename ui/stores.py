"""The app database and each feature's store, for the configured database URL.

One set per URL and server process, shared by the sessions (a store holds a
connection pool, no session data); keyed by URL so that a changed configuration
(e.g. a test's own database) gets its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import geo


@dataclass(frozen=True)
class Stores:
    database: geo.Store
    scenarios: geo.ScenarioStore
    area_edits: geo.AreaEditLog  # changes to the area vasta (who, what, when)
    collaborations: geo.CollaborationStore  # seeded from data/collaborazioni.json once
    workshops: geo.WorkshopStore
    indicators: geo.IndicatorStore  # indicators imported by users (versions kept)


def stores() -> Stores:
    return _stores_for(geo.database_url())


@st.cache_resource(show_spinner=False)
def _stores_for(url: str) -> Stores:
    database = geo.Store(url)
    return Stores(database, geo.ScenarioStore(database), geo.AreaEditLog(database),
                  geo.CollaborationStore(database), geo.WorkshopStore(database), geo.IndicatorStore(database))
