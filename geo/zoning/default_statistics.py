"""The ten statistics the app ships, declared once (see :mod:`geo.zoning.statistic_types`).

Residents are ISTAT's on 1 January 2023; areas and perimeters are measured in
EPSG:32632 (metres). To add a statistic, declare it here (or, for one that only
some sessions need, pass ``DEFAULT_REGISTRY.with_statistics(...)`` as
``registry=``): every table, export and report then shows it.
"""

from __future__ import annotations

import numpy as np

from geo.zoning.measures import polsby_popper
from geo.zoning.statistic_types import NO_TOTAL, ColumnSum, Statistic, SumRatio, Tally, ZoneFunction
from geo.zoning.statistics_registry import StatisticsRegistry
from geo.zoning.zone_groups import ZoneGroups

SMALL_COMUNE_RESIDENTS = 5000
INTEGER, DECIMAL_1, DECIMAL_2 = "#,##0", "#,##0.0", "0.00"

COMUNI = Tally("comuni")
RESIDENTS = Tally("residenti", "pop_totale")
RESIDENTS_65_PLUS = Tally("residenti_65_piu", "pop_65_piu")
AREA_KM2 = Tally("superficie_km2", "area_km2")
SMALL_COMUNI = Tally("comuni_piccoli", "pop_totale", lambda residents: residents < SMALL_COMUNE_RESIDENTS)


def _share_of_residents(g: ZoneGroups) -> np.ndarray:
    (residents,) = g.sums(RESIDENTS)
    (total,) = g.area_sums(RESIDENTS)
    return np.full(len(residents), np.nan) if total == 0 else 100.0 * residents / total


def _deviation(g: ZoneGroups) -> np.ndarray:
    """Per cent above (+) or below (-) the mean zone; none for the unassigned comuni."""
    (residents,) = g.sums(RESIDENTS)
    zones = residents[:g.zone_count]
    mean = float(zones.mean()) if len(zones) else np.nan
    out = np.full(len(residents), np.nan)
    if mean == mean and mean != 0:
        out[:g.zone_count] = 100.0 * (zones - mean) / mean
    return out


def _pieces(g: ZoneGroups) -> np.ndarray:
    return g.pieces()


def _area_pieces(g: ZoneGroups) -> int:
    return g.area.cached("pieces", lambda: len(g.area.graph.pieces(g.area.codes)))


def _compactness(g: ZoneGroups) -> list[float]:
    (km2,) = g.sums(AREA_KM2)
    perimeters = g.perimeters_m()
    return [polsby_popper(km2[i] * 1e6, perimeters[i]) if members and i < g.zone_count
            else np.nan for i, members in enumerate(g.members)]


def _area_compactness(g: ZoneGroups) -> float:
    (km2,) = g.area_sums(AREA_KM2)
    return g.area.cached("compactness", lambda: polsby_popper(km2 * 1e6, g.area.graph.perimeter_of(g.area.codes)))


DEFAULT_STATISTICS: tuple[Statistic, ...] = (
    Statistic(key="comuni", label="Comuni", unit="n.", aggregation=ColumnSum(COMUNI),
              decimals=0, excel_format=INTEGER, field="comuni", whole=True,
              help="Quanti comuni fanno parte della zona."),
    Statistic(key="residenti", label="Residenti", unit="ab.", aggregation=ColumnSum(RESIDENTS),
              decimals=0, excel_format=INTEGER, field="residenti", whole=True,
              help="Persone residenti nei comuni della zona al 1° gennaio 2023 (ISTAT)."),
    Statistic(key="quota_residenti", label="Quota residenti", unit="%",
              aggregation=ZoneFunction(_share_of_residents, lambda g: 100.0, (RESIDENTS,)),
              decimals=1, excel_format=DECIMAL_1, field="quota_residenti_pct",
              help="Residenti della zona sul totale dell'area vasta."),
    Statistic(key="scarto_media", label="Differenza dalla media", unit="%",
              aggregation=ZoneFunction(_deviation, NO_TOTAL, (RESIDENTS,)),
              decimals=1, excel_format=DECIMAL_1, field="scarto_media_pct",
              help="Di quanto i residenti della zona superano (+) o non raggiungono (−) la media delle zone, "
                   "in per cento della media (nome tecnico: scarto percentuale dalla media)."),
    Statistic(key="superficie", label="Superficie", unit="km²", aggregation=ColumnSum(AREA_KM2),
              decimals=1, excel_format=DECIMAL_1, field="superficie_km2",
              help="Estensione della zona, misurata sui confini ISTAT."),
    Statistic(key="densita", label="Densità", unit="ab./km²", aggregation=SumRatio(RESIDENTS, AREA_KM2),
              decimals=0, excel_format=INTEGER, field="densita_ab_km2",
              help="Residenti per chilometro quadrato di superficie."),
    Statistic(key="comuni_piccoli", label=f"Comuni sotto {SMALL_COMUNE_RESIDENTS:,} ab.".replace(",", "."),
              unit="n.", aggregation=ColumnSum(SMALL_COMUNI),
              decimals=0, excel_format=INTEGER, field="comuni_piccoli", whole=True,
              help="Comuni della zona con meno di 5.000 residenti."),
    Statistic(key="quota_65_piu", label="Quota 65 anni e più", unit="%",
              aggregation=SumRatio(RESIDENTS_65_PLUS, RESIDENTS, scale=100.0),
              decimals=1, excel_format=DECIMAL_1, field="quota_65_piu_pct",
              help="Residenti con 65 anni o più, su cento residenti della zona."),
    Statistic(key="pezzi", label="Parti separate", unit="n.", aggregation=ZoneFunction(_pieces, _area_pieces),
              decimals=0, excel_format=INTEGER, field="pezzi", whole=True, higher_is_better=False,
              help="In quante parti staccate è divisa la zona: 1 = zona contigua (confini in comune, "
                   "anche solo un punto)."),
    Statistic(key="compattezza", label="Forma compatta", unit="0-1",
              aggregation=ZoneFunction(_compactness, _area_compactness, (AREA_KM2,)),
              decimals=2, excel_format=DECIMAL_2, field="compattezza", higher_is_better=True,
              help="Quanto la zona è raccolta: 1 = cerchio, 0,785 = quadrato, valori bassi = zona allungata o "
                   "frastagliata (nome tecnico: compattezza di Polsby-Popper, 4π·superficie/perimetro², "
                   "in metri, EPSG:32632)."),
)

DEFAULT_REGISTRY = StatisticsRegistry(DEFAULT_STATISTICS, short=("comuni", "residenti"))
