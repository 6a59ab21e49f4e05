"""Every session goes through the router (dashboard.py), deep links included.

Streamlit 1.67 has no documented way to keep a ``pages/`` folder out of routing
before ``st.navigation`` first runs in a process, so ``ui.routing.ensure_routed``
uses Streamlit's private flag. These tests fail when that internal changes.
"""

import asyncio
import inspect

import pytest

from bench.streamlit_session import StreamlitSession
from tests.browser_support import ROOT, streamlit_server

ROUTER_PAGES = ["Panoramica", "Zone omogenee", "Scenari", "Confronto scenari", "Collaborazioni", "Indicatori",
                "Laboratorio", "Rapporto PDF/Excel", "Presentazione"]


def test_streamlits_private_switch_still_works_as_ensure_routed_assumes():
    from streamlit.commands import navigation
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    assert "uses_pages_directory" in vars(PagesManager)
    # a run with the flag set runs the pages/ folder (multipage v1), one without runs dashboard.py...
    assert "if PagesManager.uses_pages_directory:\n" in inspect.getsource(script_runner.ScriptRunner)
    assert "_mpa_v1(self._main_script_path)" in inspect.getsource(script_runner.ScriptRunner)
    # ...and st.navigation clears it, as ensure_routed does
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation)


def test_pages_holds_only_the_routers_page_scripts():
    """On a fresh server Streamlit lists every file of pages/ as a page until the
    router runs: nothing else may live there."""
    routed = {line.split('"')[1] for line in (ROOT / "dashboard.py").read_text().splitlines()
              if "st.Page(" in line}
    assert {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")} == routed


async def _first_visit(url: str, page: str):
    async with StreamlitSession(url) as session:
        result = await session.run(page)
        return session.page_names, result


@pytest.mark.parametrize("page", ["zone_editor", "workshop"])
def test_a_deep_link_to_a_fresh_server_runs_through_the_router(page):
    with streamlit_server() as url:
        names, result = asyncio.run(_first_visit(url, page))  # the server's very first run
    assert result.exceptions == []
    assert names == ROUTER_PAGES  # the router's pages, not the files of pages/
    assert result.full_runs == 1  # the page ran once, through the router, after the rerun
