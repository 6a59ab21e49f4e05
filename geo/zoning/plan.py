"""The zoning plan: which zona omogenea each comune of the area belongs to.

A :class:`Plan` never changes: every operation returns a new plan, so a Streamlit
session can keep the plan (and its history for undo) while everything else is
derived from it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Iterable, Mapping, NamedTuple

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.palette import PALETTE
from geo.base.text import clean_text

UNASSIGNED_COLOR = "#FFFFFF"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_NAME_LENGTH = 80


class PlanError(UserError):
    """An operation the plan refuses; the message is in Italian, for the user."""


@dataclass(frozen=True)
class Zone:
    """A zona omogenea: identifier, display name, fill colour (``#RRGGBB``), lock."""

    id: str
    name: str
    color: str
    locked: bool = False


def _clean_name(name: str) -> str:
    return clean_text(name, MAX_NAME_LENGTH, error=PlanError, empty="Il nome della zona non può essere vuoto.",
                      too_long=f"Il nome della zona è troppo lungo (massimo {MAX_NAME_LENGTH} caratteri).")


def next_zone_id(taken: Iterable[str], prefix: str = "z") -> str:
    """The first free id ``z1``, ``z2``... (or with another ``prefix``) not in ``taken``."""
    taken = set(taken)
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def next_color(used: Iterable[str]) -> str:
    """The colour for a new zone beside zones of colours ``used`` (repeats count).

    The first colour of :data:`PALETTE` no zone uses; when every one is taken, the
    one used least (the earliest in the palette among equals), so the colours keep
    cycling in palette order.
    """
    counts = Counter(str(c).upper() for c in used)
    return min(PALETTE, key=lambda c: (counts[c], PALETTE.index(c)))


class Assigned(NamedTuple):
    """The outcome of :meth:`Plan.assign`: the new plan, and the comuni asked for that
    stayed where they were because their zone is locked (sorted by code)."""

    plan: "Plan"
    skipped: tuple[str, ...]


def _clean_color(color: str) -> str:
    if not _HEX.match(str(color)):
        raise PlanError(f"Colore non valido: {color!r} (atteso #RRGGBB).")
    return str(color).upper()


@dataclass(frozen=True)
class Plan:
    """Assignment of every comune of the area to a zone, or to none.

    Parameters
    ----------
    zones : tuple of Zone
        Zones in display order; ids are unique.
    assignment : tuple of (str, str or None)
        One pair per comune of the area: ISTAT code and zone id (``None`` when the
        comune is not assigned). Use :meth:`build` to construct from a mapping.
    """

    zones: tuple[Zone, ...]
    assignment: tuple[tuple[str, str | None], ...]
    _lookup: Mapping[str, str | None] = field(init=False, repr=False, compare=False)
    _codes: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [z.id for z in self.zones]
        if len(set(ids)) != len(ids):
            raise PlanError("Identificativi di zona duplicati.")
        lookup = dict(self.assignment)
        if len(lookup) != len(self.assignment):
            raise PlanError("Un comune compare più volte nel piano.")
        unknown = {z for z in lookup.values() if z is not None} - set(ids)
        if unknown:
            raise PlanError(f"Zone sconosciute nel piano: {', '.join(sorted(unknown))}.")
        object.__setattr__(self, "_lookup", MappingProxyType(lookup))
        # Read on every click by the statistics, checks and map state: kept, not rebuilt.
        object.__setattr__(self, "_codes", tuple(c for c, _ in self.assignment))

    # -- construction -------------------------------------------------------------
    @classmethod
    def build(cls, zones: Iterable[Zone], assignment: Mapping[str, str | None]) -> "Plan":
        """Make a plan from zones and a ``{istat_code: zone_id or None}`` mapping."""
        pairs = tuple(sorted((istat_code(c), z) for c, z in assignment.items()))
        return cls(tuple(zones), pairs)

    @classmethod
    def from_dict(cls, data: Mapping) -> "Plan":
        """Inverse of :meth:`to_dict` (the format of ``data/proposta_iniziale.json``)."""
        zones = [
            Zone(str(z["id"]), _clean_name(z["name"]), _clean_color(z["color"]), bool(z.get("locked", False)))
            for z in data["zones"]
        ]
        return cls.build(zones, {c: (None if z in (None, "") else str(z)) for c, z in data["assignment"].items()})

    def to_dict(self) -> dict:
        """A JSON-ready dictionary: zones (id, name, color, locked) and assignment."""
        return {
            "zones": [{"id": z.id, "name": z.name, "color": z.color, "locked": z.locked} for z in self.zones],
            "assignment": dict(self.assignment),
        }

    # -- reading ------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """ISTAT codes of the comuni the plan covers (the area), sorted."""
        return self._codes

    @property
    def zone_ids(self) -> tuple[str, ...]:
        return tuple(z.id for z in self.zones)

    def zone(self, zone_id: str) -> Zone:
        for z in self.zones:
            if z.id == zone_id:
                return z
        raise PlanError(f"Zona inesistente: {zone_id}.")

    def zone_of(self, code: str) -> str | None:
        """Zone id of a comune, ``None`` when unassigned; ``KeyError`` outside the area."""
        return self._lookup[code]

    def members(self, zone_id: str | None) -> tuple[str, ...]:
        """Comuni of a zone (``None``: the unassigned ones), sorted by code."""
        return tuple(c for c, z in self.assignment if z == zone_id)

    @property
    def unassigned(self) -> tuple[str, ...]:
        return self.members(None)

    def color_of(self, code: str) -> str:
        zone_id = self._lookup[code]
        return UNASSIGNED_COLOR if zone_id is None else self.zone(zone_id).color

    def is_locked(self, code: str) -> bool:
        """True when the comune sits in a locked zone and so cannot be moved."""
        zone_id = self._lookup[code]
        return zone_id is not None and self.zone(zone_id).locked

    # -- operations (each returns a new plan) ---------------------------------------
    def assign(self, codes: Iterable[str], zone_id: str | None) -> Assigned:
        """Move comuni to a zone (``None`` unassigns them).

        Comuni in a locked zone stay where they are and are returned as
        ``skipped``; a locked target zone refuses new members.

        Returns
        -------
        Assigned
            ``(plan, skipped)``: the new plan (this one when nothing moves) and the
            comuni left in place because of a lock.

        Raises
        ------
        PlanError
            The target zone is locked or unknown, or a comune is outside the area.
        """
        if zone_id is not None and self.zone(zone_id).locked:
            raise PlanError(f"La zona «{self.zone(zone_id).name}» è bloccata: sbloccala per modificarla.")
        wanted = {istat_code(c) for c in codes}
        unknown = wanted - set(self._lookup)
        if unknown:
            raise PlanError(f"Comuni fuori dall'area: {', '.join(sorted(unknown))}.")
        skipped = tuple(sorted(c for c in wanted if self.is_locked(c)))
        moving = wanted.difference(skipped)
        if not moving:
            return Assigned(self, skipped)
        plan = replace(self, assignment=tuple((c, zone_id if c in moving else z) for c, z in self.assignment))
        return Assigned(plan, skipped)

    def next_zone_id(self) -> str:
        """The id :meth:`add_zone` gives a new zone: ``z1``, ``z2``... (the first free)."""
        return next_zone_id(self.zone_ids)

    def next_color(self) -> str:
        """The colour :meth:`add_zone` gives a new zone by default (see :func:`next_color`)."""
        return next_color(z.color for z in self.zones)

    def add_zone(self, name: str, color: str | None = None) -> "Plan":
        """Append an empty zone with id :meth:`next_zone_id`, colour ``color`` or :meth:`next_color`."""
        zone = Zone(self.next_zone_id(), _clean_name(name), _clean_color(color or self.next_color()))
        return replace(self, zones=self.zones + (zone,))

    def rename_zone(self, zone_id: str, name: str) -> "Plan":
        return self._replace_zone(zone_id, name=_clean_name(name))

    def recolor_zone(self, zone_id: str, color: str) -> "Plan":
        return self._replace_zone(zone_id, color=_clean_color(color))

    def set_locked(self, zone_id: str, locked: bool) -> "Plan":
        return self._replace_zone(zone_id, locked=bool(locked))

    def delete_zone(self, zone_id: str) -> "Plan":
        """Remove a zone; its comuni become unassigned. A locked zone cannot be deleted."""
        zone = self.zone(zone_id)
        if zone.locked:
            raise PlanError(f"La zona «{zone.name}» è bloccata: sbloccala per eliminarla.")
        return Plan(
            tuple(z for z in self.zones if z.id != zone_id),
            tuple((c, None if z == zone_id else z) for c, z in self.assignment),
        )

    def merge_zones(self, keep_id: str, absorbed_id: str) -> "Plan":
        """Move every comune of ``absorbed_id`` into ``keep_id`` and remove ``absorbed_id``."""
        if keep_id == absorbed_id:
            raise PlanError("Scegli due zone diverse da unire.")
        for zone in (self.zone(keep_id), self.zone(absorbed_id)):
            if zone.locked:
                raise PlanError(f"La zona «{zone.name}» è bloccata: sbloccala per unirla.")
        return Plan(
            tuple(z for z in self.zones if z.id != absorbed_id),
            tuple((c, keep_id if z == absorbed_id else z) for c, z in self.assignment),
        )

    def with_area(self, codes: Iterable[str]) -> "Plan":
        """The same plan over another set of comuni: new comuni arrive unassigned,
        comuni no longer in the area are dropped."""
        wanted = {istat_code(c) for c in codes}
        kept = {c: z for c, z in self.assignment if c in wanted}
        return Plan.build(self.zones, {c: kept.get(c) for c in wanted})

    def _replace_zone(self, zone_id: str, **changes) -> "Plan":
        self.zone(zone_id)
        return replace(self, zones=tuple(replace(z, **changes) if z.id == zone_id else z for z in self.zones))
