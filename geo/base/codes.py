"""ISTAT municipal codes: always 6-character strings ("017088"), never integers."""

from __future__ import annotations

import re

_CODE = re.compile(r"^\d{1,6}$")


def istat_code(value: object) -> str:
    """Return an ISTAT municipal code as the 6-character string ISTAT publishes.

    Parameters
    ----------
    value : int or str
        A code such as ``17088``, ``"17088"`` or ``"017088"``. Spreadsheets often
        drop the leading zero, so shorter digit strings are zero-padded.

    Returns
    -------
    str
        The zero-padded code, e.g. ``"017088"``.

    Raises
    ------
    ValueError
        If the value is not made of 1 to 6 digits (floats such as ``17088.0``,
        which Excel produces, are accepted when they are whole numbers).
    """
    if isinstance(value, bool):
        raise ValueError(f"codice ISTAT non valido: {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not _CODE.match(text):
        raise ValueError(f"codice ISTAT non valido: {value!r}")
    return text.zfill(6)
