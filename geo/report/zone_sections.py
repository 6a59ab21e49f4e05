"""What a report says about each zone: its comuni, residents, warnings and collaborations.

Built by :func:`zone_section` for :func:`geo.report.content.build_report`; the PDF
lays out one page per section, the workbook one row per comune.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.collaborations.coverage import CollaborationSplit
from geo.zoning.area import Area
from geo.zoning.plan import UNASSIGNED_COLOR, Plan
from geo.zoning.validation import Problem

UNASSIGNED_NAME = "Comuni non assegnati"


@dataclass(frozen=True)
class ComuneLine:
    """One comune of a zone: ISTAT code (6-character text), name, residents on
    1 January 2023, area in km² (EPSG:32632), and its coverage state for each
    priority function (keys of :data:`geo.collaborations.coverage.COVERAGE_LABELS`)."""

    code: str
    name: str
    residents: int
    area_km2: float
    coverage: tuple[str, ...]


@dataclass(frozen=True)
class ZoneCollaboration:
    """A collaboration with members in a zone: its name, those members' names, and
    whether the plan divides it among several zones."""

    name: str
    members: tuple[str, ...]
    is_split: bool


@dataclass(frozen=True)
class ZoneSection:
    """Everything the report says about one zone (or, with ``zone_id`` ``None``,
    about the comuni left unassigned)."""

    zone_id: str | None
    name: str
    color: str
    comuni: tuple[ComuneLine, ...]
    residents: int
    share: float
    area_km2: float
    problems: tuple[str, ...]
    collaborations: tuple[ZoneCollaboration, ...]


def zone_section(area: Area, plan: Plan, zone_id: str | None, matrix: pd.DataFrame, problems: list[Problem],
                 splits: tuple[CollaborationSplit, ...], names: dict[str, str]) -> ZoneSection:
    """The section of zone ``zone_id`` (``None``: the unassigned comuni).

    ``matrix`` is :func:`geo.collaborations.coverage.coverage_matrix` of the area's
    comuni; ``problems`` the plan's warnings; ``splits`` how the plan divides each
    collaboration; ``names`` code -> name of every shipped comune.
    """
    codes = plan.members(zone_id)
    table = area.table
    comuni = tuple(sorted(
        (ComuneLine(c, area.name(c), int(table.at[c, "pop_totale"]), float(table.at[c, "area_km2"]),
                    tuple(matrix.loc[c])) for c in codes),
        key=lambda line: line.name.casefold()))
    residents = sum(line.residents for line in comuni)
    total = int(table["pop_totale"].sum())
    if zone_id is None:
        own_problems = tuple(p.message for p in problems if p.kind == "non_assegnati")
        name, color = UNASSIGNED_NAME, UNASSIGNED_COLOR
    else:
        own_problems = tuple(p.message for p in problems if p.zone_id == zone_id)
        zone = plan.zone(zone_id)
        name, color = zone.name, zone.color
    collaborations = tuple(
        ZoneCollaboration(s.collaboration.name,
                          tuple(sorted((names.get(c, c) for c in members), key=str.casefold)), s.is_split)
        for s in splits for z, members in s.parts if z == zone_id
    )
    return ZoneSection(zone_id, name, color, comuni, residents, 100.0 * residents / total if total else 0.0,
                       sum(line.area_km2 for line in comuni), own_problems, collaborations)
