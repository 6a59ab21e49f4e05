"""Checks on a plan that return reasons in Italian, not a bare yes/no."""

from __future__ import annotations

from dataclasses import dataclass

from geo.zoning.area import Area
from geo.zoning.plan import Plan
from geo.zoning.zone_groups import ZoneGroups


@dataclass(frozen=True)
class Problem:
    """One reason why a plan is not yet acceptable.

    Attributes
    ----------
    kind : str
        ``"non_assegnati"``, ``"zona_vuota"`` or ``"non_contigua"``.
    message : str
        Italian sentence for the user, naming the comuni involved.
    codes : tuple of str
        ISTAT codes the map should zoom to (empty for an empty zone).
    zone_id : str or None
        The zone concerned, if any.
    """

    kind: str
    message: str
    codes: tuple[str, ...] = ()
    zone_id: str | None = None


def _names(area: Area, codes) -> str:
    return ", ".join(area.names(codes))


def unassigned_comuni(area: Area, plan: Plan) -> list[Problem]:
    codes = plan.unassigned
    if not codes:
        return []
    label = "comune non assegnato" if len(codes) == 1 else "comuni non assegnati"
    return [Problem("non_assegnati", f"{len(codes)} {label} a una zona: {_names(area, codes)}.", codes)]


def empty_zones(area: Area, plan: Plan) -> list[Problem]:
    counts = ZoneGroups.of(area, plan).member_counts
    return [
        Problem("zona_vuota", f"La zona «{z.name}» non contiene comuni.", (), z.id)
        for z, count in zip(plan.zones, counts)
        if not count
    ]


def non_contiguous_zones(area: Area, plan: Plan) -> list[Problem]:
    # The pieces of every zone at once; the comuni of each piece only where a zone is split.
    groups = ZoneGroups.of(area, plan)
    counts = groups.pieces()
    problems = []
    for zone, members, count in zip(plan.zones, groups.members, counts):
        if count < 2:
            continue
        pieces = area.graph.pieces(members)
        if len(pieces) > 1:
            described = "; ".join(f"parte {i}: {_names(area, p)}" for i, p in enumerate(pieces, start=1))
            detached = tuple(c for p in pieces[1:] for c in p)
            problems.append(Problem(
                "non_contigua",
                f"La zona «{zone.name}» è divisa in {len(pieces)} parti non confinanti ({described}).",
                detached,
                zone.id,
            ))
    return problems


CHECKS = (unassigned_comuni, empty_zones, non_contiguous_zones)


def validate(area: Area, plan: Plan) -> list[Problem]:
    """Run every check; an empty list means the plan is complete and contiguous.

    Parameters
    ----------
    area : Area
        The area vasta, whose contiguity graph (queen rule, EPSG:32632) is used.
    plan : Plan
        The plan to check.
    """
    return [problem for check in CHECKS for problem in check(area, plan)]
