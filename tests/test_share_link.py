"""Share links: the plan in the URL's query parameters, and every way a link can be broken."""

from __future__ import annotations

import base64
import json
import random
import zlib
from urllib.parse import parse_qs

import pytest

from geo.zoning.plan import Plan, Zone
from geo.io.share_link import (
    DAMAGED, ShareLinkError, decode_share_params, has_share_params, read_share_link,
    share_params, share_query,
)

KNOWN = ["017001", "017002", "017011", "017020", "019003", "019004"]


def plan_three() -> Plan:
    """017001 -> A, 017002 -> unassigned, 019003 -> B (locked, name with markup and accents)."""
    zones = [Zone("a", "Zona A", "#E69F00"), Zone("zb", "Città <b>Sud</b> & \"co\"", "#56B4E9", True)]
    return Plan.build(zones, {"017001": "a", "017002": None, "019003": "zb"})


def with_checksum(params: dict) -> dict:
    """Recompute ``pk`` after a deliberate change, as a hand-edited link would need
    (format 2 checks the territory too, format 1 had none)."""
    keys = ("pv", "pt", "pa", "pz", "pp") if params.get("pv") != "1" else ("pv", "pa", "pz", "pp")
    text = "|".join(params[k] for k in keys)
    return {**params, "pk": f"{zlib.crc32(text.encode('utf-8')):08x}"}


def format_1(params: dict) -> dict:
    """The same link as the app wrote it before territories: no ``pt``, version 1."""
    old = {k: v for k, v in params.items() if k != "pt"}
    return with_checksum({**old, "pv": "1"})


def zones_param(zones: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(zones).encode()).decode().rstrip("=")


def test_format_worked_by_hand():
    params = share_params(plan_three())
    assert params["pv"] == "2" and params["pt"] == "pianura_bresciana"
    assert params["pa"] == "017001002-019003"  # province 017: 001, 002; province 019: 003
    assert params["pp"] == "102"  # A is zone 1, 017002 unassigned, B is zone 2
    assert json.loads(base64.urlsafe_b64decode(params["pz"] + "==")) == [
        ["a", "Zona A", "E69F00", 0], ["zb", "Città <b>Sud</b> & \"co\"", "56B4E9", 1]]
    assert len(params["pk"]) == 8


def test_round_trip_through_a_real_query_string():
    plan = plan_three()
    query = parse_qs(share_query(plan))  # what the browser sends back
    params = {k: v[-1] for k, v in query.items()}
    assert decode_share_params(params, KNOWN) == plan
    result = read_share_link(params, KNOWN)
    assert result.error is None and result.plan == plan and result.area_codes == ("017001", "017002", "019003")


def test_many_zones_use_letters_and_more_than_61_are_refused():
    codes = [f"017{n:03d}" for n in range(1, 71)]
    zones = [Zone(f"z{i}", f"Zona {i}", "#009E73") for i in range(61)]
    plan = Plan.build(zones, {c: f"z{i % 61}" for i, c in enumerate(codes)})
    params = share_params(plan)
    assert params["pp"][:12] == "123456789ABC" and params["pp"][60] == "z"
    assert decode_share_params(params, codes) == plan
    too_many = Plan.build(zones + [Zone("z61", "Zona 61", "#009E73")], {c: "z0" for c in codes})
    with pytest.raises(ShareLinkError, match="troppe zone"):
        share_params(too_many)


def test_urls_without_a_plan_are_ignored():
    assert not has_share_params({"pagina": "x"})
    assert read_share_link({}, KNOWN) is None
    assert read_share_link({"embed": "true"}, KNOWN) is None


def test_a_repeated_parameter_counts_once_with_its_last_value():
    params = share_params(plan_three())
    assert decode_share_params({**params, "pv": ["9", "2"]}, KNOWN) == plan_three()


@pytest.mark.parametrize("change, message", [
    (lambda p: {**p, "pp": p["pp"][:-1] + ("0" if p["pp"][-1] != "0" else "1")}, "danneggiato"),  # one char edited
    (lambda p: {k: v for k, v in p.items() if k != "pz"}, "danneggiato"),  # cut while copying
    (lambda p: {**p, "pp": p["pp"][:2]}, "danneggiato"),
    (lambda p: {**p, "pk": "zz"}, "danneggiato"),
    (lambda p: {**p, "pv": "uno"}, "danneggiato"),
    (lambda p: {**p, "pv": ""}, "danneggiato"),
    (lambda p: {**p, "pv": "3"}, "versione più recente"),
    (lambda p: {**p, "pv": "0"}, "versione precedente"),
    (lambda p: {**p, "pa": "x" * 20_000}, "troppo lungo"),
])
def test_damaged_or_outdated_links_get_an_italian_message(change, message):
    result = read_share_link(change(share_params(plan_three())), KNOWN)
    assert result.plan is None and message in result.error


@pytest.mark.parametrize("field, value", [
    ("pa", "017001002-01900"),  # a code cut short
    ("pa", "017002001-019003"),  # not sorted
    ("pa", "017001001-019003"),  # a comune twice
    ("pz", "!!!"),  # not base64
    ("pz", zones_param({"a": 1})),  # not a list
    ("pz", zones_param([["a", "Zona A", "E69F00"]])),  # a field missing
    ("pz", zones_param([["a", "Zona A", "E69F00", 2]])),  # lock not 0/1
    ("pz", base64.urlsafe_b64encode(b"\xff\xfe").decode()),  # not UTF-8
    ("pp", "1x2"),  # unknown zone digit
    ("pp", "132"),  # zone 3 does not exist
    ("pt", "Rete Hub"),  # not a territory id
    ("pt", ""),  # territory cut
])
def test_links_edited_consistently_but_invalid_are_refused(field, value):
    # the checksum is right, so only the content checks can catch these
    result = read_share_link(with_checksum({**share_params(plan_three()), field: value}), KNOWN)
    assert result.plan is None and result.error.startswith(DAMAGED.split(" (")[0])


def test_invalid_zone_names_and_colours_are_explained():
    bad_colour = zones_param([["a", "Zona A", "rosso", 0], ["zb", "B", "56B4E9", 1]])
    result = read_share_link(with_checksum({**share_params(plan_three()), "pz": bad_colour}), KNOWN)
    assert "Colore non valido" in result.error
    empty_name = zones_param([["a", "   ", "E69F00", 0], ["zb", "B", "56B4E9", 1]])
    result = read_share_link(with_checksum({**share_params(plan_three()), "pz": empty_name}), KNOWN)
    assert "non può essere vuoto" in result.error


def test_a_link_naming_comuni_the_app_does_not_know_is_outdated():
    result = read_share_link(share_params(plan_three()), ["017001", "017002"])
    assert result.plan is None
    assert "019003" in result.error and "dati diversi" in result.error


def test_no_mangled_link_ever_raises():
    """Random edits of a real link: each gives a plan or a message, never an exception."""
    rng = random.Random(5)
    good = share_params(plan_three())
    alphabet = "0123456789abcdefABCDEF-_=%&?é<>\"' \x00"
    for _ in range(600):
        params = dict(good)
        key = rng.choice(list(params))
        value = list(params[key])
        for _ in range(rng.randint(1, 4)):
            action = rng.random()
            position = rng.randrange(len(value) + 1)
            if action < 0.4:
                value.insert(position, rng.choice(alphabet))
            elif action < 0.8 and value:
                del value[min(position, len(value) - 1)]
            elif value:
                value[min(position, len(value) - 1)] = rng.choice(alphabet)
        params[key] = "".join(value)
        if rng.random() < 0.5:
            params = with_checksum(params) if all(k in params for k in ("pv", "pa", "pz", "pp")) else params
        result = read_share_link(params, KNOWN)
        assert result is not None
        assert (result.plan is None) != (result.error is None)
        if result.plan is not None:  # a lucky edit that is still a valid plan
            assert set(result.plan.codes) <= set(KNOWN)


# -- territories (issue 12) -------------------------------------------------------------
def codes_of(territory: str):
    """Two territories: the Pianura Bresciana has KNOWN, the other only province 019."""
    return {"pianura_bresciana": KNOWN, "cremona": ["019003", "019004"]}.get(territory)


def test_a_link_carries_its_territory_and_its_checksum_covers_it():
    plan = Plan.build([Zone("a", "A", "#E69F00")], {"019003": "a", "019004": None})
    params = share_params(plan, "cremona")
    assert params["pt"] == "cremona"
    result = read_share_link(params, codes_of)
    assert (result.territory, result.plan, result.error) == ("cremona", plan, None)
    moved = read_share_link({**params, "pt": "pianura_bresciana"}, codes_of)  # edited, checksum not
    assert moved.plan is None and moved.error.startswith(DAMAGED.split(" (")[0])


def test_a_link_of_a_territory_the_app_does_not_have_is_refused_in_italian():
    plan = Plan.build([Zone("a", "A", "#E69F00")], {"019003": "a"})
    result = read_share_link(share_params(plan, "lombardia"), codes_of)
    assert result.plan is None and "«lombardia»" in result.error and "non ha" in result.error


def test_an_old_link_without_territory_opens_as_a_pianura_bresciana_plan():
    old = format_1(share_params(plan_three(), "cremona"))
    assert "pt" not in old and old["pv"] == "1"
    result = read_share_link(old, codes_of)
    assert (result.territory, result.plan) == ("pianura_bresciana", plan_three())
    edited = {**old, "pp": "002"}  # format 1's checksum still protects it
    assert read_share_link(edited, codes_of).error.startswith(DAMAGED.split(" (")[0])
