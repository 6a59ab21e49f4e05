"""Suggested zones: time and homogeneity score against the ATS ambiti and a greedy baseline.

For each case (the default area of 42 comuni with K = 3, 4, 5 zones; the 205 comuni
of the province of Brescia with K = 3, 5, 8; the Hub network's 382 comuni of Brescia,
Cremona and Mantova with K = 3, 5, ``--no-hub`` to leave it out), on the shipped indicators
:data:`geo.zoning.indicators.DEFAULT_CHOICE` (old-age index, density, altitude), a
residents' floor of half the mean zone (rounded down to the thousand), in this one
warm process (spopt imported first, as the app's worker does) and for each seed:

* **suggestion**: :func:`geo.zoning.suggestions.suggest` (the current plan as a start
  when it fits, 5 greedy starts, AZP from each; time limit 60 s), the best of the
  checked alternatives;
* **greedy**: the same greedy starts without AZP (the best one), same run;
* **ATS ambiti** (default area, K = 3 only), **the three provinces** (Hub, K = 3 only):
  the starting proposal, scored the same way.

Prints and writes ``bench/results/suggest.json``: wall time (median and p90 over the
seeds), the score (median), the number of seeds where the suggestion scores at
least the ambiti (or the provinces). Targets: 5 s at 42 comuni, 30 s at 205; at 382 the
search stops at the 60 s limit with the best plan reached.

Run: ``python -m bench.suggest`` (``--seeds 5``).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from dataclasses import replace
from pathlib import Path

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.data.territory_data import load_catalogue
from geo.zoning.area import Area
from geo.zoning.homogeneity import homogeneity
from geo.zoning.indicators import DEFAULT_CHOICE, SHIPPED_CATALOGUE
from geo.zoning.plan import Plan, Zone
from geo.zoning.suggestion_problem import Constraints
from geo.zoning.suggestions import finish, prepare, run_task, suggest, warm_up

RESULTS = Path(__file__).resolve().parent / "results" / "suggest.json"
TIME_LIMIT_S = 60.0


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def floor_for(area: Area, zones: int) -> int:
    return int(area.table["pop_totale"].sum() / zones / 2 // 1000 * 1000)


def greedy_best(area: Area, plan: Plan, constraints: Constraints) -> float:
    tasks = [replace(t, search=False) for t in prepare(area, plan, constraints, time_limit=TIME_LIMIT_S)
             if t.labels is None]
    result = finish(area, plan, constraints, tasks, [run_task(t) for t in tasks])
    return result.alternatives[0].score if result.alternatives else float("nan")


def run_case(name: str, area: Area, plan: Plan, zones: int, seeds: int, ats: Plan | None,
             baseline: str = "ATS ambiti") -> dict:
    indicators = SHIPPED_CATALOGUE.chosen(DEFAULT_CHOICE)
    floor = floor_for(area, zones)
    times, scores, greedy, at_least_ats = [], [], [], 0
    ats_score = homogeneity(area, ats, indicators).score if ats is not None else None
    for seed in range(1, seeds + 1):
        constraints = Constraints(zones=zones, min_residents=floor, indicators=indicators, seed=seed)
        start = time.perf_counter()
        result = suggest(area, plan, constraints, time_limit=TIME_LIMIT_S)
        times.append(time.perf_counter() - start)
        best = result.alternatives[0].score if result.alternatives else float("nan")
        scores.append(best)
        greedy.append(greedy_best(area, plan, constraints))
        at_least_ats += ats_score is not None and best >= ats_score - 1e-12
    row = {"case": name, "comuni": len(area.codes), "zones": zones, "min_residents": floor, "seeds": seeds,
           "time_s_median": round(statistics.median(times), 2), "time_s_p90": round(p90(times), 2),
           "score_median": round(statistics.median(scores), 3), "score_min": round(min(scores), 3),
           "greedy_median": round(statistics.median(greedy), 3),
           "baseline": baseline if ats_score is not None else None,
           "ats_ambiti": None if ats_score is None else round(ats_score, 3),
           "seeds_at_least_ats": at_least_ats if ats_score is not None else None}
    print(f"{name:>14} K={zones} floor {floor:>7,}: {row['time_s_median']:>5} s (p90 {row['time_s_p90']}) "
          f"score {row['score_median']} (min {row['score_min']}) greedy {row['greedy_median']}"
          + (f" {baseline} {row['ats_ambiti']} (>= in {at_least_ats}/{seeds})" if ats_score is not None else ""),
          flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--no-hub", action="store_true", help="leave out the Hub network (382 comuni)")
    args = parser.parse_args()
    warm_up()
    comuni = load_comuni()
    default_codes = list(load_area_list()["istat_code"])
    default_area = Area.from_comuni(comuni, default_codes)
    ats = Plan.from_dict(load_default_plan_dict()).with_area(default_codes)
    province_codes = sorted(comuni.index[comuni["sigla_provincia"] == "BS"])
    province = Area.from_comuni(comuni, province_codes)
    nothing = Plan.build([Zone("z1", "Zona 1", "#E69F00")], dict.fromkeys(province_codes))
    rows = [run_case("area vasta", default_area, ats, k, args.seeds, ats if k == 3 else None) for k in (3, 4, 5)]
    rows += [run_case("provincia BS", province, nothing, k, args.seeds, None) for k in (3, 5, 8)]
    if not args.no_hub:
        hub = load_catalogue().get("rete_hub")
        hub_area = Area.from_comuni(hub.comuni, list(hub.area_codes))
        provinces = Plan.from_dict(hub.starting_plan).with_area(list(hub.area_codes))
        rows += [run_case("rete Hub", hub_area, provinces, k, args.seeds, provinces if k == 3 else None,
                          "tre province") for k in (3, 5)]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": platform.node(), "python": platform.python_version(),
                                   "time_limit_s": TIME_LIMIT_S, "indicators": list(DEFAULT_CHOICE), "rows": rows},
                                  indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


if __name__ == "__main__":
    main()
