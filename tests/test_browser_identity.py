"""The browser's identity token in headless Chromium (network blocked except
localhost): kept in a cookie and in local storage, the same across reloads, the
cookie brought back from local storage, and no identity frame once the server
has seen the cookie."""

from __future__ import annotations

import re

import pytest

from map_component import IDENTITY_COOKIE, IDENTITY_NAME

pytestmark = pytest.mark.browser

IDENTITY_IFRAME = f"iframe[title='map_component.{IDENTITY_NAME}']"
PAGE = "/scenari"  # a page without a map: any frame on it is the identity frame


def cookie_token(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == IDENTITY_COOKIE), None)


def wait_for_cookie(page, context) -> str:
    page.wait_for_function(f"() => document.cookie.includes('{IDENTITY_COOKIE}=')", timeout=30_000)
    return cookie_token(context)


def identity_frames_after_load(page) -> int:
    page.get_by_role("heading", name="Scenari").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # the router draws the frame last, if at all
    return page.locator(IDENTITY_IFRAME).count()


def test_a_browser_keeps_one_token_in_a_cookie_and_local_storage(app_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(app_url + PAGE)
    token = wait_for_cookie(page, context)
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert page.evaluate(f"() => localStorage.getItem('{IDENTITY_COOKIE}')") == token
    cookie = next(c for c in context.cookies() if c["name"] == IDENTITY_COOKIE)
    assert cookie["path"] == "/" and cookie["sameSite"] == "Lax" and cookie["expires"] > 0

    # A reload (and a new tab) sends the cookie: same token, and the server, which
    # read it with the connection, draws no identity frame.
    page.reload()
    assert identity_frames_after_load(page) == 0 and cookie_token(context) == token
    other_tab = context.new_page()
    other_tab.goto(app_url + PAGE)
    assert identity_frames_after_load(other_tab) == 0 and cookie_token(context) == token

    # Cookies cleared, local storage kept: the frame brings the same token back.
    context.clear_cookies()
    page.reload()
    assert wait_for_cookie(page, context) == token
    context.close()


def test_two_browsers_have_different_tokens(app_url, browser):
    tokens = []
    for _ in range(2):
        context = browser.new_context()
        page = context.new_page()
        page.goto(app_url + PAGE)
        tokens.append(wait_for_cookie(page, context))
        context.close()
    assert tokens[0] != tokens[1]
