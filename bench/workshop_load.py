"""Workshop load: does the zone editor stay responsive with a room of participants?

One app server on this machine (loopback only) runs a whole workshop:

* a **facilitator** session opens it and, during the load, keeps its page live the
  way a browser does (the page's polling fragment rerun every 2 s; a full redraw
  when proposals arrive);
* **N-1 simulated participants**, each a real Streamlit session driven through the
  websocket protocol (``bench/streamlit_session.py``): join with the code and a
  name, open the zone editor, then click comuni on the map (the same value the map
  sends, in the editor's fragment) every 2-6 s (by default) and send the proposal every few
  clicks;
* **1 measured participant** in headless Chromium (offline), joined through the
  page, clicking comuni on the map: click -> recoloured and click -> statistics
  updated are measured in the browser with ``bench/editor_latency.py``'s code.

Why simulated sessions: the server does the same work for them as for a browser
(one session each, every script run, every element serialised and sent); what
they skip is drawing the page, which in a real workshop happens on each
participant's own device. Thirty Chromium pages on this 2-core machine would
measure Chromium competing with the server, not the server.

The measured participant first clicks alone (**baseline**), then again while the
others work (**load**). Reported per phase: p50/p90/p99 (nearest rank) of click ->
statistics and click -> recolour, the server time of the editor's fragment runs
(from the app's timing log); for the load, the simulated participants' click round
trips (request -> run finished), join times, proposals sent and errors, and the
facilitator's polls. Everything is bounded: participants (at most 60), clicks per
participant, and the whole run (``--max-seconds``).

Run: ``python -m bench.workshop_load`` (30 participants) or ``--participants 3
--clicks 3`` (the CI smoke test). Writes ``bench/results/workshop_load.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from bench.editor_latency import DEFAULT_CLICKS, FRAME_ARM_JS, MAP_FRAMES, MEASURE_JS, _map_frame
from bench.streamlit_session import LOOPBACK, StreamlitSession
from geo.zoning.area import Area
from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.plan import Plan
from geo.store.database import DB_FILENAME, Store
from geo.store.workshops import WorkshopStore
from tests.browser_support import COORDINATION_PASSWORD, MAP_COMPONENT, launch_offline, streamlit_server

RESULTS = Path(__file__).resolve().parent / "results" / "workshop_load.json"
MAX_PARTICIPANTS = 60
MAP = MAP_COMPONENT
# st.metric on the naive pages, figure cards (geo.render.html_cards) in the zone editor
METRICS_JS = ("[...document.querySelectorAll('[data-testid=\"stMetricValue\"], .pb-card-value')]"
              ".map(e => e.innerText).join('|')")


def percentiles(values) -> dict:
    """p50, p90, p99 by nearest rank (the value below which that share of the
    samples lie), with the sample count; ``None`` when there are no samples."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"p50": None, "p90": None, "p99": None, "n": 0}
    rank = lambda p: values[max(0, math.ceil(p * len(values)) - 1)]  # noqa: E731
    return {"p50": round(rank(0.5), 1), "p90": round(rank(0.9), 1), "p99": round(rank(0.99), 1),
            "n": len(values)}


class LoadStats:
    """Shared by the simulated sessions (all on one event loop thread)."""

    def __init__(self):
        self.click_ms, self.join_ms, self.poll_ms = [], [], []
        self.joined = self.submissions = self.full_redraws = 0
        self.errors: list[str] = []


# -- simulated sessions (asyncio, one background thread) ---------------------------------------
async def facilitator(url: str, opened: threading.Event, poll: asyncio.Event, stop: asyncio.Event,
                      stats: LoadStats) -> None:
    async with StreamlitSession(url) as s:
        await s.run("workshop")
        # opening a workshop is for the coordination: sign in first (sidebar form)
        await s.run("workshop", [s.text("coordination_password", COORDINATION_PASSWORD),
                                 s.press("FormSubmitter:coordination_access")])
        result = await s.run("workshop", [s.text("workshop_open_title", "Laboratorio di carico"),
                                          s.text("workshop_open_facilitator", "Benchmark"), s.press("FormSubmitter:workshop_open")])
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
                      seed: int) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, 3))  # people do not all press «Entra» in the same instant
    start = time.perf_counter()
    async with StreamlitSession(url) as s:
        await s.run("workshop")
        result = await s.run("workshop", [s.text("workshop_join_code", code), s.text("workshop_join_name", f"Partecipante {index}"),
                                          s.text("workshop_join_pin", ""), s.press("FormSubmitter:workshop_join")])
        if not result.says("Sei nel laboratorio"):
            stats.errors.append(f"participant {index} could not join: {result.alerts}")
            return
        await s.run("zone_editor")
        stats.join_ms.append((time.perf_counter() - start) * 1000)
        stats.joined += 1
        clicks = 0
        while not stop.is_set() and clicks < max_clicks:
            try:
                await asyncio.wait_for(stop.wait(), rng.uniform(*think_s))
                break
            except asyncio.TimeoutError:
                pass
            event = {"event": "assign", "code": rng.choice(area_codes), "zone": rng.choice(zone_ids),
                     "seq": time.time_ns() // 1000}  # the schema of map_component/events.py
            state, fragment = s.component_value(MAP, event)
            result = await s.run("zone_editor", [state], fragment_id=fragment)
            stats.click_ms.append(result.ms)
            stats.errors.extend(result.exceptions)
            clicks += 1
            if clicks % submit_every == 0:
                result = await s.run("zone_editor", [s.press("workshop_send")], fragment_id=s.fragment_of("workshop_send"))
                if result.says("Proposta inviata"):
                    stats.submissions += 1
                else:
                    stats.errors.append(f"participant {index}: proposal not sent: {result.alerts}")


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


# -- the measured participant (headless Chromium) ------------------------------------------------
def join_in_browser(page, url: str, code: str) -> None:
    page.goto(f"{url}/workshop")
    page.get_by_label("Codice del laboratorio", exact=True).fill(code)
    page.get_by_label("Il tuo nome o il tuo comune").fill("Partecipante misurato")
    page.get_by_role("button", name="Entra nel laboratorio").click()
    page.get_by_text("Sei nel laboratorio").wait_for(timeout=60_000)
    page.get_by_role("link", name="Disegna la tua proposta").click()
    frame = _map_frame(page)
    frame.wait_for_function("document.querySelectorAll('.pb-legend-row').length > 0", timeout=60_000)


def state_version(page) -> str:
    return _map_frame(page).evaluate("window.map.getContainer().getAttribute('data-pb-version')")


def reset_and_send(page) -> None:
    """Back to the starting zones («Proposta iniziale»), then «Invia la mia proposta»."""
    before = state_version(page)
    page.get_by_role("button", name="Proposta iniziale").click()
    _map_frame(page).wait_for_function(
        f"window.map.getContainer().getAttribute('data-pb-version') !== '{before}'", timeout=60_000)
    page.get_by_role("button", name="Invia la mia proposta").click()
    page.get_by_text("Proposta inviata").first.wait_for(timeout=60_000)


def measure_clicks(page, picks, color: str, clicks: int, settle_ms: int, deadline: float) -> dict:
    """Click ``clicks`` comuni (cycling through ``picks``, resetting the zones after
    each round) and time each in the browser, as ``bench/editor_latency.py`` does."""
    recolour, stats_ms = [], []
    for i in range(clicks):
        if time.monotonic() > deadline:
            break
        if i and i % len(picks) == 0:
            reset_and_send(page)
        code, lon, lat = picks[i % len(picks)]
        frame = _map_frame(page)
        frame.wait_for_function("window.map !== undefined", timeout=60_000)
        iframe = page.locator(MAP_FRAMES).first
        iframe.scroll_into_view_if_needed()
        before = page.evaluate(METRICS_JS)
        frame.evaluate(FRAME_ARM_JS)
        x, y = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                              " return [p.x, p.y]; }", [lat, lon])
        box = iframe.bounding_box()
        page.evaluate(MEASURE_JS, [code, color, before])
        page.mouse.click(box["x"] + x, box["y"] + y)
        result = page.evaluate("window.__result")
        clicked = page.evaluate("window.__clickT")
        recolour.append(result["recolour"] - clicked if result.get("recolour") else None)
        stats_ms.append(result["stats"] - clicked if result.get("stats") else None)
        page.wait_for_timeout(settle_ms)
    reset_and_send(page)
    return {"click_to_stats_ms": percentiles(stats_ms), "click_to_recolour_ms": percentiles(recolour),
            "missed_stats": sum(s is None for s in stats_ms), "missed_recolour": sum(r is None for r in recolour),
            "clicks": len(stats_ms)}


def fragment_times(log: Path, start_line: int) -> tuple[dict, int]:
    lines = log.read_text().splitlines() if log.exists() else []
    times = [float(line.split("\t")[1]) for line in lines[start_line:] if line.startswith("zone/fragment\t")]
    return percentiles(times), len(lines)


# -- the run ----------------------------------------------------------------------------------------------
def run(participants: int, clicks: int, think_s: tuple[float, float], submit_every: int, settle_ms: int,
        max_seconds: float, post_script_gc: bool = False, ramp_timeout_s: float = 180) -> dict:
    if not 2 <= participants <= MAX_PARTICIPANTS:
        raise SystemExit(f"--participants must be between 2 and {MAX_PARTICIPANTS}")
    deadline = time.monotonic() + max_seconds
    comuni = load_comuni()
    area = Area.from_comuni(comuni, load_area_list()["istat_code"])
    plan_dict = load_default_plan_dict()
    base = Plan.from_dict(plan_dict).with_area(area.codes)
    active = plan_dict["zones"][0]
    by_name = {name: code for code, name in zip(comuni.index, comuni["comune"])}
    picks = [(by_name[n], area.interior_points[by_name[n]].x, area.interior_points[by_name[n]].y)
             for n in DEFAULT_CLICKS if base.zone_of(by_name[n]) != active["id"]]
    simulated = participants - 1
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "timing.tsv"
        env = {"PIANURA_DATA_DIR": tmp, "PIANURA_TIMING_LOG": str(log)}
        if post_script_gc:  # Streamlit's default, switched off in .streamlit/config.toml: for comparison
            env["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = "true"
        load_before = os.getloadavg()
        with streamlit_server(env=env) as url, launch_offline() as browser:
            assert urlparse(url).hostname in LOOPBACK
            loop, stats = Loop(), LoadStats()
            poll, stop, opened = loop.event(), loop.event(), threading.Event()
            fac = loop.submit(facilitator(url, opened, poll, stop, stats))
            if not opened.wait(120):
                raise RuntimeError("the facilitator session did not open the workshop")
            (workshop,) = WorkshopStore(Store(f"sqlite:///{Path(tmp) / DB_FILENAME}")).list()

            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            join_in_browser(page, url, workshop.display_code)
            page.wait_for_timeout(1000)
            _, mark = fragment_times(log, 0)
            print(f"baseline: the measured participant alone, {clicks} clicks...", flush=True)
            baseline = measure_clicks(page, picks, active["color"], clicks, settle_ms, deadline)
            baseline["server_fragment_ms"], mark = fragment_times(log, mark)

            print(f"load: facilitator + {simulated} simulated participants joining...", flush=True)
            loop.call(poll.set)
            tasks = [loop.submit(participant(url, i + 1, workshop.code, list(area.codes), list(base.zone_ids), stop,
                                             stats, think_s=think_s, submit_every=submit_every,
                                             max_clicks=10_000, seed=i)) for i in range(simulated)]
            ramp_end = time.monotonic() + ramp_timeout_s
            while stats.joined + sum(t.done() for t in tasks) < simulated and time.monotonic() < ramp_end:
                time.sleep(0.5)
            time.sleep(2 * think_s[1])  # everyone is clicking by now
            _, mark = fragment_times(log, mark)
            clicks_before = len(stats.click_ms)
            print(f"load: {stats.joined} joined; measuring {clicks} clicks...", flush=True)
            loaded = measure_clicks(page, picks, active["color"], clicks, settle_ms, deadline)
            loaded["server_fragment_ms"], mark = fragment_times(log, mark)
            during = stats.click_ms[clicks_before:]
            loop.call(stop.set)
            for task in [fac, *tasks]:
                try:
                    task.result(timeout=120)
                except Exception as exc:  # a failed session is a finding, not a crash of the benchmark
                    stats.errors.append(f"in the simulated session: {type(exc).__name__}: {exc}")
            loop.close()
            submitted = len(WorkshopStore(Store(f"sqlite:///{Path(tmp) / DB_FILENAME}"))
                            .latest_submissions(workshop.id))

    loaded["simulated"] = {
        "participants": simulated, "joined": stats.joined, "join_ms": percentiles(stats.join_ms),
        "clicks": len(stats.click_ms), "click_round_trip_ms": percentiles(stats.click_ms),
        "click_round_trip_during_measure_ms": percentiles(during), "proposals_sent": stats.submissions,
        "participants_with_a_proposal": submitted, "errors": stats.errors[:20], "error_count": len(stats.errors),
    }
    loaded["facilitator"] = {"polls": len(stats.poll_ms), "poll_ms": percentiles(stats.poll_ms),
                             "full_redraws": stats.full_redraws}
    # other work on the machine skews the numbers: the load average says how much
    return {"when": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
            "loadavg_1min_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "settings": {"participants": participants, "clicks": clicks, "think_s": list(think_s),
                         "submit_every": submit_every, "settle_ms": settle_ms, "post_script_gc": post_script_gc},
            "baseline": baseline, "load": loaded}


def report(results: dict) -> None:
    print(f"\n{results['settings']}; load average before/after: {results['loadavg_1min_before_after']}")
    print("\nclick -> update of the measured participant (ms; p50 / p90 / p99, n):")
    for phase in ("baseline", "load"):
        r = results[phase]
        for metric in ("click_to_stats_ms", "click_to_recolour_ms", "server_fragment_ms"):
            p = r[metric]
            print(f"  {phase:8} {metric:22} {p['p50']} / {p['p90']} / {p['p99']}  (n={p['n']})")
    sim = results["load"]["simulated"]
    p = sim["click_round_trip_ms"]
    print(f"\nsimulated participants: {sim['joined']}/{sim['participants']} joined, {sim['clicks']} clicks, "
          f"round trip p50/p90/p99 {p['p50']} / {p['p90']} / {p['p99']} ms; {sim['proposals_sent']} proposals sent "
          f"({sim['participants_with_a_proposal']} participants); errors: {sim['error_count']}")
    fac = results["load"]["facilitator"]
    print(f"facilitator: {fac['polls']} polls (p50 {fac['poll_ms']['p50']} ms), {fac['full_redraws']} full redraws")


def main() -> None:
    parser = argparse.ArgumentParser(description="Workshop load on the zone editor")
    parser.add_argument("--participants", type=int, default=30, help="participants, the measured one included")
    parser.add_argument("--clicks", type=int, default=40, help="measured clicks per phase")
    parser.add_argument("--think-min", type=float, default=2.0, help="seconds between a participant's clicks")
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--submit-every", type=int, default=8)
    parser.add_argument("--settle-ms", type=int, default=900)
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--post-script-gc", action="store_true",
                        help="run the server with Streamlit's forced GC after every run (for comparison)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    results = run(args.participants, args.clicks, (args.think_min, args.think_max), args.submit_every,
                  args.settle_ms, args.max_seconds, args.post_script_gc)
    report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
