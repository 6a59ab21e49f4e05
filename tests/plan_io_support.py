"""The small plan shared by the export and import tests.

The grid (1 km squares, codes ``099RCC``, row 0 at the bottom)::

    row 1:  099100 A (2000 ab.) | 099101 B (4000 ab.) | 099102 outside the area (9999 ab.)
    row 0:  099000 A (1000 ab.) | 099001 B (3000 ab.) | 099002 unassigned (500 ab.)

Zone A «Zona Alta è» (locked), B «Zona <b>Bassa</b>», C «Vuota» (no comuni).
By hand: A has 2 comuni and 3000 residents, B 2 and 7000, C 0; 500 unassigned; 10500 in all.
"""

from __future__ import annotations

import pytest

from geo.zoning.plan import Plan, Zone
from tests.grids import grid_area

POPULATION = {"099000": 1000, "099100": 2000, "099001": 3000, "099101": 4000, "099002": 500, "099102": 9999}
AREA_CODES = ["099000", "099001", "099002", "099100", "099101"]


@pytest.fixture(scope="module")
def area():
    return grid_area(2, 3, members=AREA_CODES, population=POPULATION)


@pytest.fixture(scope="module")
def plan():
    zones = [Zone("za", "Zona Alta è", "#E69F00", True), Zone("zb", "Zona <b>Bassa</b>", "#56B4E9"),
             Zone("zc", "Vuota", "#009E73")]
    return Plan.build(zones, {"099000": "za", "099100": "za", "099001": "zb", "099101": "zb", "099002": None})


def empty_plan() -> Plan:
    return Plan.build([], {c: None for c in AREA_CODES})


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)
