"""Zone editor latency: our editor against the straightforward one, same run.

For each implementation and each area (``bench/territory_cases.py``: the default area
vasta, the province of Brescia, the Rete dell'Hub, the whole of Lombardy built for
the run) it starts a Streamlit server, opens the page in headless Chromium
(offline), and clicks comuni one after another, measuring in the browser:

* first load: navigation start -> every comune of the area drawn in its colour, for
  a new session on a running server (warm), for the first visitor after a server
  start (cold) and, for ours, the first visitor after ``make run``'s warm-up
  session (``scripts/warm_up.py``);
* click -> recoloured: mouse down -> the comune's path has the active zone colour;
* click -> statistics: mouse down -> the statistics cards show new values;
* bytes: what the browser receives on a first load (HTTP bodies as sent, and
  websocket frames) and per click (websocket frames until the click settled);
and, from the server's timing log, the server time of each rerun.

Run: ``make bench`` (or ``python -m bench.editor_latency --clicks 12 --areas hub``).
Prints medians and the naive/ours ratios; writes ``bench/results/editor_latency.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.territory_cases import CASES, prepare
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from ui.drafts import SAVE_TIMING
from tests.browser_support import MAP_COMPONENT, MAP_IFRAME, launch_offline, streamlit_server

RESULTS = Path(__file__).resolve().parent / "results" / "editor_latency.json"
VIEWPORT = {"width": 1400, "height": 1000}
WARM_LOADS = 7  # new sessions on a running server; the median is reported (loads vary by ±300 ms here)
IMPLEMENTATIONS = {"naive": ("bench/naive_editor.py", ""), "ours": ("dashboard.py", "zone_editor")}

# The map's iframe: streamlit-folium's in the naive editor, the map component's in ours.
MAP_FRAMES = f"iframe[title*='streamlit_folium'], {MAP_IFRAME}"
# The statistics figures: st.metric in the naive editor, HTML cards (geo.render.html_cards) in ours.
FIGURES_JS = ("[...document.querySelectorAll('[data-testid=\"stMetricValue\"], .pb-card-value')]"
              ".map(e => e.innerText).join('|')")

MEASURE_JS = """
([code, color, before]) => {
  window.__result = new Promise(resolve => {
    const res = {};
    const start = Date.now();
    const frameDoc = () => {
      const f = document.querySelector("MAP_FRAMES");
      return f && f.contentDocument;
    };
    const metrics = () => FIGURES_JS;
    const tick = () => {
      const d = frameDoc();
      if (!res.recolour && d) {
        // ours: the layer's style (SVG or canvas); the naive editor: its path's fill
        const pb = d.defaultView.PB, layer = pb && pb.layers && pb.layers[code];
        const p = layer ? null : d.querySelector(`path.c-${code}`);
        const fill = layer ? layer.options.fillColor : (p && p.getAttribute('fill'));
        if ((fill || '').toUpperCase() === color) res.recolour = Date.now();
      }
      if (!res.stats && metrics() !== before) res.stats = Date.now();
      if ((res.recolour && res.stats) || Date.now() - start > 15000) resolve(res);
      else requestAnimationFrame(tick);
    };
    tick();
  });
}
""".replace("FIGURES_JS", FIGURES_JS).replace("MAP_FRAMES", MAP_FRAMES)

# The comune's interior point in the map frame, and whether the comune itself is what a click there hits.
HIT_JS = """
([lat, lon, code]) => {
  const p = window.map.latLngToContainerPoint([lat, lon]);
  const r = window.map.getContainer().getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + p.x, r.top + p.y);
  const ok = !!hit && (hit.getAttribute('data-code') === code || hit.classList.contains('c-' + code));
  return [p.x + r.left, p.y + r.top, ok];
}
"""

FRAME_ARM_JS = """
() => {
  document.addEventListener('mousedown', () => { window.top.__clickT = Date.now(); },
                            {capture: true, once: true});
}
"""


def _median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def _map_frame(page):
    page.wait_for_selector(MAP_FRAMES, timeout=90_000)  # a cold start on a loaded machine
    for frame in page.frames:
        if "/component/streamlit_folium." in frame.url or f"/component/{MAP_COMPONENT}/" in frame.url:
            return frame
    raise RuntimeError("map frame not found")


def _start_chromium(browser, url: str) -> None:
    """Chromium's own start-up is not the app's: spend it on a plain request."""
    page = browser.new_page()
    page.goto(f"{url}/_stcore/health")
    page.close()


def _count_bytes(page) -> dict:
    """Bytes the page receives from now on: HTTP bodies as sent (``http``) and websocket frames (``ws``)."""
    counter = {"http": 0, "ws": 0}

    def on_request(request) -> None:
        counter["http"] += max(0, request.sizes().get("responseBodySize") or 0)

    def on_websocket(ws) -> None:
        ws.on("framereceived", lambda payload: counter.__setitem__(
            "ws", counter["ws"] + len(payload if isinstance(payload, bytes) else payload.encode("utf-8"))))

    page.on("requestfinished", on_request)
    page.on("websocket", on_websocket)
    return counter


def _load_page(browser, url: str, n_area: int):
    """Open ``url`` in a new session (empty browser cache); return the page, the ms
    until every comune of the area is drawn in its colour, and its byte counter."""
    page = browser.new_page(viewport=VIEWPORT)
    counter = _count_bytes(page)
    start = time.perf_counter()
    page.goto(url)
    _map_frame(page).wait_for_function(
        f"document.querySelectorAll('path.comune-area[fill]').length >= {n_area}", timeout=60_000)
    return page, (time.perf_counter() - start) * 1000, counter


def run_case(impl: str, case_env: dict, click_codes: list[tuple[str, float, float]], n_area: int,
             color: str, clicks: int) -> dict:
    """Measure one implementation on one case; ``click_codes`` are candidates, the
    first ``clicks`` of them that lie inside the window are clicked."""
    script, path = IMPLEMENTATIONS[impl]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "timing.tsv"
        env = {**case_env, "PIANURA_DATA_DIR": tmp, "PIANURA_TIMING_LOG": str(log)}
        with streamlit_server(env=env, script=script) as url, launch_offline() as browser:
            def load_page():
                return _load_page(browser, f"{url}/{path}", n_area)

            # The first visitor after a server start pays for imports and caches
            # (cold); later visitors open a new session on a running server (warm).
            _start_chromium(browser, url)
            cold_page, first_load_cold, _ = load_page()
            cold_page.close()
            warm = []
            for _ in range(WARM_LOADS - 1):
                page, elapsed, _ = load_page()
                warm.append(elapsed)
                page.close()
            page, elapsed, counter = load_page()
            warm.append(elapsed)
            first_load = statistics.median(warm)
            page.wait_for_timeout(1500)
            first_load_bytes = dict(counter)
            warmup_runs = len(log.read_text().splitlines()) if log.exists() else 0
            recolour, stats_ms, click_bytes, clicked_codes = [], [], [], []
            page.locator(MAP_FRAMES).first.scroll_into_view_if_needed()
            for code, lon, lat in click_codes:
                frame = _map_frame(page)
                frame.wait_for_function("window.map !== undefined", timeout=30_000)
                point = frame.evaluate(HIT_JS, [lat, lon, code])
                box = page.locator(MAP_FRAMES).first.bounding_box()
                x, y = box["x"] + point[0], box["y"] + point[1]
                if (not point[2] or not (0 < x < VIEWPORT["width"] and 0 < y < VIEWPORT["height"])
                        or len(clicked_codes) >= clicks):
                    continue  # under a control, or outside the window: not where a user would click
                clicked_codes.append(code)
                before = page.evaluate(FIGURES_JS)
                frame.evaluate(FRAME_ARM_JS)
                page.evaluate(MEASURE_JS, [code, color, before])
                received = counter["ws"]
                page.mouse.click(x, y)
                res = page.evaluate("window.__result")
                clicked = page.evaluate("window.__clickT")
                recolour.append(res["recolour"] - clicked if res.get("recolour") else None)
                stats_ms.append(res["stats"] - clicked if res.get("stats") else None)
                page.wait_for_timeout(900)  # let reruns settle before the next click
                click_bytes.append(counter["ws"] - received)
            timed = [line.split("\t") for line in log.read_text().splitlines()[warmup_runs:]]
            # the draft's write (ui.drafts) happens inside a rerun: its own figure, not a rerun
            runs = [float(ms) for name, ms in timed if name != SAVE_TIMING]
            saves = [float(ms) for name, ms in timed if name == SAVE_TIMING]
        first_load_after_warm_up = None
        if impl == "ours":
            # `make run` warms a new server with one headless session (scripts/warm_up.py):
            # what the first visitor of a meeting actually gets. One sample per server
            # start, three starts.
            samples = []
            for _ in range(3):
                with streamlit_server(env={**env, "PIANURA_TIMING_LOG": ""}, script=script) as url, \
                        launch_offline() as browser:
                    _start_chromium(browser, url)
                    # as `make run` does it: a separate process (Playwright owns this thread's loop)
                    subprocess.run([sys.executable, "scripts/warm_up.py", "--url", url], check=True, timeout=300)
                    samples.append(_load_page(browser, f"{url}/{path}", n_area)[1])
            first_load_after_warm_up = round(statistics.median(samples), 1)
    print("  server runs (ms):", [round(r) for r in runs], flush=True)
    per_click = len(runs) / max(1, len(clicked_codes))
    return {
        "first_load_ms": round(first_load, 1),
        "first_load_cold_ms": round(first_load_cold, 1),
        "first_load_after_warm_up_ms": first_load_after_warm_up,
        "click_to_recolour_ms": _median(recolour),
        "click_to_stats_ms": _median(stats_ms),
        "server_ms_per_rerun": _median(runs),
        "server_ms_per_rerun_p90": round(statistics.quantiles(runs, n=10)[-1], 1) if len(runs) > 1 else None,
        "autosave_ms": _median(saves) if impl == "ours" else None,
        "autosave_ms_p90": round(statistics.quantiles(saves, n=10)[-1], 1) if impl == "ours" and len(saves) > 1 else None,
        "autosaves_per_click": round(len(saves) / max(1, len(click_codes)), 2) if impl == "ours" else None,
        "reruns_per_click": round(per_click, 2),
        "missed_recolour": sum(r is None for r in recolour),
        "missed_codes": [c for c, r in zip(clicked_codes, stats_ms) if r is None],
        "missed_stats": sum(s is None for s in stats_ms),
        "clicks": len(clicked_codes),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "first_load_http_bytes": first_load_bytes["http"],
        "first_load_ws_bytes": first_load_bytes["ws"],
        "ws_bytes_per_click": _median(click_bytes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Zone editor latency, naive vs ours")
    parser.add_argument("--clicks", type=int, default=12)
    parser.add_argument("--areas", default=",".join(CASES), help=f"cases to run, of {', '.join(CASES)}")
    parser.add_argument("--impls", default="naive,ours", help="implementations to run (ratios need both)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for area_name in args.areas.split(","):
            case = prepare(area_name, Path(tmp))
            territory = case.territory
            area = Area.from_comuni(territory.comuni, territory.area_codes)
            plan = Plan.from_dict(territory.starting_plan).with_area(area.codes)
            active_zone = plan.zones[0]
            picks = case.clicks(active_zone.id, 3 * args.clicks)  # candidates: some may lie outside the window
            points = [(c, area.interior_points[c].x, area.interior_points[c].y) for c in picks]
            for impl in args.impls.split(","):
                key = f"{area_name}/{impl}"
                print(f"running {key} ({len(area.codes)} comuni, {len(points)} clicks)...", flush=True)
                results[key] = run_case(impl, case.env, points, len(area.codes), active_zone.color, args.clicks)
                results[key]["comuni"] = len(area.codes)
                results[key]["comuni_on_map"] = len(territory.comuni)

    print()
    header = ["case", f"first load (warm, median of {WARM_LOADS})", "first load (cold)", "first visitor after warm-up",
              "click->colour", "click->stats",
              "server/rerun (median, p90)", "reruns/click", "first load kB (http + ws)", "ws kB/click"]
    print(" | ".join(header))
    for key, r in results.items():
        print(f"{key} | {r['first_load_ms']} | {r['first_load_cold_ms']} | {r['first_load_after_warm_up_ms']} | "
              f"{r['click_to_recolour_ms']} | "
              f"{r['click_to_stats_ms']} | "
              f"{r['server_ms_per_rerun']}, {r['server_ms_per_rerun_p90']} | {r['reruns_per_click']} | "
              f"{r['first_load_http_bytes'] / 1000:.0f} + {r['first_load_ws_bytes'] / 1000:.0f} | "
              f"{(r['ws_bytes_per_click'] or 0) / 1000:.1f}")
    for key, r in results.items():
        if r.get("autosave_ms") is not None:
            print(f"{key}: autosave (draft write) per click {r['autosave_ms']} ms median, "
                  f"{r['autosave_ms_p90']} ms p90, {r['autosaves_per_click']} writes/click")
    print("\nratios naive/ours (same run):")
    for area_name in args.areas.split(","):
        if f"{area_name}/naive" not in results or f"{area_name}/ours" not in results:
            continue
        naive, ours = results[f"{area_name}/naive"], results[f"{area_name}/ours"]
        for metric in ("click_to_recolour_ms", "click_to_stats_ms", "server_ms_per_rerun", "first_load_ms"):
            if naive[metric] and ours[metric]:
                print(f"  {area_name} {metric}: {naive[metric] / ours[metric]:.1f}x")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"when": time.strftime("%Y-%m-%d %H:%M"), "results": results}, indent=1))
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
