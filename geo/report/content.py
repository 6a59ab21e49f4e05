"""What a report on a zone plan says, built once and laid out by each output.

:func:`build_report` gathers everything the PDF (:mod:`geo.report.pdf`), the
workbook (:mod:`geo.report.xlsx`) and the presentation page show about one plan:
per-zone statistics, coverage of the four priority functions, the collaborations
the plan splits, the warnings, the comuni of every zone and the sources. The
renderers only lay it out, so the three outputs cannot disagree on a number.

Numbers stay numbers here (the workbook writes them as numbers); the ``*_text``
helpers give the Italian text the PDF and the pages show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

import pandas as pd

from geo.zoning.area import Area
from geo.collaborations.model import FORM_LABELS, FUNCTION_LABELS, PRIORITY_FUNCTIONS, STATUS_LABELS, Collaboration
from geo.collaborations.coverage import (
    Coherence, CollaborationSplit, coherence, coverage_by_zone, coverage_matrix, plan_splits,
)
from geo.data.shipped import ATTRIBUTION
from geo.data.territory import Territory
from geo.base.italian import format_number
from geo.render.homogeneity_tables import homogeneity_summary, homogeneity_zones
from geo.render.statistics_table import statistics_display_table
from geo.report.zone_sections import ZoneSection, zone_section
from geo.zoning.homogeneity import Homogeneity, homogeneity
from geo.zoning.indicators import Indicator
from geo.zoning.plan import Plan
from geo.zoning.statistic_types import StatisticError
from geo.zoning.statistics import statistics_registry, zone_statistics
from geo.zoning.statistics_registry import StatisticsRegistry
from geo.zoning.validation import Problem, validate

# Statistics the report's own tables use besides the statistics table (zones, comuni).
REPORT_STATISTICS = ("comuni", "residenti", "quota_residenti", "superficie")
AREA_NOTE = ("Area vasta: lista di lavoro dei comuni (ambiti distrettuali ATS Brescia 8, 9 e 10), "
             "da confermare con il gruppo di progetto (Hub della Conoscenza).")
# The territory a report names when none is given: the app's first one.
DEFAULT_TERRITORY_NAME, DEFAULT_TERRITORY_POSSESSIVE = "Pianura Bresciana", "della Pianura Bresciana"
COLLABORATIONS_NOTE = ("Collaborazioni intercomunali: schede raccolte dal progetto, ciascuna con le sue fonti "
                       "(elenco qui sotto); le schede «da verificare» poggiano su fonti vecchie o incomplete.")


@dataclass(frozen=True)
class SourcedCollaboration:
    """A collaboration with members in the area, as the sources section lists it."""

    name: str
    form: str
    functions: str
    status: str
    da_verificare: bool
    sources: tuple[str, ...]


# eq=False: holds DataFrames; compared by identity.
@dataclass(frozen=True, eq=False)
class ReportContent:
    """The content of a report on one plan (see module docstring).

    Attributes
    ----------
    title, author, notes : str
        The scenario's name, author and notes as typed (empty author/notes allowed).
    generated_at : datetime.datetime
        When the report was made (timezone-aware).
    day : datetime.date
        The day the collaborations' statuses refer to.
    area, plan :
        The plan and its area (kept for the map image).
    statistics : pandas.DataFrame
        :func:`geo.zoning.statistics.zone_statistics` (numbers).
    statistics_text : pandas.DataFrame
        The same, formatted (:func:`geo.render.statistics_table.statistics_display_table`).
    coverage : pandas.DataFrame
        :func:`geo.collaborations.coverage.coverage_by_zone` for the four priority functions.
    splits : tuple of CollaborationSplit
        :func:`geo.collaborations.coverage.plan_splits`: divided ones first, then by name.
    coherence : Coherence
    problems : tuple of Problem
        :func:`geo.zoning.validation.validate`.
    zones : tuple of ZoneSection
        Zones in plan order, then the unassigned comuni if any.
    collaborations : tuple of SourcedCollaboration
        Collaborations with at least one member in the area, by name.
    names : dict
        ISTAT code -> name of every shipped comune (members may lie outside the area).
    registry : StatisticsRegistry
        The statistics reported; its declarations give every figure's decimals and
        Excel format (:meth:`text`).
    homogeneity : Homogeneity
        The plan's homogeneity on the chosen indicators (none chosen: no indicators).
    territory_name, territory_possessive : str
        The territory the plan is drawn in (``"Pianura Bresciana"``, ``"della Pianura
        Bresciana"``): named in the heading.
    area_note : str
        Where the area vasta comes from, one sentence for the sources.
    """

    title: str
    author: str
    notes: str
    generated_at: dt.datetime
    day: dt.date
    area: Area
    plan: Plan
    statistics: pd.DataFrame
    statistics_text: pd.DataFrame
    coverage: pd.DataFrame
    splits: tuple[CollaborationSplit, ...]
    coherence: Coherence
    problems: tuple[Problem, ...]
    zones: tuple[ZoneSection, ...]
    collaborations: tuple[SourcedCollaboration, ...]
    names: dict[str, str]
    registry: StatisticsRegistry
    homogeneity: Homogeneity
    territory_name: str = DEFAULT_TERRITORY_NAME
    territory_possessive: str = DEFAULT_TERRITORY_POSSESSIVE
    area_note: str = AREA_NOTE

    def text(self, key: str, value: object) -> str:
        """``value`` as Italian text with the decimals declared for statistic ``key``."""
        return self.registry[key].format(value)

    @property
    def residents(self) -> int:
        """Residents of the whole area (1 January 2023)."""
        return int(self.area.table["pop_totale"].sum())

    @property
    def source_lines(self) -> tuple[str, ...]:
        """The data sources and attribution, one sentence each (then each indicator's year,
        source and licence)."""
        indicators = {i.indicator.key: i.indicator for i in self.homogeneity.indicators}
        own = dict.fromkeys([s.source_line for s in self.registry if s.source]
                            + [f"{i.label}: {i.source.line}" for i in indicators.values()
                               if i.key not in self.registry or not self.registry[i.key].source])
        return (ATTRIBUTION, self.area_note, COLLABORATIONS_NOTE, *own)

    @property
    def homogeneity_text(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The homogeneity as text: per indicator, and per zone."""
        return homogeneity_summary(self.homogeneity), homogeneity_zones(self.homogeneity, self.plan,
                                                                        self.names.get)


def _names_by_code(area: Area) -> dict[str, str]:
    # Members of a collaboration may lie outside the area: context comuni have names too.
    return {**dict(zip(area.context.index, area.context["comune"])),
            **dict(zip(area.comuni.index, area.comuni["comune"]))}


def _sorted_splits(splits: Iterable[CollaborationSplit]) -> tuple[CollaborationSplit, ...]:
    return tuple(sorted(splits, key=lambda s: (not s.is_split, s.collaboration.name.casefold())))


def build_report(area: Area, plan: Plan, collaborations: Iterable[Collaboration], *, title: str,
                 author: str = "", notes: str = "", day: dt.date | None = None,
                 generated_at: dt.datetime | None = None,
                 registry: StatisticsRegistry | None = None, indicators: Sequence[Indicator] = (),
                 territory: Territory | None = None) -> ReportContent:
    """Compute the content of a report on ``plan``.

    Parameters
    ----------
    area : Area
        The plan's area vasta (residents: ISTAT, 1 January 2023; areas in km²
        computed in EPSG:32632; contiguity by the queen rule in EPSG:32632).
    plan : Plan
        The zones to report on.
    collaborations : iterable of Collaboration
        Every known collaboration (those with no member in the area are left out;
        ended ones count neither for coverage nor for splits).
    title, author, notes : str
        Shown in the heading (user text: renderers escape it).
    day : datetime.date, optional
        Day the collaborations' statuses refer to; default today.
    generated_at : datetime.datetime, optional
        Time of the report (timezone-aware); default now.
    registry : StatisticsRegistry, optional
        The statistics to report (default: the active one); it must hold
        :data:`REPORT_STATISTICS`.
    indicators : sequence of Indicator
        The indicators the homogeneity is reported on (the area must hold their columns).
    territory : Territory, optional
        The territory the plan is drawn in (named in the heading, its area note in
        the sources); default the Pianura Bresciana's wording.

    Returns
    -------
    ReportContent

    Raises
    ------
    StatisticError
        If ``registry`` lacks one of :data:`REPORT_STATISTICS`.
    """
    registry = statistics_registry() if registry is None else registry
    absent = [k for k in REPORT_STATISTICS if k not in registry]
    if absent:
        raise StatisticError(f"Il rapporto richiede le statistiche: {', '.join(absent)}.")
    day = day or dt.date.today()
    generated_at = generated_at or dt.datetime.now(dt.timezone.utc)
    collaborations = tuple(collaborations)
    in_area = set(area.codes)
    relevant = tuple(sorted((c for c in collaborations if in_area.intersection(c.members)),
                            key=lambda c: c.name.casefold()))
    names = _names_by_code(area)
    problems = validate(area, plan)
    splits = _sorted_splits(plan_splits(plan, relevant, day))
    matrix = coverage_matrix(area.codes, relevant, PRIORITY_FUNCTIONS, day)
    stats = zone_statistics(area, plan, registry)
    zone_ids: list[str | None] = [*plan.zone_ids, *([None] if plan.unassigned else [])]
    return ReportContent(
        title=title, author=author, notes=notes, generated_at=generated_at, day=day, area=area, plan=plan,
        statistics=stats, statistics_text=statistics_display_table(stats, registry),
        coverage=coverage_by_zone(area, plan, relevant, day),
        splits=splits, coherence=coherence(splits), problems=tuple(problems),
        zones=tuple(zone_section(area, plan, z, matrix, problems, splits, names) for z in zone_ids),
        collaborations=tuple(
            SourcedCollaboration(c.name, FORM_LABELS[c.form], ", ".join(FUNCTION_LABELS[f] for f in c.functions),
                                 STATUS_LABELS[c.status_on(day)], c.da_verificare, c.sources)
            for c in relevant),
        names=names, registry=registry, homogeneity=homogeneity(area, plan, indicators),
        **_territory_fields(territory),
    )


def _territory_fields(territory: Territory | None) -> dict:
    if territory is None:
        return {}
    note = (f"Area vasta ({territory.name}): {territory.area_note}." if territory.area_note
            else f"Area vasta: comuni del territorio «{territory.name}».")
    return {"territory_name": territory.name, "territory_possessive": territory.possessive, "area_note": note}


# -- text shared by the PDF and the pages -------------------------------------------------
def coverage_cell_text(row, *, compact: bool = False) -> str:
    """One (zone, function) row of :func:`geo.collaborations.coverage.coverage_by_zone` as text:
    ``"6 su 15 comuni, 22.014 ab. (39,1%)"``; with ``compact`` ``"6/15 comuni (39% ab.)"``
    (share of residents covered). Comuni covered only by records to verify, and
    those with only a planned collaboration, are counted and said."""
    if not row.comuni:
        return "nessun comune"
    if compact:
        text = (f"{row.comuni_coperti}/{row.comuni} comuni ({format_number(row.quota_residenti, 0)}% ab.)"
                if row.comuni_coperti else "nessun comune")
    else:
        text = (f"{row.comuni_coperti} su {row.comuni} comuni, {format_number(row.residenti_coperti)} ab. "
                f"({format_number(row.quota_residenti, 1)}%)")
    if row.comuni_da_verificare:
        text += f"; {row.comuni_da_verificare} da verificare"
    if row.comuni_previsti:
        text += f"; {row.comuni_previsti} con collaborazione prevista"
    return text


def coverage_text_table(coverage: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """:func:`geo.collaborations.coverage.coverage_by_zone` as one row per zone (column ``Zona``)
    and one text column per function (its Italian label), cells from
    :func:`coverage_cell_text`."""
    out: dict[str, list[str]] = {"Zona": list(dict.fromkeys(coverage["zona"]))}
    for function in dict.fromkeys(coverage["funzione"]):
        rows = coverage[coverage["funzione"] == function]
        out[FUNCTION_LABELS[function]] = [coverage_cell_text(r, compact=compact) for r in rows.itertuples()]
    return pd.DataFrame(out)


def coherence_sentence(score: Coherence) -> str:
    """The coherence score in words (or why there is none)."""
    if score.total == 0:
        return "Nessuna collaborazione con almeno due comuni assegnati: coerenza non misurabile."
    return (f"{score.kept} adesioni su {score.total} ({format_number(100 * score.share, 0)}%) sono in "
            "collaborazioni che restano tutte dentro una sola zona.")


def warnings_count_text(problems) -> str:
    """``"nessun avviso"``, ``"1 avviso"``, ``"3 avvisi"``."""
    n = len(problems)
    return "nessun avviso" if n == 0 else f"{n} {'avviso' if n == 1 else 'avvisi'}"


def zones_text_table(content: ReportContent) -> pd.DataFrame:
    """Zones (and unassigned comuni) with comuni, residents and share of the area's
    residents, plus a total row; Italian text."""
    rows = [(z.name, len(z.comuni), z.residents, z.share) for z in content.zones]
    rows.append(("Totale area", len(content.area.codes), content.residents, 100.0))
    return pd.DataFrame({
        "Zona": [r[0] for r in rows],
        "Comuni": [content.text("comuni", r[1]) for r in rows],
        "Residenti": [content.text("residenti", r[2]) for r in rows],
        "Quota dei residenti": [f"{content.text('quota_residenti', r[3])}%" for r in rows],
    })
