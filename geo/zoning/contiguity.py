"""Contiguity between comuni (queen rule), built once from the geometry.

Besides who touches whom, the graph keeps the length of each shared border and each
comune's perimeter, so the perimeter of any union of comuni (a zone) is an
arithmetic sum instead of a geometric union: the zone editor recomputes
compactness on every click.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Mapping, NamedTuple

import geopandas as gpd
import numpy as np
import shapely

class GraphArrays(NamedTuple):
    """The graph as arrays, units numbered in :attr:`ContiguityGraph.order`: each
    neighbour pair once (``first < second``), its shared border and each unit's perimeter (metres)."""

    first: np.ndarray
    second: np.ndarray
    shared_m: np.ndarray
    perimeter_m: np.ndarray


# Tolerance for "touching", metres. ISTAT/openpolis boundaries form an exact
# coverage, but a metre of slack keeps the rule robust to rounding in the source.
TOUCH_TOLERANCE_M = 1.0


@dataclass(frozen=True)
class ContiguityGraph:
    """Queen contiguity of a set of polygons in a projected CRS.

    Attributes
    ----------
    neighbours : Mapping[str, frozenset[str]]
        For each unit, the units sharing at least one boundary point with it.
    shared_border_m : Mapping[frozenset[str], float]
        Length in metres of the border shared by two neighbours (0 for units
        touching at a corner only).
    perimeter_m : Mapping[str, float]
        Perimeter in metres of each unit.
    """

    neighbours: Mapping[str, frozenset[str]]
    shared_border_m: Mapping[frozenset[str], float]
    perimeter_m: Mapping[str, float]

    @classmethod
    def from_geodataframe(cls, units: gpd.GeoDataFrame) -> "ContiguityGraph":
        """Build the graph of ``units`` (index = unit id).

        Parameters
        ----------
        units : geopandas.GeoDataFrame
            Polygons in a projected CRS with metre units (EPSG:32632 here); they are
            expected to form a coverage (no overlaps), as ISTAT boundaries do.
        """
        if units.crs is None or not units.crs.is_projected:
            raise ValueError("La contiguità va calcolata in un sistema proiettato (EPSG:32632).")
        ids = [str(i) for i in units.index]
        geoms = units.geometry.values
        left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=TOUCH_TOLERANCE_M)
        neighbours: dict[str, set[str]] = {i: set() for i in ids}
        shared: dict[frozenset[str], float] = {}
        boundaries = shapely.boundary(geoms)
        for a, b in zip(left, right):
            if a >= b:
                continue
            pair = frozenset((ids[a], ids[b]))
            neighbours[ids[a]].add(ids[b])
            neighbours[ids[b]].add(ids[a])
            shared[pair] = float(shapely.intersection(boundaries[a], boundaries[b]).length)
        perimeter = {i: float(length) for i, length in zip(ids, shapely.length(geoms))}
        return cls({i: frozenset(n) for i, n in neighbours.items()}, shared, perimeter)

    def pieces(self, units: Iterable[str]) -> list[list[str]]:
        """Connected pieces of a set of units, largest first; each piece sorted.

        A zone is contiguous when it has exactly one piece.
        """
        remaining = set(units)
        pieces: list[list[str]] = []
        while remaining:
            start = min(remaining)
            seen = {start}
            queue = deque([start])
            while queue:
                for other in self.neighbours.get(queue.popleft(), ()):
                    if other in remaining and other not in seen:
                        seen.add(other)
                        queue.append(other)
            remaining -= seen
            pieces.append(sorted(seen))
        return sorted(pieces, key=lambda p: (-len(p), p))

    @cached_property
    def order(self) -> tuple[str, ...]:
        """The units in the order the graph was built (its GeoDataFrame's index)."""
        return tuple(self.neighbours)

    @cached_property
    def arrays(self) -> GraphArrays:
        """The graph as arrays (see :class:`GraphArrays`), built once."""
        position = {unit: i for i, unit in enumerate(self.order)}
        pairs = sorted((min(position[u] for u in pair), max(position[u] for u in pair), length)
                       for pair, length in self.shared_border_m.items())
        first, second, shared = (np.array(column) for column in zip(*pairs)) if pairs else (np.zeros(0),) * 3
        return GraphArrays(first.astype(np.intp), second.astype(np.intp), shared.astype(float),
                           np.array([self.perimeter_m[u] for u in self.order], dtype=float))

    def pieces_per_group(self, groups: np.ndarray, size: int) -> np.ndarray:
        """How many connected pieces each group has, all groups at once.

        Parameters
        ----------
        groups : numpy.ndarray of int
            The group (0 to ``size - 1``) of every unit, in :attr:`order`.
        size : int
            Number of groups; an empty group has 0 pieces.
        """
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        a = self.arrays
        inside = groups[a.first] == groups[a.second]  # borders between units of one group
        n = len(groups)
        links = coo_matrix((np.ones(int(inside.sum())), (a.first[inside], a.second[inside])), shape=(n, n))
        _, piece = connected_components(links, directed=False)
        distinct = np.unique(groups.astype(np.int64) * n + piece) // n
        return np.bincount(distinct, minlength=size)[:size]

    def perimeter_per_group(self, groups: np.ndarray, size: int) -> np.ndarray:
        """Perimeter in metres of the union of each group's units, all groups at once
        (as :meth:`perimeter_of`: each border shared inside a group disappears)."""
        a = self.arrays
        inside = groups[a.first] == groups[a.second]
        total = np.bincount(groups, weights=a.perimeter_m, minlength=size)[:size]
        return total - np.bincount(groups[a.first[inside]], weights=2 * a.shared_m[inside], minlength=size)[:size]

    def perimeter_of(self, units: Iterable[str]) -> float:
        """Perimeter in metres of the union of ``units``: each border shared inside
        the set is counted by both sides and disappears in the union."""
        members = set(units)
        total = sum(self.perimeter_m[u] for u in members)
        for u in members:
            for other in self.neighbours[u]:
                if other in members and u < other:
                    total -= 2 * self.shared_border_m[frozenset((u, other))]
        return total
