"""The browser's identity token, on the server side (ui/identity.py); the browser's
side is tested in tests/test_browser_identity.py."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.apptest_support import run_app

TOKEN = re.compile(r"[0-9a-f]{32}")


def test_a_new_browser_gets_a_128_bit_token_that_stays_for_the_session():
    app = run_app()
    first = app.session_state["identity"].token
    assert TOKEN.fullmatch(first) and not app.session_state["identity"].confirmed
    app.run()
    assert app.session_state["identity"].token == first


def test_two_browsers_get_different_tokens():
    assert run_app().session_state["identity"].token != run_app().session_state["identity"].token


def keep_in_browser_script():
    from ui import identity

    identity.keep_in_browser()
    identity.keep_in_browser()  # once confirmed: not drawn again, the token unchanged


def test_the_browsers_own_token_replaces_the_proposal_once_it_answers(monkeypatch):
    own = "0123456789abcdef0123456789abcdef"  # e.g. from the browser's local storage
    drawn = []
    monkeypatch.setattr("ui.identity.browser_identity", lambda proposed, key: drawn.append(proposed) or own)
    state = AppTest.from_function(keep_in_browser_script).run().session_state["identity"]
    assert (state.token, state.confirmed) == (own, True) and len(drawn) == 1 and drawn[0] != own


def test_an_answer_that_is_not_a_token_leaves_the_proposal(monkeypatch):
    drawn = []
    monkeypatch.setattr("ui.identity.browser_identity", lambda proposed, key: drawn.append(proposed))
    state = AppTest.from_function(keep_in_browser_script).run().session_state["identity"]
    assert not state.confirmed and TOKEN.fullmatch(state.token) and drawn == [state.token, state.token]


def test_the_component_accepts_only_identity_answers_with_a_token(monkeypatch):
    import map_component

    for value, expected in [({"event": "identity", "token": "a" * 32}, "a" * 32),
                            ({"event": "identity", "token": "A" * 32}, None),  # not lower-case hex
                            ({"event": "identity", "token": "a" * 31}, None),
                            ({"event": "assign", "token": "a" * 32}, None),
                            ("a" * 32, None), (None, None)]:
        monkeypatch.setattr(map_component, "_identity_component", lambda **_kw: value)
        assert map_component.browser_identity("b" * 32, key="k") == expected


def test_a_cookie_the_proxy_gave_is_only_a_proposal_and_a_browsers_own_is_taken(monkeypatch):
    """Behind ``make serve``, nginx gives a browser without the cookie a token with its
    first response and marks it with a second cookie: the session proposes that
    token to the identity frame, which may answer with the browser's own (local
    storage); the same cookie without the mark is the browser's and is taken as is."""
    import streamlit as st

    from map_component import IDENTITY_COOKIE, IDENTITY_MINTED_COOKIE

    minted, own = "1" * 32, "0123456789abcdef0123456789abcdef"
    drawn = []
    monkeypatch.setattr("ui.identity.browser_identity", lambda proposed, key: drawn.append(proposed) or own)
    for cookies, expected, frames in [({IDENTITY_COOKIE: minted, IDENTITY_MINTED_COOKIE: minted}, own, [minted]),
                                      ({IDENTITY_COOKIE: minted}, minted, [])]:
        drawn.clear()
        monkeypatch.setattr(type(st.context), "cookies", property(lambda _self, c=cookies: c))
        state = AppTest.from_function(keep_in_browser_script).run().session_state["identity"]
        assert (state.token, state.confirmed, drawn) == (expected, True, frames)
