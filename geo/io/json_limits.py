"""JSON from outside (an uploaded GeoJSON, the zones of a share link), parsed only when
its nesting is known to be shallow.

Python's ``json`` parser recurses once per ``[`` or ``{``: ``[[[[...]]]]`` 100,000
deep raises ``RecursionError`` from deep inside the C parser (and with a raised
recursion limit it would overflow the C stack). So the depth is measured first,
without recursion and without a Python loop over the characters
(:func:`nesting_depth`): escaped backslashes and quotes are blanked with
``bytes.replace`` (same length, so positions stay), the structural characters are
found with NumPy, those inside strings dropped by the parity of the quotes before
them, and the depth is the running sum of opening minus closing brackets. Then
:func:`loads_bounded` parses, and turns every way a parse can fail (syntax, a number
of 5,000 digits that Python refuses to convert) into the caller's Italian message.
"""

from __future__ import annotations

import json

import numpy as np

from geo.base.errors import UserError

_QUOTE, _OPEN_LIST, _CLOSE_LIST, _OPEN_OBJECT, _CLOSE_OBJECT = (ord(c) for c in '"[]{}')


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of ``[``/``{`` in JSON text (UTF-8, or any encoding in which
    these characters are single ASCII bytes), brackets inside strings not counted.
    Malformed text gets a number too (the parser refuses it later). Linear time."""
    # "\\" first, then "\"": neither is a quote that opens or closes a string.
    cleaned = data.replace(b"\\\\", b"__").replace(b'\\"', b"__")
    chars = np.frombuffer(cleaned, dtype=np.uint8)
    structural = np.flatnonzero((chars == _QUOTE) | (chars == _OPEN_LIST) | (chars == _CLOSE_LIST)
                                | (chars == _OPEN_OBJECT) | (chars == _CLOSE_OBJECT))
    if structural.size == 0:
        return 0
    kinds = chars[structural]
    quotes = kinds == _QUOTE
    inside = (np.cumsum(quotes) - quotes) % 2 == 1  # an odd number of quotes before: inside a string
    step = np.where((kinds == _OPEN_LIST) | (kinds == _OPEN_OBJECT), 1,
                    np.where((kinds == _CLOSE_LIST) | (kinds == _CLOSE_OBJECT), -1, 0)).astype(np.int32)
    step[inside | quotes] = 0
    return int(np.cumsum(step).max(initial=0))


def loads_bounded(data: bytes | str, *, max_depth: int, too_deep: str, invalid: str,
                  error: type[UserError] = UserError):
    """``json.loads(data)`` when its nesting is at most ``max_depth``.

    Raises
    ------
    UserError
        ``error(too_deep)`` for deeper text, ``error(invalid)`` for text that is not
        JSON (or that Python cannot convert, such as an integer of 5,000 digits).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if nesting_depth(raw) > max_depth:
        raise error(too_deep)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; so is the digits limit
        raise error(invalid) from exc
