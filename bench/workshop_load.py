"""Workshop load: does the zone editor stay responsive with a room of participants, on
one app process or on several behind the proxy?

Each *case* (a number of app processes x a number of participants) runs a whole
workshop on this machine (loopback only):

* the app: 1 process as ``make run`` starts it (SQLite, no proxy), or N processes
  as ``make serve`` starts them (nginx choosing by the identity cookie, the local
  PostgreSQL): ``bench/workshop_servers.py``;
* a **facilitator** session opens the workshop and keeps its page live as a browser
  does (the polling fragment every 2 s, a full redraw when proposals arrive);
* **N-1 simulated participants** (``bench/workshop_sessions.py``), real Streamlit
  sessions over the websocket, each with its own browser identity (through the
  proxy, the cookie chooses its process): they all join within 3 s (the *join
  rush*: join, then the first zone-editor run, i.e. the map on their screen), then
  click comuni every 2-6 s and send their proposal every few clicks;
* **1 measured participant** in headless Chromium (offline), joined through the
  page: click -> recoloured and click -> statistics updated, timed in the browser
  (``bench/workshop_browser.py``), first alone (**baseline**), then while the others
  work (**load**).

Why simulated sessions: the server does the same work for them as for a browser;
what they skip is drawing the page, which happens on each participant's device.

``--kill-after S`` (with 2 or more processes): S seconds into the load phase, one
app process (not the facilitator's or the measured participant's) is killed with
SIGKILL; its participants reconnect through the proxy, rejoin with their personal
code and go on. Reported: rejoin times and acknowledged proposals missing from
the database (there must be none).

Per case: p50/p90/p99 (nearest rank) of click -> statistics and click -> recolour,
the server time of the editor's fragment runs, the simulated clicks' round trips,
join times, proposals, errors, the facilitator's polls, and the CPU used by the app
processes and by this benchmark's own process (it shares the 2 cores).

Run: ``python -m bench.workshop_load --replicas 1,2 --participants 30,60,100``, or
``--participants 3 --clicks 3`` (the CI smoke test). Writes
``bench/results/workshop_load.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.territory_cases import DEFAULT_CLICKS
from bench.percentiles import percentiles
from bench.workshop_browser import join_in_browser, measure_clicks
from bench.workshop_report import report, summary_table
from bench.workshop_servers import app_servers, cpu_seconds, cpu_used
from bench.workshop_sessions import LoadStats, Loop, facilitator, participant
from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.store.database import Store
from geo.store.workshops import WorkshopStore
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from map_component import IDENTITY_COOKIE
from tests.browser_support import launch_offline

RESULTS = Path(__file__).resolve().parent / "results" / "workshop_load.json"
MAX_PARTICIPANTS = 120


@dataclass(frozen=True)
class Workload:
    clicks: int = 40  # measured clicks per phase
    think_s: tuple[float, float] = (2.0, 6.0)
    submit_every: int = 8
    settle_ms: int = 900
    max_seconds: float = 900  # per case
    join_within_s: float = 3.0
    kill_after_s: float | None = None
    post_script_gc: bool = False


def fragment_times(log: Path, start_line: int) -> tuple[dict, int]:
    lines = log.read_text().splitlines() if log.exists() else []
    times = [float(line.split("\t")[1]) for line in lines[start_line:] if line.startswith("zone/fragment\t")]
    return percentiles(times), len(lines)


def capacity(app_cpu_s: float, support_cpu_s: float, elapsed_s: float, clicks: int, replicas: int,
             work: Workload) -> dict:
    """The CPU during the load measure, and what it says of the room the app could
    serve: every CPU second of the app processes (clicks, sendings, the facilitator's
    polls) and of PostgreSQL and nginx (``support``; SQLite works inside the app)
    counted per click, and the participants at which the app processes would use all
    their cores (at most one each) on an otherwise idle machine, each clicking once
    per mean think time, PostgreSQL and nginx sharing those cores. Unlike the
    latencies, these figures hold when other work shares the machine: CPU time is
    not spent waiting."""
    per_click_s = app_cpu_s / max(1, clicks)
    all_per_click_s = (app_cpu_s + support_cpu_s) / max(1, clicks)
    cores = min(replicas, os.cpu_count() or 1)
    mean_think = sum(work.think_s) / 2
    return {"app_processes_cores": round(app_cpu_s / elapsed_s, 2),
            "database_and_proxy_cores": round(support_cpu_s / elapsed_s, 2),
            "app_ms_per_click": round(per_click_s * 1000, 1),
            "database_and_proxy_ms_per_click": round((all_per_click_s - per_click_s) * 1000, 1),
            "participants_to_fill_cores": round(cores * mean_think / all_per_click_s) if all_per_click_s else None}


def _scene():
    comuni = load_comuni()
    area = Area.from_comuni(comuni, load_area_list()["istat_code"])
    plan_dict = load_default_plan_dict()
    base = Plan.from_dict(plan_dict).with_area(area.codes)
    active = plan_dict["zones"][0]
    by_name = {name: code for code, name in zip(comuni.index, comuni["comune"])}
    picks = [(by_name[n], area.interior_points[by_name[n]].x, area.interior_points[by_name[n]].y)
             for n in DEFAULT_CLICKS if base.zone_of(by_name[n]) != active["id"]]
    return area, base, active, picks


def run_case(replicas: int, participants: int, work: Workload, ramp_timeout_s: float = 180) -> dict:
    if not 2 <= participants <= MAX_PARTICIPANTS:
        raise SystemExit(f"--participants must be between 2 and {MAX_PARTICIPANTS}")
    deadline = time.monotonic() + work.max_seconds
    area, base, active, picks = _scene()
    simulated = participants - 1
    env = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"} if work.post_script_gc else {}  # Streamlit's default
    load_before, killed = os.getloadavg(), None
    with app_servers(replicas, env) as servers, launch_offline() as browser:
        print(f"\n== {servers.label}, {participants} partecipanti", flush=True)
        kept = sorted(servers.pids)[0] if servers.served else None  # the facilitator's and the measured one's
        loop, stats = Loop(), LoadStats()
        poll, stop, opened = loop.event(), loop.event(), threading.Event()
        fac = loop.submit(facilitator(servers.url, opened, poll, stop, stats, servers.browser_on(kept)))
        if not opened.wait(120):
            raise RuntimeError("the facilitator session did not open the workshop")
        store = WorkshopStore(Store(servers.database_url))
        (workshop,) = store.list()

        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        context.add_cookies([{"name": IDENTITY_COOKIE, "value": servers.browser_on(kept), "url": servers.url}])
        page = context.new_page()
        join_in_browser(page, servers.url, workshop.display_code)
        page.wait_for_timeout(1000)
        _, mark = fragment_times(servers.timing_log, 0)
        print(f"baseline: the measured participant alone, {work.clicks} clicks...", flush=True)
        baseline = measure_clicks(page, picks, active["color"], work.clicks, work.settle_ms, deadline)
        baseline["server_fragment_ms"], mark = fragment_times(servers.timing_log, mark)

        print(f"load: facilitator + {simulated} simulated participants joining...", flush=True)
        loop.call(poll.set)
        tasks = [loop.submit(participant(servers.url, i + 1, workshop.code, list(area.codes), list(base.zone_ids),
                                         stop, stats, think_s=work.think_s, submit_every=work.submit_every,
                                         max_clicks=10_000, seed=i, browser_id=servers.browser_on(None),
                                         join_within_s=work.join_within_s))
                 for i in range(simulated)]
        ramp_end = time.monotonic() + ramp_timeout_s
        while stats.joined + sum(t.done() for t in tasks) < simulated and time.monotonic() < ramp_end:
            time.sleep(0.5)
        time.sleep(2 * work.think_s[1])  # everyone is clicking by now
        _, mark = fragment_times(servers.timing_log, mark)
        support = servers.support_pids()
        clicks_before, cpu_before, support_before, own_before, started = (
            len(stats.click_ms), cpu_seconds(servers.pids.values()), cpu_seconds(support), time.process_time(),
            time.monotonic())
        if work.kill_after_s is not None and servers.served and len(servers.pids) > 1:
            killed = next(u for u in sorted(servers.pids) if u != kept)
            timer = threading.Timer(work.kill_after_s, os.kill, (servers.pids[killed], 9))
            timer.start()
        print(f"load: {stats.joined} joined; measuring {work.clicks} clicks...", flush=True)
        loaded = measure_clicks(page, picks, active["color"], work.clicks, work.settle_ms, deadline)
        elapsed = time.monotonic() - started
        app_cpu = cpu_used(cpu_before, cpu_seconds(servers.pids.values()))
        support_cpu = cpu_used(support_before, cpu_seconds(support))
        during = stats.click_ms[clicks_before:]
        loaded["cpu"] = capacity(app_cpu, support_cpu, elapsed, len(during) + loaded["clicks"], replicas, work)
        loaded["cpu"]["benchmark_client_cores"] = round((time.process_time() - own_before) / elapsed, 2)
        loaded["server_fragment_ms"], mark = fragment_times(servers.timing_log, mark)
        loop.call(stop.set)
        for task in [fac, *tasks]:
            try:
                task.result(timeout=120)
            except Exception as exc:  # a failed session is a finding, not a crash of the benchmark
                stats.errors.append(f"in the simulated session: {type(exc).__name__}: {exc}")
        loop.close()
        stored = {s.participant_name: s.sendings for s in store.latest_submissions(workshop.id)}
        context.close()

    loaded["simulated"] = {
        "participants": simulated, "joined": stats.joined, "join_ms": percentiles(stats.join_ms),
        "clicks": len(stats.click_ms), "click_round_trip_ms": percentiles(stats.click_ms),
        "click_round_trip_during_measure_ms": percentiles(during), "proposals_sent": stats.submissions,
        "participants_with_a_proposal": len(stored), "errors": stats.errors[:20], "error_count": len(stats.errors),
    }
    loaded["facilitator"] = {"polls": len(stats.poll_ms), "poll_ms": percentiles(stats.poll_ms),
                             "full_redraws": stats.full_redraws}
    if killed:
        loaded["killed"] = {"process": killed, "after_s": work.kill_after_s, "rejoined": len(stats.rejoin_ms),
                            "rejoin_ms": percentiles(stats.rejoin_ms),
                            "acknowledged_missing": sum(max(0, n - stored.get(name, 0))
                                                        for name, n in stats.acknowledged.items())}
    # other work on the machine skews the numbers: the load average says how much
    return {"when": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "replicas": replicas,
            "setup": servers.label, "loadavg_1min_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
            "settings": {"participants": participants, **asdict(work)}, "baseline": baseline, "load": loaded}


def _numbers(text: str) -> list[int]:
    return [int(v) for v in text.split(",") if v.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description="Workshop load on the zone editor, on 1 or more app processes")
    parser.add_argument("--replicas", type=_numbers, default=[1], help="app processes per case, e.g. 1,2")
    parser.add_argument("--participants", type=_numbers, default=[30], help="participants (the measured one "
                        "included) per case, e.g. 30,60,100")
    parser.add_argument("--clicks", type=int, default=40, help="measured clicks per phase")
    parser.add_argument("--think-min", type=float, default=2.0, help="seconds between a participant's clicks")
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--submit-every", type=int, default=8)
    parser.add_argument("--settle-ms", type=int, default=900)
    parser.add_argument("--max-seconds", type=float, default=900, help="bound on each case")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="SIGKILL one app process this many seconds into the load phase (2+ processes)")
    parser.add_argument("--post-script-gc", action="store_true",
                        help="run the server with Streamlit's forced GC after every run (for comparison)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    work = Workload(args.clicks, (args.think_min, args.think_max), args.submit_every, args.settle_ms,
                    args.max_seconds, kill_after_s=args.kill_after, post_script_gc=args.post_script_gc)
    cases = []
    for replicas in args.replicas:
        for participants in args.participants:
            cases.append(run_case(replicas, participants, work))
            report(cases[-1])
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps({"cases": cases}, indent=1))  # kept case by case: a long run may stop
    print("\n" + summary_table(cases))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
