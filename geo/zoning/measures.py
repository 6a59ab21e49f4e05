"""Scalar formulas, kept apart from the code that applies them to zones."""

from __future__ import annotations

import math


def polsby_popper(area_m2: float, perimeter_m: float) -> float:
    """Polsby-Popper compactness, 4*pi*A / P**2: 1 for a circle, pi/4 for a square.

    Parameters
    ----------
    area_m2 : float
        Area in square metres (projected CRS, EPSG:32632).
    perimeter_m : float
        Perimeter in metres, same CRS.

    Returns
    -------
    float
        A value in (0, 1]; NaN when the perimeter is zero (empty shape).
    """
    if perimeter_m <= 0:
        return math.nan
    return 4 * math.pi * area_m2 / perimeter_m**2


def percent(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole``; NaN when ``whole`` is zero."""
    return math.nan if whole == 0 else 100.0 * part / whole
