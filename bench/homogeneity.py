"""What homogeneity and the thematic map add to the zone editor's server time per click.

A click changes one comune's zone; the editor then evaluates the statistics and, with
this feature, the homogeneity on the chosen indicators (3 by default) and, when the
map shows an indicator, the map state with its colours. Measured on the real data
(the default area, 42 comuni, and the province, 205), in this process, each step's
median and p90 over ``--repeat`` clicks, against the statistics alone in the same run.

Run: ``python -m bench.homogeneity`` (``--repeat 200``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.render.homogeneity_tables import homogeneity_summary, homogeneity_zones
from geo.render.maps import zone_state
from geo.render.thematic import thematic_map, thematic_state
from geo.zoning.area import Area
from geo.zoning.homogeneity import homogeneity
from geo.zoning.indicators import DEFAULT_CHOICE, SHIPPED_CATALOGUE
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistics import zone_statistics


def timed(fn, plans) -> tuple[float, float]:
    times = []
    for plan in plans:
        start = time.perf_counter()
        fn(plan)
        times.append((time.perf_counter() - start) * 1000)
    ordered = sorted(times)
    return statistics.median(times), ordered[int(0.9 * (len(ordered) - 1))]


def clicks(area: Area, plan: Plan, repeat: int) -> list[Plan]:
    """``repeat`` plans, each one click (a comune to another zone) after the previous."""
    rng = random.Random(11)
    out = []
    for _ in range(repeat):
        plan = plan.assign([rng.choice(area.codes)], rng.choice(plan.zone_ids)).plan
        out.append(plan)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    comuni = load_comuni()
    indicators = SHIPPED_CATALOGUE.chosen(DEFAULT_CHOICE)
    registry = SHIPPED_CATALOGUE.registry(DEFAULT_CHOICE)
    default_codes = list(load_area_list()["istat_code"])
    province = sorted(comuni.index[comuni["sigla_provincia"] == "BS"])
    cases = {"42 comuni": (default_codes, Plan.from_dict(load_default_plan_dict()).with_area(default_codes)),
             "205 comuni": (province, Plan.build([Zone(f"z{i}", f"Zona {i}", "#E69F00") for i in range(1, 6)],
                                                 {c: f"z{1 + i % 5}" for i, c in enumerate(province)}))}
    for name, (codes, plan) in cases.items():
        area = Area.from_comuni(comuni, codes)
        plans = clicks(area, plan, args.repeat)
        thematic = thematic_state(thematic_map(indicators[0], area))  # cached per area: once per session
        steps = {
            "statistics (registry + 2 indicators)": lambda p: zone_statistics(area, p, registry),
            "homogeneity (3 indicators)": lambda p: homogeneity(area, p, indicators),
            "homogeneity tables (text)": lambda p: (homogeneity_summary(r := homogeneity(area, p, indicators)),
                                                    homogeneity_zones(r, p, area.name)),
            "map state, zone colours": lambda p: zone_state(p),
            "map state, indicator colours": lambda p: zone_state(p, thematic=thematic),
        }
        print(f"{name}:")
        for label, fn in steps.items():
            fn(plans[0])  # first use: caches per area
            median, p90 = timed(fn, plans)
            print(f"  {label:<38} median {median:6.2f} ms  p90 {p90:6.2f} ms")


if __name__ == "__main__":
    main()
