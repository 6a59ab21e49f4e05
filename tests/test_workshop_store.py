"""Workshops in the database: open, join with a code, send and resend, close.

Every test runs on a fresh SQLite file; the ``store`` fixture also runs on
PostgreSQL when ``PIANURA_TEST_PG_URL`` names a server, and skips that variant
otherwise (as the scenarios' tests do).
"""

from __future__ import annotations

import pytest

from geo.zoning.plan import Plan, Zone
from geo.store.database import Store
from geo.store.workshop_records import (
    CODE_ALPHABET, WorkshopClosed, WorkshopError, WorkshopNotFound, display_code, normalize_code,
)
from geo.store.workshops import WorkshopStore


KEY = "abcd-efgh-jkmn"  # the facilitator key of the workshops opened here


@pytest.fixture
def labs(store):
    class Labs(WorkshopStore):
        def open(self, title, plan, **kwargs):  # every workshop of these tests gets KEY
            return super().open(title, plan, facilitator_key=kwargs.pop("facilitator_key", KEY), **kwargs)

    return Labs(store)


def base_plan() -> Plan:
    """Three comuni: 017001 and 017002 in «Nord», 017003 in «Sud»."""
    return Plan.build([Zone("nord", "Nord", "#E69F00"), Zone("sud", "Sud", "#56B4E9")],
                      {"017001": "nord", "017002": "nord", "017003": "sud"})


def test_open_gives_a_readable_code(labs):
    workshop = labs.open("  Riunione   dei sindaci ", base_plan(), facilitator="Anna")
    assert workshop.title == "Riunione dei sindaci" and workshop.is_open
    assert len(workshop.code) == 6 and set(workshop.code) <= set(CODE_ALPHABET)
    assert workshop.display_code == f"{workshop.code[:3]}-{workshop.code[3:]}"
    # no look-alike characters can ever appear
    assert not set(CODE_ALPHABET) & set("0OQ1IL2Z5S6G8BUV")
    again = labs.get(workshop.id)
    assert again.base_plan == base_plan() and again.area_codes == ("017001", "017002", "017003")
    codes = {labs.open(f"L{i}", base_plan()).code for i in range(30)}
    assert len(codes) == 30


def test_codes_are_typed_loosely_but_checked(labs):
    workshop = labs.open("Prova", base_plan())
    typed = f" {workshop.code[:3].lower()} - {workshop.code[3:].lower()} "
    assert labs.by_code(typed).id == workshop.id
    assert normalize_code("kmr-3tx") == "KMR3TX" and display_code("KMR3TX") == "KMR-3TX"
    with pytest.raises(WorkshopError, match="Scrivi il codice"):
        normalize_code("  ")
    with pytest.raises(WorkshopError, match="non è un codice di laboratorio"):
        normalize_code("KMR-30X")  # zero is not in the alphabet
    unused = next(c * 6 for c in CODE_ALPHABET if c * 6 != workshop.code)
    with pytest.raises(WorkshopNotFound, match="Nessun laboratorio ha il codice"):
        labs.by_code(unused)


def test_empty_title_is_refused_and_nothing_is_written(labs):
    with pytest.raises(WorkshopError, match="Scrivi il titolo"):
        labs.open("   ", base_plan())
    assert labs.list() == []


def test_join_gives_a_personal_code_that_protects_the_name(labs):
    workshop = labs.open("Prova", base_plan())
    first = labs.join(workshop.display_code, "Maria Rossi")
    assert first.pin and len(first.pin) == 4 and first.participant.name == "Maria Rossi"
    # the same name, in other case and spacing, without or with a wrong personal code
    with pytest.raises(WorkshopError, match="c'è già un partecipante «Maria Rossi»"):
        labs.join(workshop.code, "  maria   ROSSI ")
    wrong = next(c * 4 for c in CODE_ALPHABET if c * 4 != first.pin)
    with pytest.raises(WorkshopError, match="non è quello di «Maria Rossi»"):
        labs.join(workshop.code, "Maria Rossi", wrong)
    # with the right one, the same participant comes back (and gets no new code)
    again = labs.join(workshop.code, "maria rossi", first.pin.lower())
    assert again.participant.id == first.participant.id and again.pin is None
    assert [p.name for p in labs.participants(workshop.id)] == ["Maria Rossi"]
    with pytest.raises(WorkshopError, match="Scrivi il tuo nome"):
        labs.join(workshop.code, " ")


def test_send_resend_the_last_counts(labs):
    workshop = labs.open("Prova", base_plan())
    maria = labs.join(workshop.code, "Maria").participant
    luca = labs.join(workshop.code, "Luca (Leno)").participant
    assert labs.latest_submissions(workshop.id) == []

    first = base_plan().assign(["017002"], "sud").plan
    labs.submit(workshop.id, luca.id, base_plan())
    labs.submit(workshop.id, maria.id, first)
    second = first.assign(["017001"], "sud").plan
    sent = labs.submit(workshop.id, maria.id, second)
    assert sent.plan == second and sent.sendings == 2 and sent.participant_name == "Maria"

    latest = labs.latest_submissions(workshop.id)
    # in the order participants joined, each with their last proposal
    assert [(s.participant_name, s.plan, s.sendings) for s in latest] == [("Maria", second, 2),
                                                                          ("Luca (Leno)", base_plan(), 1)]
    assert labs.last_submission(workshop.id, luca.id).plan == base_plan()


def test_nobody_sends_for_another_workshop_or_another_area(labs):
    workshop = labs.open("Prova", base_plan())
    other = labs.open("Altro", base_plan())
    outsider = labs.join(other.code, "Paolo").participant
    with pytest.raises(WorkshopError, match="Non risulti iscritto"):
        labs.submit(workshop.id, outsider.id, base_plan())
    maria = labs.join(workshop.code, "Maria").participant
    wider = base_plan().with_area(["017001", "017002", "017003", "017004"])
    with pytest.raises(WorkshopError, match="comuni diversi"):
        labs.submit(workshop.id, maria.id, wider)
    assert labs.latest_submissions(workshop.id) == []


def test_a_closed_workshop_refuses_joining_and_sending(labs):
    workshop = labs.open("Prova", base_plan())
    maria = labs.join(workshop.code, "Maria")
    labs.submit(workshop.id, maria.participant.id, base_plan())
    closed = labs.close(workshop.id, facilitator_key=KEY)
    assert not closed.is_open and closed.closed_at is not None
    with pytest.raises(WorkshopClosed, match="è chiuso"):
        labs.join(workshop.code, "Luca")
    with pytest.raises(WorkshopClosed, match="è chiuso"):
        labs.join(workshop.code, "Maria", maria.pin)
    with pytest.raises(WorkshopClosed, match="stato chiuso"):
        labs.submit(workshop.id, maria.participant.id, base_plan().assign(["017001"], "sud").plan)
    # the proposals sent before closing stay
    assert [s.plan for s in labs.latest_submissions(workshop.id)] == [base_plan()]
    assert labs.close(workshop.id, facilitator_key=KEY).closed_at == closed.closed_at
    assert [w.is_open for w in labs.list()] == [False]


def test_fingerprint_changes_on_join_send_and_close(labs):
    workshop = labs.open("Prova", base_plan())
    seen = {labs.fingerprint(workshop.id)}
    maria = labs.join(workshop.code, "Maria").participant
    seen.add(labs.fingerprint(workshop.id))
    labs.submit(workshop.id, maria.id, base_plan())
    seen.add(labs.fingerprint(workshop.id))
    labs.submit(workshop.id, maria.id, base_plan())
    seen.add(labs.fingerprint(workshop.id))
    labs.close(workshop.id, facilitator_key=KEY)
    seen.add(labs.fingerprint(workshop.id))
    assert len(seen) == 5


def test_fingerprint_sees_a_proposal_that_commits_after_a_later_one(labs):
    """Two app processes on PostgreSQL: Anna's sending takes its id first but commits
    after Bruno's. The facilitator's poll in between saw Bruno's (the highest id);
    Anna's commit must still change what the poll reads, or her proposal would stay
    off the facilitator's screen until someone else sends."""
    if labs.store.dialect != "postgresql":
        pytest.skip("SQLite admits one writer at a time: ids are given in commit order")
    from geo.store.column_types import utc_now
    from geo.store.workshops import PROPOSALS

    workshop = labs.open("Prova", base_plan())
    anna, bruno = (labs.join(workshop.code, name).participant for name in ("Anna", "Bruno"))
    with labs.store.engine.connect() as slow:
        transaction = slow.begin()
        slow.execute(PROPOSALS.insert().values(workshop_id=workshop.id, participant_id=anna.id,
                                               plan_json=base_plan(), sent_at=utc_now()))
        labs.submit(workshop.id, bruno.id, base_plan())
        polled = labs.fingerprint(workshop.id)
        transaction.commit()
    assert labs.fingerprint(workshop.id) != polled
    assert [s.participant_name for s in labs.latest_submissions(workshop.id)] == ["Anna", "Bruno"]


def test_list_shows_open_workshops_first(labs):
    old = labs.open("Primo", base_plan())
    labs.open("Secondo", base_plan())
    labs.close(old.id, facilitator_key=KEY)
    assert [w.title for w in labs.list()] == ["Secondo", "Primo"]


def test_everything_survives_a_restart(store):
    labs = WorkshopStore(store)
    workshop = labs.open("Prova", base_plan())
    maria = labs.join(workshop.code, "Maria")
    labs.submit(workshop.id, maria.participant.id, base_plan().assign(["017003"], "nord").plan)
    reopened = WorkshopStore(Store(store.url))
    assert reopened.by_code(workshop.code).title == "Prova"
    assert reopened.latest_submissions(workshop.id)[0].plan.zone_of("017003") == "nord"
    assert reopened.join(workshop.code, "Maria", maria.pin).participant.id == maria.participant.id
