"""User text as the app keeps it: one cleaner for every name, title and note typed or pasted.

Text pasted from spreadsheets, PDFs and e-mails brings tabs, line breaks, runs of
spaces and invisible control characters (a NUL, a bell) that break files and look
like two different names for one. The cleaner, for a one-line field (names,
titles, authors): every run of white space becomes one space, control characters
are dropped, the ends are trimmed. For notes (``multiline=True``) the line breaks
stay, each line is cleaned, and blank lines at the ends go.
"""

from __future__ import annotations

import unicodedata

from geo.base.errors import UserError

# Unicode categories dropped: control characters (Cc: NUL, bell, escape...) and lone
# surrogates (Cs), which cannot even be written as UTF-8.
_DROPPED = {"Cc", "Cs"}


def _line(text: str) -> str:
    words = " ".join(text.split())  # white space, control white space included (tab, \x1c...)
    if words.isprintable():  # the usual case: nothing else to drop
        return words
    kept = "".join(ch for ch in words if unicodedata.category(ch) not in _DROPPED)
    return " ".join(kept.split())


def clean_text(value: object, limit: int, *, too_long: str | None, empty: str | None = None,
               multiline: bool = False, error: type[UserError] = UserError) -> str:
    """The text as the app keeps it (see module docstring), checked.

    Parameters
    ----------
    value : object
        What the user typed; ``None`` counts as empty, anything else is ``str(value)``.
    limit : int
        Most characters allowed after cleaning (line breaks count as one).
    too_long : str or None
        The Italian message for a longer text; ``None`` cuts it to ``limit`` instead.
    empty : str or None
        The Italian message for an empty text; ``None`` when it may be empty.
    multiline : bool
        Keep line breaks (notes); otherwise everything is on one line.
    error : type of UserError
        The error raised, so that each feature keeps its own (``PlanError``...).

    Raises
    ------
    UserError
        ``error`` with ``empty`` or ``too_long`` as its message.
    """
    raw = "" if value is None else str(value)
    if multiline:
        text = "\n".join(_line(line) for line in raw.splitlines()).strip("\n")
    else:
        text = _line(raw)
    if not text and empty is not None:
        raise error(empty)
    if len(text) > limit:
        if too_long is not None:
            raise error(too_long)
        text = text[:limit].rstrip()
    return text


def search_key(text: object) -> str:
    """``text`` as the comune searches compare it: accents, apostrophes, spaces, dashes
    and case do not count (``"Sant'Angelo Lodigiano"`` -> ``"santangelolodigiano"``).
    The map's search box (``map_component/frontend/search.js``) applies the same rule."""
    decomposed = unicodedata.normalize("NFD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())


def find_by_name(names, query: object, limit: int = 8) -> list[str]:
    """The codes whose name contains ``query`` under :func:`search_key` (names that
    start with it first, then alphabetical), at most ``limit``.

    Parameters
    ----------
    names : mapping
        ISTAT code -> comune name.
    query : object
        What the user typed (``"quinzano doglio"``, ``"SALO"``).
    """
    wanted = search_key(query)
    if not wanted:
        return []
    keys = {code: search_key(name) for code, name in names.items()}
    found = [code for code, key in keys.items() if wanted in key]
    found.sort(key=lambda code: (not keys[code].startswith(wanted), str(names[code]).casefold(), code))
    return found[:limit]
