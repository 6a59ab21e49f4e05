"""Autosaved drafts: the history's compact JSON and the drafts table (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geo.store.drafts import DRAFT_DAYS, DraftStore, DraftTooLarge, MAX_PAYLOAD_CHARS
from geo.store.history_codec import HistoryCodec, decode_history, plan_step
from geo.zoning.history import History
from geo.zoning.plan import Plan, PlanError, Zone

A, B, C = "017001", "017002", "017003"
NORTH, SOUTH = Zone("n", "Nord", "#E69F00"), Zone("s", "Sud", "#56B4E9")
BROWSER, OTHER = "a" * 32, "b" * 32
UTC = dt.timezone.utc
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def plan(a, b="s", c="s", zones=(NORTH, SOUTH)):
    return Plan.build(zones, {A: a, B: b, C: c})


def round_trip(history: History) -> History:
    return decode_history(json.loads(json.dumps(HistoryCodec().encode(history))))


# -- the history as JSON ------------------------------------------------------------
def test_a_click_is_stored_as_the_one_comune_that_moved():
    assert plan_step(plan("n"), plan("s")) == {"a": {A: "s"}}
    assert plan_step(plan("n"), plan(None)) == {"a": {A: None}}


def test_a_renamed_zone_is_stored_with_the_zones():
    renamed = plan("n").rename_zone("n", "Bassa")
    assert plan_step(plan("n"), renamed) == {"a": {}, "z": [
        {"id": "n", "name": "Bassa", "color": "#E69F00", "locked": False},
        {"id": "s", "name": "Sud", "color": "#56B4E9", "locked": False}]}


def test_a_plan_over_other_comuni_is_stored_whole():
    smaller = Plan.build([NORTH], {A: "n"})
    assert plan_step(plan("n"), smaller) == {"full": smaller.to_dict()}


def test_undo_and_redo_survive_the_round_trip():
    # past: n, s; present: None; future (after two undos and one redo): see below
    h = History(plan("n")).push(plan("s")).push(plan(None)).push(plan(None, b="n"))
    h = h.undo().undo().redo()  # present plan(None), past [n, s], future [plan(None, b="n")]
    back = round_trip(h)
    assert back == h
    assert back.undo().undo().present == plan("n")
    assert back.redo().present == plan(None, b="n")


def test_zone_changes_in_the_history_survive_the_round_trip():
    added = plan("n").add_zone("Est", "#009E73")
    h = History(plan("n")).push(added).push(added.assign([A], added.zone_ids[-1]).plan).push(
        added.assign([A], "s").plan.delete_zone(added.zone_ids[-1]))
    assert round_trip(h) == h


def test_the_codec_remembers_the_steps_it_computed():
    codec = HistoryCodec()
    h = History(plan("n")).push(plan("s"))
    first = codec.encode(h)["past"][0]
    h2 = h.push(plan(None))
    assert codec.encode(h2)["past"][0] is first  # same pair of plans: not computed again
    # each past plan relative to the next one: n (from s), then s (from the present, None)
    assert codec.encode(h2)["past"] == [{"a": {A: "n"}}, {"a": {A: "s"}}]


def test_a_damaged_draft_is_refused_in_italian():
    good = HistoryCodec().encode(History(plan("n")).push(plan("s")))
    for damaged in ({**good, "v": 99}, {**good, "present": {"zones": []}},
                    {**good, "past": [{"a": {"099999": "n"}}]}, {**good, "past": [{"a": {A: "ignota"}}]},
                    {**good, "past": "nonsense"}):
        with pytest.raises(PlanError):
            decode_history(damaged)


def test_a_history_longer_than_the_limit_is_cut_on_reading():
    h = History(plan("n"), limit=3)
    for i in range(6):
        h = h.push(plan("s" if i % 2 == 0 else "n"))
    data = HistoryCodec().encode(h)
    data["limit"] = 1000  # a draft cannot ask for more than the app keeps
    assert len(decode_history(data).past) == 3


# -- the table ------------------------------------------------------------------------
def test_the_last_write_wins_and_says_whom_it_replaced(store):
    drafts = DraftStore(store)
    first = drafts.save(BROWSER, "piano", "", {"x": 1}, writer="tab1", now=NOON)
    assert (first.revision, first.replaced) == (1, None)
    second = drafts.save(BROWSER, "piano", "", {"x": 2}, writer="tab2", now=NOON + dt.timedelta(seconds=5))
    assert second.revision == 2 and second.replaced.writer == "tab1" and second.replaced.revision == 1
    draft = drafts.load(BROWSER, "piano", "", now=NOON + dt.timedelta(seconds=6))
    assert (draft.payload, draft.revision, draft.writer) == ({"x": 2}, 2, "tab2")
    assert draft.updated_at == NOON + dt.timedelta(seconds=5)
    head = drafts.head(BROWSER, "piano", "", now=NOON + dt.timedelta(seconds=6))
    assert (head.revision, head.writer) == (2, "tab2")


def test_drafts_are_per_browser_kind_and_scope(store):
    drafts = DraftStore(store)
    drafts.save(BROWSER, "piano", "", {"x": 1}, writer="t", now=NOON)
    drafts.save(BROWSER, "piano", "lab:w1", {"x": 2}, writer="t", now=NOON)
    drafts.save(OTHER, "piano", "", {"x": 3}, writer="t", now=NOON)
    drafts.save(BROWSER, "ruolo", "", {"x": 4}, writer="t", now=NOON)
    got = {(b, k, s): drafts.load(b, k, s, now=NOON).payload["x"]
           for b, k, s in [(BROWSER, "piano", ""), (BROWSER, "piano", "lab:w1"), (OTHER, "piano", ""),
                           (BROWSER, "ruolo", "")]}
    assert list(got.values()) == [1, 2, 3, 4]
    assert drafts.load(OTHER, "ruolo", "", now=NOON) is None
    drafts.delete(BROWSER, "piano", "")
    assert drafts.load(BROWSER, "piano", "", now=NOON) is None
    assert drafts.load(BROWSER, "piano", "lab:w1", now=NOON).payload == {"x": 2}


def test_drafts_expire_after_thirty_days_and_are_purged(store):
    drafts = DraftStore(store)
    drafts.save(BROWSER, "piano", "", {"x": 1}, writer="t", now=NOON)
    drafts.save(OTHER, "piano", "", {"x": 2}, writer="t", now=NOON + dt.timedelta(days=10))
    just_before = NOON + dt.timedelta(days=DRAFT_DAYS) - dt.timedelta(seconds=1)
    assert drafts.load(BROWSER, "piano", "", now=just_before).payload == {"x": 1}
    later = NOON + dt.timedelta(days=DRAFT_DAYS, seconds=1)
    assert drafts.load(BROWSER, "piano", "", now=later) is None
    assert drafts.head(BROWSER, "piano", "", now=later) is None
    assert drafts.purge(later) == 1
    assert drafts.load(OTHER, "piano", "", now=later).payload == {"x": 2}


def test_a_write_purges_expired_drafts_at_most_once_an_hour(store):
    drafts = DraftStore(store)
    drafts.save(OTHER, "piano", "", {"old": True}, writer="t", now=NOON)
    month = NOON + dt.timedelta(days=DRAFT_DAYS + 1)
    drafts.save(BROWSER, "piano", "", {"x": 1}, writer="t", now=month)  # purges
    assert drafts.purge(month) == 0
    drafts.save(OTHER, "piano", "", {"old": True}, writer="t", now=NOON)  # expired again at once
    drafts.save(BROWSER, "piano", "", {"x": 2}, writer="t", now=month + dt.timedelta(minutes=10))  # no purge yet
    assert drafts.purge(month) == 1


def test_an_oversized_draft_is_not_written(store):
    drafts = DraftStore(store)
    with pytest.raises(DraftTooLarge):
        drafts.save(BROWSER, "piano", "", {"x": "a" * MAX_PAYLOAD_CHARS}, writer="t", now=NOON)
    assert drafts.load(BROWSER, "piano", "", now=NOON) is None


def test_a_draft_that_is_not_a_json_object_reads_as_none(store):
    import sqlalchemy as sa

    from geo.store.drafts import DRAFTS

    drafts = DraftStore(store)
    drafts.save(BROWSER, "piano", "", {"x": 1}, writer="t", now=NOON)
    for text in ("[1, 2]", "{not json"):
        with store.transaction() as conn:
            conn.execute(sa.update(DRAFTS).values(payload=text))
        assert drafts.load(BROWSER, "piano", "", now=NOON) is None
