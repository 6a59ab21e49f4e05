"""Map images rendered on the server with matplotlib: no browser, no network.

Used for the PNG export and for the small maps of the comparison page. Drawing
happens in EPSG:32632 (metres) so shapes and the scale bar are true; only the
object-oriented matplotlib API is used (no ``pyplot`` global state), so several
sessions can render at the same time.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from geo.zoning.area import Area
from geo.data.shipped import ATTRIBUTION, METRIC_CRS
from geo.base.italian import format_number
from geo.zoning.plan import UNASSIGNED_COLOR, Plan

CONTEXT_FILL = "#E4E4E4"
CONTEXT_EDGE = "#9A9A9A"
CONTEXT_MARGIN_M = 4000.0
HIGHLIGHT_EDGE = "#D00000"


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain_text(text: str) -> str:
    """User text for a matplotlib label: ``$`` would start mathtext, so escape it;
    control characters pasted with a name have no glyph, so drop them."""
    return _CONTROL.sub("", str(text)).replace("$", r"\$")


def _polygon_path(geometry) -> Path:
    """A matplotlib path of a (Multi)Polygon, holes included (even-odd filling)."""
    vertices, codes = [], []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in (polygon.exterior, *polygon.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            vertices.append(coords)
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(ring_codes)
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _collection(geometries: Iterable, **style) -> PatchCollection:
    patches = [PathPatch(_polygon_path(g)) for g in geometries if g is not None and not g.is_empty]
    return PatchCollection(patches, match_original=False, **style)


def _scale_bar(ax, bounds: tuple[float, float, float, float]) -> None:
    minx, miny, maxx, maxy = bounds
    length = 10_000.0 if maxx - minx > 30_000 else 5_000.0
    x0, y0 = minx + 0.04 * (maxx - minx), miny + 0.04 * (maxy - miny)
    ax.plot([x0, x0 + length], [y0, y0], color="#222222", linewidth=3, solid_capstyle="butt", zorder=5)
    ax.text(x0 + length / 2, y0 + 0.012 * (maxy - miny), f"{int(length / 1000)} km",
            ha="center", va="bottom", fontsize=8, zorder=5)


def wrapped(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters, broken only at spaces and
    after hyphens: every word is kept whole (a longer word gets a line of its own),
    never shortened. Joining the lines with a space gives ``text`` back."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=True)) or text


def render_map_png(area: Area, fills: Mapping[str, str], legend: Sequence[LegendEntry], *,
                   title: str = "", highlight: Iterable[str] = (), labels: Iterable[str] = (),
                   outlines: Sequence[Sequence[str]] = (), width_in: float = 10.0, dpi: int = 150,
                   legend_title: str = "", attribution: bool = True) -> bytes:
    """A PNG map of the area's comuni with given fill colours (:func:`map_figure`)."""
    figure = map_figure(area, fills, legend, title=title, highlight=highlight, labels=labels, outlines=outlines,
                        width_in=width_in, dpi=dpi, legend_title=legend_title, attribution=attribution)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def map_figure(area: Area, fills: Mapping[str, str], legend: Sequence[LegendEntry], *,
               title: str = "", highlight: Iterable[str] = (), labels: Iterable[str] = (),
               outlines: Sequence[Sequence[str]] = (), width_in: float = 10.0, dpi: int = 150,
               legend_title: str = "", attribution: bool = True) -> Figure:
    """A map of the area's comuni with given fill colours, as a matplotlib figure.

    Legend rows and the title are wrapped, never cut (:func:`wrapped`); the figure
    grows to hold them.

    Parameters
    ----------
    area : Area
        Comuni drawn in colour; context comuni within 4 km are drawn in grey.
    fills : mapping
        ISTAT code -> ``#RRGGBB`` fill of each comune of the area.
    legend : sequence of LegendEntry
        Rows of the legend (user text is shown literally).
    title : str
        Title above the map (user text, shown literally).
    highlight : iterable of str
        Codes drawn with a thick red outline.
    labels : iterable of str
        Codes whose name is written on the map.
    outlines : sequence of sequences of str
        Groups of codes (e.g. zones) whose outer border is drawn thicker.
    width_in, dpi : float, int
        Figure width in inches and resolution; the height follows the area's shape.
    attribution : bool
        Write the data sources under the map (leave it on for any image that
        leaves the app; thumbnails on a page that shows the sources may omit it).

    Returns
    -------
    matplotlib.figure.Figure
        Geometry drawn in EPSG:32632 from the display boundaries.
    """
    comuni = gpd.GeoSeries(area.comuni["geometry_display"], crs=area.comuni.crs).to_crs(METRIC_CRS)
    minx, miny, maxx, maxy = comuni.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.04
    view = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    context = gpd.GeoSeries(area.context["geometry_display"], crs=area.context.crs).to_crs(METRIC_CRS)
    box = shapely.box(minx - CONTEXT_MARGIN_M, miny - CONTEXT_MARGIN_M, maxx + CONTEXT_MARGIN_M, maxy + CONTEXT_MARGIN_M)
    context = context[context.intersects(box)]

    # Wide images keep the legend in a column right of the map; small ones (side by
    # side on the comparison page) put it under the map, where it has the full width.
    legend_below = width_in < 7
    map_share = 0.72 if legend and not legend_below else 0.98
    aspect = (view[3] - view[1]) / (view[2] - view[0])
    # About 9 characters of 8-point text per inch: the full width below, the column right.
    # Cleaned, then wrapped: the cleaning drops control characters, line breaks included
    # (wrapping first lost the space at each break: "Occidentale:56.340 ab.").
    legend_labels = [wrapped(plain_text(e.label), int(width_in * 9) if legend_below else 32) for e in legend]
    legend_lines = sum(label.count("\n") + 1 for label in legend_labels)
    title_text = wrapped(plain_text(title), int(width_in * 8.5))  # 13-point bold: about 9 a inch
    top_band = 0.34 + 0.24 * (title_text.count("\n") + 1) if title else 0.15
    bottom_band = 0.45 + (0.17 * legend_lines + 0.05 * len(legend) + 0.3 if legend and legend_below else 0)
    map_height_in = width_in * map_share * aspect
    height_in = map_height_in + top_band + bottom_band
    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.01, bottom_band / height_in, map_share, map_height_in / height_in))
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_axis_off()

    ax.add_collection(_collection(context.to_numpy(), facecolors=CONTEXT_FILL, edgecolors=CONTEXT_EDGE,
                                  linewidths=0.4, zorder=1))
    codes = list(comuni.index)
    ax.add_collection(_collection(comuni.to_numpy(), facecolors=[fills.get(c, UNASSIGNED_COLOR) for c in codes],
                                  edgecolors="#333333", linewidths=0.5, zorder=2))
    for group in outlines:
        members = [c for c in group if c in comuni.index]
        if members:
            ax.add_collection(_collection([shapely.union_all(comuni.loc[members].to_numpy())],
                                          facecolors="none", edgecolors="#111111", linewidths=1.6, zorder=3))
    marked = [c for c in highlight if c in comuni.index]
    if marked:
        ax.add_collection(_collection(comuni.loc[marked].to_numpy(), facecolors="none",
                                      edgecolors=HIGHLIGHT_EDGE, linewidths=2.2, zorder=4))
    for code in labels:
        if code in comuni.index:
            point = comuni[code].representative_point()
            ax.text(point.x, point.y, plain_text(area.name(code)), ha="center", va="center", fontsize=7,
                    zorder=6, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    _scale_bar(ax, view)

    if legend:
        handles = [Patch(facecolor=e.color, edgecolor="#333333", label=label)
                   for e, label in zip(legend, legend_labels)]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0) if legend_below else (1.01, 1.0),
                  fontsize=8,
                  title=plain_text(legend_title) or None, title_fontsize=8, frameon=False,
                  alignment="left")
    if title:
        figure.text(0.01, 1 - 0.12 / height_in, title_text,
                    ha="left", va="top", fontsize=13, weight="bold")
    if attribution:
        figure.text(0.01, 0.04 / height_in, "\n".join(textwrap.wrap(ATTRIBUTION, int(width_in * 17))),
                    fontsize=6, color="#444444", ha="left", va="bottom")
    return figure


def plan_legend(area: Area, plan: Plan) -> list[LegendEntry]:
    """One legend row per zone with its residents, plus the unassigned comuni if any."""
    population = area.comuni["pop_totale"]
    # A non-breaking space keeps "56.340 ab." on one line when a long name wraps.
    rows = [LegendEntry(f"{z.name}: {format_number(population.loc[list(plan.members(z.id))].sum())}\u00a0ab.",
                        z.color) for z in plan.zones]
    if plan.unassigned:
        rows.append(LegendEntry(
            f"Non assegnati: {format_number(population.loc[list(plan.unassigned)].sum())}\u00a0ab.",
            UNASSIGNED_COLOR))
    return rows


def render_plan_png(area: Area, plan: Plan, *, title: str = "", width_in: float = 10.0, dpi: int = 150,
                    labels: bool = False, attribution: bool = True) -> bytes:
    """The plan as a PNG: comuni filled with their zone's colour, zone borders thicker,
    a legend of zones with residents (1 January 2023), scale bar and attribution."""
    fills = {c: plan.color_of(c) for c in plan.codes if c in area.comuni.index}
    return render_map_png(area, fills, plan_legend(area, plan), title=title, width_in=width_in, dpi=dpi,
                          outlines=[plan.members(z.id) for z in plan.zones],
                          labels=area.codes if labels else (), legend_title="Zone omogenee (residenti)",
                          attribution=attribution)
