"""The session's territory: which one it works in, changing it without losing a
drawing, and the selector in the sidebar.

Every territory file of ``data/territori/`` is read and checked once per server
process (:func:`catalogue`); a file that fails is left out, its Italian message
shown under the selector and written to the log, and the others stay available.
A session works in one territory at a time (:func:`current`). Changing it keeps
the plan drawn so far (its undo history and the scenario it was opened from) in
the session: coming back finds it as it was.
"""

from __future__ import annotations

import logging

import streamlit as st

import geo
from ui import flash, routing, session
from ui.markdown import md
from ui.session import EDITOR, TERRITORY, EditorState, KeptWork, TerritoryState

_log = logging.getLogger(__name__)
# Editor widgets that hold comuni or zones of the territory left behind.
_EDITOR_WIDGETS = ("list_codes", "area_add", "area_remove", "edit_zone", "merge_target", "active_zone")


@st.cache_resource(show_spinner=False)
def catalogue() -> geo.Catalogue:
    """Every usable territory (the default first), checked once per process."""
    found = geo.load_catalogue()
    for problem in found.problems:
        _log.warning("territorio non disponibile: %s", problem)
    return found


def _start() -> TerritoryState:
    return TerritoryState(catalogue().default.id, {})


def current() -> geo.LoadedTerritory:
    """The territory this session works in."""
    found = catalogue().get(session.territory_state(_start).active)
    return found if found is not None else catalogue().default


def current_id() -> str:
    return current().id


def name_of(territory_id: str) -> str:
    """The Italian name of a territory, or its id in quotes when this server does not have it."""
    found = catalogue().get(territory_id)
    return found.name if found is not None else f"«{territory_id}»"


def available(territory_id: str) -> bool:
    return catalogue().get(territory_id) is not None


def enter(territory_id: str) -> None:
    """Make ``territory_id`` the session's territory before its plan exists (a new
    session opening a share link): nothing is kept, nothing is said."""
    if available(territory_id):
        session.territory_state(_start).active = territory_id


def switch(territory_id: str, *, place: str = "app") -> bool:
    """Work in another territory; the plan of this one stays in the session.

    Returns ``False`` (with a message for ``place``) when the session may not
    change territory (a workshop participant's) or the territory is unknown.
    """
    state = session.territory_state(_start)
    if territory_id == state.active:
        return True
    target = catalogue().get(territory_id)
    if target is None:
        flash.error(place, f"Il territorio {name_of(territory_id)} non è disponibile su questo server.")
        return False
    if routing.session_restriction():
        flash.error(place, "Durante un laboratorio si lavora nel territorio del laboratorio: per cambiarlo, "
                           "esci prima dal laboratorio (pagina «Laboratorio»).")
        return False
    left = current()
    scenarios, workshops = session.scenarios_state(), session.workshop_state()
    mine = session.swap_plan_session(None)
    if mine is not None:
        state.kept[state.active] = KeptWork(mine, scenarios.opened, workshops.conducted_id)
    back = state.kept.pop(territory_id, None)
    state.active = territory_id
    # Made here, not on next access: a new plan session would read the URL's share
    # link again (of the territory just left).
    from ui.plan_session import new_plan_session  # it reads this module's current()

    session.swap_plan_session(back.plan if back else new_plan_session())
    scenarios.opened = back.opened if back else None
    workshops.conducted_id = back.conducted_id if back else None
    editor = session.editor_state()
    editor.pending, editor.zoom_codes = EditorState.pending, EditorState.zoom_codes
    session.forget_widgets(EDITOR, _EDITOR_WIDGETS)
    kept = (f"Il piano {left.territory.possessive} resta in questa sessione: tornando a quel territorio lo "
            "ritrovi com'era." if mine is not None else "")
    again = "Ritrovi il piano che avevi lasciato qui. " if back else ""
    flash.say(place, "info", f"Territorio: {target.name} ({geo.format_number(len(target.covered))} comuni). "
              f"{again}{kept}", icon="🗺️")
    return True


def _on_choice() -> None:
    choice = TERRITORY.get("choice")
    if choice and not switch(choice):
        TERRITORY.set("choice", current_id())


def selector() -> None:
    """The territory selector in the sidebar (drawn by the router on every page),
    and the territory files this server could not use."""
    found = catalogue()
    TERRITORY.set("choice", current_id())  # follows changes made elsewhere (a link, a scenario)
    with st.sidebar:
        st.markdown(f"Territorio: **{md(current().name)}**")
        # In a popover: the browser draws the select box only when it is opened, so a
        # first load does not fetch its scripts (about 20 files) before the map.
        if len(found.territories) > 1 and not routing.session_restriction():
            with st.popover("Cambia territorio", icon=":material/travel_explore:", width="stretch"):
                st.selectbox("Territorio", found.ids, format_func=name_of, key=TERRITORY.key("choice"),
                             on_change=_on_choice,
                             help="Ogni territorio ha la sua area vasta e la sua proposta iniziale; il piano "
                                  "disegnato in un territorio resta in questa sessione quando si cambia.")
        for problem in found.problems:
            st.warning(md(problem), icon="⚠️")


def refuse_other(territory_id: str, what: str, place: str) -> bool:
    """``True`` (after an Italian message for ``place``) when ``what`` (e.g. "Lo
    scenario «Nord»") belongs to another territory than the session's: it never
    opens in the wrong one."""
    if territory_id == current_id():
        return False
    where = (f"è del territorio «{name_of(territory_id)}»" if available(territory_id)
             else f"è di un territorio ({territory_id}) che questo server non ha")
    flash.error(place, f"{what} {where}, non di «{current().name}»: non è stato aperto. "
                + ("Cambia territorio (nella barra laterale) per aprirlo." if available(territory_id) else ""))
    return True
