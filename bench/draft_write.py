"""The autosave's cost per click, alone: encode the session's history and write the
draft (``geo.store.drafts.DraftStore.save``), as ``ui.drafts.save_plan`` does in the
click's rerun, for 100 clicks on the default area (the history grows to its limit).

Reports wall-clock and CPU time (median, p90): on a shared machine the CPU time is
the figure that does not depend on the other processes. The same write, inside
the app, is reported per click by ``bench/editor_latency.py`` (``draft/save``).

Run: ``python -m bench.draft_write [--url sqlite:///...|postgresql://...]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from geo.data.shipped import load_area_list, load_default_plan_dict
from geo.store.database import Store
from geo.store.drafts import DraftStore
from geo.store.history_codec import HistoryCodec
from geo.zoning.history import History
from geo.zoning.plan import Plan

CLICKS = 100


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} ms, p90 {statistics.quantiles(values, n=10)[-1]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description="autosave cost per click")
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='pianura-drafts-')}/app.sqlite"
    codes = list(load_area_list()["istat_code"])
    plan = Plan.from_dict(load_default_plan_dict()).with_area(codes)
    drafts, codec, history = DraftStore(Store(url)), HistoryCodec(), History(plan)
    wall, cpu = [], []
    for i in range(CLICKS):
        plan = plan.assign([codes[i % len(codes)]], plan.zone_ids[i % len(plan.zone_ids)]).plan
        history = history.push(plan)
        t0, c0 = time.perf_counter(), time.process_time()
        drafts.save("b" * 32, "piano", "", {"area": codes, "history": codec.encode(history)}, writer="s" * 32)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"{CLICKS} clicks, {len(codes)} comuni, {url.split(':')[0]}")
    print(f"  wall: {_summary(wall)}")
    print(f"  cpu:  {_summary(cpu)}")


if __name__ == "__main__":
    main()
