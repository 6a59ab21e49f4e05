"""Fixtures of the shipped default area and its starting proposal, for the browser
tests that click real comuni (a module imports them by name)."""

import pytest

from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.zoning.area import Area
from geo.zoning.plan import Plan


@pytest.fixture(scope="module")
def area():
    return Area.from_comuni(load_comuni(), load_area_list()["istat_code"])


@pytest.fixture(scope="module")
def start_plan(area):
    return Plan.from_dict(load_default_plan_dict()).with_area(area.codes)
