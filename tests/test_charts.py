import xml.etree.ElementTree as ET

import pytest

from geo.render.charts import residents_bars_svg
from geo.zoning.plan import Plan, Zone
from geo.zoning.statistics import zone_statistics
from tests.grids import grid_area, grid_code as g


def test_bars_are_proportional_and_names_escaped():
    """1x3 strip: zone A = 1000 residents, zone B = 3000 (two cells of 1500)."""
    area = grid_area(1, 3, population={g(0, 0): 1000, g(0, 1): 1500, g(0, 2): 1500})
    plan = Plan.build([Zone("a", "<b>A</b> & co", "#E69F00"), Zone("b", "B", "#56B4E9")],
                      {g(0, 0): "a", g(0, 1): "b", g(0, 2): "b"})
    svg = residents_bars_svg(zone_statistics(area, plan), plan)
    root = ET.fromstring(svg)  # well-formed: user text cannot break out
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = root.findall("s:g", ns)
    assert [grp.get("data-residents") for grp in groups] == ["1000", "3000"]
    widths = [float(grp.find("s:rect", ns).get("width")) for grp in groups]
    assert widths[1] / widths[0] == pytest.approx(3.0, rel=1e-3)
    assert groups[0].find("s:text", ns).text == "<b>A</b> & co"
    assert groups[0].find("s:title", ns).text.startswith("<b>A</b> & co: 1.000")
    assert "media 2.000" in svg  # Italian thousands separator
    assert "<b>" not in svg


def test_no_zones_no_chart():
    area = grid_area(1, 1)
    plan = Plan.build([], {g(0, 0): None})
    assert residents_bars_svg(zone_statistics(area, plan), plan) == ""
