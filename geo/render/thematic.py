"""The thematic map: comuni coloured by an indicator, in classes computed on the server.

Class breaks come from mapclassify (quantiles, natural breaks by Fisher-Jenks, equal
intervals), colours from matplotlib's **viridis** colour map, reversed so that low
values are light (yellow) and high ones dark (purple): viridis is perceptually
uniform and readable with the common colour-vision deficiencies and in greyscale.
Comuni without a value get the "dato mancante" class, never an estimate.

What the map component receives is plain data in its per-rerun state
(:func:`thematic_state`): a colour and a text per comune and the legend (class
bounds in Italian numbers with the unit), so switching between zone colours and an
indicator recolours the map in place.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from geo.zoning.area import Area
from geo.zoning.indicators import Indicator, comune_values

METHODS: Mapping[str, str] = {
    "quantili": "quantili",
    "naturali": "intervalli naturali",
    "uguali": "intervalli uguali",
}
METHODS_HELP = ("Quantili: lo stesso numero di comuni in ogni classe. Intervalli naturali (Fisher-Jenks): i "
                "limiti cadono dove i valori si separano di più. Intervalli uguali: classi della stessa ampiezza.")
DEFAULT_CLASSES = 5
MAX_CLASSES = 7
MISSING_COLOR = "#BDBDBD"
MISSING_LABEL = "dato mancante"
# Fisher-Jenks is exact but quadratic in pure Python (mapclassify without numba): above
# this many comuni the breaks are computed on evenly spaced sorted values (deterministic).
JENKS_SAMPLE = 400


@dataclass(frozen=True)
class ThematicClass:
    color: str
    label: str
    count: int


@dataclass(frozen=True, eq=False)
class ThematicMap:
    """The classes of one indicator over an area's comuni.

    Attributes
    ----------
    indicator : Indicator
    method : str
        A key of :data:`METHODS`.
    classes : tuple of ThematicClass
        Lowest first; the last class ends at the highest value.
    colors, texts : dict
        ISTAT code -> fill colour (``#RRGGBB``) and value as Italian text with unit.
    missing : int
        Comuni without a value (coloured :data:`MISSING_COLOR`).
    """

    indicator: Indicator
    method: str
    classes: tuple[ThematicClass, ...]
    colors: dict[str, str]
    texts: dict[str, str]
    missing: int

    @property
    def title(self) -> str:
        return f"{self.indicator.label} ({self.indicator.unit}), {self.indicator.source.year}"


def palette(count: int) -> list[str]:
    """``count`` colours of reversed viridis, light to dark, as ``#rrggbb``."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis_r"]
    return [to_hex(cmap(0.08 + 0.84 * i / max(count - 1, 1))) for i in range(count)]


def class_breaks(values: np.ndarray, method: str, k: int) -> np.ndarray:
    """Upper bounds of the classes of ``values`` (finite, at least one), ascending and distinct.

    Raises
    ------
    ValueError
        For a method that is not a key of :data:`METHODS`.
    """
    import mapclassify

    if method not in METHODS:
        raise ValueError(f"metodo di classificazione sconosciuto: {method!r}")
    distinct = np.unique(values)
    k = max(1, min(int(k), MAX_CLASSES, len(distinct)))
    if k == 1:
        return np.array([distinct[-1]])
    with warnings.catch_warnings():  # ties reduce the classes; no numba: pure Python
        warnings.simplefilter("ignore")
        if method == "quantili":
            bins = mapclassify.Quantiles(values, k=k).bins
        elif method == "uguali":
            bins = mapclassify.EqualInterval(values, k=k).bins
        else:
            ordered = np.sort(values)
            if len(ordered) > JENKS_SAMPLE:
                ordered = ordered[np.linspace(0, len(ordered) - 1, JENKS_SAMPLE).round().astype(int)]
            bins = mapclassify.FisherJenks(ordered, k=k).bins
    bins = np.unique(np.asarray(bins, dtype=float))
    bins[-1] = max(bins[-1], float(distinct[-1]))
    return bins


def thematic_map(indicator: Indicator, area: Area, method: str = "quantili", k: int = DEFAULT_CLASSES) -> ThematicMap:
    """Classify the area's comuni by ``indicator`` (computed once per area, indicator, method, k)."""
    def compute() -> ThematicMap:
        values, _ = comune_values(indicator, area)
        present = np.isfinite(values)
        colors, texts = {}, {}
        classes: list[ThematicClass] = []
        if present.any():
            bins = class_breaks(values[present], method, k)
            fills = palette(len(bins))
            index = np.searchsorted(bins, np.where(present, values, 0.0), side="left").clip(0, len(bins) - 1)
            low = float(values[present].min())
            for i, upper in enumerate(bins):
                start = low if i == 0 else float(bins[i - 1])
                words = ("da", "a") if i == 0 else ("oltre", "fino a")
                label = f"{words[0]} {indicator.format(start)} {words[1]} {indicator.format(upper)}"  # unit: in the title
                classes.append(ThematicClass(fills[i], label, int(((index == i) & present).sum())))
            for code, has, position, value in zip(area.codes, present, index, values):
                colors[code] = fills[position] if has else MISSING_COLOR
                texts[code] = indicator.with_unit(value) if has else MISSING_LABEL
        else:
            colors = dict.fromkeys(area.codes, MISSING_COLOR)
            texts = dict.fromkeys(area.codes, MISSING_LABEL)
        return ThematicMap(indicator, method, tuple(classes), colors, texts, int((~present).sum()))

    return area.cached(("thematic", indicator, method, int(k)), compute)


def thematic_state(thematic: ThematicMap | None) -> dict | None:
    """The ``thematic`` field of :func:`geo.render.maps.zone_state`: plain data for the
    map component (``map_component/frontend/thematic.js``); ``None``: zone colours."""
    if thematic is None:
        return None
    legend = [{"color": c.color, "label": c.label, "count": c.count} for c in thematic.classes]
    if thematic.missing:
        legend.append({"color": MISSING_COLOR, "label": MISSING_LABEL, "count": thematic.missing})
    return {"key": thematic.indicator.key, "title": thematic.title, "method": METHODS[thematic.method],
            "colors": thematic.colors, "texts": thematic.texts, "legend": legend,
            "label": thematic.indicator.label}
