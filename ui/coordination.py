"""Roles without accounts: a visitor, or the coordination (one shared password).

A visitor draws, saves new scenarios, changes and deletes the scenarios its own
browser saved, takes part in workshops and exports. A session that typed the
coordination password («Accesso coordinamento» in the sidebar, once per session;
attempts limited per browser) may also change or delete anyone's scenario and empty
the bin, edit the area vasta and the collaborations, and open workshops.

The password is ``PIANURA_COORDINATION_PASSWORD`` (environment) or
``coordination_password`` in Streamlit's secrets; when neither is set, the first
process that needs it makes one, keeps its hash in the database and prints it once
in its log (:class:`geo.CoordinationPassword`). Every change to shared work names
its author through :func:`actor` (browser key, typed name, role).
"""

from __future__ import annotations

import logging
import os

import streamlit as st

import geo
from ui import errors, flash
from ui.identity import browser_id
from ui.session import COORDINATION, USER, coordination_state, user_name
from ui.stores import stores

log = logging.getLogger(__name__)

ENVIRONMENT_VARIABLE = "PIANURA_COORDINATION_PASSWORD"
SECRET_NAME = "coordination_password"
PLACE = "coordination"
ATTEMPT_KIND = "coordinamento"
ATTEMPT_LIMIT = geo.AttemptLimit(failures=5, window_seconds=60)
SIGN_IN_HINT = "entra con la password di coordinamento (barra laterale, «Accesso coordinamento»)"


def configured_password() -> str | None:
    """The password an administrator set (environment first, then Streamlit secrets), if any."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if value:
        return value
    try:
        value = str(st.secrets.get(SECRET_NAME, "") or "").strip()
    except Exception:  # noqa: BLE001 - no secrets file: nothing configured
        value = ""
    return value or None


@st.cache_resource(show_spinner=False)
def _prepared(url: str, configured: bool) -> None:
    # Once per process and database: make the password if nobody set or made one.
    if configured:
        log.warning("Coordinamento: password impostata dall'amministratore (%s o secrets).", ENVIRONMENT_VARIABLE)
        return
    made = stores().coordination.ensure()
    if made:
        log.warning("\n" + "=" * 72 + "\nPASSWORD DI COORDINAMENTO (generata ora, mostrata solo questa volta): %s\n"
                    "Serve per modificare l'area vasta, le collaborazioni e gli scenari altrui e per aprire i "
                    "laboratori.\nPer sceglierne una: variabile d'ambiente %s. Per generarne una nuova: "
                    ".venv/bin/python scripts/coordination_password.py\n" + "=" * 72, made, ENVIRONMENT_VARIABLE)


def prepare() -> None:
    """Make sure a coordination password exists (the router calls this on every run; cheap after the first)."""
    _prepared(geo.database_url(), configured_password() is not None)


def is_coordinator() -> bool:
    return coordination_state().unlocked


def actor() -> geo.Actor:
    """The author of this session's changes: its browser, the name typed, its role."""
    return geo.Actor(geo.browser_key(browser_id()), user_name(), is_coordinator())


def refusal(what: str) -> str | None:
    """``None`` for the coordination, else the Italian refusal of ``what`` (``"modificare l'area vasta"``)."""
    return None if is_coordinator() else f"Solo il coordinamento può {what}: {SIGN_IN_HINT}."


def _password_matches(typed: str) -> bool:
    configured = configured_password()
    if configured is not None:
        return geo.same_secret(typed, configured)
    return stores().coordination.matches(typed)


@errors.callback(PLACE)
def unlock() -> None:
    """The form's action: check the attempts of this browser, then the password."""
    keys = [f"browser:{geo.browser_key(browser_id())}"]
    attempts = stores().attempts
    attempts.check(ATTEMPT_KIND, keys, ATTEMPT_LIMIT, "la password di coordinamento")
    typed = COORDINATION.get("password", "")
    COORDINATION.set("password", "")
    ok = _password_matches(typed)
    attempts.record(ATTEMPT_KIND, keys, ok)
    if not ok:
        log.warning("coordinamento: password sbagliata dal browser %s", keys[0][8:14])
        flash.error(PLACE, "Password di coordinamento sbagliata.")
        return
    name = COORDINATION.get("name", "").strip()
    if name:
        USER.set("name", name)
    coordination_state().unlocked = True
    log.warning("coordinamento: accesso dal browser %s (%s)", keys[0][8:14], name or "senza nome")
    flash.success(PLACE, "Accesso di coordinamento attivo in questa sessione.")


@errors.callback(PLACE)
def lock() -> None:
    coordination_state().unlocked = False
    flash.info(PLACE, "Sei uscito dal coordinamento: ora sei un visitatore.")


def access_panel() -> None:
    """The sidebar's «Accesso coordinamento»: the form, or who is signed in and the way out."""
    if is_coordinator():
        with st.sidebar.container(border=True):
            flash.show(PLACE)
            st.caption("Coordinamento attivo: puoi modificare l'area vasta, le collaborazioni e gli scenari di tutti, "
                       "svuotare il cestino e aprire laboratori.")
            st.button("Esci dal coordinamento", on_click=lock, key=COORDINATION.key("lock"))
        return
    # A popover, not an expander: the browser draws its form only when it is opened, so
    # a first load does not fetch the text field's scripts (about 20 files) before the map.
    with st.sidebar:
        flash.show(PLACE)  # outside the popover: a wrong password is said where it is seen
    with st.sidebar.popover("Accesso coordinamento", icon=":material/key:", width="stretch"):
        st.caption("Per chi coordina il progetto: con la password si modificano l'area vasta, le collaborazioni e "
                   "gli scenari di tutti e si aprono i laboratori.")
        with st.form(COORDINATION.key("access"), border=False, enter_to_submit=False):
            st.text_input("Il tuo nome (per il registro)", key=COORDINATION.key("name"), max_chars=80)
            st.text_input("Password di coordinamento", type="password", key=COORDINATION.key("password"),
                          max_chars=200)
            st.form_submit_button("Entra", on_click=unlock)
