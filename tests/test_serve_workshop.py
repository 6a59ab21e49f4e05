"""``make serve`` for real: nginx in front of two app processes on the local PostgreSQL
that serve starts (``python -m scripts.serve``), and a workshop across them.

The facilitator is headless Chromium through the proxy (its pages, static files,
the map component's assets and the websocket all pass through nginx); the
participants are Streamlit sessions over the websocket (``bench/workshop_sessions.py``),
each with its own browser identity, chosen so that both processes serve someone:
nginx's ``X-Upstream`` header says which process took each connection.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import pytest

from bench.streamlit_session import StreamlitSession
from bench.workshop_sessions import click, join, new_browser_id, open_workshop, send
from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.collaborations.model import Collaboration
from geo.store.collaborations import CollaborationStore
from geo.store.database import Store
from geo.store.workshops import WorkshopStore
from geo.zoning.plan import Plan
from map_component import IDENTITY_COOKIE, IDENTITY_MINTED_COOKIE
from tests.browser_support import COORDINATION_PASSWORD, MAP_COMPONENT, map_document, sign_in_coordination
from tests.serve_support import can_serve, served
from ui.editor import TOOLS
from ui.session import EDITOR, USER

pytestmark = pytest.mark.browser
WHY_NOT = can_serve()


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    if WHY_NOT:
        pytest.skip(WHY_NOT)
    # Not under pytest's own temporary folder (mode 700): the database's user must reach it.
    data_dir = Path(tempfile.mkdtemp(prefix="pianura-serve-"))
    data_dir.chmod(0o755)
    try:
        with served(data_dir, replicas=2) as running:
            started = running.processes()
            assert set(started) >= {"nginx", "postgres"} and len(started) == 4, started
            yield running
        # Ctrl-C (SIGINT) stopped all of it, PostgreSQL included
        assert running.proc.returncode == 0 and running.says("serve: fermato"), running.text()
        assert [name for name, pid in started.items() if alive(pid)] == []
        assert not (data_dir / "serve" / "proxy.pid").exists() and not list((data_dir / "serve").glob("app-*.pid"))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/status").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def moves(count: int) -> list[tuple[str, str]]:
    """``count`` (comune, zone) clicks that each change the starting proposal."""
    plan = Plan.from_dict(load_default_plan_dict()).with_area(load_area_list()["istat_code"])
    found = []
    for code in sorted(plan.codes):
        other = next(z.id for z in plan.zones if z.id != plan.zone_of(code))
        found.append((code, other))
        if len(found) == count:
            return found
    raise AssertionError("not enough comuni")


async def take_part(url: str, browser_id: str, code: str, name: str, move: tuple[str, str]) -> dict:
    async with StreamlitSession(url, browser_id=browser_id) as s:
        joined, pin = await join(s, code, name)
        assert pin, joined.alerts
        clicked = await click(s, *move)
        sent = await send(s)
        assert sent.says("Proposta inviata") and not clicked.exceptions, (sent.alerts, clicked.exceptions)
        return {"upstream": s.upstream, "pin": pin}


def run_async(coroutine):
    """Run a coroutine to its end in a thread of its own: Playwright's sync API keeps
    an event loop in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def metric_is(page, label: str, value: str, timeout_ms: int = 20_000) -> None:
    page.wait_for_function(
        "([label, value]) => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m =>"
        " m.innerText.includes(label) && m.innerText.trim().endsWith(value))", arg=[label, value], timeout=timeout_ms)


def test_a_workshop_across_two_processes_behind_the_proxy(meeting, browser):
    first, second = sorted(meeting.app_pids())
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.add_cookies([{"name": IDENTITY_COOKIE, "value": meeting.browser_on(first), "url": meeting.url}])
    facilitator = context.new_page()
    facilitator.goto(f"{meeting.url}/workshop")
    sign_in_coordination(facilitator)  # opening a workshop is the coordination's
    facilitator.get_by_label("Titolo").fill("Incontro su due processi")
    facilitator.get_by_role("button", name="Apri il laboratorio").click()
    code = facilitator.locator(".lab-codice").inner_text(timeout=30_000)
    facilitator.evaluate("window.__noReload = 'same page'")

    # three participants, on the second, first and second process
    targets = [second, first, second]
    people = [(meeting.browser_on(t), f"Sindaco {i + 1}", m) for i, (t, m) in enumerate(zip(targets, moves(3)))]

    async def room():
        return await asyncio.gather(*(take_part(meeting.url, b, code, name, m) for b, name, m in people))

    taken = run_async(room())
    assert [t["upstream"] for t in taken] == targets  # the websocket went where the cookie hashes

    # the facilitator, on the first process, sees every proposal live, and the consensus
    metric_is(facilitator, "Partecipanti", "3")
    metric_is(facilitator, "Proposte ricevute", "3")
    facilitator.get_by_role("heading", name="Dove la sala è d'accordo").wait_for(timeout=20_000)
    metric_is(facilitator, "Proposte", "3")
    assert facilitator.evaluate("window.__noReload") == "same page"
    consensus_map = facilitator.frame_locator("iframe[title*='streamlit_folium']").first  # assets through nginx
    consensus_map.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    assert consensus_map.locator("path.leaflet-interactive").count() == 42

    labs = WorkshopStore(Store(meeting.database_url()))
    (workshop,) = [w for w in labs.list() if w.display_code == code]
    sent = {s.participant_name: s.plan for s in labs.latest_submissions(workshop.id)}
    assert {name: sent[name].zone_of(m[0]) for _, name, m in people} == {name: m[1] for _, name, m in people}
    context.close()


def test_a_scenario_saved_on_one_process_is_listed_at_once_on_the_other(meeting):
    """Shared records are read from the database on every run: no process keeps a
    stale copy (README "Serving a meeting": the caches and why none goes stale)."""
    first, second = sorted(meeting.app_pids())

    async def save_then_list():
        async with StreamlitSession(meeting.url, browser_id=meeting.browser_on(first)) as saver:
            await saver.run("scenari")
            saved = await saver.run("scenari", [saver.text("scenarios_name", "Ipotesi dal processo uno"),
                                                saver.press("FormSubmitter:scenarios_save")])
            assert saved.says("salvato"), saved.alerts
        async with StreamlitSession(meeting.url, browser_id=meeting.browser_on(second)) as reader:
            assert reader.upstream == second
            return await reader.run("scenari")

    listed = run_async(save_then_list())
    assert any("Ipotesi dal processo uno" in text for text in listed.texts), listed.texts


def test_an_area_vasta_edit_on_one_process_reaches_new_sessions_on_the_other(meeting):
    """A comune taken out of the area vasta on one process is out for a session that
    starts on the other; put back there, it is back on the first (the comune is put
    back so that the tests after this one find the shipped area)."""
    first, second = sorted(meeting.app_pids())
    codes = list(load_area_list()["istat_code"])
    code = sorted(codes)[-1]

    async def edit(upstream: str, kind: str) -> None:
        async with StreamlitSession(meeting.url, browser_id=meeting.browser_on(upstream)) as s:
            assert s.upstream == upstream
            await s.run("zone_editor")
            # the area vasta is the coordination's: sign in first (sidebar form)
            await s.run("zone_editor", [s.text("coordination_password", COORDINATION_PASSWORD),
                                        s.press("FormSubmitter:coordination_access")])
            tools = s.choose(EDITOR.key("tool"), TOOLS["area"])  # the area vasta tools: the editor's name field
            await s.run("zone_editor", [tools])
            state, _ = s.component_value(MAP_COMPONENT, {"event": kind, "code": code, "seq": time.time_ns() // 1000})
            done = await s.run("zone_editor", [tools, s.text(USER.key("name"), "Ufficio di piano"), state])
            assert not done.exceptions and any("area vasta" in alert for alert in done.alerts), done.alerts

    async def area_size(upstream: str) -> str:
        async with StreamlitSession(meeting.url, browser_id=meeting.browser_on(upstream)) as s:
            await s.run("zone_editor")
            shown = await s.run("zone_editor", [s.choose(EDITOR.key("tool"), TOOLS["area"])])
        return next((text for text in shown.texts if text.startswith("L'area vasta conta")), str(shown.texts))

    async def scenario():
        await edit(first, "area_remove")
        after_removal = await area_size(second)
        await edit(second, "area_add")
        return after_removal, await area_size(first)

    after_removal, after_adding = run_async(scenario())
    assert f"**{len(codes) - 1} comuni**" in after_removal
    assert f"**{len(codes)} comuni**" in after_adding


def test_a_collaboration_saved_once_is_seen_at_once_by_both_processes(meeting):
    """Collaborations are read from the database on every run (README "Serving a
    meeting"): a record saved while both processes have already drawn the page (their
    caches warm) is counted by the next run on each of them."""
    first, second = sorted(meeting.app_pids())

    async def counted(upstream: str) -> str:
        async with StreamlitSession(meeting.url, browser_id=meeting.browser_on(upstream)) as s:
            assert s.upstream == upstream
            shown = await s.run("collaborazioni")
        return next(t for t in shown.texts if t.startswith("Collaborazioni mostrate:"))

    async def both() -> list[str]:
        return [await counted(first), await counted(second)]

    before = run_async(both())
    assert before[0] == before[1], before
    shown, total = (int(n) for n in before[0].removeprefix("Collaborazioni mostrate: ").rstrip(".").split(" su "))
    store = Store(meeting.database_url())
    CollaborationStore(store).add(Collaboration(
        id="prova-tra-processi", name="Convenzione di prova tra processi", form="convenzione",
        functions=("polizia_locale",), members=("017088", "017078"), capofila="017088", status="attiva",
        sources=("https://example.org/delibera",)), author="test")
    store.close()
    assert run_async(both()) == [f"Collaborazioni mostrate: {shown + 1} su {total + 1}."] * 2


def test_a_draft_drawn_on_one_process_is_restored_by_the_other(meeting):
    """Autosaved drafts live in the shared database: the same browser, reaching the
    other process (as after a process died), gets its drawing back with the notice."""
    first, second = sorted(meeting.app_pids())
    browser_id, (code, zone) = new_browser_id(), moves(1)[0]

    def figures(result) -> str:
        return next(text for text in result.texts if "Differenza massima dalla media" in text)

    async def scenario():
        async with StreamlitSession(f"http://{second}", browser_id=new_browser_id()) as fresh:
            untouched = await fresh.run("zone_editor")
        async with StreamlitSession(f"http://{first}", browser_id=browser_id) as drawer:
            await drawer.run("zone_editor")
            drawn = await click(drawer, code, zone)
            assert not drawn.exceptions, drawn.exceptions
        async with StreamlitSession(f"http://{second}", browser_id=browser_id) as back:
            return untouched, drawn, await back.run("zone_editor")

    untouched, drawn, restored = run_async(scenario())
    assert restored.says("Ripreso il piano a cui stavi lavorando"), restored.alerts
    assert figures(restored) == figures(drawn) != figures(untouched)


def test_a_first_visit_gets_its_identity_from_the_proxy_and_local_storage_still_wins(meeting, browser):
    """No cookie: nginx gives the token with the first response (all of the visit on
    one process) and marks it; the identity frame keeps it in local storage. Cookies
    cleared later: nginx gives another, and the frame brings the browser's own back.
    On the way, the zone editor's map (the component's files, the published base
    map) loads through the proxy."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    first = page.goto(f"{meeting.url}/zone_editor")
    given = dict(h["value"].split(";")[0].split("=", 1) for h in first.headers_array() if h["name"].lower() == "set-cookie")
    token = given[IDENTITY_COOKIE]
    assert given[IDENTITY_MINTED_COOKIE] == token and len(token) == 32
    map_document(page).wait_for_function("document.querySelectorAll('path.comune-area[fill]').length >= 42",
                                         timeout=60_000)
    page.wait_for_function(f"() => localStorage.getItem('{IDENTITY_COOKIE}') === '{token}'", timeout=30_000)
    page.wait_for_function(f"() => !document.cookie.includes('{IDENTITY_MINTED_COOKIE}=')", timeout=10_000)

    context.clear_cookies()
    page.reload()
    page.wait_for_function(f"() => document.cookie.includes('{IDENTITY_COOKIE}={token}')", timeout=30_000)
    context.close()


def test_a_killed_process_loses_no_acknowledged_proposal_and_its_people_go_on(meeting):
    """SIGKILL the process serving a participant right after their proposal was
    acknowledged: it is in the database, their browser reconnects through the
    proxy to the other process, which finds their role and drawing in the
    autosaved drafts (no code to type again); they continue and send again; the facilitator, on the other process,
    sees it at the next poll."""
    pids = meeting.app_pids()
    alive, doomed = sorted(pids)
    anna_id, bruno_id = meeting.browser_on(doomed), meeting.browser_on(alive)
    anna_move, anna_second, bruno_move = moves(3)

    async def scenario():
        async with StreamlitSession(meeting.url, browser_id=meeting.browser_on(alive)) as lead:
            assert (await open_workshop(lead, "Prova di guasto")).says("aperto")
            labs = WorkshopStore(Store(meeting.database_url()))
            (workshop,) = [w for w in labs.list() if w.title == "Prova di guasto"]
            anna = await take_part(meeting.url, anna_id, workshop.code, "Anna", anna_move)
            await take_part(meeting.url, bruno_id, workshop.code, "Bruno", bruno_move)
            assert anna["upstream"] == doomed
            await lead.run("workshop", fragment_id=lead.auto_rerun[1], auto=True)  # the facilitator has seen both

            os.kill(pids[doomed], signal.SIGKILL)
            assert {s.participant_name for s in labs.latest_submissions(workshop.id)} == {"Anna", "Bruno"}

            async with StreamlitSession(meeting.url, browser_id=anna_id) as again:  # the page reconnects
                assert again.upstream.split(", ")[-1] == alive
                # her browser's role and drawing are autosaved in the shared database: nothing to type again
                back = await again.run("workshop")
                assert back.says("Sei ancora nel laboratorio «Prova di guasto» come"), back.alerts
                await again.run("zone_editor")
                await click(again, *anna_second)
                assert (await send(again)).says("Proposta inviata")
            polled = await lead.run("workshop", fragment_id=lead.auto_rerun[1], auto=True)  # (a redraw renews it)
            assert polled.full_runs == 1  # the poll saw the new sending and redrew the page
            return labs.latest_submissions(workshop.id)

    latest = {s.participant_name: s for s in run_async(scenario())}
    assert latest["Anna"].sendings == 2 and latest["Bruno"].sendings == 1
    anna_plan = latest["Anna"].plan  # her first click survived the crash (sent), the second came after it
    assert (anna_plan.zone_of(anna_move[0]), anna_plan.zone_of(anna_second[0])) == (anna_move[1], anna_second[1])
    assert meeting.upstream_of(anna_id) == alive
    assert meeting.says("si è fermato"), meeting.text()
