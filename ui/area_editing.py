"""Changing the area vasta from the zone editor: shared data, changed by the coordination
only (:mod:`ui.coordination`), logged with who and when."""

from __future__ import annotations

import pandas as pd

import geo
from ui import flash
from ui.coordination import actor, refusal
from ui.plan_session import current_area, set_area_codes
from ui.routing import session_restriction
from ui.session import editor_state, user_name
from ui.shipped import default_area_codes, joinable, shipped_comuni
from ui.stores import stores
from ui.territory import current_id

PLACE = "editor"


def change_area(code: str, *, add: bool, note: str = "") -> None:
    """Add or remove a comune (the outcome is shown in the editor)."""
    if session_restriction():  # e.g. a workshop participant: the area vasta is shared data
        flash.error(PLACE, session_restriction())
        return
    refused = refusal("modificare l'area vasta, che è condivisa da tutti")
    if refused:
        flash.error(PLACE, refused)
        return
    try:
        codes = stores().area_edits.record(code, "aggiunto" if add else "rimosso", user_name(),
                                           default_area_codes(), joinable(), note, territory=current_id())
    except (geo.AreaEditError, ValueError) as exc:
        flash.error(PLACE, str(exc))
        return
    name = shipped_comuni().at[code, "comune"]
    stores().changes.record(actor(), "area_vasta", code, "aggiunta" if add else "rimozione",
                            f"{name} ({code}) {'aggiunto all' if add else 'tolto dall'}'area vasta")
    set_area_codes(codes)
    # The area tab (outside the editor fragment) lists the comuni: redraw it too.
    editor_state().rerun_app = True
    flash.success(PLACE, f"{name} {'aggiunto all' if add else 'tolto dall'}'area vasta.")


def addable_codes() -> list[str]:
    """The comuni that may join the area and are not in it yet, in data order."""
    inside, allowed = set(current_area().codes), joinable()
    return [c for c in shipped_comuni().index if c in allowed and c not in inside]


def edit_log_table() -> pd.DataFrame | None:
    """Every change to the area, most recent first, as displayed (``None``: none yet)."""
    edits = list(reversed(stores().area_edits.edits(current_id())))
    if not edits:
        return None
    comuni = shipped_comuni()
    return pd.DataFrame({
        "Quando": [geo.format_timestamp(e.momento) for e in edits],
        "Chi": [e.autore for e in edits],
        "Azione": [e.azione for e in edits],
        "Comune": [comuni.at[e.istat_code, "comune"] for e in edits],
        "Codice ISTAT": [e.istat_code for e in edits],
    })
