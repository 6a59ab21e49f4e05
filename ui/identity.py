"""Which browser this session runs in: one random token per browser.

The token (128 bits, 32 hex digits) keys what belongs to a browser rather than to
a session: autosaved drafts, the owner of a scenario, workshop participation, PIN
attempt limits, and the proxy's stickiness (nginx hashes the cookie). It is never
put in a link. The map component keeps it (``map_component/frontend/identity.js``)
in a cookie and in local storage:

* a browser that has the cookie sends it with the connection: the first run reads
  it from ``st.context.cookies`` and nothing is drawn;
* behind ``make serve``'s proxy, a browser without the cookie gets one from nginx
  with its first response (so that all its requests reach one process), marked by
  a second cookie holding the same token: that token is only a proposal, as below,
  since the browser may have its own in local storage;
* a browser without it gets a token proposed by the server (:mod:`secrets`) and an
  invisible frame (:func:`map_component.browser_identity`, drawn at the end of the
  sidebar so that it never shifts the page) that adopts the token the browser
  already has in local storage, or the proposal, stores it and answers; from then
  on the session uses the browser's answer.
"""

from __future__ import annotations

import secrets

import streamlit as st

from map_component import IDENTITY_COOKIE, IDENTITY_MINTED_COOKIE, IDENTITY_TOKEN, browser_identity
from ui.session import APP, IdentityState, identity_state


def _start() -> IdentityState:
    cookies = st.context.cookies or {}
    cookie = cookies.get(IDENTITY_COOKIE)
    if isinstance(cookie, str) and IDENTITY_TOKEN.fullmatch(cookie):
        return IdentityState(cookie, confirmed=cookies.get(IDENTITY_MINTED_COOKIE) != cookie)
    return IdentityState(secrets.token_hex(16))


def browser_id() -> str:
    """This browser's token (the server's proposal until the browser confirms it)."""
    return identity_state(_start).token


def keep_in_browser() -> None:
    """Draw the identity frame while the browser has not confirmed the token (the
    router calls this last, on every run)."""
    state = identity_state(_start)
    if state.confirmed:
        return
    with st.sidebar:
        answer = browser_identity(state.token, key=APP.key("identity"))
    if answer is not None:
        state.token, state.confirmed = answer, True
