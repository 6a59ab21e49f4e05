"""How alike the comuni of each zone are, on the indicators a user chooses.

For one indicator (values ``x`` and weights ``w`` of the comuni, see
:func:`geo.zoning.indicators.comune_values`; only assigned comuni with a value count):

* a zone's **mean** is the weighted mean of its comuni (the zone's own ratio);
* its **coefficient of variation** is the weighted standard deviation over the mean,
  shown only for indicators that are never negative and a positive mean;
* the plan's **share of variance explained** is the between-zone over the total sum
  of squares, ``BSS / TSS = 1 - WSS / TSS`` with
  ``TSS = Σ w (x - m)²`` around the mean ``m`` of all assigned comuni and
  ``WSS = Σ w (x - m_z)²`` around each zone's mean: 0 when every zone has the area's
  mean, 1 when the comuni of each zone are equal. It does not change when the
  indicator is standardised, so it compares indicators of any unit;
* the plan's **homogeneity score** is the mean of the shares of the chosen indicators.

The comuni **furthest from their zone's mean** are ranked by the root mean square of
their standardised deviations (deviation over the area's standard deviation) over
the indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from geo.zoning.area import Area
from geo.zoning.indicators import Indicator, comune_values
from geo.zoning.plan import Plan

FURTHEST = 3
NOT_POSITIVE_NOTE = ("il coefficiente di variazione non è mostrato: l'indicatore può essere negativo o nullo, "
                     "e il rapporto tra scarto e media non avrebbe senso")


def explained_share(values: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> float:
    """``BSS / TSS`` of ``values`` grouped by integer ``labels`` (``-1``: left out).

    Parameters
    ----------
    values, weights : numpy.ndarray
        One per unit; units with NaN value or weight 0 are left out.
    labels : numpy.ndarray
        Group of each unit, ``0..k-1``, or ``-1`` for units outside every group.

    Returns
    -------
    float
        Between 0 and 1; NaN when the total sum of squares is 0 (all values equal).
    """
    keep = (labels >= 0) & np.isfinite(values) & (weights > 0)
    x, w, g = values[keep], weights[keep], labels[keep]
    if not len(x):
        return float("nan")
    mean = float((w * x).sum() / w.sum())
    total = float((w * (x - mean) ** 2).sum())
    if total <= 0:
        return float("nan")
    size = int(g.max()) + 1
    group_w = np.bincount(g, weights=w, minlength=size)
    group_mean = np.bincount(g, weights=w * x, minlength=size) / np.where(group_w > 0, group_w, 1)
    within = float((w * (x - group_mean[g]) ** 2).sum())
    return max(0.0, min(1.0, 1.0 - within / total))


@dataclass(frozen=True, eq=False)
class IndicatorHomogeneity:
    """One indicator over one plan (arrays in the plan's zone order).

    Attributes
    ----------
    indicator : Indicator
    explained : float
        Share of the indicator's variance explained by the zones (0-1; NaN when every
        comune has the same value).
    means, cv : numpy.ndarray
        Per zone: weighted mean (the indicator's unit) and coefficient of variation
        (a fraction; NaN where not shown, see :attr:`cv_note`).
    missing : numpy.ndarray
        Per zone: comuni without a value (left out, never estimated).
    area_mean, area_sd : float
        Over every assigned comune with a value.
    cv_note : str or None
        Why no coefficient of variation is shown for this indicator, if it is not.
    """

    indicator: Indicator
    explained: float
    means: np.ndarray
    cv: np.ndarray
    missing: np.ndarray
    area_mean: float
    area_sd: float
    cv_note: str | None

    @property
    def missing_total(self) -> int:
        return int(self.missing.sum())


@dataclass(frozen=True)
class FarComune:
    """A comune far from its zone's mean: ``distance`` in standard deviations (root
    mean square over the indicators), ``values`` per indicator (NaN: missing)."""

    code: str
    distance: float
    values: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class Homogeneity:
    """Homogeneity of a plan on chosen indicators (see module docstring).

    Attributes
    ----------
    zone_ids : tuple of str
        The plan's zones, in order: the rows of every per-zone array.
    indicators : tuple of IndicatorHomogeneity
    furthest : tuple of tuple of FarComune
        Per zone, up to :data:`FURTHEST` comuni furthest from the zone's means.
    """

    zone_ids: tuple[str, ...]
    indicators: tuple[IndicatorHomogeneity, ...]
    furthest: tuple[tuple[FarComune, ...], ...]

    @property
    def score(self) -> float:
        """Mean of the indicators' explained shares (0-1), NaN with none measurable."""
        shares = [i.explained for i in self.indicators if i.explained == i.explained]
        return float(np.mean(shares)) if shares else float("nan")


def zone_labels(area: Area, plan: Plan) -> np.ndarray:
    """Each member's zone as its position in ``plan.zone_ids`` (``-1``: unassigned), in area order."""
    position = {zone_id: i for i, zone_id in enumerate(plan.zone_ids)}
    return np.array([position.get(plan.zone_of(code), -1) for code in area.codes], dtype=np.intp)


def _one(indicator: Indicator, area: Area, labels: np.ndarray, zones: int) -> tuple[IndicatorHomogeneity, np.ndarray]:
    values, weights = comune_values(indicator, area)
    assigned = labels >= 0
    has = assigned & np.isfinite(values)
    safe_labels = np.where(assigned, labels, 0)
    x, w = np.where(has, values, 0.0), np.where(has, weights, 0.0)
    group_w = np.bincount(safe_labels, weights=w, minlength=zones)[:zones]
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.bincount(safe_labels, weights=w * x, minlength=zones)[:zones] / group_w
        means = np.where(group_w > 0, means, np.nan)
        deviation = np.where(has, x - np.nan_to_num(means)[safe_labels], 0.0)
        variance = np.bincount(safe_labels, weights=w * deviation ** 2, minlength=zones)[:zones] / group_w
        cv = np.sqrt(variance) / means
    note = None if indicator.positive else NOT_POSITIVE_NOTE
    cv = np.where((means > 0) & (group_w > 0) & indicator.positive, cv, np.nan)
    missing = np.bincount(safe_labels, weights=assigned & ~np.isfinite(values), minlength=zones)[:zones].astype(int)
    total_w = float(w.sum())
    area_mean = float((w * x).sum() / total_w) if total_w > 0 else float("nan")
    area_sd = float(np.sqrt((w * (x - area_mean) ** 2).sum() / total_w)) if total_w > 0 else float("nan")
    standardised = np.where(has, deviation / area_sd if area_sd > 0 else 0.0, np.nan)
    result = IndicatorHomogeneity(indicator, explained_share(values, weights, labels), means, cv, missing,
                                  area_mean, area_sd, note)
    return result, standardised


def homogeneity(area: Area, plan: Plan, indicators: Sequence[Indicator]) -> Homogeneity:
    """Evaluate the plan's homogeneity on ``indicators`` (see module docstring).

    Parameters
    ----------
    area : Area
        With the columns the indicators read.
    plan : Plan
        Zones over the area; unassigned comuni are left out of every figure.
    indicators : sequence of Indicator
        Evaluated in this order; an empty sequence gives a NaN score.
    """
    labels = zone_labels(area, plan)
    zones = len(plan.zone_ids)
    results, deviations = [], []
    for indicator in indicators:
        result, standardised = _one(indicator, area, labels, zones)
        results.append(result)
        deviations.append(standardised)
    furthest = []
    if deviations:
        stacked = np.vstack(deviations)
        counted = np.isfinite(stacked).sum(axis=0)
        with np.errstate(invalid="ignore"):
            distance = np.sqrt(np.nansum(stacked ** 2, axis=0) / np.where(counted > 0, counted, 1))
        distance = np.where(counted > 0, distance, np.nan)
    for zone in range(zones):
        if not deviations:
            furthest.append(())
            continue
        members = np.flatnonzero((labels == zone) & np.isfinite(distance))
        ranked = members[np.argsort(-distance[members], kind="stable")][:FURTHEST]
        furthest.append(tuple(
            FarComune(area.codes[i], float(distance[i]),
                      tuple(float(comune_values(ind, area)[0][i]) for ind in indicators))
            for i in ranked))
    return Homogeneity(plan.zone_ids, tuple(results), tuple(furthest))
