"""The app database and each feature's store, for the configured database URL.

One set per URL and server process, shared by the sessions (a store holds a
connection pool, no session data); keyed by URL so that a changed configuration
(e.g. a test's own database) gets its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import geo
from ui.session import run_read
from ui.territory import catalogue


@dataclass(frozen=True)
class Stores:
    database: geo.Store
    scenarios: geo.ScenarioStore
    area_edits: geo.AreaEditLog  # changes to the area vasta (who, what, when)
    collaborations: geo.CollaborationStore  # seeded once from the territories' seed files
    workshops: geo.WorkshopStore
    # -- hardening (issue 14) --
    coordination: geo.CoordinationPassword  # the generated coordination password's hash
    attempts: geo.AttemptLog  # failed attempts at passwords and personal codes
    changes: geo.ChangeLog  # who changed which shared work, and when
    drafts: geo.DraftStore  # autosaved drafts per browser (ui/drafts.py)
    indicators: geo.IndicatorStore  # indicators imported by users (versions kept)


def stores() -> Stores:
    # Asked for a dozen times per rerun: Streamlit's cache hashes its key each time.
    # A store holds no data, only connections: the same object for the whole run.
    url = geo.database_url()
    return run_read(("stores", url), lambda: _stores_for(url))


@st.cache_resource(show_spinner=False)
def _stores_for(url: str) -> Stores:
    database = geo.Store(url)
    seeds = [t.territory.collaborations for t in catalogue().territories if t.territory.collaborations]
    return Stores(database, geo.ScenarioStore(database), geo.AreaEditLog(database),
                  geo.CollaborationStore(database, seed=geo.load_seeds(seeds)), geo.WorkshopStore(database),
                  geo.CoordinationPassword(database), geo.AttemptLog(database), geo.ChangeLog(database),
                  geo.DraftStore(database), geo.IndicatorStore(database))
