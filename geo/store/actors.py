"""Who makes a change to shared work: a browser, a name, and whether it entered as coordination.

The app has no accounts. A change is made by a *browser* (its random token, see
``ui/identity.py``), optionally with the name its user typed, and with or without
the coordination password. The stores keep only a digest of the token
(:func:`browser_key`): the token itself is a bearer credential (it keys drafts and
ownership), so it is never written to a table, a log or an export.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

KEY_LENGTH = 32


def browser_key(token: str) -> str:
    """The stored form of a browser token: 32 hex digits of a SHA-256 digest."""
    return hashlib.sha256(f"pianura-browser:{token}".encode("utf-8")).hexdigest()[:KEY_LENGTH]


@dataclass(frozen=True)
class Actor:
    """The author of a change.

    Attributes
    ----------
    key : str
        :func:`browser_key` of the browser (``""``: unknown, e.g. a script).
    name : str
        The name the user typed (may be empty), shown in the logs.
    coordinator : bool
        The session entered the coordination password.
    """

    key: str
    name: str = ""
    coordinator: bool = False

    @property
    def role(self) -> str:
        """``"coordinamento"`` or ``"visitatore"``, as the change log shows it."""
        return "coordinamento" if self.coordinator else "visitatore"

    @property
    def short_key(self) -> str:
        """The first 6 digits of the key: tells entries of one browser apart in a log."""
        return self.key[:6]


SYSTEM = Actor("", "sistema", coordinator=True)  # scripts and migrations
