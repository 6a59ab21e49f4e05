"""The colours of zones: the Okabe-Ito palette (without black), distinguishable with
the common colour-vision deficiencies; used in order for new zones."""

from __future__ import annotations

PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def zone_colors(count: int) -> list[str]:
    """``count`` colours for new zones, in palette order, cycling when there are more zones."""
    return [PALETTE[i % len(PALETTE)] for i in range(count)]
