"""Cell values of a collaboration file, as people write them, to the model's values.

Forms, functions and statuses are matched by their Italian label, their key or a
common alias (``SUAP``, ``ICT``, ``attivo``), without accents, case or punctuation;
ISTAT codes may have lost their leading zero; dates are ``GG/MM/AAAA`` or ISO;
flags are ``sì``/``no`` and friends. A value that is none of these raises
:class:`~geo.collaborations.model.CollaborationError` with an Italian message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Iterable, Mapping

from geo.base.codes import istat_code
from geo.collaborations.model import FORM_LABELS, FUNCTION_LABELS, STATUS_LABELS, CollaborationError

_FORM_ALIASES = {
    "unione": "unione", "convenzione": "convenzione", "convenzione art 30 tuel": "convenzione",
    "consorzio": "consorzio", "azienda speciale": "consorzio", "fondazione": "fondazione_associazione",
    "associazione": "fondazione_associazione", "piattaforma": "piattaforma",
}
_FUNCTION_ALIASES = {
    "suap": "suap_sue", "sue": "suap_sue", "suap e sue": "suap_sue", "suap sue": "suap_sue",
    "ict": "servizi_ict", "informatica": "servizi_ict", "servizi digitali": "servizi_ict",
    "servizi digitali e informatica": "servizi_ict", "polizia municipale": "polizia_locale",
    "centrale unica di committenza": "cuc", "segreteria": "segreteria",
    "igiene urbana": "rifiuti", "rifiuti igiene urbana": "rifiuti",
}
_STATUS_ALIASES = {"attivo": "attiva", "cessato": "cessata", "sciolta": "cessata",
                   "in costituzione": "da_costituire", "prevista": "da_costituire"}
_TRUE_WORDS = {"si", "sì", "s", "x", "vero", "true", "yes", "y", "1"}
_FALSE_WORDS = {"", "no", "n", "falso", "false", "0"}
_LIST_SPLIT = re.compile(r"[;,|\n]+")
_DATE_IT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def match_key(text: object) -> str:
    """Lowercase, no accents or punctuation, single spaces: for matching words."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", plain).split())


def _lookup(labels: Mapping[str, str], aliases: Mapping[str, str]) -> dict[str, str]:
    table = {match_key(k): k for k in labels} | {match_key(v): k for k, v in labels.items()}
    table |= {match_key(k.replace("_", " ")): k for k in labels}
    return table | {match_key(a): k for a, k in aliases.items()}


FORMS = _lookup(FORM_LABELS, _FORM_ALIASES)
FUNCTIONS = _lookup(FUNCTION_LABELS, _FUNCTION_ALIASES)
STATUSES = _lookup(STATUS_LABELS, _STATUS_ALIASES)


def cell_text(value: object) -> str:
    """A cell as trimmed text (``17088.0`` from Excel -> ``"17088"``; empty -> ``""``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def choice(value: object, table: Mapping[str, str], what: str, allowed: Iterable[str]) -> str:
    """The key ``value`` names in ``table`` (one of :data:`FORMS`, :data:`FUNCTIONS`, :data:`STATUSES`)."""
    key = match_key(value)
    if key not in table:
        raise CollaborationError(f"{what} sconosciuta «{cell_text(value)}». Valori ammessi: {', '.join(allowed)}.")
    return table[key]


def parse_functions(value: object) -> tuple[str, ...]:
    """Function keys of a cell listing them, separated by ``,``, ``;``, ``|`` or new lines."""
    parts = [p for p in _LIST_SPLIT.split(cell_text(value)) if p.strip()]
    if not parts:
        raise CollaborationError("Indica almeno una funzione.")
    return tuple(choice(p, FUNCTIONS, "Funzione", FUNCTION_LABELS.values()) for p in parts)


def parse_code(value: object, known: Mapping[str, str]) -> str:
    """The 6-digit ISTAT code of a comune among ``known`` (code -> name)."""
    try:
        code = istat_code(value if not isinstance(value, str) else value.strip())
    except ValueError:
        raise CollaborationError(
            f"Codice ISTAT non valido «{cell_text(value)}»: servono le 6 cifre, ad esempio 017088.") from None
    if code not in known:
        raise CollaborationError(f"Codice ISTAT sconosciuto «{code}»: non corrisponde a nessun comune dei dati.")
    return code


def parse_members(value: object, known: Mapping[str, str]) -> tuple[str, ...]:
    """ISTAT codes of a cell listing them, separated by ``,``, ``;``, ``|`` or spaces."""
    if isinstance(value, (int, float)):
        parts = [value]
    else:
        parts = [p for p in re.split(r"[;,|\s]+", cell_text(value)) if p]
    return tuple(parse_code(p, known) for p in parts)


def parse_date(value: object, what: str) -> dt.date | None:
    """A date from an Excel date, ``GG/MM/AAAA`` or ``AAAA-MM-GG``; ``None`` when empty."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DATE_IT.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CollaborationError(f"{what}: data non valida «{text}» (usa GG/MM/AAAA o AAAA-MM-GG).") from None


def parse_flag(value: object) -> bool:
    """``da_verificare``: sì/no, vero/falso, x, 1/0 (empty is no)."""
    if isinstance(value, bool):
        return value
    key = cell_text(value).casefold()
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS:
        return False
    raise CollaborationError(f"Valore non valido «{cell_text(value)}» per da_verificare: usa sì o no.")


