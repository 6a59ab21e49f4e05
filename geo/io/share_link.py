"""Share links: a plan carried in the URL's query parameters.

Opening the app with these parameters in another browser shows the same zones. The
format is versioned and protected by a checksum, so a link that was cut while
copying, edited by hand or made by a future version of the app is recognised and
explained, never shown as a wrong plan.

Format 2 (every value uses only URL-safe characters, nothing needs escaping except
inside ``pz``, which is base64url)::

    pv  format version: "2"
    pt  the territory's id (``rete_hub``: the name of its file in ``data/territori``)
    pa  the area: for each 3-digit province prefix, the prefix followed by the last
        3 digits of each of its comuni, sorted; groups joined by "-".
        ["017011", "017020", "019003"] -> "017011020-019003"
    pz  the zones: base64url (no padding) of UTF-8 JSON
        [[id, name, "RRGGBB", locked 0/1], ...] in plan order
    pp  one character per comune of the area, in the order of ``pa``: "0" for an
        unassigned comune, otherwise the 1-based position of its zone in ``pz``
        written with the alphabet 1-9, A-Z, a-z (at most 61 zones)
    pk  CRC-32 (8 hex digits) of "pv|pt|pa|pz|pp"

Format 1, made before territories existed, has no ``pt`` (its checksum is of
"pv|pa|pz|pp"): it is read as a plan of the Pianura Bresciana, the only territory
the app then had.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping
from urllib.parse import urlencode

from geo.base.errors import UserError
from geo.data.territory import LEGACY_TERRITORY
from geo.io.json_limits import loads_bounded
from geo.zoning.plan import Plan, PlanError

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
PARAMS = ("pv", "pt", "pa", "pz", "pp", "pk")
_TERRITORY = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
MAX_LINK_CHARS = 16_000
_ZONE_DIGITS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MAX_ZONES = len(_ZONE_DIGITS)
_GROUP = re.compile(r"^(\d{3})((?:\d{3})+)$")
_MAX_ZONE_ID = 40

DAMAGED = ("Il link di condivisione è danneggiato o incompleto (forse è stato tagliato "
           "copiandolo): viene mostrata la proposta iniziale.")


class ShareLinkError(UserError):
    """The link cannot be read; the message is in Italian, for the user."""


@dataclass(frozen=True)
class ShareLinkResult:
    """What a URL carried: a plan, or the reason it could not be read."""

    plan: Plan | None = None
    error: str | None = None
    territory: str | None = None  # the territory the link is of, once read

    @property
    def area_codes(self) -> tuple[str, ...]:
        return self.plan.codes if self.plan is not None else ()


def _checksum(version: str, area: str, zones: str, assignment: str, territory: str | None = None) -> str:
    parts = (version, area, zones, assignment) if territory is None else (version, territory, area, zones, assignment)
    return f"{zlib.crc32('|'.join(parts).encode('utf-8')):08x}"


def _encode_area(codes: Iterable[str]) -> str:
    groups: dict[str, list[str]] = {}
    for code in sorted(codes):
        groups.setdefault(code[:3], []).append(code[3:])
    return "-".join(prefix + "".join(suffixes) for prefix, suffixes in groups.items())


def _decode_area(text: str) -> list[str]:
    codes = []
    for group in text.split("-"):
        match = _GROUP.match(group)
        if not match:
            raise ShareLinkError(DAMAGED)
        prefix, suffixes = match.groups()
        codes += [prefix + suffixes[i:i + 3] for i in range(0, len(suffixes), 3)]
    if codes != sorted(set(codes)):
        raise ShareLinkError(DAMAGED)
    return codes


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ShareLinkError(DAMAGED)
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def share_params(plan: Plan, territory: str = LEGACY_TERRITORY) -> dict[str, str]:
    """The query parameters that carry ``plan``, drawn in ``territory`` (see module docstring).

    Raises
    ------
    ShareLinkError
        If the plan has more zones than the format can write (61).
    """
    if len(plan.zones) > MAX_ZONES:
        raise ShareLinkError(f"Il piano ha troppe zone per un link (massimo {MAX_ZONES}).")
    digit = {z.id: _ZONE_DIGITS[i] for i, z in enumerate(plan.zones)}
    zones = [[z.id, z.name, z.color.lstrip("#"), int(z.locked)] for z in plan.zones]
    params = {
        "pv": str(FORMAT_VERSION),
        "pt": territory,
        "pa": _encode_area(plan.codes),
        "pz": _b64encode(json.dumps(zones, ensure_ascii=False, separators=(",", ":")).encode("utf-8")),
        "pp": "".join("0" if zone is None else digit[zone] for _, zone in plan.assignment),
    }
    params["pk"] = _checksum(params["pv"], params["pa"], params["pz"], params["pp"], territory)
    return params


def share_query(plan: Plan, territory: str = LEGACY_TERRITORY) -> str:
    """``share_params`` as a query string, e.g. ``"pv=2&pt=rete_hub&pa=017011...&pk=..."``."""
    return urlencode(share_params(plan, territory))


def has_share_params(params: Mapping[str, object]) -> bool:
    """True when the URL carries (part of) a shared plan."""
    return any(key in params for key in PARAMS)


def _value(params: Mapping[str, object], key: str) -> str:
    value = params.get(key)
    if isinstance(value, (list, tuple)):  # a repeated parameter: keep the last, as browsers do
        value = value[-1] if value else None
    if value is None or not isinstance(value, str) or not value:
        raise ShareLinkError(DAMAGED)
    return value


def _decode_zones(text: str) -> list[dict]:
    """Zone records as in ``Plan.to_dict``; names and colours are checked by ``Plan``."""
    try:
        decoded = _b64decode(text).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ShareLinkError(DAMAGED) from exc
    # A list of lists of plain values: anything nested deeper is not a link of ours,
    # and is refused before the parser recurses into it (see geo.io.json_limits).
    raw = loads_bounded(decoded, max_depth=2, too_deep=DAMAGED, invalid=DAMAGED, error=ShareLinkError)
    if not isinstance(raw, list) or len(raw) > MAX_ZONES:
        raise ShareLinkError(DAMAGED)
    zones = []
    for item in raw:
        if (not isinstance(item, list) or len(item) != 4 or not isinstance(item[0], str)
                or not 0 < len(item[0]) <= _MAX_ZONE_ID or not isinstance(item[1], str)
                or not isinstance(item[2], str) or item[3] not in (0, 1)):
            raise ShareLinkError(DAMAGED)
        zones.append({"id": item[0], "name": item[1], "color": "#" + item[2], "locked": bool(item[3])})
    return zones


KnownCodes = Iterable[str] | Callable[[str], Iterable[str] | None]


def _territory_of(params: Mapping[str, object], version: int) -> str | None:
    """The territory of a link of ``version`` (``None`` for format 1's implicit one)."""
    if version == 1:
        return None
    territory = _value(params, "pt")
    if not _TERRITORY.match(territory):
        raise ShareLinkError(DAMAGED)
    return territory


def decode_share_params(params: Mapping[str, object], known_codes: KnownCodes) -> Plan:
    """The plan carried by the query parameters (see :func:`decode_share_link`)."""
    return decode_share_link(params, known_codes)[1]


def decode_share_link(params: Mapping[str, object], known_codes: KnownCodes) -> tuple[str, Plan]:
    """The territory and the plan carried by the query parameters.

    Parameters
    ----------
    params : mapping
        Query parameters (values are strings, or lists of strings when repeated).
    known_codes : iterable of str, or callable
        ISTAT codes of the comuni the app has data for; or a function giving them
        for a territory id (``None`` for a territory the app does not have). A
        link naming another comune was made with other data and is refused.

    Raises
    ------
    ShareLinkError
        With an Italian message: damaged, incomplete, too long, made by another
        version of the app, of a territory the app does not have, or naming
        unknown comuni.
    """
    if sum(len(str(v)) for k, v in params.items() if k in PARAMS) > MAX_LINK_CHARS:
        raise ShareLinkError("Il link di condivisione è troppo lungo: viene mostrata la proposta iniziale.")
    version = _value(params, "pv")
    if not version.isdigit():
        raise ShareLinkError(DAMAGED)
    if int(version) not in READABLE_VERSIONS:
        newer = int(version) > FORMAT_VERSION
        raise ShareLinkError(
            f"Il link è stato creato da una versione {'più recente' if newer else 'precedente'} dell'app "
            f"(formato {int(version)}) e non può essere letto: viene mostrata la proposta iniziale."
        )
    named = _territory_of(params, int(version))
    area_text, zones_text, assignment = _value(params, "pa"), _value(params, "pz"), _value(params, "pp")
    if _value(params, "pk") != _checksum(version, area_text, zones_text, assignment, named):
        raise ShareLinkError(DAMAGED)
    territory = named or LEGACY_TERRITORY
    known = known_codes(territory) if callable(known_codes) else known_codes
    if known is None:
        raise ShareLinkError(f"Il link riguarda un territorio («{territory}») che questa installazione dell'app "
                             "non ha: viene mostrata la proposta iniziale.")
    codes = _decode_area(area_text)
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ShareLinkError(
            "Il link nomina comuni che non sono nei dati dell'app (codici ISTAT "
            f"{', '.join(unknown[:10])}{'...' if len(unknown) > 10 else ''}): è stato creato con dati "
            "diversi. Viene mostrata la proposta iniziale."
        )
    zones = _decode_zones(zones_text)
    if len(assignment) != len(codes):
        raise ShareLinkError(DAMAGED)
    by_digit = {_ZONE_DIGITS[i]: z["id"] for i, z in enumerate(zones)}
    try:
        mapping = {code: None if ch == "0" else by_digit[ch] for code, ch in zip(codes, assignment)}
    except KeyError as exc:
        raise ShareLinkError(DAMAGED) from exc
    try:
        return territory, Plan.from_dict({"zones": zones, "assignment": mapping})
    except PlanError as exc:
        raise ShareLinkError(f"{DAMAGED} ({exc})") from exc


def read_share_link(params: Mapping[str, object], known_codes: KnownCodes) -> ShareLinkResult | None:
    """Like :func:`decode_share_link`, but never raises: ``None`` when the URL
    carries no plan, otherwise a result with the territory and plan, or the Italian error."""
    if not has_share_params(params):
        return None
    try:
        territory, plan = decode_share_link(params, known_codes)
        return ShareLinkResult(plan=plan, territory=territory)
    except ShareLinkError as exc:
        return ShareLinkResult(error=str(exc))
    except (ValueError, TypeError, KeyError, RecursionError):
        # Anything else a hand-edited URL could provoke is still a damaged link.
        return ShareLinkResult(error=DAMAGED)
