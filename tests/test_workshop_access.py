"""Who conducts a workshop and who takes part: the facilitator key, one name per browser,
removed participants, limits on guessing (SQLite and PostgreSQL: the ``store`` fixture)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from geo.store.actors import Actor
from geo.store.attempts import TooManyAttempts
from geo.store.change_log import ChangeLog
from geo.store.workshop_access import KEYS, new_facilitator_key
from geo.store.workshop_records import CODE_ALPHABET, WorkshopError, WorkshopForbidden, WorkshopNotFound
from geo.store.workshops import WorkshopStore
from geo.zoning.plan import Plan, Zone

COORD = Actor("c" * 32, "Carla", coordinator=True)
VISITOR = Actor("v" * 32, "Vito")
ANNA_BROWSER, LUCA_BROWSER = "a" * 32, "b" * 32


@pytest.fixture
def labs(store):
    return WorkshopStore(store)


def base_plan() -> Plan:
    """017001, 017002 in «Nord»; 017003 in «Sud»."""
    return Plan.build([Zone("nord", "Nord", "#E69F00"), Zone("sud", "Sud", "#56B4E9")],
                      {"017001": "nord", "017002": "nord", "017003": "sud"})


def opened(labs):
    key = new_facilitator_key()
    return labs.open("Prova", base_plan(), facilitator_key=key, actor=COORD), key


def test_only_the_coordination_opens_a_workshop(labs):
    with pytest.raises(WorkshopForbidden, match="Solo il coordinamento"):
        labs.open("Prova", base_plan(), facilitator_key=new_facilitator_key(), actor=VISITOR)
    assert labs.list() == []


def test_the_key_is_kept_hashed_and_needed_to_conduct(store, labs):
    workshop, key = opened(labs)
    assert len(key) == 14 and key.count("-") == 2
    with store.engine.connect() as conn:
        (stored,) = conn.execute(sa.select(KEYS.c.chiave_hash)).scalars()
    assert key not in stored and key.replace("-", "") not in stored
    assert labs.resume(workshop.display_code, key.upper().replace("-", " "), actor=VISITOR).id == workshop.id
    for action in (lambda k: labs.close(workshop.id, facilitator_key=k, actor=VISITOR),
                   lambda k: labs.resume(workshop.code, k, actor=VISITOR)):
        with pytest.raises(WorkshopForbidden, match="non è quella di questo laboratorio"):
            action("aaaa-bbbb-cccc")
    assert labs.get(workshop.id).is_open
    closed = labs.close(workshop.id, facilitator_key=key, actor=VISITOR)  # whoever holds the key
    assert not closed.is_open
    again = labs.reopen(workshop.id, facilitator_key=key, actor=VISITOR)
    assert again.is_open and again.closed_at is None
    actions = [c.azione for c in ChangeLog(store).entries(subject="laboratorio")]
    assert actions == ["riapertura", "chiusura", "apertura"]


def test_wrong_keys_are_limited_per_workshop(labs):
    workshop, key = opened(labs)
    for n in range(5):
        with pytest.raises(WorkshopForbidden):
            labs.resume(workshop.code, f"sbagliata-{n}", actor=Actor(f"{n}" * 32))  # five browsers
    with pytest.raises(TooManyAttempts, match="chiave del facilitatore"):
        labs.resume(workshop.code, key, actor=VISITOR)


def test_a_workshop_without_a_key_is_conducted_by_the_coordination(labs):
    workshop = labs.open("Prima delle chiavi", base_plan(), actor=COORD)  # no key, as before keys existed
    with pytest.raises(WorkshopForbidden, match="solo il coordinamento"):
        labs.resume(workshop.code, "", actor=VISITOR)
    assert labs.resume(workshop.code, "", actor=COORD).id == workshop.id
    assert not labs.close(workshop.id, facilitator_key="", actor=COORD).is_open


def test_one_browser_is_one_participant(labs):
    workshop, _ = opened(labs)
    anna = labs.join(workshop.code, "Anna", browser=ANNA_BROWSER)
    with pytest.raises(WorkshopError, match="Da questo browser partecipi già al laboratorio come «Anna»"):
        labs.join(workshop.code, "Anna 2", browser=ANNA_BROWSER)
    back = labs.join(workshop.code, "ANNA", browser=ANNA_BROWSER)  # the same browser needs no personal code
    assert back.participant.id == anna.participant.id and back.pin is None
    # from another browser the personal code is needed, and then that browser is Anna too
    with pytest.raises(WorkshopError, match="c'è già un partecipante «Anna»"):
        labs.join(workshop.code, "Anna", browser=LUCA_BROWSER)
    assert labs.join(workshop.code, "Anna", anna.pin, browser=LUCA_BROWSER).participant.id == anna.participant.id
    with pytest.raises(WorkshopError, match="come «Anna»"):
        labs.join(workshop.code, "Luca", browser=LUCA_BROWSER)
    assert [p.name for p in labs.participants(workshop.id)] == ["Anna"]


def test_personal_codes_are_limited_per_name_whatever_the_browser(labs):
    workshop, _ = opened(labs)
    anna = labs.join(workshop.code, "Anna", browser=ANNA_BROWSER)
    wrong = next(c * 4 for c in CODE_ALPHABET if c * 4 != anna.pin)
    for n in range(5):
        with pytest.raises(WorkshopError, match="non è quello di «Anna»"):
            labs.join(workshop.code, "Anna", wrong, browser=f"{n}" * 32)
    with pytest.raises(TooManyAttempts, match="codice personale"):
        labs.join(workshop.code, "Anna", anna.pin, browser=LUCA_BROWSER)
    assert labs.pin_failures(workshop.id) == 5


def test_wrong_join_codes_are_limited_per_browser(labs):
    workshop, _ = opened(labs)
    unused = [c * 6 for c in CODE_ALPHABET if c * 6 != workshop.code]
    for code in unused[:10]:
        with pytest.raises(WorkshopNotFound):
            labs.join(code, "Curioso", browser=LUCA_BROWSER)
    with pytest.raises(TooManyAttempts, match="codice del laboratorio"):
        labs.join(workshop.code, "Curioso", browser=LUCA_BROWSER)
    assert labs.join(workshop.code, "Curiosa", browser=ANNA_BROWSER).pin  # another browser is not affected


def test_a_removed_participant_leaves_the_consensus_but_not_the_record(store, labs):
    workshop, key = opened(labs)
    anna = labs.join(workshop.code, "Anna", browser=ANNA_BROWSER).participant
    luca = labs.join(workshop.code, "Luca", browser=LUCA_BROWSER).participant
    labs.submit(workshop.id, anna.id, base_plan())
    labs.submit(workshop.id, luca.id, base_plan().assign(["017002"], "sud").plan)
    seen = labs.fingerprint(workshop.id)
    with pytest.raises(WorkshopForbidden):
        labs.remove_participant(workshop.id, luca.id, facilitator_key="x", actor=VISITOR)
    removed = labs.remove_participant(workshop.id, luca.id, facilitator_key=key, actor=COORD)
    assert removed.removed and labs.fingerprint(workshop.id) != seen
    assert [s.participant_name for s in labs.latest_submissions(workshop.id)] == ["Anna"]
    assert [s.participant_name for s in labs.latest_submissions(workshop.id, include_removed=True)] == ["Anna", "Luca"]
    assert [(p.name, p.removed) for p in labs.participants(workshop.id)] == [("Anna", False), ("Luca", True)]
    with pytest.raises(WorkshopError, match="ti ha escluso"):
        labs.submit(workshop.id, luca.id, base_plan())
    for browser, pin in ((LUCA_BROWSER, ""), ("z" * 32, "XXXX")):
        with pytest.raises(WorkshopError, match="ti ha escluso"):
            labs.join(workshop.code, "Luca", pin, browser=browser)
    assert labs.remove_participant(workshop.id, luca.id, facilitator_key=key, actor=COORD).removed  # twice: no-op
    assert [c.azione for c in ChangeLog(store).entries(subject="laboratorio")] == ["partecipante escluso", "apertura"]
