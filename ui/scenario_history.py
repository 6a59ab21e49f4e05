"""The «Scenari» page's versions, bin and change log: nothing a user saved is lost.

Every saved state of a scenario is a version that its creator (or the coordination)
may restore; a deleted scenario waits in the bin until the coordination empties it;
the coordination reads who changed which shared work and when. Actions are widget
callbacks with their outcome at the place ``"scenarios"``.
"""

from __future__ import annotations

import pandas as pd

import geo
from ui import errors, flash
from ui.coordination import actor
from ui.scenarios import PLACE, load_details_for_editing, opened
from ui.session import SCENARIOS, OpenedScenario, scenarios_state
from ui.stores import stores

BY_WHOM = {True: "coordinamento", False: "visitatore"}


def versions_table(versions: list[geo.ScenarioVersion]) -> pd.DataFrame:
    """The versions of a scenario as shown (newest first)."""
    return pd.DataFrame({
        "Versione": [v.revision for v in versions],
        "Salvata il": [geo.format_timestamp(v.saved_at) for v in versions],
        "Da": [f"{v.author or '–'} ({BY_WHOM[v.by_coordination]})" for v in versions],
        "Azione": [v.action for v in versions],
        "Nome": [v.name for v in versions],
        "Zone": [v.zones for v in versions],
    })


def bin_table(entries: list[geo.BinEntry]) -> pd.DataFrame:
    return pd.DataFrame({
        "Nome": [e.name for e in entries],
        "Eliminato il": [geo.format_timestamp(e.deleted_at) for e in entries],
        "Da": [e.deleted_by or "–" for e in entries],
    })


def may_restore(entry: geo.BinEntry) -> bool:
    """The creator's browser or the coordination may take a scenario out of the bin."""
    me = actor()
    return me.coordinator or (bool(entry.owner_key) and entry.owner_key == me.key)


def change_log_table(limit: int = 300) -> pd.DataFrame | None:
    """The last changes to shared work, newest first (``None``: none yet)."""
    lines = stores().changes.entries(limit)
    if not lines:
        return None
    return pd.DataFrame({
        "Quando": [geo.format_timestamp(c.momento) for c in lines],
        "Chi": [f"{c.autore or '–'} ({BY_WHOM[c.coordinamento]}, browser {c.chiave[:6] or '–'})" for c in lines],
        "Che cosa": [c.oggetto.replace("_", " ") for c in lines],
        "Azione": [c.azione for c in lines],
        "Dettagli": [c.descrizione for c in lines],
    })


# -- actions ------------------------------------------------------------------------------
@errors.callback(PLACE)
def restore_version(scenario_id: str, revision: int, expected_revision: int) -> None:
    restored = stores().scenarios.restore_version(scenario_id, revision, expected_revision=expected_revision,
                                                  actor=actor())
    mark = opened()
    if mark and mark.id == restored.id:  # the session's plan is not touched: it may reopen it
        scenarios_state().opened = OpenedScenario(mark.id, restored.name, restored.revision, mark.plan)
    load_details_for_editing()
    flash.success(PLACE, f"Ripristinata la versione {revision} di «{restored.name}» (ora versione "
                  f"{restored.revision}). Per lavorarci, apri lo scenario.")


@errors.callback(PLACE)
def restore_from_bin(scenario_id: str) -> None:
    restored = stores().scenarios.restore_from_bin(scenario_id, actor=actor())
    SCENARIOS.set("selected", restored.id)
    load_details_for_editing()
    flash.success(PLACE, f"Scenario «{restored.name}» ripristinato dal cestino.")


@errors.callback(PLACE)
def empty_bin() -> None:
    gone = stores().scenarios.empty_bin(actor=actor())
    SCENARIOS.set("confirm_empty_bin", False)
    flash.success(PLACE, f"Cestino svuotato: {gone} scenari eliminati definitivamente.")
