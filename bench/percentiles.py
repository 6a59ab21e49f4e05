"""Percentiles as the benchmarks report them."""

from __future__ import annotations

import math


def percentiles(values) -> dict:
    """p50, p90, p99 by nearest rank (the value below which that share of the
    samples lie), with the sample count; ``None`` when there are no samples."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"p50": None, "p90": None, "p99": None, "n": 0}
    rank = lambda p: values[max(0, math.ceil(p * len(values)) - 1)]  # noqa: E731
    return {"p50": round(rank(0.5), 1), "p90": round(rank(0.9), 1), "p99": round(rank(0.99), 1),
            "n": len(values)}
