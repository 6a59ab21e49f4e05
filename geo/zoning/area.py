"""The area vasta: which comuni are in it, their attributes and their contiguity."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

import geopandas as gpd
import pandas as pd

from geo.base.errors import UserError
from geo.base.codes import istat_code
from geo.zoning.contiguity import ContiguityGraph
from geo.data.shipped import METRIC_CRS


class AreaError(UserError):
    """The requested area cannot be built; the message is in Italian."""


# eq=False: an Area is compared and hashed by identity, so caches can key on it.
@dataclass(frozen=True, eq=False)
class Area:
    """The comuni of the area vasta and the grey context around them.

    Attributes
    ----------
    comuni : geopandas.GeoDataFrame
        Area members indexed by ISTAT code (EPSG:4326), with population and ``area_km2``.
    context : geopandas.GeoDataFrame
        Every other shipped comune (not editable on the map, but may join the area).
    graph : ContiguityGraph
        Queen contiguity of the members, built in EPSG:32632.
    table : pandas.DataFrame
        The members' attributes without geometry (population, ``area_km2``), for
        fast per-zone sums.
    interior_points : geopandas.GeoSeries
        A point inside each member (``representative_point``), EPSG:4326.
    """

    comuni: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    graph: ContiguityGraph
    table: pd.DataFrame
    interior_points: gpd.GeoSeries

    @classmethod
    def from_comuni(cls, all_comuni: gpd.GeoDataFrame, codes: Iterable[str]) -> "Area":
        """Split ``all_comuni`` (see :func:`geo.data.shipped.load_comuni`) into area and context.

        Raises
        ------
        AreaError
            If a code is not among the shipped comuni.
        """
        wanted = sorted({istat_code(c) for c in codes})
        missing = [c for c in wanted if c not in all_comuni.index]
        if missing:
            raise AreaError(f"Codici ISTAT non presenti nei dati: {', '.join(missing)}.")
        members = all_comuni.loc[wanted]
        context = all_comuni.drop(index=wanted)
        graph = ContiguityGraph.from_geodataframe(members[["geometry"]].to_crs(METRIC_CRS))
        table = pd.DataFrame(members.drop(columns=["geometry", "geometry_display"]))
        return cls(members, context, graph, table, members.geometry.representative_point())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.comuni.index)

    def name(self, code: str) -> str:
        """Name of a shipped comune, inside or outside the area."""
        return self._names[code]

    @cached_property
    def numeric_rows(self) -> tuple[tuple[str, float, float, float], ...]:
        """(code, residents, residents 65+, km²) per member as plain numbers:
        per-zone sums run on every click of the zone editor."""
        t = self.table
        return tuple((code, float(pop), float(old), float(km2))
                     for code, pop, old, km2 in zip(t.index, t["pop_totale"], t["pop_65_piu"], t["area_km2"]))

    @cached_property
    def _names(self) -> dict[str, str]:
        # Widgets call name() once per option on every rerun: a dict, not .at lookups.
        return {**dict(zip(self.context.index, self.context["comune"])),
                **dict(zip(self.comuni.index, self.comuni["comune"]))}

    def names(self, codes: Iterable[str]) -> list[str]:
        return [self.name(c) for c in codes]
