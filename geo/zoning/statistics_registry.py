"""An ordered, keyed, immutable collection of statistics (see :mod:`geo.zoning.statistic_types`).

Registries are values: :meth:`StatisticsRegistry.with_statistics` and
:meth:`StatisticsRegistry.subset` return new ones, so a session can carry its own
(with indicators a user imported) without touching anyone else's.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from geo.zoning.statistic_types import Statistic, StatisticError, Tally


class StatisticsRegistry:
    """Statistics in display order, looked up by key.

    Parameters
    ----------
    statistics : iterable of Statistic
        Keys and export field names must be distinct; tallies of the same name
        must be the same tally.
    short : sequence of str
        Keys of the short subset shown where room is scarce (the comparison's
        small tables).

    Raises
    ------
    StatisticError
        On a repeated key or field, two different tallies under one name, or a
        short key that is not in the registry.
    """

    def __init__(self, statistics: Iterable[Statistic], *, short: Sequence[str] = ()):
        self._statistics = tuple(statistics)
        self._by_key = {s.key: s for s in self._statistics}
        self.short = tuple(short)
        self._check()

    def _check(self) -> None:
        for what, values in (("Chiave ripetuta", [s.key for s in self]),
                             ("Nome di campo ripetuto", [s.field for s in self])):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise StatisticError(f"{what} tra le statistiche: {', '.join(repeated)}.")
        tallies: dict[str, Tally] = {}
        for tally in (t for s in self for t in s.tallies):
            if tallies.setdefault(tally.name, tally) != tally:
                raise StatisticError(f"Due conteggi diversi con lo stesso nome: «{tally.name}».")
        unknown = [k for k in self.short if k not in self._by_key]
        if unknown:
            raise StatisticError(f"Statistiche brevi non presenti: {', '.join(unknown)}.")

    def __iter__(self) -> Iterator[Statistic]:
        return iter(self._statistics)

    def __len__(self) -> int:
        return len(self._statistics)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: str) -> Statistic:
        try:
            return self._by_key[key]
        except KeyError:
            raise StatisticError(f"Statistica sconosciuta: «{key}».") from None

    def __repr__(self) -> str:
        return f"StatisticsRegistry({', '.join(self.keys)})"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._by_key)

    @property
    def columns(self) -> tuple[str, ...]:
        """Area table columns the statistics sum, in first-use order."""
        return tuple(dict.fromkeys(t.column for s in self for t in s.tallies if t.column is not None))

    def with_statistics(self, *statistics: Statistic, short: Sequence[str] | None = None) -> "StatisticsRegistry":
        """A new registry with ``statistics`` added at the end (keys must be new)."""
        return StatisticsRegistry((*self._statistics, *statistics), short=self.short if short is None else short)

    def subset(self, keys: Iterable[str]) -> "StatisticsRegistry":
        """A new registry with the statistics of ``keys``, in that order."""
        chosen = [self[k] for k in keys]
        return StatisticsRegistry(chosen, short=[k for k in self.short if k in {s.key for s in chosen}])
