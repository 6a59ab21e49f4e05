"""The difference map of a comparison (see :mod:`geo.zoning.compare`) as a PNG image."""

from __future__ import annotations

from geo.render.map_image import LegendEntry, render_map_png
from geo.zoning.area import Area
from geo.zoning.compare import Comparison

CHANGED_COLOR = "#D55E00"  # Okabe-Ito vermillion
AREA_DIFFERENCE_COLOR = "#CC79A7"  # Okabe-Ito reddish purple
SAME_COLOR = "#FFFFFF"
MAX_MAP_LABELS = 20


def difference_map_png(comparison: Comparison, union_area: Area, *, width_in: float = 10.0,
                       dpi: int = 120) -> bytes:
    """PNG map of the union of the plans' areas: comuni that change zone in vermillion
    (named on the map when they are few), comuni in some areas only in purple, the
    others light grey. ``union_area`` must hold every comune of every plan."""
    changed, partial = set(comparison.changed), set(comparison.area_differences)
    fills = {c: CHANGED_COLOR if c in changed else AREA_DIFFERENCE_COLOR if c in partial else SAME_COLOR
             for c in union_area.codes}
    same = len(union_area.codes) - len(changed) - len(partial)
    legend = [LegendEntry(f"Cambiano zona: {len(changed)} comuni", CHANGED_COLOR)]
    if partial:
        legend.append(LegendEntry(f"Nell'area solo di alcuni piani: {len(partial)} comuni", AREA_DIFFERENCE_COLOR))
    legend.append(LegendEntry(f"Stessa zona in tutti i piani: {same} comuni", SAME_COLOR))
    labels = comparison.changed if len(comparison.changed) <= MAX_MAP_LABELS else ()
    return render_map_png(union_area, fills, legend, labels=labels, width_in=width_in, dpi=dpi,
                          legend_title="Differenze")
