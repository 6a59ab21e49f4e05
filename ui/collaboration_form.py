"""The collaboration form's state and actions: load a record into the form, save,
close, choose members on the map.

The form's widgets keep their values under ``collaboration_form_*`` keys.
Loading a record into them and saving happen in widget callbacks, which Streamlit
runs before the page script: that is the only moment another widget's value may
be changed. Saving goes through the collaboration store with the version the
form was opened at, so a concurrent edit is refused rather than overwritten.
"""

from __future__ import annotations

import datetime as dt
import re


import geo
from ui import errors, flash
from ui.collaborations import current_collaborations
from ui.coordination import actor, refusal
from ui.session import COLLABORATION_FORM as FORM
from ui.session import COLLABORATIONS
from ui.session import collaboration_form_state, user_name
from ui.shipped import comune_labels, shipped_comuni
from ui.stores import stores
from map_component import MapEvent, MapPick

NEW = ""  # target value of a new collaboration
MAP_KEY = COLLABORATIONS.key("map")
PLACE = "collaborations"  # where the outcomes are shown
FIELDS = ("name", "form", "functions", "members", "capofila", "status", "start", "end", "sources", "notes", "verify")


def _fill(collaboration: geo.Collaboration | None, version: int | None) -> None:
    c = collaboration
    values = {
        "name": c.name if c else "", "form": c.form if c else "convenzione",
        "functions": list(c.functions) if c else [], "members": list(c.members) if c else [],
        "capofila": (c.capofila or NEW) if c else NEW, "status": c.status if c else "attiva",
        "start": c.start_date if c else None, "end": c.end_date if c else None,
        "sources": "\n".join(c.sources) if c else "", "notes": c.notes if c else "",
        "verify": c.da_verificare if c else False,
    }
    for name in FIELDS:
        FORM.set(name, values[name])
    collaboration_form_state().version = version


def start() -> None:
    """Give the form its initial (empty) values, once per session."""
    if FORM.get("target") is None:
        FORM.set("target", NEW)
        _fill(None, None)
    FORM.setdefault("pick", False)


def _success(*parts) -> None:
    flash.success(PLACE, *parts, icon="✅")


def _refuse(exc: Exception) -> None:
    flash.error(PLACE, str(exc), icon="⚠️")


@errors.callback(PLACE)
def load_target() -> None:
    """The chosen record into the form (on selection change)."""
    target = FORM.get("target")
    if target == NEW:
        _fill(None, None)
        return
    try:
        _fill(*stores().collaborations.get(target))
    except geo.CollaborationError as exc:
        _refuse(exc)
        FORM.set("target", NEW)
        _fill(None, None)


def _from_form(existing_id: str | None) -> geo.Collaboration:
    ids = [c.id for c in current_collaborations()]
    sources = tuple(s for s in re.split(r"\s+", FORM.get("sources")) if s)
    return geo.Collaboration(
        id=existing_id or geo.new_id(FORM.get("name") or "collaborazione", ids),
        name=FORM.get("name"), form=FORM.get("form"),
        functions=tuple(FORM.get("functions")), members=tuple(FORM.get("members")),
        capofila=FORM.get("capofila") or None, status=FORM.get("status"),
        start_date=FORM.get("start"), end_date=FORM.get("end"), sources=sources,
        notes=FORM.get("notes"), da_verificare=FORM.get("verify"),
    )


EDIT_REFUSAL = "aggiungere, modificare o chiudere le collaborazioni, che sono condivise da tutti"


@errors.callback(PLACE)
def save() -> None:
    target = FORM.get("target")
    store = stores().collaborations
    if refusal(EDIT_REFUSAL):
        flash.error(PLACE, refusal(EDIT_REFUSAL), icon="⚠️")
        return
    try:
        collaboration = _from_form(target or None)
        unknown = geo.unknown_members(collaboration, comune_labels())
        if unknown:
            raise geo.CollaborationError(f"Codici ISTAT sconosciuti: {', '.join(unknown)}.")
        if target == NEW:
            store.add(collaboration, user_name())
            version = 1
        else:
            version = store.update(collaboration, collaboration_form_state().version, user_name())
    except geo.CollaborationError as exc:
        _refuse(exc)
        return
    stores().changes.record(actor(), "collaborazione", collaboration.id, "creazione" if target == NEW else "modifica",
                            f"«{collaboration.name}» (versione {version})")
    FORM.set("target", collaboration.id)
    _fill(collaboration, version)
    _success(f"Collaborazione «{collaboration.name}» salvata.")


@errors.callback(PLACE)
def close(today: dt.date) -> None:
    target = FORM.get("target")
    if refusal(EDIT_REFUSAL):
        flash.error(PLACE, refusal(EDIT_REFUSAL), icon="⚠️")
        return
    try:
        closed = stores().collaborations.close(target, FORM.get("close_date"), collaboration_form_state().version,
                                               user_name(), today)
        _fill(*stores().collaborations.get(target))
    except geo.CollaborationError as exc:
        _refuse(exc)
        return
    stores().changes.record(actor(), "collaborazione", closed.id, "chiusura",
                            f"«{closed.name}»: ultimo giorno {closed.end_date:%d/%m/%Y}")
    _success(f"Collaborazione «{closed.name}» chiusa: ultimo giorno {closed.end_date:%d/%m/%Y}, "
             f"stato «{geo.STATUS_LABELS[closed.status]}».")


def keep_capofila_valid() -> None:
    """The capofila must be one of the members (or unknown): call before it is drawn."""
    FORM.keep_valid("capofila", [NEW, *FORM.get("members", [])], NEW)


def default_close_date(today: dt.date) -> None:
    FORM.setdefault("close_date", today)


def editing() -> bool:
    """True when the form holds a saved record (not a new one)."""
    return FORM.get("target") != NEW


# -- members by clicking the map ---------------------------------------------------------
def pick_overlays() -> list[dict]:
    """The click-to-choose overlay while picking is on (chosen members outlined)."""
    if not FORM.get("pick"):
        return []
    return [geo.pick_overlay(shipped_comuni(), FORM.get("members", []))]


@errors.callback(PLACE)
def on_map_pick(event: MapEvent) -> None:
    """The map's ``on_change``: add or remove the clicked comune from the members.
    It runs before the page script, so the same rerun already draws the new
    selection and shows it in the members widget."""
    apply_pick(event)


def apply_pick(pick: MapEvent) -> None:
    """Add or remove the comune clicked (a :class:`MapPick`) from the members."""
    state = collaboration_form_state()
    if not FORM.get("pick") or not isinstance(pick, MapPick) or pick.seq == state.pick_seq:
        return
    state.pick_seq = pick.seq
    code = geo.comune_at(shipped_comuni(), pick.lat, pick.lng)
    if code is None:
        return
    members = list(FORM.get("members", []))
    FORM.set("members", [m for m in members if m != code] if code in members else members + [code])
