"""The independent check of a suggested plan: every proposal is re-checked here, on the
area's own contiguity graph, before anyone sees it (spopt works on its own copy of
the graph, and does not enforce the floor when its start violates it).

The checks: the number of zones; every comune outside the locked zones assigned to a
proposed zone; the locked zones exactly as they were; each zone contiguous; the
proposed zones' residents within the floor and the maximum deviation; each kept
collaboration's comuni in one zone. Each failure is an Italian sentence.
"""

from __future__ import annotations

from geo.base.italian import format_number
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from geo.zoning.suggestion_problem import Constraints


def suggestion_problems(area: Area, current: Plan, constraints: Constraints, proposal: Plan) -> list[str]:
    """Why ``proposal`` does not meet ``constraints`` over ``current`` (empty: it does)."""
    problems: list[str] = []
    residents_of = dict(zip(area.codes, area.columns(("pop_totale",))["pop_totale"]))
    if len(proposal.zones) != constraints.zones:
        problems.append(f"La proposta ha {len(proposal.zones)} zone invece di {constraints.zones}.")
    if set(proposal.codes) != set(current.codes):
        problems.append("La proposta non copre gli stessi comuni del piano attuale.")
    locked = {z.id: z for z in current.zones if z.locked}
    for zone_id, zone in locked.items():
        if zone_id not in proposal.zone_ids or proposal.zone(zone_id) != zone \
                or proposal.members(zone_id) != current.members(zone_id):
            problems.append(f"La zona bloccata «{zone.name}» è cambiata.")
    if proposal.unassigned:
        problems.append(f"{len(proposal.unassigned)} comuni restano senza zona.")
    total = sum(residents_of[c] for c in proposal.codes)
    mean = total / max(len(proposal.zones), 1)
    for zone in proposal.zones:
        members = proposal.members(zone.id)
        if not members:
            problems.append(f"La zona «{zone.name}» è vuota.")
            continue
        if len(area.graph.pieces(members)) != 1:
            problems.append(f"La zona «{zone.name}» non è contigua.")
        if zone.id in locked:
            continue
        people = sum(residents_of[c] for c in members)
        if people < constraints.min_residents:
            problems.append(f"La zona «{zone.name}» ha {format_number(people)} residenti, meno del minimo di "
                            f"{format_number(constraints.min_residents)}.")
        if constraints.max_deviation is not None and abs(people - mean) > mean * constraints.max_deviation / 100 + 1e-6:
            problems.append(f"La zona «{zone.name}» si scosta dalla media delle zone più del "
                            f"{format_number(constraints.max_deviation)}%.")
    for group in constraints.keep_together:
        zones = {proposal.zone_of(c) for c in group.codes if c in set(proposal.codes)}
        if len(zones) > 1:
            problems.append(f"La collaborazione «{group.name}» è divisa tra più zone.")
    return problems
