"""Streamlit glue of the collaboration form: add, edit, close, choose members on the map.

The form's widgets keep their values in ``st.session_state`` under ``collab_ed_*``.
Loading a record into them and saving happen in widget callbacks, which Streamlit
runs before the page script: that is the only moment another widget's value may
be changed. Saving goes through :class:`geo.store.collaborations.CollaborationStore`
with the version the form was opened at, so a concurrent edit is refused rather
than overwritten.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from geo.collaborations.model import (
    FORM_LABELS, FUNCTION_LABELS, STATUS_LABELS, Collaboration, CollaborationError, new_id, unknown_members,
)
from geo.render.member_pick import comune_at, pick_overlay
from map_component import MapEvent, MapPick
from pages.collab_common import collaboration_store, comune_labels, current_collaborations
from pages.common import USER_KEY, shipped_comuni

NEW = ""  # target value of a new collaboration
TARGET, VERSION, PICK, PICK_SEQ, FLASH = ("collab_ed_target", "collab_ed_version", "collab_ed_pick",
                                          "collab_ed_pick_seq", "collab_ed_flash")
NAME, FORM, FUNCTIONS, MEMBERS, CAPOFILA = ("collab_ed_name", "collab_ed_form", "collab_ed_functions",
                                            "collab_ed_members", "collab_ed_capofila")
STATUS, START, END, SOURCES, NOTES, VERIFY = ("collab_ed_status", "collab_ed_start", "collab_ed_end",
                                              "collab_ed_sources", "collab_ed_notes", "collab_ed_verify")
CLOSE_DATE = "collab_ed_close_date"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:])")


def plain(text: str) -> str:
    """User text made inert inside Streamlit markdown (st.success, st.error...)."""
    return _MARKDOWN.sub(r"\\\1", text)


def _fill(collaboration: Collaboration | None, version: int | None) -> None:
    c = collaboration
    st.session_state[NAME] = c.name if c else ""
    st.session_state[FORM] = c.form if c else "convenzione"
    st.session_state[FUNCTIONS] = list(c.functions) if c else []
    st.session_state[MEMBERS] = list(c.members) if c else []
    st.session_state[CAPOFILA] = (c.capofila or NEW) if c else NEW
    st.session_state[STATUS] = c.status if c else "attiva"
    st.session_state[START] = c.start_date if c else None
    st.session_state[END] = c.end_date if c else None
    st.session_state[SOURCES] = "\n".join(c.sources) if c else ""
    st.session_state[NOTES] = c.notes if c else ""
    st.session_state[VERIFY] = c.da_verificare if c else False
    st.session_state[VERSION] = version


def init_state() -> None:
    """Give the form its initial (empty) values, once per session."""
    if TARGET not in st.session_state:
        st.session_state[TARGET] = NEW
        _fill(None, None)
    st.session_state.setdefault(PICK, False)
    st.session_state.setdefault(PICK_SEQ, 0)


def _load_target() -> None:
    target = st.session_state[TARGET]
    if target == NEW:
        _fill(None, None)
        return
    try:
        _fill(*collaboration_store().get(target))
    except CollaborationError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        st.session_state[TARGET] = NEW
        _fill(None, None)


def _author() -> str:
    return str(st.session_state.get(USER_KEY, "") or "")


def _from_form(existing_id: str | None) -> Collaboration:
    ids = [c.id for c in current_collaborations()]
    sources = tuple(s for s in re.split(r"\s+", st.session_state[SOURCES]) if s)
    return Collaboration(
        id=existing_id or new_id(st.session_state[NAME] or "collaborazione", ids),
        name=st.session_state[NAME], form=st.session_state[FORM],
        functions=tuple(st.session_state[FUNCTIONS]), members=tuple(st.session_state[MEMBERS]),
        capofila=st.session_state[CAPOFILA] or None, status=st.session_state[STATUS],
        start_date=st.session_state[START], end_date=st.session_state[END], sources=sources,
        notes=st.session_state[NOTES], da_verificare=st.session_state[VERIFY],
    )


def _save() -> None:
    target = st.session_state[TARGET]
    store = collaboration_store()
    try:
        collaboration = _from_form(target or None)
        unknown = unknown_members(collaboration, comune_labels())
        if unknown:
            raise CollaborationError(f"Codici ISTAT sconosciuti: {', '.join(unknown)}.")
        if target == NEW:
            store.add(collaboration, _author())
            version = 1
        else:
            version = store.update(collaboration, st.session_state[VERSION], _author())
    except CollaborationError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[TARGET] = collaboration.id
    _fill(collaboration, version)
    st.session_state[FLASH] = ("success", f"Collaborazione «{collaboration.name}» salvata.")


def _close(today: dt.date) -> None:
    target = st.session_state[TARGET]
    try:
        closed = collaboration_store().close(target, st.session_state[CLOSE_DATE], st.session_state[VERSION],
                                             _author(), today)
        _fill(*collaboration_store().get(target))
    except CollaborationError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[FLASH] = ("success", f"Collaborazione «{closed.name}» chiusa: ultimo giorno "
                                          f"{closed.end_date:%d/%m/%Y}, stato «{STATUS_LABELS[closed.status]}».")


def flash(text: str, kind: str = "success") -> None:
    """A message for the next rerun (e.g. after ``st.rerun()``), shown by :func:`show_flash`."""
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    """The outcome of the last save or close, shown once."""
    kind, text = st.session_state.pop(FLASH, (None, ""))
    if kind == "success":
        st.success(plain(text), icon="✅")
    elif kind == "error":
        st.error(plain(text), icon="⚠️")


# -- members by clicking the map ---------------------------------------------------------
def pick_overlays() -> list[dict]:
    """The click-to-choose overlay while picking is on (chosen members outlined)."""
    if not st.session_state.get(PICK):
        return []
    return [pick_overlay(shipped_comuni(), st.session_state.get(MEMBERS, []))]


def apply_pick(pick: MapEvent) -> None:
    """A ``show_map(on_change=...)`` callback: add or remove the clicked comune (a
    :class:`MapPick`) from the members. It runs before the page script, so the same
    rerun already draws the new selection and shows it in the members widget."""
    if not st.session_state.get(PICK) or not isinstance(pick, MapPick) or pick.seq == st.session_state.get(PICK_SEQ):
        return
    st.session_state[PICK_SEQ] = pick.seq
    code = comune_at(shipped_comuni(), pick.lat, pick.lng)
    if code is None:
        return
    members = list(st.session_state.get(MEMBERS, []))
    st.session_state[MEMBERS] = [m for m in members if m != code] if code in members else members + [code]


# -- the form ----------------------------------------------------------------------------
def editor(collaborations: tuple[Collaboration, ...], today: dt.date) -> None:
    """The add / edit / close form."""
    labels = comune_labels()
    names = {c.id: c.name for c in collaborations}
    st.selectbox("Collaborazione da modificare", [NEW, *names], key=TARGET, on_change=_load_target,
                 format_func=lambda i: "➕ Nuova collaborazione" if i == NEW else names.get(i, i))
    st.text_input("Nome", key=NAME, max_chars=120)
    left, right = st.columns(2)
    left.selectbox("Forma", list(FORM_LABELS), key=FORM, format_func=FORM_LABELS.get)
    right.multiselect("Funzioni svolte insieme", list(FUNCTION_LABELS), key=FUNCTIONS,
                      format_func=FUNCTION_LABELS.get, placeholder="scegli le funzioni")
    st.toggle("Scegli i membri cliccando sulla mappa (un clic aggiunge, un secondo clic toglie)", key=PICK)
    options = sorted(labels, key=lambda c: labels[c].casefold())
    st.multiselect("Comuni membri (anche fuori dall'area vasta)", options, key=MEMBERS, format_func=labels.get,
                   placeholder="scegli i comuni")
    if st.session_state[CAPOFILA] not in [NEW, *st.session_state[MEMBERS]]:
        st.session_state[CAPOFILA] = NEW
    left, right = st.columns(2)
    left.selectbox("Capofila", [NEW, *st.session_state[MEMBERS]], key=CAPOFILA,
                   format_func=lambda c: "non noto" if c == NEW else labels.get(c, c))
    right.selectbox("Stato registrato", list(STATUS_LABELS), key=STATUS, format_func=STATUS_LABELS.get,
                    help="Dopo la data di fine la collaborazione risulta cessata; prima della data di inizio, "
                         "da costituire.")
    left, right = st.columns(2)
    left.date_input("Data di inizio (se nota)", key=START, format="DD/MM/YYYY", value=None)
    right.date_input("Data di fine (se nota)", key=END, format="DD/MM/YYYY", value=None)
    st.text_area("Fonti (un indirizzo http:// o https:// per riga)", key=SOURCES, height=80)
    st.text_area("Note", key=NOTES, height=80, max_chars=2000)
    st.checkbox("Da verificare (fonte vecchia o incerta)", key=VERIFY)
    if not st.session_state[SOURCES].strip():
        st.caption("Indica almeno una fonte: chi legge deve poter controllare da dove viene il dato.")
    st.button("Salva", type="primary", on_click=_save, key="collab_ed_save")

    if st.session_state[TARGET] != NEW:
        st.divider()
        st.markdown("**Chiudi la collaborazione**")
        st.session_state.setdefault(CLOSE_DATE, today)
        st.date_input("Ultimo giorno di attività", key=CLOSE_DATE, format="DD/MM/YYYY")
        st.caption("Con una data passata risulta cessata; con una data futura, in scioglimento fino a quel giorno.")
        st.button("Chiudi", on_click=_close, args=(today,), key="collab_ed_close")
