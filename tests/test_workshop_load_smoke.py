"""The workshop load benchmark at CI size, so that it cannot rot: 3 participants (2
simulated sessions and 1 measured in headless Chromium), 3 measured clicks per phase.
It checks that the run completes and produces numbers, not how fast they are
(timings belong to ``bench/``, not to assertions)."""

import json
import subprocess
import sys

import pytest

from tests.browser_support import ROOT

pytestmark = pytest.mark.browser


def test_the_load_benchmark_runs_a_small_workshop(tmp_path):
    out = tmp_path / "workshop_load.json"
    command = [sys.executable, "-m", "bench.workshop_load", "--participants", "3", "--clicks", "3",
               "--think-min", "0.3", "--think-max", "0.8", "--submit-every", "2", "--settle-ms", "300",
               "--max-seconds", "300", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "click -> update of the measured participant" in done.stdout
    (results,) = json.loads(out.read_text())["cases"]

    for phase in ("baseline", "load"):
        measured = results[phase]
        assert measured["clicks"] == 3
        assert measured["click_to_stats_ms"]["n"] + measured["missed_stats"] == 3
        assert measured["click_to_stats_ms"]["n"] >= 2 and measured["click_to_stats_ms"]["p50"] > 0
        assert measured["click_to_recolour_ms"]["p50"] is not None
        assert measured["server_fragment_ms"]["n"] >= 1

    simulated = results["load"]["simulated"]
    assert simulated["joined"] == 2 and simulated["error_count"] == 0, simulated["errors"]
    assert simulated["clicks"] >= 2 and simulated["click_round_trip_ms"]["p50"] > 0
    assert simulated["proposals_sent"] >= 1
    # the measured participant sends after each phase; at least one simulated one too
    assert simulated["participants_with_a_proposal"] >= 2
    assert results["load"]["facilitator"]["polls"] >= 1
