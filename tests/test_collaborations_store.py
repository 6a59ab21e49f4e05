"""Collaborations in the database: seeded once, edits survive a restart, nothing lost."""

import datetime as dt
from dataclasses import replace

import pytest

from geo.store.collaborations import CollaborationStore, ConcurrentEditError
from geo.collaborations.catalogue import load_seed
from geo.collaborations.model import Collaboration, CollaborationError
from geo.store.database import Store

TODAY = dt.date(2026, 11, 25)


def collab(id_="nuova", name="Nuova convenzione", **changes) -> Collaboration:
    data = dict(id=id_, name=name, form="convenzione", functions=("ufficio_tecnico",),
                members=("017088", "017137"), capofila="017088", status="da_costituire")
    data.update(changes)
    return Collaboration(**data)


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


def open_store(url) -> CollaborationStore:
    """A fresh Store on the same file: what a restarted app server does."""
    return CollaborationStore(Store(url))


def test_first_open_copies_the_shipped_records_once(url):
    first = open_store(url)
    assert [c.id for c in first.all()] == [c.id for c in sorted(load_seed(), key=lambda c: c.name.casefold())]
    assert first.store.schema_version("collaborazioni") == 3
    again = open_store(url)  # a restart does not seed a second time
    assert len(again.all()) == len(load_seed())


def test_added_edited_and_closed_collaborations_survive_a_restart(url):
    store = open_store(url)
    store.add(collab(), author="Sindaco di Leno")

    restarted = open_store(url)
    saved, version = restarted.get("nuova")
    assert saved == collab() and version == 1
    restarted.update(replace(saved, members=("017088", "017137", "017152")), version, author="Ufficio")
    restarted.close("nuova", dt.date(2026, 6, 30), expected_version=2, author="Ufficio", today=TODAY)

    final, version = open_store(url).get("nuova")
    assert final.members == ("017088", "017137", "017152")
    assert (final.status, final.end_date, version) == ("cessata", dt.date(2026, 6, 30), 3)
    history = open_store(url).history("nuova")
    assert [(h["versione"], h["azione"], h["autore"]) for h in history] == [
        (1, "creazione", "Sindaco di Leno"), (2, "modifica", "Ufficio"), (3, "chiusura", "Ufficio")]
    assert history[0]["dati"]["members"] == ["017088", "017137"]  # earlier states are kept


def test_a_concurrent_edit_is_refused_not_overwritten(url):
    store = open_store(url)
    store.add(collab())
    mine, version = store.get("nuova")
    theirs, their_version = open_store(url).get("nuova")
    open_store(url).update(replace(theirs, name="Nome scelto da loro"), their_version)
    with pytest.raises(ConcurrentEditError, match="qualcun altro"):
        store.update(replace(mine, name="Nome scelto da me"), version)
    assert store.get("nuova")[0].name == "Nome scelto da loro"


def test_duplicate_ids_and_names_are_refused(url):
    store = open_store(url)
    store.add(collab())
    with pytest.raises(CollaborationError, match="identificativo"):
        store.add(collab(name="Altro nome"))
    with pytest.raises(CollaborationError, match="chiamata"):
        store.add(collab(id_="altra", name="NUOVA convenzione"))
    store.add(collab(id_="seconda", name="Seconda"))
    second, version = store.get("seconda")
    with pytest.raises(CollaborationError, match="chiamata"):
        store.update(replace(second, name="Nuova convenzione"), version)


def test_adding_many_is_all_or_nothing(url):
    store = open_store(url)
    before = store.all()
    with pytest.raises(CollaborationError):
        store.add_many([collab(id_="a", name="A"), collab(id_="b", name="B"), collab(id_="c", name="a")])
    assert store.all() == before
    store.add_many([collab(id_="a", name="A"), collab(id_="b", name="B")], action="importazione")
    assert len(store.all()) == len(before) + 2


def test_an_unknown_collaboration_is_reported(url):
    with pytest.raises(CollaborationError, match="inesistente"):
        open_store(url).get("non-esiste")


def test_an_empty_seed_starts_empty(url):
    assert CollaborationStore(Store(url), seed=()).all() == ()
