"""The workshop's simulated sessions: a facilitator and participants driven over
Streamlit's websocket protocol (``bench/streamlit_session.py``), each with a
browser identity of its own, as browsers behind the proxy of ``make serve`` have.

The actions (open, join, click, send) are small functions the load benchmark and
the tests share. A participant whose connection breaks (its app process killed)
reconnects as a browser does, through the proxy, which sends it to another
process; there it rejoins with its name and personal code, as a person would, and
goes on clicking: :class:`LoadStats` counts what each acknowledged sending was, so
the benchmark can check that none is missing from the database.
"""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

import websockets

from bench.streamlit_session import RunResult, StreamlitSession
from tests.browser_support import COORDINATION_PASSWORD, MAP_COMPONENT

_PIN = re.compile(r"codice personale è \*\*([A-Z0-9]{4})\*\*")
# What a broken connection raises while a session waits for its run.
CONNECTION_LOST = (websockets.ConnectionClosed, OSError, asyncio.TimeoutError, TimeoutError)


@dataclass
class LoadStats:
    """Shared by the simulated sessions (all on one event loop thread)."""

    click_ms: list = field(default_factory=list)
    join_ms: list = field(default_factory=list)
    poll_ms: list = field(default_factory=list)
    rejoin_ms: list = field(default_factory=list)
    joined: int = 0
    submissions: int = 0
    full_redraws: int = 0
    errors: list = field(default_factory=list)
    acknowledged: dict = field(default_factory=dict)  # participant name -> sendings acknowledged
    upstreams: dict = field(default_factory=dict)  # participant name -> processes that served it, in order


# -- actions --------------------------------------------------------------------------------
async def open_workshop(s: StreamlitSession, title: str = "Laboratorio di carico") -> RunResult:
    await s.run("workshop")
    # opening a workshop is for the coordination: sign in first (sidebar form)
    await s.run("workshop", [s.text("coordination_password", COORDINATION_PASSWORD),
                             s.press("FormSubmitter:coordination_access")])
    return await s.run("workshop", [s.text("workshop_open_title", title), s.text("workshop_open_facilitator", "Benchmark"),
                                    s.press("FormSubmitter:workshop_open")])


async def join(s: StreamlitSession, code: str, name: str, pin: str = "") -> tuple[RunResult, str | None]:
    """Join (or, with ``pin``, rejoin) and open the zone editor; the personal code
    the app gave (``None`` on a rejoin or a refusal)."""
    await s.run("workshop")
    result = await s.run("workshop", [s.text("workshop_join_code", code), s.text("workshop_join_name", name),
                                      s.text("workshop_join_pin", pin), s.press("FormSubmitter:workshop_join")])
    found = next((m.group(1) for body in result.alerts if (m := _PIN.search(body.replace("\\", "")))), None)
    if result.says("Sei nel laboratorio") or result.says("Bentornato"):
        await s.run("zone_editor")
    return result, found


async def click(s: StreamlitSession, code: str, zone: str) -> RunResult:
    """A click on comune ``code`` with ``zone`` active, as the map sends it."""
    event = {"event": "assign", "code": code, "zone": zone, "seq": time.time_ns() // 1000}  # map_component/events.py
    state, fragment = s.component_value(MAP_COMPONENT, event)
    return await s.run("zone_editor", [state], fragment_id=fragment)


async def send(s: StreamlitSession) -> RunResult:
    """«Invia la mia proposta» on the zone editor's participant panel."""
    return await s.run("zone_editor", [s.press("workshop_send")], fragment_id=s.fragment_of("workshop_send"))


def new_browser_id() -> str:
    return secrets.token_hex(16)


# -- the simulated people ---------------------------------------------------------------------
async def facilitator(url: str, opened: threading.Event, poll: asyncio.Event, stop: asyncio.Event,
                      stats: LoadStats, browser_id: str | None = None) -> None:
    """Opens the workshop, then keeps its page live as a browser does (the polling
    fragment every 2 s, a full redraw when someone joins or sends)."""
    async with StreamlitSession(url, browser_id=browser_id) as s:
        result = await open_workshop(s)
        if not result.says("aperto") or s.auto_rerun is None:
            stats.errors.append(f"facilitator could not open the workshop: {result.alerts} {result.exceptions}")
        opened.set()
        await poll.wait()
        while not stop.is_set() and s.auto_rerun:
            interval, fragment = s.auto_rerun  # re-read: a full redraw renews the fragment
            try:
                await asyncio.wait_for(stop.wait(), interval)
                break
            except asyncio.TimeoutError:
                pass
            result = await s.run("workshop", fragment_id=fragment, auto=True)
            stats.poll_ms.append(result.ms)
            stats.full_redraws += result.full_runs
            stats.errors.extend(result.exceptions)


async def participant(url: str, index: int, code: str, area_codes, zone_ids, stop: asyncio.Event,
                      stats: LoadStats, *, think_s: tuple[float, float], submit_every: int, max_clicks: int,
                      seed: int, browser_id: str | None = None, join_within_s: float = 3.0) -> None:
    """Joins within ``join_within_s`` of the start, clicks every ``think_s`` seconds,
    sends every ``submit_every`` clicks; after a lost connection, rejoins and goes on."""
    rng, name = random.Random(seed), f"Partecipante {index}"
    await asyncio.sleep(rng.uniform(0, join_within_s))  # people do not all press «Entra» at once
    start, pin, clicks = time.perf_counter(), "", 0
    while not stop.is_set() and clicks < max_clicks:
        try:
            async with StreamlitSession(url, browser_id=browser_id) as s:
                stats.upstreams.setdefault(name, []).append(s.upstream)
                result, given = await join(s, code, name, pin)
                if not (given or (pin and result.says("Bentornato"))):
                    stats.errors.append(f"participant {index} could not {'rejoin' if pin else 'join'}: {result.alerts}")
                    return
                elapsed = (time.perf_counter() - start) * 1000
                if pin:
                    stats.rejoin_ms.append(elapsed)
                else:
                    stats.join_ms.append(elapsed)
                    stats.joined += 1
                pin = pin or given
                clicks = await _click_and_send(s, name, area_codes, zone_ids, stop, stats, rng, think_s, submit_every,
                                               max_clicks, clicks)
        except CONNECTION_LOST:
            if stop.is_set():
                return
            start = time.perf_counter()  # the time to rejoin counts from the break
            await asyncio.sleep(rng.uniform(0.5, 1.5))  # Streamlit's page retries after about a second


async def _click_and_send(s, name, area_codes, zone_ids, stop, stats, rng, think_s, submit_every, max_clicks,
                          clicks) -> int:
    while not stop.is_set() and clicks < max_clicks:
        try:
            await asyncio.wait_for(stop.wait(), rng.uniform(*think_s))
            break
        except asyncio.TimeoutError:
            pass
        result = await click(s, rng.choice(area_codes), rng.choice(zone_ids))
        stats.click_ms.append(result.ms)
        stats.errors.extend(result.exceptions)
        clicks += 1
        if clicks % submit_every == 0:
            result = await send(s)
            if result.says("Proposta inviata"):
                stats.submissions += 1
                stats.acknowledged[name] = stats.acknowledged.get(name, 0) + 1
            else:
                stats.errors.append(f"{name}: proposal not sent: {result.alerts}")
    return clicks


class Loop:
    """An asyncio loop in a background thread (Playwright's sync API keeps the main one)."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def submit(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def call(self, fn, *args):
        self.loop.call_soon_threadsafe(fn, *args)

    def event(self) -> asyncio.Event:
        async def make():
            return asyncio.Event()
        return self.submit(make()).result()

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
