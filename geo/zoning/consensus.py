"""Where a room of proposals agrees: votes per comune, neighbours grouped together,
and the plan of the majority.

Every proposal of a workshop starts from the same plan (the facilitator's *base*
plan), but participants may rename, add, delete or merge zones, and the editor
numbers new zones ``z1``, ``z2``... in every session, so the same id can mean two
different zones in two proposals. Zones are therefore matched by what they group:

1. each zone of a proposal is paired with at most one zone of the base plan so that
   the pairs share as many comuni as possible (:func:`geo.zoning.compare.match_zones`,
   the pairing of the "Confronto scenari" page: ties broken by equal name, then
   equal id); a renamed zone keeps its base zone;
2. zones left over (a split, a new grouping) are *new zones*. Going through the
   proposals in order, a left-over zone joins the new zone it shares most comuni
   with, when they share at least half of the comuni of the smaller of the two (the
   zone that founded the new zone stands for it); otherwise it founds a new zone.
   One proposal contributes at most one zone to each new zone.

Two measures follow. The **votes** of a comune count the proposals that put it in
each (matched) zone or leave it unassigned; its **agreement** is the share of the
most voted choice. **Grouped together** counts, for each pair of neighbouring
comuni, the proposals that put both in one zone: it needs no matching at all, so
it checks the first measure. A comune is **contested** when its agreement is below
a threshold chosen by the facilitator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import pandas as pd

from geo.base.errors import UserError
from geo.zoning.area import Area
from geo.base.italian import format_number
from geo.zoning.plan import Plan, Zone, next_color, next_zone_id
from geo.zoning.compare import match_zones, unique_labels

DEFAULT_THRESHOLD = 0.75
UNASSIGNED_LABEL = "Non assegnato"
NEW_ZONE_PREFIX = "nuova"


class ConsensusError(UserError):
    """The consensus cannot be computed; the message is in Italian."""


@dataclass(frozen=True)
class ConsensusZone:
    """A zone of the consensus: a zone of the base plan, or a new zone founded by
    the proposal ``founder`` (index) with that proposal's name and members."""

    id: str
    name: str
    color: str
    founder: int | None = None
    founding_members: frozenset[str] = frozenset()

    @property
    def is_new(self) -> bool:
        return self.founder is not None


@dataclass(frozen=True)
class Consensus:
    """The result of :func:`build_consensus`.

    Attributes
    ----------
    base : Plan
        The plan every proposal started from.
    zones : tuple of ConsensusZone
        Base zones first (in the base plan's order), then new zones in order of foundation.
    zone_maps : tuple of dict
        For each proposal, ``{proposal zone id: consensus zone id}`` (zones with no
        comuni are left out).
    votes : Mapping[str, Mapping[str or None, int]]
        For each comune of the base plan, proposals per consensus zone id (``None``:
        left unassigned); choices with no vote are absent.
    together : Mapping[frozenset, int]
        For each pair of neighbouring comuni of the area, the proposals that put
        both in the same zone.
    proposals : tuple of Plan
        The proposals, read over the base plan's comuni.
    plan : Plan
        The consensus plan: every comune in its most voted choice.
    """

    base: Plan
    zones: tuple[ConsensusZone, ...]
    zone_maps: tuple[dict[str, str], ...]
    votes: Mapping[str, Mapping[str | None, int]]
    together: Mapping[frozenset, int]
    proposals: tuple[Plan, ...]
    plan: Plan

    @property
    def codes(self) -> tuple[str, ...]:
        return self.base.codes

    @property
    def count(self) -> int:
        """Number of proposals."""
        return len(self.proposals)

    def majority(self, code: str) -> str | None:
        """The consensus zone id of the most voted choice (``None``: unassigned)."""
        return self.plan.zone_of(code)

    def agreement(self, code: str) -> float:
        """Share (0-1) of the proposals that made the most voted choice for ``code``."""
        return self.votes[code].get(self.majority(code), 0) / self.count

    def contested(self, threshold: float = DEFAULT_THRESHOLD) -> tuple[str, ...]:
        """Comuni whose agreement is below ``threshold`` (0-1), sorted by code."""
        return tuple(c for c in self.codes if self.agreement(c) < threshold)

    def together_share(self, a: str, b: str) -> float:
        """Share (0-1) of the proposals putting neighbours ``a`` and ``b`` in one zone."""
        return self.together[frozenset((a, b))] / self.count

    def contested_pairs(self, threshold: float = DEFAULT_THRESHOLD) -> tuple[tuple[str, str], ...]:
        """Neighbouring pairs the room splits on: grouped together by fewer than
        ``threshold`` of the proposals and kept apart by fewer than ``threshold``."""
        pairs = []
        for pair, n in self.together.items():
            share = n / self.count
            if share < threshold and 1 - share < threshold:
                pairs.append(tuple(sorted(pair)))
        return tuple(sorted(pairs))

    def moved_from_base(self, index: int) -> int:
        """Comuni that proposal ``index`` puts in another zone than the base plan
        does (zones compared through the matching)."""
        proposal, zone_map = self.proposals[index], self.zone_maps[index]
        return sum(1 for c in self.codes
                   if _consensus_zone(proposal.zone_of(c), zone_map) != self.base.zone_of(c))

    def differs(self, index: int) -> tuple[str, ...]:
        """Comuni where proposal ``index`` is not in the consensus plan's choice
        (zones compared through the matching), sorted by code."""
        proposal, zone_map = self.proposals[index], self.zone_maps[index]
        return tuple(c for c in self.codes if _consensus_zone(proposal.zone_of(c), zone_map) != self.majority(c))

    def table(self, area: Area, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
        """One row per comune, contested first (lowest agreement first), for display.

        Columns: code, name, majority zone, agreement (%), contested (sì/no), the
        votes for every consensus zone and for "non assegnato", and the neighbours
        with the share of proposals that group them with this comune.
        """
        labels = unique_labels([z.name for z in self.zones] + [UNASSIGNED_LABEL])
        zone_labels = dict(zip([z.id for z in self.zones] + [None], labels))
        codes = sorted(self.codes, key=lambda c: (self.agreement(c) >= threshold, self.agreement(c), area.name(c)))
        rows = []
        for code in codes:
            row = {
                "Codice ISTAT": code,
                "Comune": area.name(code),
                "Zona più votata": zone_labels[self.majority(code)],
                "Accordo (%)": format_number(100 * self.agreement(code)),
                "Conteso": "sì" if self.agreement(code) < threshold else "no",
            }
            row.update({label: self.votes[code].get(zone_id, 0) for zone_id, label in zone_labels.items()})
            neighbours = sorted((n for n in area.graph.neighbours.get(code, ()) if n in self.votes),
                                key=lambda n: (-self.together_share(code, n), area.name(n)))
            row["Nella stessa zona con"] = ", ".join(
                f"{area.name(n)} {format_number(100 * self.together_share(code, n))} %" for n in neighbours)
            rows.append(row)
        columns = ["Codice ISTAT", "Comune", "Zona più votata", "Accordo (%)", "Conteso", *labels,
                   "Nella stessa zona con"]
        return pd.DataFrame(rows, columns=columns)

    def pairs_table(self, area: Area, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
        """The neighbouring pairs the room splits on (:meth:`contested_pairs`), most
        evenly split first: the two comuni and how many proposals group them."""
        pairs = sorted(self.contested_pairs(threshold),
                       key=lambda p: (abs(2 * self.together[frozenset(p)] - self.count), area.name(p[0]),
                                      area.name(p[1])))
        rows = [{"Comune": area.name(a), "Confinante": area.name(b),
                 "Nella stessa zona": f"{self.together[frozenset((a, b))]} proposte su {self.count}"}
                for a, b in pairs]
        return pd.DataFrame(rows, columns=["Comune", "Confinante", "Nella stessa zona"])


def _consensus_zone(zone_id: str | None, zone_map: Mapping[str, str]) -> str | None:
    return None if zone_id is None else zone_map.get(zone_id)


def _overlaps_enough(shared: int, a: int, b: int) -> bool:
    return shared > 0 and 2 * shared >= min(a, b)


def _match_new_zones(proposals: Sequence[Plan], leftovers: Sequence[list[str]],
                     base: Plan) -> tuple[list[ConsensusZone], list[dict[str, str]]]:
    """Step 2 of the module docstring: pool the zones no base zone took (a new zone keeps its
    founder's colour unless taken; its id is the first free ``nuova1``, ``nuova2``... beside the base's)."""
    used_colors = [z.color for z in base.zones]
    new_zones: list[ConsensusZone] = []
    maps: list[dict[str, str]] = []
    for index, (proposal, zone_ids) in enumerate(zip(proposals, leftovers)):
        members = {z: set(proposal.members(z)) for z in zone_ids}
        candidates = sorted(
            ((len(members[z] & nz.founding_members), -k, z, nz) for z in zone_ids
             for k, nz in enumerate(new_zones)
             if _overlaps_enough(len(members[z] & nz.founding_members), len(members[z]),
                                 len(nz.founding_members))),
            key=lambda t: (-t[0], -t[1], t[2]))
        zone_map: dict[str, str] = {}
        taken: set[str] = set()
        for _, _, z, nz in candidates:
            if z not in zone_map and nz.id not in taken:
                zone_map[z] = nz.id
                taken.add(nz.id)
        for z in zone_ids:
            if z in zone_map:
                continue
            zone = proposal.zone(z)
            color = zone.color if zone.color not in used_colors else next_color(used_colors)
            used_colors.append(color)
            new_id = next_zone_id([*base.zone_ids, *(nz.id for nz in new_zones)], NEW_ZONE_PREFIX)
            founded = ConsensusZone(new_id, zone.name, color, index, frozenset(members[z]))
            new_zones.append(founded)
            zone_map[z] = founded.id
        maps.append(zone_map)
    return new_zones, maps


def build_consensus(area: Area, base: Plan, proposals: Sequence[Plan]) -> Consensus:
    """Votes, neighbours grouped together and the majority plan of ``proposals``.

    Parameters
    ----------
    area : Area
        The workshop's area; only its contiguity (``area.graph.neighbours``) is used.
    base : Plan
        The plan every proposal started from; its comuni are the ones counted.
    proposals : sequence of Plan
        One plan per participant (the last one each sent). A proposal is read over
        the base plan's comuni: a comune it lacks counts as unassigned.

    Returns
    -------
    Consensus
        See the module docstring for the matching of zones. In the majority plan a
        tie between choices goes to the base plan's zone of the comune when it is
        among them, then to the first zone in consensus order; "unassigned" wins only
        alone. New zones appear in the plan only where they are the majority.

    Raises
    ------
    ConsensusError
        With no proposal.
    """
    if not proposals:
        raise ConsensusError("Nessuna proposta ricevuta: il consenso si calcola dalla prima proposta inviata.")
    codes = base.codes
    plans = tuple(p.with_area(codes) for p in proposals)
    base_maps: list[dict[str, str]] = []
    leftovers: list[list[str]] = []
    for plan in plans:
        pairs = match_zones(base, plan)
        base_maps.append({other: ref for ref, other in pairs.items()})
        leftovers.append([z for z in plan.zone_ids if z not in base_maps[-1] and plan.members(z)])
    new_zones, new_maps = _match_new_zones(plans, leftovers, base)
    zone_maps = tuple({**b, **n} for b, n in zip(base_maps, new_maps))

    votes: dict[str, dict[str | None, int]] = {c: {} for c in codes}
    for plan, zone_map in zip(plans, zone_maps):
        for code, zone_id in plan.assignment:
            choice = _consensus_zone(zone_id, zone_map)
            votes[code][choice] = votes[code].get(choice, 0) + 1

    in_area = set(codes)
    together: dict[frozenset, int] = {}
    for code in codes:
        for other in area.graph.neighbours.get(code, ()):
            if other in in_area and code < other:
                together[frozenset((code, other))] = sum(
                    1 for p in plans if p.zone_of(code) is not None and p.zone_of(code) == p.zone_of(other))

    zones = tuple(ConsensusZone(z.id, z.name, z.color) for z in base.zones) + tuple(new_zones)
    order = {z.id: i for i, z in enumerate(zones)}

    def winner(code: str) -> str | None:
        counts = votes[code]
        best = max(counts.values())
        tied = [z for z, n in counts.items() if n == best]
        if base.zone_of(code) in tied:
            return base.zone_of(code)
        assigned = sorted((z for z in tied if z is not None), key=order.__getitem__)
        return assigned[0] if assigned else None

    assignment = {c: winner(c) for c in codes}
    used = set(assignment.values())
    plan_zones = [z for z in base.zones] + [Zone(z.id, z.name, z.color) for z in new_zones if z.id in used]
    return Consensus(base, zones, zone_maps, votes, together, plans, Plan.build(plan_zones, assignment))
