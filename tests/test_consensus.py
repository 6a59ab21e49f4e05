"""Consensus of workshop proposals on a 1 x 5 strip of 1 km comuni, answers worked out by hand.

The strip, cells 0 ... 4 west to east (codes 099000 ... 099004, neighbours 0-1, 1-2, 2-3, 3-4)::

    +---+---+---+---+---+
    | 0 | 1 | 2 | 3 | 4 |
    +---+---+---+---+---+

Base plan (the facilitator's): w «Ovest» = 0 1 2, e «Est» = 3 4.

Five proposals (zone id «name» = cells)::

    P1 Anna   w = 0 1 2          e = 3 4                              (unchanged)
    P2 Bruno  w = 0 1            e «Oriente» = 4   z1 «Centro-est» = 2 3
    P3 Carla  w = 0 1            e = 4             z1 «Centro» = 2 3
    P4 Dario  w = 0 1            e = 4             z1 «Mezzo» = 2 3
    P5 Elena  w = 1 2            e = 3             z1 «Punta» = 0     (4 unassigned)

Matching. P2: shared comuni W-w 2, W-z1 1, E-e 1, E-z1 1: pairings W-w + E-e and
W-w + E-z1 both share 3; the equal id decides E-e, so the renamed «Oriente» is still
«Est». P3, P4 likewise; their z1 are left over. P5: W-w 2 + E-e 1 is the best (3).
New zones: P2's z1 {2, 3} founds nuova1 «Centro-est»; P3's and P4's z1 {2, 3} share
2 of 2 comuni with it and join; P5's z1 {0} shares none and founds nuova2 «Punta».
The same id z1 thus means nuova1 in P2-P4 and nuova2 in P5.
"""

from __future__ import annotations

import pytest

from geo.zoning.consensus import ConsensusError, build_consensus
from geo.zoning.plan import Plan, Zone
from tests.grids import grid_area, grid_code

CODES = [grid_code(0, c) for c in range(5)]
STRIP = grid_area(1, 5)
ORANGE, SKY, GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"


def plan(zones: list[tuple[str, str, str, list[int]]]) -> Plan:
    """Zones as ``(id, name, colour, cells)``; cells in no zone are unassigned."""
    where = {CODES[i]: z for z, _, _, cells in zones for i in cells}
    return Plan.build([Zone(z, n, c) for z, n, c, _ in zones], {c: where.get(c) for c in CODES})


BASE = plan([("w", "Ovest", ORANGE, [0, 1, 2]), ("e", "Est", SKY, [3, 4])])
P1 = BASE
# P2's new zone reuses the colour of «Ovest»: the consensus must give it another one.
P2 = plan([("w", "Ovest", ORANGE, [0, 1]), ("e", "Oriente", SKY, [4]), ("z1", "Centro-est", ORANGE, [2, 3])])
P3 = plan([("w", "Ovest", ORANGE, [0, 1]), ("e", "Est", SKY, [4]), ("z1", "Centro", GREEN, [2, 3])])
P4 = plan([("w", "Ovest", ORANGE, [0, 1]), ("e", "Est", SKY, [4]), ("z1", "Mezzo", GREEN, [2, 3])])
P5 = plan([("w", "Ovest", ORANGE, [1, 2]), ("e", "Est", SKY, [3]), ("z1", "Punta", GREEN, [0])])
PROPOSALS = [P1, P2, P3, P4, P5]


@pytest.fixture(scope="module")
def consensus():
    return build_consensus(STRIP, BASE, PROPOSALS)


def test_zones_are_matched_by_what_they_group(consensus):
    assert [z.id for z in consensus.zones] == ["w", "e", "nuova1", "nuova2"]
    assert [z.name for z in consensus.zones] == ["Ovest", "Est", "Centro-est", "Punta"]
    assert consensus.zone_maps[1] == {"w": "w", "e": "e", "z1": "nuova1"}
    assert consensus.zone_maps[2]["z1"] == consensus.zone_maps[3]["z1"] == "nuova1"
    assert consensus.zone_maps[4] == {"w": "w", "e": "e", "z1": "nuova2"}
    # colours: nuova1 was orange like «Ovest» -> first free of the palette (green);
    # nuova2 was green, now taken -> yellow
    assert [z.color for z in consensus.zones] == [ORANGE, SKY, GREEN, YELLOW]


def test_votes_and_agreement_per_comune(consensus):
    """cell 0: w w w w nuova2 -> w 4 of 5; cell 1: w x5; cell 2: w nuova1 nuova1 nuova1 w
    -> nuova1 3; cell 3: e nuova1 nuova1 nuova1 e -> nuova1 3; cell 4: e e e e (none) -> e 4."""
    votes = [dict(consensus.votes[c]) for c in CODES]
    assert votes == [{"w": 4, "nuova2": 1}, {"w": 5}, {"w": 2, "nuova1": 3}, {"e": 2, "nuova1": 3},
                     {"e": 4, None: 1}]
    assert [consensus.agreement(c) for c in CODES] == [0.8, 1.0, 0.6, 0.6, 0.8]
    assert consensus.count == 5


def test_the_consensus_plan_is_the_majority(consensus):
    result = consensus.plan
    assert [result.zone_of(c) for c in CODES] == ["w", "w", "nuova1", "nuova1", "e"]
    # «Punta» is the majority nowhere: it is not a zone of the plan; base zones stay
    assert result.zone_ids == ("w", "e", "nuova1")
    assert result.zone("nuova1").name == "Centro-est"


def test_contested_comuni_depend_on_the_threshold(consensus):
    assert consensus.contested(0.75) == (CODES[2], CODES[3])
    assert consensus.contested(0.6) == ()  # 0.6 is not below 0.6
    assert consensus.contested(0.85) == (CODES[0], CODES[2], CODES[3], CODES[4])


def test_neighbours_grouped_together(consensus):
    """0-1: together in P1-P4, not P5 (0 is «Punta») -> 4; 1-2: P1, P5 -> 2;
    2-3: P2, P3, P4 -> 3; 3-4: P1 only (P5 leaves 4 unassigned: not a group) -> 1."""
    shares = [consensus.together_share(CODES[i], CODES[i + 1]) for i in range(4)]
    assert shares == [0.8, 0.4, 0.6, 0.2]
    # split rooms: 1-2 (40 %) and 2-3 (60 %); 3-4 is kept apart by 80 %: agreed
    assert consensus.contested_pairs(0.75) == ((CODES[1], CODES[2]), (CODES[2], CODES[3]))


def test_comuni_moved_from_the_base_plan(consensus):
    # P2-P4 move cells 2 and 3 to the new zone; P5 moves 0 (to «Punta») and leaves 4 unassigned
    assert [consensus.moved_from_base(i) for i in range(5)] == [0, 2, 2, 2, 2]


def test_where_each_proposal_differs_from_the_consensus(consensus):
    """Consensus: w w nuova1 nuova1 e. P1 (w w w e e) differs at 2 and 3; P2-P4 agree;
    P5 (nuova2 w w e -) differs at 0, 2, 3 and 4."""
    assert consensus.differs(0) == (CODES[2], CODES[3])
    assert consensus.differs(1) == consensus.differs(3) == ()
    assert consensus.differs(4) == (CODES[0], CODES[2], CODES[3], CODES[4])


def test_tie_goes_to_the_base_zone_then_to_a_zone_over_unassigned():
    """Two proposals: c: w = 0 1, e = 2 3 4; d: w = 0 1 3, e = 4, cell 2 unassigned.
    Cell 3 (base «Est»): e in c, w in d: tie, the base zone e wins (although w comes
    first). Cell 2 (base «Ovest»): e in c, unassigned in d: tie without the base zone,
    a zone wins over «unassigned»."""
    c = plan([("w", "Ovest", ORANGE, [0, 1]), ("e", "Est", SKY, [2, 3, 4])])
    d = plan([("w", "Ovest", ORANGE, [0, 1, 3]), ("e", "Est", SKY, [4])])
    result = build_consensus(STRIP, BASE, [c, d]).plan
    assert result.zone_of(CODES[3]) == "e"
    assert result.zone_of(CODES[2]) == "e"


def test_new_zones_join_when_they_share_half_of_the_smaller():
    """On a 1 x 7 strip (cells 0 ... 6), base w = 0, the rest unassigned; each
    proposal keeps w = 0 and adds one zone, which no base zone takes.
    {1, 2, 3} then {3, 4}: 1 shared, half of the smaller (2): one new zone.
    {1, 2, 3} then {3, 4, 5}: 1 shared, less than half of 3: two new zones."""
    codes = [grid_code(0, c) for c in range(7)]
    strip = grid_area(1, 7)

    def one_new_zone(cells):
        where = {codes[0]: "w", **{codes[i]: "z1" for i in cells}}
        return Plan.build([Zone("w", "Ovest", ORANGE), Zone("z1", "Nuova", GREEN)],
                          {c: where.get(c) for c in codes})

    base = Plan.build([Zone("w", "Ovest", ORANGE)], {c: ("w" if c == codes[0] else None) for c in codes})
    joined = build_consensus(strip, base, [one_new_zone([1, 2, 3]), one_new_zone([3, 4])])
    assert joined.zone_maps[0]["z1"] == joined.zone_maps[1]["z1"] == "nuova1"
    apart = build_consensus(strip, base, [one_new_zone([1, 2, 3]), one_new_zone([3, 4, 5])])
    assert [z.id for z in apart.zones if z.is_new] == ["nuova1", "nuova2"]
    assert apart.zone_maps[1]["z1"] == "nuova2"


def test_table_lists_contested_comuni_first(consensus):
    table = consensus.table(STRIP, 0.75)
    assert list(table.columns) == ["Codice ISTAT", "Comune", "Zona più votata", "Accordo (%)", "Conteso",
                                   "Ovest", "Est", "Centro-est", "Punta", "Non assegnato", "Nella stessa zona con"]
    assert list(table["Codice ISTAT"]) == [CODES[2], CODES[3], CODES[0], CODES[4], CODES[1]]
    row = table.iloc[0]
    assert (row["Zona più votata"], row["Accordo (%)"], row["Conteso"]) == ("Centro-est", "60", "sì")
    assert [row[z] for z in ("Ovest", "Est", "Centro-est", "Punta", "Non assegnato")] == [2, 0, 3, 0, 0]
    assert row["Nella stessa zona con"] == "Comune 0-3 60 %, Comune 0-1 40 %"
    assert table.iloc[3]["Non assegnato"] == 1 and table.iloc[3]["Conteso"] == "no"


def test_pairs_table_puts_the_most_even_split_first(consensus):
    # 1-2 together in 2 of 5 (0.4, 0.1 from even), 2-3 in 3 of 5 (0.6, also 0.1): by name
    table = consensus.pairs_table(STRIP, 0.75)
    assert table.to_dict("records") == [
        {"Comune": "Comune 0-1", "Confinante": "Comune 0-2", "Nella stessa zona": "2 proposte su 5"},
        {"Comune": "Comune 0-2", "Confinante": "Comune 0-3", "Nella stessa zona": "3 proposte su 5"},
    ]


def test_duplicate_zone_names_get_distinct_columns():
    renamed = plan([("w", "Est", ORANGE, [0, 1, 2]), ("e", "Est", SKY, [3, 4])])
    table = build_consensus(STRIP, renamed, [renamed]).table(STRIP)
    assert ["Est", "Est (2)"] == [c for c in table.columns if c.startswith("Est")]


def test_no_proposal_is_an_italian_error():
    with pytest.raises(ConsensusError, match="Nessuna proposta"):
        build_consensus(STRIP, BASE, [])


def test_a_proposal_over_fewer_comuni_counts_the_missing_ones_unassigned():
    short = Plan.build(BASE.zones, {c: "w" for c in CODES[:3]})
    result = build_consensus(STRIP, BASE, [short])
    assert dict(result.votes[CODES[4]]) == {None: 1}
    assert result.plan.zone_of(CODES[4]) is None


def test_new_zone_ids_never_clash_with_the_base_plan():
    """A consensus adopted as the next base plan has a zone «nuova1» (cells 3 4); a
    proposal splits off cell 0 as z1: the new zone is nuova2, and the majority plan
    (3 proposals out of 3 agree) is valid."""
    base = plan([("w", "Ovest", ORANGE, [0, 1, 2]), ("nuova1", "Centro-est", SKY, [3, 4])])
    split = plan([("w", "Ovest", ORANGE, [1, 2]), ("nuova1", "Centro-est", SKY, [3, 4]), ("z1", "Punta", GREEN, [0])])
    consensus = build_consensus(STRIP, base, [split, split, split])
    assert [z.id for z in consensus.zones] == ["w", "nuova1", "nuova2"]
    assert consensus.plan.members("nuova2") == (CODES[0],)
    assert consensus.zones[-1].color == GREEN  # its own colour: no other zone has it
