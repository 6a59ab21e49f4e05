"""What a workshop is: its records, its refusals, its join codes and personal codes.

Join codes are 6 characters from an alphabet without look-alikes (no 0/O/Q, 1/I/L,
2/Z, 5/S, 6/G, 8/B, U/V), shown as ``KMR-3TX`` to be read aloud; typed codes are
accepted in any case, with or without spaces and dashes. A participant's personal
code (PIN) has 4 characters of the same alphabet and is kept only as a hash.
The store of :mod:`geo.store.workshops` keeps these records in the app database.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from geo.base.errors import UserError
from geo.base.text import clean_text
from geo.data.territory import LEGACY_TERRITORY
from geo.zoning.plan import Plan

CODE_ALPHABET = "ACDEFHJKMNPRTWXY3479"
CODE_LENGTH = 6
PIN_LENGTH = 4
MAX_TITLE_LENGTH = 120
MAX_NAME_LENGTH = 80
_SEPARATORS = re.compile(r"[\s\-_.]+")


class WorkshopError(UserError):
    """A workshop operation refused; the message is in Italian, for the user."""


class WorkshopNotFound(WorkshopError):
    pass


class WorkshopClosed(WorkshopError):
    pass


class WorkshopForbidden(WorkshopError):
    """Conducting needs the facilitator's key (opening, the coordination)."""


EXCLUDED = "Il facilitatore ti ha escluso da questo laboratorio: le tue proposte restano agli atti ma non contano."


@dataclass(frozen=True)
class Workshop:
    """A workshop in ``territory`` (its id). ``base_plan`` covers ``area_codes``; times are UTC."""

    id: str
    code: str
    title: str
    facilitator: str
    base_plan: Plan
    area_codes: tuple[str, ...]
    is_open: bool
    opened_at: datetime
    closed_at: datetime | None
    territory: str = LEGACY_TERRITORY

    @property
    def display_code(self) -> str:
        """The join code as read aloud: ``KMR-3TX``."""
        return display_code(self.code)


@dataclass(frozen=True)
class Participant:
    """A participant; ``removed`` when the facilitator removed them (their proposals
    stay in the record but not in the consensus)."""

    id: str
    workshop_id: str
    name: str
    joined_at: datetime
    removed: bool = False


@dataclass(frozen=True)
class Joined:
    """The outcome of :meth:`WorkshopStore.join`: ``pin`` is the new personal code
    (to show once) or ``None`` when an existing participant rejoined."""

    workshop: Workshop
    participant: Participant
    pin: str | None


@dataclass(frozen=True)
class Submission:
    """A proposal as sent. ``sequence`` grows with every sending in the database;
    ``sendings`` counts this participant's sendings up to this one."""

    sequence: int
    participant_id: str
    participant_name: str
    plan: Plan
    sent_at: datetime
    sendings: int


# -- typed text ------------------------------------------------------------------------
def clean_title(title: str) -> str:
    return clean_text(title, MAX_TITLE_LENGTH, error=WorkshopError, empty="Scrivi il titolo del laboratorio.",
                      too_long=f"Il titolo del laboratorio è troppo lungo (massimo {MAX_TITLE_LENGTH} caratteri).")


def clean_facilitator(name: str) -> str:
    """The facilitator's name, optional, cut to the limit."""
    return clean_text(name, MAX_NAME_LENGTH, too_long=None)


def clean_participant_name(name: str) -> str:
    return clean_text(name, MAX_NAME_LENGTH, error=WorkshopError, empty="Scrivi il tuo nome o il tuo comune.",
                      too_long=f"Il nome è troppo lungo (massimo {MAX_NAME_LENGTH} caratteri).")


def name_key(name: str) -> str:
    """Participants' names compare ignoring case (the name is already cleaned)."""
    return name.casefold()


# -- codes -----------------------------------------------------------------------------
def display_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalize_code(text: str) -> str:
    """A typed join code in its stored form (upper case, no separators).

    Raises
    ------
    WorkshopError
        When it cannot be a join code (length or characters).
    """
    code = _SEPARATORS.sub("", str(text or "")).upper()
    if not code:
        raise WorkshopError("Scrivi il codice del laboratorio (lo mostra il facilitatore, es. KMR-3TX).")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise WorkshopError(f"«{code[:20]}» non è un codice di laboratorio: il codice ha {CODE_LENGTH} "
                            "caratteri tra lettere e numeri (es. KMR-3TX). Controllalo sullo schermo del facilitatore.")
    return code


def normalize_pin(text: str) -> str:
    """A typed personal code in its stored form (upper case, no separators); may be empty."""
    return _SEPARATORS.sub("", str(text or "")).upper()


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def pin_hash(participant_id: str, pin: str) -> str:
    return hashlib.sha256(f"{participant_id}:{pin}".encode()).hexdigest()


def pin_matches(participant_id: str, pin: str, stored_hash: str) -> bool:
    return secrets.compare_digest(pin_hash(participant_id, pin), stored_hash)
