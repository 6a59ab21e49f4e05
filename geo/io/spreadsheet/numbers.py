"""Numbers in cells as Italian statistical offices publish them.

ISTAT, MEF and the regional offices write ``1.234,5`` (thousands dot, decimal
comma); some exports write ``1234.5``; Excel gives real numbers. Missing values are
written ``n.d.``, ``-``, ``…``, ``..``, ``x`` (ISTAT's "confidential") or left
empty. A column is read in one convention (:func:`column_convention`), so
``1.234`` is a thousand and two hundred in an Italian column and one and a bit in a
column that writes ``1234.5`` elsewhere. Nothing is guessed beyond that: a cell that
is neither a number nor a missing marker is an error the caller reports with its row.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Literal

Convention = Literal["italiano", "punto_decimale"]

# ISTAT's signs ("-" phenomenon absent, ".." not significant, "...." not available,
# "x" confidential) and the usual "not available" spellings; compared without spaces, lowercase.
MISSING_MARKERS = frozenset({
    "", "-", "–", "—", "…", "..", "...", "....", "x", "n.d.", "n.d", "nd", "n/d", "n.a.", "na", "n/a",
    "n.disp.", "nondisponibile", "#n/d", "#n/a",
})
_ITALIAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_DOTTED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_POINT_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")  # spaces, no-break spaces and apostrophes grouping thousands


class NotANumber(ValueError):
    """A cell that is neither a number nor a missing marker; the message is Italian."""


def _plain(text: str) -> str:
    return _SPACES.sub("", text.replace("\u2212", "-")).rstrip("%")


def is_missing(value: object) -> bool:
    """Whether a cell is empty or one of :data:`MISSING_MARKERS`."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and _SPACES.sub("", value).casefold() in MISSING_MARKERS


def column_convention(cells: Iterable[object]) -> Convention:
    """How a column writes decimals: ``"italiano"`` when any text cell has a comma,
    or when every dotted text cell is a thousands grouping (``12.345``); else
    ``"punto_decimale"`` (``12.5``)."""
    dotted = []
    for cell in cells:
        if not isinstance(cell, str) or is_missing(cell):
            continue
        text = _plain(cell)
        if "," in text:
            return "italiano"
        if "." in text:
            dotted.append(text)
    return "italiano" if all(_DOTTED_THOUSANDS.match(t) for t in dotted) else "punto_decimale"


def parse_number(value: object, convention: Convention = "italiano") -> float | None:
    """A cell as a float, ``None`` when missing (:func:`is_missing`).

    Raises
    ------
    NotANumber
        For text that is no number in ``convention`` (a word, ``1,2,3``, a date).
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise NotANumber(f"«{value}» non è un numero")
    if isinstance(value, (int, float)):
        return float(value)
    text = _plain(str(value))
    if convention == "italiano" and _ITALIAN.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if convention == "punto_decimale" and _POINT_DECIMAL.match(text):
        return float(text)
    raise NotANumber(f"«{str(value).strip()[:40]}» non è un numero")
