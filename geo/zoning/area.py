"""The area vasta: which comuni are in it, their attributes and their contiguity."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Hashable, Iterable, Mapping, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.base.errors import UserError
from geo.base.codes import istat_code
from geo.zoning.contiguity import ContiguityGraph
from geo.data.shipped import METRIC_CRS

T = TypeVar("T")


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
        The members' attributes without geometry (population, ``area_km2`` and any
        column added by :meth:`with_columns`), read by the statistics
        (:meth:`columns`).
    interior_points : geopandas.GeoSeries
        A point inside each member (``representative_point``), EPSG:4326.
    """

    comuni: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    graph: ContiguityGraph
    table: pd.DataFrame
    interior_points: gpd.GeoSeries
    # Facts that depend on the area only (see :meth:`cached`); a new Area starts empty.
    _cache: dict = field(default_factory=dict, init=False, repr=False)
    # Facts of the last few plans drawn on it (see :meth:`recent`).
    _recent: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False)
    _recent_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

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

    def with_columns(self, frame: pd.DataFrame) -> "Area":
        """A new Area whose comuni carry the numeric columns of ``frame`` too.

        This is how per-comune indicators (shipped or imported by a user) reach the
        statistics: a :class:`geo.zoning.statistic_types.Tally` can then sum them.

        Parameters
        ----------
        frame : pandas.DataFrame
            Indexed by ISTAT code (``17088`` and ``"017088"`` alike), one numeric
            column per indicator. Comuni missing from ``frame`` get NaN (a missing
            value: statistics leave it out and count it); codes of other comuni are
            ignored. Context comuni get the columns as well, so the values survive
            a comune joining the area.

        Raises
        ------
        AreaError
            If a column already exists, a value is not a number or a code is not
            an ISTAT code.
        """
        try:
            codes = [istat_code(c) for c in frame.index]
        except ValueError as error:
            raise AreaError(f"Indicatori per comune: {error}.") from None
        if len(set(codes)) < len(codes):
            raise AreaError("Indicatori per comune: lo stesso codice ISTAT compare più volte.")
        clashes = [str(c) for c in frame.columns if c in self.comuni.columns]
        if clashes:
            raise AreaError(f"Indicatori per comune: la colonna «{', '.join(clashes)}» esiste già nei dati.")
        values = frame.set_axis(codes)
        not_numbers = [str(c) for c in values.columns if not pd.api.types.is_numeric_dtype(values[c])]
        if not_numbers:
            raise AreaError(f"Indicatori per comune: la colonna «{', '.join(not_numbers)}» contiene valori "
                            "che non sono numeri.")
        values = values.astype(float)

        def extended(table: pd.DataFrame) -> pd.DataFrame:
            return table.join(values.reindex(table.index))

        comuni, context = extended(self.comuni), extended(self.context)
        return replace(self, comuni=comuni, context=context, table=extended(self.table))

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """ISTAT codes of the members, sorted."""
        return tuple(self.comuni.index)

    def columns(self, names: tuple[str, ...]) -> Mapping[str, np.ndarray]:
        """Columns of :attr:`table` as read-only float arrays in :attr:`codes` order
        (NaN where a value is missing), computed once per area and set of names:
        the statistics read them on every click of the zone editor.

        Raises
        ------
        AreaError
            If a column is not in the table.
        """
        def read() -> Mapping[str, np.ndarray]:
            absent = [n for n in names if n not in self.table.columns]
            if absent:
                raise AreaError(f"Dati per comune mancanti: {', '.join(absent)}.")
            out = {}
            for name in names:
                values = self.table[name].to_numpy(dtype=float, na_value=np.nan)
                values.flags.writeable = False
                out[name] = values
            return out

        return self.cached(("columns", tuple(names)), read)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per area and ``key``: facts that depend on the area
        alone (its columns, whole-area totals), shared by every plan drawn on it."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = compute()  # a race only computes it twice
            return value

    RECENT_SIZE = 16

    def recent(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` among the last :attr:`RECENT_SIZE` keys asked:
        facts of a plan (its zone groups), asked by the statistics, the checks and the
        coverage of the same click; older ones are forgotten."""
        with self._recent_lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        value = compute()
        with self._recent_lock:
            self._recent[key] = value
            while len(self._recent) > self.RECENT_SIZE:
                self._recent.popitem(last=False)
        return value

    def name(self, code: str) -> str:
        """Name of a shipped comune, inside or outside the area."""
        return self._names[code]

    @cached_property
    def _names(self) -> dict[str, str]:
        # Widgets call name() once per option on every rerun: a dict, not .at lookups.
        return {**dict(zip(self.context.index, self.context["comune"])),
                **dict(zip(self.comuni.index, self.comuni["comune"]))}

    def names(self, codes: Iterable[str]) -> list[str]:
        return [self.name(c) for c in codes]
