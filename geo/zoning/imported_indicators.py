"""Indicators a user imported from a per-comune table: the record, and its statistic.

A record holds what the user said (name, unit, year, source, licence, whether the
value is a per-resident rate, a count or a plain value of the comune) and the values
by ISTAT code (``None`` where the file says the value is missing). It becomes an
:class:`~geo.zoning.indicators.Indicator` (:meth:`ImportedIndicator.indicator`) whose
per-comune column is its key, so it is shown wherever a shipped statistic is. The
records are stored by :mod:`geo.store.indicators` (versions kept).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.text import clean_text
from geo.zoning.default_statistics import COMUNI, RESIDENTS
from geo.zoning.indicators import KIND_LABELS, Indicator
from geo.zoning.statistic_types import ColumnSum, DataSource, Statistic, Tally, WeightedMean

KEY_PREFIX = "imp_"
MAX_LABEL = 80
MAX_UNIT = 40
MAX_YEAR = 40
MAX_SOURCE = 300
MAX_LICENCE = 120
NO_LICENCE = "non indicata"
_KEY = re.compile(r"^imp_[a-z0-9_]{1,50}$")


class IndicatorError(UserError):
    """An imported indicator refused; the message is in Italian."""


def indicator_key(label: str, taken: set[str]) -> str:
    """A statistic key for a new imported indicator: ``imp_`` + the label's letters
    (``"Reddito medio"`` -> ``imp_reddito_medio``), numbered when taken."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    stem = KEY_PREFIX + (re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40] or "indicatore")
    key, n = stem, 2
    while key in taken:
        key, n = f"{stem}_{n}", n + 1
    return key


def _text(value: object, limit: int, what: str, *, required: bool = True) -> str:
    return clean_text(value, limit, error=IndicatorError, empty=f"Manca {what}." if required else None,
                      too_long=f"Il campo «{what}» è troppo lungo (massimo {limit} caratteri).")


@dataclass(frozen=True)
class Description:
    """What the user says about an indicator, as typed (:meth:`ImportedIndicator.create`
    cleans and checks it): name, unit, year, source, licence, kind, decimals."""

    label: str
    unit: str
    year: str
    source: str
    licence: str
    kind: str
    decimals: int


@dataclass(frozen=True, kw_only=True)
class ImportedIndicator(Description):
    """One imported indicator (see module docstring): the user's :class:`Description`
    (cleaned; licence ``"non indicata"`` when none; ``kind`` a key of
    :data:`geo.zoning.indicators.KIND_LABELS`; 0-3 decimals) and

    Attributes
    ----------
    key : str
        ``imp_...``: statistic key, area column and export field.
    values : mapping of str to float or None
        By ISTAT code; ``None``: missing in the file.
    file_name : str
        The file it came from.
    """

    key: str
    values: Mapping[str, float | None] = field(repr=False, hash=False)
    file_name: str = ""

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise IndicatorError(f"Chiave di indicatore non valida: «{self.key}».")
        if self.kind not in KIND_LABELS:
            raise IndicatorError(f"Tipo di indicatore sconosciuto: «{self.kind}».")
        if not isinstance(self.decimals, int) or not 0 <= self.decimals <= 3:
            raise IndicatorError("I decimali vanno da 0 a 3.")
        values = {}
        for code, value in self.values.items():
            if value is not None and not math.isfinite(float(value)):
                raise IndicatorError(f"Valore non finito per il comune {code}.")
            values[istat_code(code)] = None if value is None else float(value)
        object.__setattr__(self, "values", MappingProxyType(values))

    @classmethod
    def create(cls, key: str, about: Description, values: Mapping[str, float | None],
               file_name: str = "") -> "ImportedIndicator":
        """A record from what the user typed (cleaned and checked; Italian refusals)."""
        return cls(key=key, label=_text(about.label, MAX_LABEL, "il nome"),
                   unit=_text(about.unit, MAX_UNIT, "l'unità di misura"), year=_text(about.year, MAX_YEAR, "l'anno"),
                   source=_text(about.source, MAX_SOURCE, "la fonte"),
                   licence=_text(about.licence, MAX_LICENCE, "la licenza", required=False) or NO_LICENCE,
                   kind=about.kind, decimals=int(about.decimals), values=values,
                   file_name=clean_text(file_name, 200, too_long=None))

    @property
    def present(self) -> int:
        return sum(v is not None for v in self.values.values())

    @property
    def positive(self) -> bool:
        """Every value is 0 or more (a count, a share): the coefficient of variation means something."""
        return all(v >= 0 for v in self.values.values() if v is not None)

    @property
    def whole(self) -> bool:
        return self.kind == "conteggio" and self.decimals == 0 and all(
            float(v).is_integer() for v in self.values.values() if v is not None)

    def statistic(self) -> Statistic:
        tally = Tally(self.key, self.key)
        aggregation = {"tasso": WeightedMean(tally, RESIDENTS), "valore": WeightedMean(tally, COMUNI),
                       "conteggio": ColumnSum(tally)}[self.kind]
        fmt = "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return Statistic(key=self.key, label=self.label, unit=self.unit, aggregation=aggregation,
                         decimals=self.decimals, excel_format=fmt, field=self.key, whole=self.whole,
                         help=f"Indicatore importato ({KIND_LABELS[self.kind]}), dal file «{self.file_name}».",
                         source=DataSource(self.year, self.source, self.licence))

    def indicator(self) -> Indicator:
        return Indicator(self.statistic(), positive=self.positive)

    def column(self) -> pd.DataFrame:
        """The values as a one-column frame by ISTAT code (NaN: missing), for :meth:`Area.with_columns`."""
        return pd.DataFrame({self.key: pd.Series({c: (math.nan if v is None else v) for c, v in self.values.items()},
                                                 dtype=float)})

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "unit": self.unit, "year": self.year, "source": self.source,
                "licence": self.licence, "kind": self.kind, "decimals": self.decimals, "file_name": self.file_name,
                "values": dict(self.values)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "ImportedIndicator":
        return cls(**{k: data[k] for k in ("key", "label", "unit", "year", "source", "licence", "kind", "decimals",
                                           "values")}, file_name=data.get("file_name", ""))
