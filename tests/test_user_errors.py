"""One base class for the refusals whose message is Italian: the glue catches it alone."""

import pytest

import geo
from geo.collaborations.model import CollaborationError
from geo.io.spreadsheet import FileRefused as Refused
from geo.io.share_link import ShareLinkError
from geo.store.area_edits import AreaEditError
from geo.store.collaborations import ConcurrentEditError
from geo.store.scenarios import ScenarioConflict, ScenarioError, ScenarioNotFound
from geo.store.workshop_records import WorkshopClosed, WorkshopError, WorkshopNotFound
from geo.zoning.area import AreaError
from geo.zoning.compare import CompareError
from geo.zoning.consensus import ConsensusError
from geo.zoning.plan import PlanError


@pytest.mark.parametrize("error", [
    PlanError, AreaError, CompareError, ConsensusError, CollaborationError, ConcurrentEditError, ScenarioError,
    ScenarioNotFound, ScenarioConflict, WorkshopError, WorkshopNotFound, WorkshopClosed, AreaEditError,
    ShareLinkError, Refused,
], ids=lambda e: e.__name__)
def test_every_italian_refusal_is_a_user_error(error):
    assert issubclass(error, geo.UserError) and issubclass(error, ValueError)


def test_one_except_clause_catches_a_plan_refusal_with_its_message():
    plan = geo.Plan.build([], {"017001": None})
    with pytest.raises(geo.UserError, match="non può essere vuoto"):
        plan.add_zone("   ")


def test_a_file_refusal_keeps_every_message():
    refused = Refused("Prima riga.", "Seconda riga.")
    assert str(refused) == "Prima riga." and refused.messages == ("Prima riga.", "Seconda riga.")
