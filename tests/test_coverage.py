"""Coverage, gaps, splits, coherence and distances on a tiny grid with answers worked out by hand.

The grid (1 km cells, residents in thousands in brackets); columns 0-2 are the area,
column 3 is context outside it::

    row 1:  10 a (3)   11 b (4)   12 b (5) | 13 outside
    row 0:  00 a (1)   01 a (2)   02 b (6) | 03 outside

Zone a = 00, 01, 10 (6 000 residents); zone b = 02, 11, 12 (15 000); area 21 000.

Collaborations on 25 Nov 2026:

* PL1   polizia locale, 00 + 01, active
* PL2   polizia locale, 11 + 12, active but da verificare
* SUAP  suap/sue + ICT, 01 + 11 + 02, active, capofila 01
* UTold ufficio tecnico, 00 + 10, ended 31 Dec 2025
* UTnew ufficio tecnico, 10 + 11, to be set up
* ICT2  ICT, 12 + 13 (13 outside the area), active
"""

import datetime as dt
import math

import geopandas as gpd
import pytest
import shapely

from geo.collaborations.model import Collaboration
from geo.collaborations.coverage import (
    COVERED, COVERED_UNVERIFIED, NOT_COVERED, PLANNED, coherence, coverage_by_zone, coverage_gaps, coverage_matrix,
    plan_splits,
)
from geo.collaborations.distances import capofila_distances, distance_summary, interior_points
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistics import TOTAL_ROW, UNASSIGNED_ROW
from tests.grids import grid_area, grid_code as g, grid_comuni

TODAY = dt.date(2026, 11, 25)
POP = {g(0, 0): 1000, g(0, 1): 2000, g(0, 2): 6000, g(1, 0): 3000, g(1, 1): 4000, g(1, 2): 5000}
AREA_CODES = [g(r, c) for r in range(2) for c in range(3)]


def collab(id_, functions, members, status="attiva", capofila=None, **extra):
    return Collaboration(id=id_, name=id_.upper(), form="convenzione", functions=functions, members=members,
                         capofila=capofila, status=status, **extra)


COLLABS = (
    collab("pl1", ("polizia_locale",), (g(0, 0), g(0, 1))),
    collab("pl2", ("polizia_locale",), (g(1, 1), g(1, 2)), da_verificare=True),
    collab("suap", ("suap_sue", "servizi_ict"), (g(0, 1), g(1, 1), g(0, 2)), capofila=g(0, 1)),
    collab("utold", ("ufficio_tecnico",), (g(0, 0), g(1, 0)), status="in_scioglimento",
           end_date=dt.date(2025, 12, 31)),
    collab("utnew", ("ufficio_tecnico",), (g(1, 0), g(1, 1)), status="da_costituire"),
    collab("ict2", ("servizi_ict",), (g(1, 2), g(1, 3))),
)


@pytest.fixture(scope="module")
def area():
    return grid_area(2, 4, members=AREA_CODES, population=POP)


@pytest.fixture(scope="module")
def plan():
    return Plan.build([Zone("a", "Zona A", "#E69F00"), Zone("b", "Zona B", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "a", g(1, 0): "a", g(0, 2): "b", g(1, 1): "b", g(1, 2): "b"})


def row(table, zone, function):
    match = table[(table["zona_id"] == zone) & (table["funzione"] == function)]
    assert len(match) == 1
    return match.iloc[0]


def test_matrix_keeps_the_best_state_per_comune_and_function(area):
    m = coverage_matrix(area.codes, COLLABS, today=TODAY)
    assert list(m.loc[g(1, 1)]) == [PLANNED, COVERED_UNVERIFIED, COVERED, COVERED]
    assert list(m.loc[g(1, 0)]) == [PLANNED, NOT_COVERED, NOT_COVERED, NOT_COVERED]
    assert list(m.loc[g(0, 0)]) == [NOT_COVERED, COVERED, NOT_COVERED, NOT_COVERED]  # UTold has ended
    # a verified record wins over an unverified one for the same comune
    extra = COLLABS + (collab("pl3", ("polizia_locale",), (g(1, 1), g(0, 2))),)
    assert coverage_matrix([g(1, 1)], extra, today=TODAY).at[g(1, 1), "polizia_locale"] == COVERED
    # before UTold ended, it covered its members
    assert coverage_matrix([g(0, 0)], COLLABS, today=dt.date(2025, 6, 1)).at[g(0, 0), "ufficio_tecnico"] == COVERED


def test_coverage_per_zone_and_for_the_area(area, plan):
    t = coverage_by_zone(area, plan, COLLABS, today=TODAY)
    assert list(dict.fromkeys(t["zona_id"])) == ["a", "b", TOTAL_ROW]

    pl_a, pl_b, pl_all = (row(t, z, "polizia_locale") for z in ("a", "b", TOTAL_ROW))
    assert (pl_a.comuni_coperti, pl_a.comuni, pl_a.residenti_coperti, pl_a.residenti) == (2, 3, 3000, 6000)
    assert pl_a.quota_comuni == pytest.approx(200 / 3) and pl_a.quota_residenti == pytest.approx(50.0)
    assert (pl_b.comuni_coperti, pl_b.residenti_coperti, pl_b.comuni_da_verificare) == (2, 9000, 2)
    assert pl_b.quota_residenti == pytest.approx(60.0)
    assert (pl_all.comuni_coperti, pl_all.residenti_coperti) == (4, 12000)
    assert pl_all.quota_residenti == pytest.approx(100 * 12 / 21)

    ut_all = row(t, TOTAL_ROW, "ufficio_tecnico")
    assert (ut_all.comuni_coperti, ut_all.comuni_previsti, ut_all.quota_comuni) == (0, 2, 0.0)

    suap_b = row(t, "b", "suap_sue")
    assert (suap_b.comuni_coperti, suap_b.residenti_coperti) == (2, 10000)
    ict_b, ict_all = row(t, "b", "servizi_ict"), row(t, TOTAL_ROW, "servizi_ict")
    assert (ict_b.comuni_coperti, ict_b.quota_residenti) == (3, 100.0)
    assert (ict_all.comuni_coperti, ict_all.residenti_coperti) == (4, 17000)


def test_unassigned_comuni_get_their_own_row_and_an_empty_zone_has_no_percentage(area):
    plan = Plan.build([Zone("a", "A", "#E69F00"), Zone("vuota", "Vuota", "#56B4E9")],
                      {c: ("a" if c != g(0, 2) else None) for c in AREA_CODES})
    t = coverage_by_zone(area, plan, COLLABS, today=TODAY)
    assert list(dict.fromkeys(t["zona_id"])) == ["a", "vuota", UNASSIGNED_ROW, TOTAL_ROW]
    empty = row(t, "vuota", "suap_sue")
    assert empty.comuni == 0 and math.isnan(empty.quota_comuni) and math.isnan(empty.quota_residenti)
    unassigned = row(t, UNASSIGNED_ROW, "suap_sue")
    assert (unassigned.comuni, unassigned.comuni_coperti, unassigned.residenti_coperti) == (1, 1, 6000)


def test_gaps_list_every_comune_and_function_without_an_operating_collaboration(area, plan):
    gaps = coverage_gaps(area, plan, COLLABS, today=TODAY)
    # by hand: 00 -> UT, SUAP, ICT; 01 -> UT; 10 -> UT, PL, SUAP, ICT; 02 -> UT, PL; 11 -> UT; 12 -> UT, SUAP
    assert len(gaps) == 13
    assert set(zip(gaps["istat_code"], gaps["funzione"])) >= {(g(1, 0), "polizia_locale"), (g(1, 2), "suap_sue")}
    planned = gaps[gaps["stato"] == PLANNED]
    assert sorted(planned["istat_code"]) == [g(1, 0), g(1, 1)]
    assert list(dict.fromkeys(gaps["zona_id"])) == ["a", "b"]  # zone order, then function, then name
    assert gaps.iloc[0]["funzione"] == "ufficio_tecnico"


def test_splits_and_coherence_score(plan):
    splits = {s.collaboration.id: s for s in plan_splits(plan, COLLABS, today=TODAY)}
    # UTold has ended; ICT2 has a single membership in the area: neither can be split
    assert set(splits) == {"pl1", "pl2", "suap", "utnew"}
    assert {i for i, s in splits.items() if s.is_split} == {"suap", "utnew"}
    assert splits["suap"].parts == (("a", (g(0, 1),)), ("b", (g(0, 2), g(1, 1))))
    score = coherence(splits.values())
    assert (score.kept, score.total) == (4, 9)  # pl1 (2) + pl2 (2) kept, of 2 + 2 + 3 + 2
    assert score.share == pytest.approx(4 / 9)


def test_unassigned_members_do_not_count_and_one_zone_keeps_everything():
    some_unassigned = Plan.build([Zone("a", "A", "#E69F00"), Zone("b", "B", "#56B4E9")],
                                 {g(0, 0): "a", g(0, 1): "a", g(1, 0): "a", g(0, 2): None,
                                  g(1, 1): "b", g(1, 2): "b"})
    splits = plan_splits(some_unassigned, COLLABS, today=TODAY)
    suap = next(s for s in splits if s.collaboration.id == "suap")
    assert suap.unassigned == (g(0, 2),) and suap.memberships == 2 and suap.is_split
    assert (coherence(splits).kept, coherence(splits).total) == (4, 8)

    one_zone = Plan.build([Zone("a", "A", "#E69F00")], {c: "a" for c in AREA_CODES})
    score = coherence(plan_splits(one_zone, COLLABS, today=TODAY))
    assert (score.kept, score.total, score.share) == (9, 9, 1.0)
    ict2 = plan_splits(one_zone, COLLABS + (collab("x", ("tributi",), (g(0, 0), g(0, 1), g(1, 3))),), TODAY)
    assert next(s for s in ict2 if s.collaboration.id == "x").outside == (g(1, 3),)


def test_nothing_to_measure_gives_no_score():
    empty = Plan.build([Zone("a", "A", "#E69F00")], {c: None for c in AREA_CODES})
    score = coherence(plan_splits(empty, COLLABS, today=TODAY))
    assert score.total == 0 and math.isnan(score.share)


def test_distances_from_interior_points_in_kilometres(area):
    points = interior_points(grid_comuni(2, 4))
    assert points.crs.to_epsg() == 32632
    star = collab("star", ("tributi",), (g(0, 0), g(0, 2), g(1, 2)), capofila=g(0, 0))
    distances = capofila_distances(points, [star, COLLABS[0]])  # PL1 has no capofila: skipped
    by_member = dict(zip(distances["istat_code"], distances["km"]))
    assert by_member == pytest.approx({g(0, 2): 2.0, g(1, 2): math.sqrt(5)}, abs=1e-3)
    summary = distance_summary(distances).set_index("collaborazione")
    assert summary.at["star", "membri"] == 2
    assert summary.at["star", "max_km"] == pytest.approx(math.sqrt(5), abs=1e-3)
    assert summary.at["star", "media_km"] == pytest.approx((2 + math.sqrt(5)) / 2, abs=1e-3)


def test_interior_points_lie_inside_even_where_the_centroid_does_not():
    # A U of seven 1 km cells open at the top (cells (1, 1) and (1, 2) empty): by
    # hand the centroid is x = 1 500 m, y = (3 * 500 + 2 * 1 500 + 2 * 2 500) / 7 m,
    # in the empty cell (1, 1).
    cells = [(0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (0, 2), (2, 2)]
    shape = shapely.union_all([shapely.box(x * 1000, y * 1000, x * 1000 + 1000, y * 1000 + 1000) for x, y in cells])
    assert shape.centroid.equals_exact(shapely.Point(1500, 9500 / 7), 1e-6)
    assert not shape.contains(shape.centroid)
    frame = gpd.GeoDataFrame({"geometry": [shape]}, index=["U"], crs="EPSG:32632").to_crs("EPSG:4326")
    assert shape.contains(interior_points(frame).loc["U"])


def test_distances_refuse_degrees():
    with pytest.raises(ValueError, match="proiettato"):
        capofila_distances(grid_comuni(1, 2).geometry.representative_point(), COLLABS)


def test_distances_skip_codes_missing_from_the_data():
    points = interior_points(grid_comuni(1, 3))
    gone = "099999"
    distances = capofila_distances(points, [collab("a", ("tributi",), (g(0, 0), g(0, 2), gone), capofila=g(0, 0)),
                                            collab("b", ("tributi",), (g(0, 0), gone), capofila=gone)])
    assert list(zip(distances["collaborazione"], distances["istat_code"])) == [("a", g(0, 2))]
    assert distances["km"].iloc[0] == pytest.approx(2.0, abs=1e-3)
