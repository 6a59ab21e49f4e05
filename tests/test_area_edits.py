import threading
from datetime import datetime, timezone

import pytest

from geo.data.shipped import JoinableComuni
from geo.store.area_edits import AreaEditError, AreaEditLog, apply_edits
from geo.store.database import Store

SHIPPED = ("017001", "017002", "017003")
CANDIDATES = JoinableComuni(frozenset(SHIPPED + ("017004", "017005")), ("Brescia",))


@pytest.fixture
def log(store):
    return AreaEditLog(store)


def test_changes_are_replayed_over_the_shipped_list_with_who_and_when(log):
    when = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    assert log.record("17004", "aggiunto", "Maria Rossi", SHIPPED, CANDIDATES, "confine", now=when) == \
        ("017001", "017002", "017003", "017004")
    assert log.record("017001", "rimosso", "Luca", SHIPPED, CANDIDATES) == ("017002", "017003", "017004")
    assert log.current_codes(SHIPPED) == ("017002", "017003", "017004")
    first, second = log.edits()
    assert (first.istat_code, first.azione, first.autore, first.nota, first.momento) == \
        ("017004", "aggiunto", "Maria Rossi", "confine", when)
    assert second.azione == "rimosso"


def test_changes_survive_a_new_connection(log, tmp_path):
    log.record("017004", "aggiunto", "Maria", SHIPPED, CANDIDATES)
    again = AreaEditLog(Store(log.store.url))
    assert again.current_codes(SHIPPED) == ("017001", "017002", "017003", "017004")


@pytest.mark.parametrize("code, action, author, message", [
    ("017004", "aggiunto", "  ", "nome"),
    ("017001", "aggiunto", "Maria", "già parte"),
    ("017009", "aggiunto", "Maria", "^Si possono aggiungere solo comuni della provincia di Brescia\\.$"),
    ("017005", "rimosso", "Maria", "non fa parte"),
    ("017004", "spostato", "Maria", "Azione sconosciuta"),
])
def test_refused_changes_write_nothing(log, code, action, author, message):
    with pytest.raises(AreaEditError, match=message):
        log.record(code, action, author, SHIPPED, CANDIDATES)
    assert log.edits() == []


def test_the_area_cannot_become_empty(log):
    log.record("017001", "rimosso", "M", SHIPPED, CANDIDATES)
    log.record("017002", "rimosso", "M", SHIPPED, CANDIDATES)
    with pytest.raises(AreaEditError, match="senza comuni"):
        log.record("017003", "rimosso", "M", SHIPPED, CANDIDATES)


def test_two_people_adding_the_same_comune_at_once_record_it_once(log):
    outcomes = []

    def add():
        try:
            log.record("017004", "aggiunto", "M", SHIPPED, CANDIDATES)
            outcomes.append("ok")
        except AreaEditError:
            outcomes.append("refused")

    threads = [threading.Thread(target=add) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert len(log.edits()) == 1


def test_apply_edits_pure():
    assert apply_edits(["1", "2"], []) == ("000001", "000002")
