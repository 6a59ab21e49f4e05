"""The thematic map's classes, colours and legend, computed on the server, on a grid.

Six comuni in a row with indicator values 1, 2, 3, 4, 5 and one missing::

    c0 1   c1 2   c2 3   c3 4   c4 5   c5 –

Equal intervals in 2 classes over 1-5: breaks at 3 and 5, so c0-c2 in the first
class, c3-c4 in the second, c5 "dato mancante".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.render.maps import zone_state
from geo.render.thematic import MISSING_COLOR, MISSING_LABEL, class_breaks, palette, thematic_map, thematic_state
from geo.zoning.indicators import Indicator
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistic_types import DataSource, Statistic, Tally, WeightedMean
from tests.grids import grid_area, grid_code as g

X = Indicator(Statistic(key="x", label="Valore", unit="€", decimals=1, excel_format="0.0", field="x", help="Prova.",
                        aggregation=WeightedMean(Tally("x", "x"), Tally("comuni")),
                        source=DataSource("2024", "Prova", "CC0")))
CELLS = [g(0, c) for c in range(6)]


@pytest.fixture(scope="module")
def area():
    values = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, np.nan]}, index=CELLS)
    return grid_area(1, 6).with_columns(values)


def test_equal_intervals_classes_colours_and_the_missing_class(area):
    result = thematic_map(X, area, "uguali", 2)
    light, dark = palette(2)
    assert [c.label for c in result.classes] == ["da 1,0 a 3,0", "oltre 3,0 fino a 5,0"]
    assert [c.count for c in result.classes] == [3, 2] and result.missing == 1
    assert [result.colors[c] for c in CELLS] == [light, light, light, dark, dark, MISSING_COLOR]
    assert result.texts[g(0, 0)] == "1,0 €" and result.texts[g(0, 5)] == MISSING_LABEL
    assert result.title == "Valore (€), 2024"


def test_the_palette_is_reversed_viridis_light_to_dark():
    colours = palette(5)
    assert len(set(colours)) == 5
    luminance = [sum(int(c[i:i + 2], 16) * w for i, w in ((1, .299), (3, .587), (5, .114))) for c in colours]
    assert luminance == sorted(luminance, reverse=True)  # light (low values) to dark (high values)


def test_quantiles_and_natural_breaks_and_ties():
    values = np.array([1.0, 1.0, 1.0, 10.0, 11.0, 12.0])
    assert class_breaks(values, "naturali", 2).tolist() == [1.0, 12.0]
    assert class_breaks(np.array([2.0, 2.0, 2.0]), "quantili", 5).tolist() == [2.0]  # one value, one class
    with pytest.raises(ValueError):
        class_breaks(values, "a caso", 2)


def test_the_map_state_carries_the_colours_and_the_legend_as_plain_data(area):
    plan = Plan.build([Zone("a", "A", "#E69F00")], dict.fromkeys(CELLS, "a"))
    state = zone_state(plan, thematic=thematic_state(thematic_map(X, area, "uguali", 2)))
    thematic = state["thematic"]
    assert thematic["key"] == "x" and thematic["colors"][g(0, 5)] == MISSING_COLOR
    assert [row["label"] for row in thematic["legend"]] == ["da 1,0 a 3,0", "oltre 3,0 fino a 5,0", MISSING_LABEL]
    assert zone_state(plan)["thematic"] is None
    assert zone_state(plan)["version"] != state["version"]  # the browser sees a new state
