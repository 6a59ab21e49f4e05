"""What the workshop load benchmark prints: each case as it ends, then one table of
all of them (the README's, in Markdown)."""

from __future__ import annotations


def _triple(p: dict) -> str:
    return f"{p['p50']} / {p['p90']} / {p['p99']}" if p["n"] else "–"


def report(case: dict) -> None:
    print(f"\n{case['setup']}; {case['settings']}; load average before/after: {case['loadavg_1min_before_after']}")
    print("\nclick -> update of the measured participant (ms; p50 / p90 / p99, n):")
    for phase in ("baseline", "load"):
        r = case[phase]
        for metric in ("click_to_stats_ms", "click_to_recolour_ms", "server_fragment_ms"):
            print(f"  {phase:8} {metric:22} {_triple(r[metric])}  (n={r[metric]['n']})")
    load = case["load"]
    sim = load["simulated"]
    print(f"\nsimulated participants: {sim['joined']}/{sim['participants']} joined in "
          f"{_triple(sim['join_ms'])} ms, {sim['clicks']} clicks, round trip {_triple(sim['click_round_trip_ms'])} ms; "
          f"{sim['proposals_sent']} proposals sent ({sim['participants_with_a_proposal']} participants); "
          f"errors: {sim['error_count']}")
    fac = load["facilitator"]
    print(f"facilitator: {fac['polls']} polls (p50 {fac['poll_ms']['p50']} ms), {fac['full_redraws']} full redraws")
    cpu = load["cpu"]
    print(f"CPU during the load measure: app processes {cpu['app_processes_cores']} cores "
          f"({cpu.get('app_ms_per_click')} ms per click), PostgreSQL and nginx {cpu.get('database_and_proxy_cores')} "
          f"cores ({cpu.get('database_and_proxy_ms_per_click')} ms per click): the app's cores full at about "
          f"{cpu.get('participants_to_fill_cores')} participants; this benchmark {cpu['benchmark_client_cores']} cores")
    if "killed" in load:
        k = load["killed"]
        print(f"killed {k['process']} after {k['after_s']} s: {k['rejoined']} participants rejoined "
              f"({_triple(k['rejoin_ms'])} ms); acknowledged proposals missing: {k['acknowledged_missing']}")
    for error in sim["errors"][:5]:
        print(f"  error: {error}")


def summary_table(cases: list[dict]) -> str:
    """Markdown: one row per case."""
    rows = ["| app | participants | click -> statistics, alone (ms, p50 / p90 / p99) | click -> statistics, "
            "with the room | simulated clicks' round trip | join -> map (p50 / p90) | errors | CPU: app / bench "
            "(cores) | CPU per click, app + PostgreSQL/nginx (ms) -> cores full at (participants) | load avg |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for case in cases:
        load, sim = case["load"], case["load"]["simulated"]
        join = sim["join_ms"]
        rows.append(f"| {case['setup']} | {case['settings']['participants']} | "
                    f"{_triple(case['baseline']['click_to_stats_ms'])} | {_triple(load['click_to_stats_ms'])} | "
                    f"{_triple(sim['click_round_trip_ms'])} | {join['p50']} / {join['p90']} | {sim['error_count']} | "
                    f"{load['cpu']['app_processes_cores']} / {load['cpu']['benchmark_client_cores']} | "
                    f"{load['cpu'].get('app_ms_per_click')} + {load['cpu'].get('database_and_proxy_ms_per_click')} -> "
                    f"{load['cpu'].get('participants_to_fill_cores')} | "
                    f"{case['loadavg_1min_before_after'][0]}-{case['loadavg_1min_before_after'][1]} |")
    return "\n".join(rows)
