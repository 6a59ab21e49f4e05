"""The running server refuses what the app would never read (``.streamlit/config.toml``):
an upload over 5 MB (HTTP 413, while it streams in, Content-Length or not) and a
browser message over 2 MB (connection closed, code 1009), and stays healthy.
Requests sent as a hostile client would, with a real session and XSRF token
(``bench/hostile_server.py`` measures the same against Streamlit's defaults)."""

import asyncio

from bench.hostile_server import MB, healthy, open_session, send_huge_event, upload
from tests.browser_support import streamlit_server


def test_oversized_uploads_and_messages_are_refused_and_the_server_stays_up():
    with streamlit_server() as url:
        async def hostile():
            ws, session_id, xsrf = await open_session(url)
            assert upload(url, session_id, xsrf, 1 * MB)[0] == 204  # an honest file
            assert upload(url, session_id, xsrf, 5 * MB + 1)[0] == 413
            assert upload(url, session_id, xsrf, 52 * MB, chunked=True)[0] == 413
            code, _, size = await send_huge_event(ws, 400_000)
            assert size > 2_000_000 and code == 1009
        asyncio.run(hostile())
        assert healthy(url)
