"""Server-side cost of the collaborations features, per rerun.

The zone editor recomputes coverage, splits and coherence after every click, and
each rerun with function layers on sends their overlays (plain JSON); this measures those
steps on the real data (the default area vasta and plan, the shipped records) and,
for scale, on 60 extra synthetic collaborations (random members of the province,
seeded: the timings, not the records, are what is measured). Prints medians of
``--repeat`` runs, in milliseconds.

Run: ``python -m bench.collaborations`` (``--repeat 30``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time

from geo.zoning.area import Area
from geo.io.collaboration_files import read_collaborations, write_collaborations_csv
from geo.render.collaboration_maps import LAYERS, collaboration_overlays, overlay_data
from geo.collaborations.catalogue import load_seed
from geo.collaborations.model import FUNCTION_LABELS, Collaboration
from geo.collaborations.coverage import coherence, coverage_by_zone, coverage_gaps, coverage_matrix, plan_splits
from geo.collaborations.distances import capofila_distances, interior_points
from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.plan import Plan

DAY = dt.date(2026, 11, 25)


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic(comuni, n: int) -> tuple[Collaboration, ...]:
    rng = random.Random(4)
    codes = sorted(c for c in comuni.index if c.startswith("017"))
    out = []
    for i in range(n):
        members = tuple(rng.sample(codes, rng.randint(2, 12)))
        out.append(Collaboration(id=f"sintetica-{i}", name=f"Sintetica {i}", form="convenzione",
                                 functions=tuple(rng.sample(sorted(FUNCTION_LABELS), rng.randint(1, 3))),
                                 members=members, capofila=members[0], status="attiva"))
    return tuple(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    comuni = load_comuni()
    area = Area.from_comuni(comuni, load_area_list()["istat_code"])
    plan = Plan.from_dict(load_default_plan_dict()).with_area(area.codes)
    points = interior_points(comuni)
    for label, records in (("seed (6)", load_seed()), ("seed + 60 synthetic", load_seed() + synthetic(comuni, 60))):
        data = overlay_data(comuni, records, DAY)

        def overlay_json():
            # what Streamlit serialises for the map component on each rerun
            return json.dumps(collaboration_overlays(data, LAYERS))

        csv = write_collaborations_csv(records)
        names = dict(zip(comuni.index, comuni["comune"]))
        steps = {
            "coverage_by_zone": lambda: coverage_by_zone(area, plan, records, DAY),
            "plan_splits + coherence": lambda: coherence(plan_splits(plan, records, DAY)),
            "coverage_matrix + gaps": lambda: (coverage_matrix(area.codes, records, today=DAY),
                                               coverage_gaps(area, plan, records, DAY)),
            "capofila_distances": lambda: capofila_distances(points, records),
            "overlay_data (cached per records)": lambda: overlay_data(comuni, records, DAY),
            "all five layers as overlay JSON (per rerun)": overlay_json,
            "read_collaborations (export CSV)": lambda: read_collaborations(csv, "x.csv", names),
        }
        print(f"\n{label}: median of {args.repeat} runs")
        for name, fn in steps.items():
            print(f"  {name:<44} {median_ms(fn, args.repeat):8.2f} ms")


if __name__ == "__main__":
    main()
