"""``python -m geo.suggest``: one real-data run (the default area, 3 zones), the CSV it
writes imported back as the *Scenari* page does, and the refusals with their exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.io.plan_import import import_plan
from geo.io.suggest_command import main
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from tests.browser_support import ROOT


def test_the_plan_written_is_what_the_scenari_import_accepts(tmp_path, capsys):
    out = tmp_path / "piano.csv"
    assert main(["--zones", "3", "--min-residents", "50000", "--seed", "1", "--time-limit", "20",
                 "--indicators", "indice_vecchiaia,densita", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Piano di partenza (3 zone): omogeneità ") and "Proposta 1: omogeneità" in printed
    codes = list(load_area_list()["istat_code"])
    area = Area.from_comuni(load_comuni(), codes)
    current = Plan.from_dict(load_default_plan_dict()).with_area(codes)
    data = out.read_bytes()
    assert data.decode("utf-8-sig").splitlines()[0] == "codice_istat;zona"
    result = import_plan("piano.csv", data, area, current)
    assert result.plan is not None, result.problems
    residents = area.table["pop_totale"]
    assert len(result.plan.zones) == 3 and not result.plan.unassigned
    for zone in result.plan.zones:
        members = result.plan.members(zone.id)
        assert residents[list(members)].sum() >= 50000 and len(area.graph.pieces(members)) == 1


def test_an_infeasible_request_exits_non_zero_with_an_italian_reason(tmp_path, capsys):
    assert main(["--zones", "3", "--min-residents", "90000", "--out", str(tmp_path / "x.csv")]) == 2
    error = capsys.readouterr().err
    assert "Richiesta impossibile" in error and "237.939 residenti" in error
    assert not (tmp_path / "x.csv").exists()
    assert main(["--zones", "3", "--indicators", "reddito", "--out", str(tmp_path / "x.csv")]) == 2
    assert "Indicatori sconosciuti: reddito" in capsys.readouterr().err


def test_the_indicator_list_and_the_module_entry_point(tmp_path):
    done = subprocess.run([sys.executable, "-m", "geo.suggest", "--list-indicators"], cwd=ROOT, capture_output=True,
                          text=True, env={"PIANURA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    keys = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert {"indice_vecchiaia", "densita", "altitudine", "variazione_residenti"} <= set(keys)
    wrong = subprocess.run([sys.executable, "-m", "geo.suggest", "--zones", "3"], cwd=ROOT, capture_output=True,
                           text=True, env={"PIANURA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert wrong.returncode == 2 and "Errore: servono --zones e --out" in wrong.stderr


@pytest.mark.parametrize("zones", ["1", "9"])
def test_the_number_of_zones_is_bounded(tmp_path, capsys, zones):
    assert main(["--zones", zones, "--out", str(tmp_path / "x.csv")]) == 2
    assert "da 2 a 8" in capsys.readouterr().err
