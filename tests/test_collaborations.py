"""The collaboration data model (status by date, validation) and the shipped seed data."""

import datetime as dt

import pytest

from geo.collaborations.catalogue import filter_collaborations, involving, load_seed
from geo.collaborations.model import Collaboration, CollaborationError, new_id
from geo.data.shipped import load_area_list, load_comuni

TODAY = dt.date(2026, 11, 25)  # the project's "today": fixed so the tests never drift


def collab(**changes) -> Collaboration:
    data = dict(id="prova", name="Prova", form="convenzione", functions=("polizia_locale",),
                members=("017088", "017137"), capofila="017088", status="attiva")
    data.update(changes)
    return Collaboration(**data)


# -- status by date ---------------------------------------------------------------------
def test_a_collaboration_ended_on_31_december_2025_is_not_active_today():
    unione = collab(status="in_scioglimento", end_date=dt.date(2025, 12, 31))
    assert unione.status_on(dt.date(2025, 6, 1)) == "in_scioglimento"
    assert unione.is_operating(dt.date(2025, 12, 31))  # the end date is its last working day
    assert unione.status_on(dt.date(2026, 1, 1)) == "cessata"
    assert unione.status_on(TODAY) == "cessata"
    assert not unione.is_operating(TODAY)


def test_before_its_start_date_a_collaboration_is_still_to_be_set_up():
    convenzione = collab(start_date=dt.date(2026, 1, 1))
    assert convenzione.status_on(dt.date(2025, 12, 31)) == "da_costituire"
    assert convenzione.is_planned(dt.date(2025, 12, 31))
    assert convenzione.status_on(dt.date(2026, 1, 1)) == "attiva"
    assert convenzione.is_operating(TODAY)


def test_recorded_status_holds_without_dates():
    assert collab(status="da_costituire").status_on(TODAY) == "da_costituire"
    assert collab(status="cessata").status_on(dt.date(1990, 1, 1)) == "cessata"


def test_the_day_defaults_to_today(monkeypatch):
    monkeypatch.setattr("geo.collaborations.model.today_in_italy", lambda: dt.date(2026, 11, 25))
    assert collab(end_date=dt.date(2025, 12, 31)).status_on() == "cessata"
    assert collab(end_date=dt.date(2026, 11, 25)).status_on() == "attiva"


def test_closing_in_the_past_ends_it_closing_in_the_future_dissolves_it():
    c = collab(start_date=dt.date(2020, 1, 1))
    past = c.closed(dt.date(2026, 6, 30), today=TODAY)
    assert (past.status, past.end_date) == ("cessata", dt.date(2026, 6, 30))
    future = c.closed(dt.date(2026, 12, 31), today=TODAY)
    assert future.status == "in_scioglimento"
    assert future.status_on(dt.date(2027, 1, 1)) == "cessata"
    with pytest.raises(CollaborationError, match="precede"):
        c.closed(dt.date(2019, 1, 1), today=TODAY)


# -- validation and normalisation --------------------------------------------------------
def test_values_are_normalised():
    c = collab(name="  Polizia   Locale\tunita ", members=(17137, "17088", "017088"),
               functions=("servizi_ict", "polizia_locale"), sources=(" https://example.org/a ", ""))
    assert c.name == "Polizia Locale unita"
    assert c.members == ("017088", "017137")  # codes as 6-character strings, no repeats
    assert c.functions == ("polizia_locale", "servizi_ict")  # canonical order
    assert c.sources == ("https://example.org/a",)


@pytest.mark.parametrize("changes, message", [
    ({"name": "   "}, "vuoto"),
    ({"form": "cooperativa"}, "Forma sconosciuta"),
    ({"functions": ()}, "almeno una funzione"),
    ({"functions": ("giardinaggio",)}, "Funzione sconosciuta"),
    ({"members": ("017088",), "capofila": None}, "almeno 2"),
    ({"capofila": "017001"}, "capofila"),
    ({"members": ("017088", "17x"), "capofila": None}, "Codice ISTAT non valido"),
    ({"status": "sospesa"}, "Stato sconosciuto"),
    ({"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2025, 1, 1)}, "precede"),
    ({"start_date": "2026-02-30"}, "data non valida"),
    ({"sources": ("javascript:alert(1)",)}, "http"),
    ({"id": "Con Spazi"}, "Identificativo"),
])
def test_invalid_collaborations_are_refused_with_an_italian_reason(changes, message):
    with pytest.raises(CollaborationError, match=message):
        collab(**changes)


def test_round_trip_through_a_dictionary():
    c = collab(start_date=dt.date(2026, 1, 1), sources=("https://example.org",), notes="riga 1\nriga 2",
               da_verificare=True)
    assert Collaboration.from_dict(c.to_dict()) == c
    assert c.to_dict()["members"] == ["017088", "017137"]
    assert c.to_dict()["start_date"] == "2026-01-01"


def test_new_ids_are_slugs_and_unique():
    assert new_id("Unione dei Comuni «Città»", []) == "unione-dei-comuni-citta"
    assert new_id("Prova", ["prova", "prova-2"]) == "prova-3"
    assert new_id("<img src=x>", []) == "img-src-x"


def test_filters_combine_function_status_and_comune():
    a = collab(id="a", name="A")
    b = collab(id="b", name="B", functions=("suap_sue",), members=("017001", "017088"), capofila=None,
               end_date=dt.date(2025, 12, 31))
    both = [a, b]
    assert filter_collaborations(both, functions=["suap_sue"], day=TODAY) == [b]
    assert filter_collaborations(both, statuses=["cessata"], day=TODAY) == [b]
    assert filter_collaborations(both, comune="017137", day=TODAY) == [a]
    assert filter_collaborations(both, functions=["suap_sue"], statuses=["attiva"], day=TODAY) == []
    assert involving(both, "017088") == [a, b]  # a comune may belong to several


# -- the shipped seed ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed():
    comuni = load_comuni()
    # every code written in the file must carry the official name beside it
    return {c.id: c for c in load_seed(names=dict(zip(comuni.index, comuni["comune"])))}


def test_every_seed_record_has_a_source(seed):
    assert len(seed) == 6
    for c in seed.values():
        assert c.sources, c.id
        assert all(s.startswith(("http://", "https://")) for s in c.sources)


def test_seed_statuses_on_25_november_2026(seed):
    assert seed["unione-bassa-bresciana-occidentale"].status_on(TODAY) == "cessata"
    assert seed["convenzione-polizia-locale-ex-unione-bbo"].status_on(TODAY) == "attiva"
    assert seed["convenzione-polizia-locale-ex-unione-bbo"].status_on(dt.date(2025, 12, 31)) == "da_costituire"
    uncertain = {i for i, c in seed.items() if c.da_verificare}
    assert uncertain == {"convenzione-pompiano-barbariga-corzano", "polizia-locale-leno-pavone-pralboino-seniga",
                         "comunita-della-pianura-bresciana", "sportello-telematico-suap-sue-clu"}


def test_comunita_lists_only_the_named_members_and_says_the_list_is_incomplete(seed):
    comunita = seed["comunita-della-pianura-bresciana"]
    names = load_comuni().loc[list(comunita.members), "comune"]
    assert sorted(names) == ["Barbariga", "Dello", "Quinzano d'Oglio"]
    assert "INCOMPLETO" in comunita.notes
    assert comunita.capofila is None


def test_suap_platform_lists_the_named_comuni_of_the_area(seed):
    platform = seed["sportello-telematico-suap-sue-clu"]
    names = set(load_comuni().loc[list(platform.members), "comune"])
    assert names == {"Acquafredda", "Alfianello", "Bagnolo Mella", "Bassano Bresciano", "Calcinato", "Calvisano",
                     "Carpenedolo", "Fiesse", "Gambara", "Gottolengo", "Isorella", "Maclodio", "Milzano",
                     "Pontevico", "Pralboino", "Quinzano d'Oglio", "Remedello", "Seniga", "Visano"}
    assert set(platform.members) <= set(load_area_list()["istat_code"])
    assert platform.functions == ("suap_sue", "servizi_ict")


def test_a_name_that_does_not_match_its_code_is_refused(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text('{"collaborazioni": [{"id": "x", "name": "X", "form": "convenzione", '
                   '"functions": ["polizia_locale"], "members": [{"istat_code": "017088", "comune": "Leno"}, '
                   '{"istat_code": "017137", "comune": "Seniga"}], "capofila": null, "status": "attiva"}]}',
                   encoding="utf-8")
    comuni = load_comuni()
    with pytest.raises(CollaborationError, match="Pavone del Mella"):
        load_seed(bad, names=dict(zip(comuni.index, comuni["comune"])))
