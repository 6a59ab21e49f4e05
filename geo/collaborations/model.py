"""Intercommunal collaborations (gestione locale intercomunale): the data model.

A :class:`Collaboration` is one agreement among comuni (Unione, convenzione,
consortium, shared platform...) for one or more functions. It never changes: edits
return a new object, so it can be cached, compared and stored as a snapshot.

Status depends on the date. The recorded ``status`` is what the source says; the
status *on a day* (:meth:`Collaboration.status_on`) also applies the dates: after
``end_date`` a collaboration is ``cessata``, before ``start_date`` it is still
``da_costituire``. Every function taking a day defaults to today in Italy
(:func:`geo.base.italian.today_in_italy`) and accepts another date, so tests and
"as of" views are reproducible.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from typing import Iterable, Mapping

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.italian import today_in_italy
from geo.base.text import clean_text

# The four functions of the project's first working groups (Hub della Conoscenza, 10 Oct 2025).
PRIORITY_FUNCTIONS: tuple[str, ...] = ("ufficio_tecnico", "polizia_locale", "suap_sue", "servizi_ict")

FUNCTION_LABELS: dict[str, str] = {
    "ufficio_tecnico": "Ufficio Tecnico",
    "polizia_locale": "Polizia Locale",
    "suap_sue": "SUAP/SUE",
    "servizi_ict": "Servizi ICT",
    "servizi_sociali": "Servizi sociali",
    "protezione_civile": "Protezione civile",
    "cuc": "Centrale Unica di Committenza",
    "segreteria": "Segreteria comunale",
    "tributi": "Tributi",
    "rifiuti": "Rifiuti e igiene urbana",
    "servizi_scolastici": "Servizi scolastici",
    # For sources that say "the fundamental functions" without listing them.
    "funzioni_fondamentali": "Funzioni fondamentali (non specificate)",
}

FORM_LABELS: dict[str, str] = {
    "unione": "Unione di Comuni",
    "convenzione": "Convenzione (art. 30 TUEL)",
    "consorzio": "Consorzio o azienda speciale",
    "fondazione_associazione": "Fondazione o associazione",
    "piattaforma": "Piattaforma condivisa",
}

STATUS_LABELS: dict[str, str] = {
    "attiva": "attiva",
    "da_costituire": "da costituire",
    "in_scioglimento": "in scioglimento",
    "cessata": "cessata",
}
# Still delivering the service: a collaboration being dissolved works until its end date.
OPERATING_STATUSES = ("attiva", "in_scioglimento")
# Not ended: operating or being set up.
RUNNING = ("attiva", "in_scioglimento", "da_costituire")

MAX_NAME_LENGTH = 120
MAX_NOTES_LENGTH = 2000
MIN_MEMBERS = 2
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


class CollaborationError(UserError):
    """A collaboration that cannot exist as given; the message is in Italian, for the user."""


def _clean_name(value: object) -> str:
    return clean_text(value, MAX_NAME_LENGTH, error=CollaborationError, empty="Nome: il campo non può essere vuoto.",
                      too_long=f"Nome: troppo lungo (massimo {MAX_NAME_LENGTH} caratteri).")


def _clean_notes(value: object) -> str:
    return clean_text(value, MAX_NOTES_LENGTH, multiline=True, error=CollaborationError,
                      too_long=f"Note: troppo lunghe (massimo {MAX_NOTES_LENGTH} caratteri).")


def _as_date(value: object, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CollaborationError(f"{what}: data non valida «{value}» (attesa AAAA-MM-GG).") from None


@dataclass(frozen=True)
class Collaboration:
    """One intercommunal collaboration.

    Parameters
    ----------
    id : str
        Stable identifier: lowercase letters, digits and ``-`` (see :func:`new_id`).
    name : str
        Display name, as the source gives it.
    form : str
        Key of :data:`FORM_LABELS`.
    functions : tuple of str
        Keys of :data:`FUNCTION_LABELS`, at least one.
    members : tuple of str
        ISTAT codes (6-character strings) of the member comuni, at least two; they
        may lie outside the area vasta. Sorted, without repetitions.
    capofila : str or None
        ISTAT code of the lead comune (one of ``members``); ``None`` when unknown.
    status : str
        Recorded status, key of :data:`STATUS_LABELS`; see :meth:`status_on`.
    start_date, end_date : datetime.date or None
        First and last day of the collaboration, when known.
    sources : tuple of str
        ``http(s)`` URLs of the sources.
    notes : str
        Free text (what is known, what is missing).
    da_verificare : bool
        The record rests on an old or uncertain source and must be checked.
    """

    id: str
    name: str
    form: str
    functions: tuple[str, ...]
    members: tuple[str, ...]
    capofila: str | None
    status: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    sources: tuple[str, ...] = ()
    notes: str = ""
    da_verificare: bool = False

    def __post_init__(self) -> None:
        # Normalise first, then check: every constructor path (form, import, seed,
        # database) ends here, so a Collaboration is valid by construction.
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        if not _ID.match(str(self.id)):
            raise CollaborationError(f"Identificativo non valido: «{self.id}».")
        set_("name", _clean_name(self.name))
        if self.form not in FORM_LABELS:
            raise CollaborationError(f"Forma sconosciuta: «{self.form}».")
        functions = tuple(self.functions)
        unknown = [f for f in functions if f not in FUNCTION_LABELS]
        if unknown:
            raise CollaborationError(f"Funzione sconosciuta: «{unknown[0]}».")
        if not functions:
            raise CollaborationError("Indica almeno una funzione svolta insieme.")
        set_("functions", tuple(f for f in FUNCTION_LABELS if f in functions))
        try:
            members = tuple(sorted({istat_code(c) for c in self.members}))
            capofila = None if self.capofila in (None, "") else istat_code(self.capofila)
        except ValueError as exc:
            raise CollaborationError(f"Codice ISTAT non valido: {exc}.") from None
        if len(members) < MIN_MEMBERS:
            raise CollaborationError(f"Una collaborazione ha almeno {MIN_MEMBERS} comuni membri.")
        if capofila is not None and capofila not in members:
            raise CollaborationError(f"Il capofila ({capofila}) deve essere uno dei comuni membri.")
        set_("members", members)
        set_("capofila", capofila)
        if self.status not in STATUS_LABELS:
            raise CollaborationError(f"Stato sconosciuto: «{self.status}».")
        start = _as_date(self.start_date, "Data di inizio")
        end = _as_date(self.end_date, "Data di fine")
        if start and end and end < start:
            raise CollaborationError("La data di fine precede la data di inizio.")
        set_("start_date", start)
        set_("end_date", end)
        sources = tuple(dict.fromkeys(s.strip() for s in self.sources if s and s.strip()))
        bad = [s for s in sources if not _URL.match(s)]
        if bad:
            # Only http(s): a "javascript:" link in a table would run code.
            raise CollaborationError(f"Fonte non valida «{bad[0]}»: serve un indirizzo http:// o https://.")
        set_("sources", sources)
        set_("notes", _clean_notes(self.notes))
        set_("da_verificare", bool(self.da_verificare))

    # -- status on a date ---------------------------------------------------------------
    def status_on(self, day: dt.date | None = None) -> str:
        """Status on ``day`` (default: today), a key of :data:`STATUS_LABELS`.

        ``cessata`` after ``end_date`` (the end date is the last working day);
        ``da_costituire`` before ``start_date``; otherwise the recorded status.
        """
        day = day or today_in_italy()
        if self.status == "cessata" or (self.end_date is not None and day > self.end_date):
            return "cessata"
        if self.start_date is not None and day < self.start_date:
            return "da_costituire"
        return self.status

    def is_operating(self, day: dt.date | None = None) -> bool:
        """True when the collaboration delivers its services on ``day`` (attiva or in scioglimento)."""
        return self.status_on(day) in OPERATING_STATUSES

    def is_planned(self, day: dt.date | None = None) -> bool:
        return self.status_on(day) == "da_costituire"

    def covers(self, function: str) -> bool:
        return function in self.functions

    # -- changes --------------------------------------------------------------------
    def closed(self, end_date: dt.date, today: dt.date | None = None) -> "Collaboration":
        """The collaboration ending on ``end_date``: ``cessata`` if that day is past,
        ``in_scioglimento`` until then (it becomes ``cessata`` by date)."""
        today = today or today_in_italy()
        if self.start_date and end_date < self.start_date:
            raise CollaborationError("La data di chiusura precede la data di inizio.")
        return replace(self, end_date=end_date, status="cessata" if end_date < today else "in_scioglimento")

    # -- serialisation ----------------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-ready dictionary (dates as ISO strings, codes as strings)."""
        data = asdict(self)
        data["functions"] = list(self.functions)
        data["members"] = list(self.members)
        data["sources"] = list(self.sources)
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        data["end_date"] = self.end_date.isoformat() if self.end_date else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> "Collaboration":
        """Inverse of :meth:`to_dict`; raises :class:`CollaborationError` on bad data."""
        try:
            return cls(
                id=str(data["id"]), name=data["name"], form=data["form"],
                functions=tuple(data["functions"]), members=tuple(data["members"]),
                capofila=data.get("capofila"), status=data["status"],
                start_date=data.get("start_date"), end_date=data.get("end_date"),
                sources=tuple(data.get("sources") or ()), notes=data.get("notes") or "",
                da_verificare=bool(data.get("da_verificare", False)),
            )
        except KeyError as exc:
            raise CollaborationError(f"Campo mancante: {exc.args[0]}.") from None


def unknown_members(collaboration: Collaboration, known_codes: Iterable[str]) -> list[str]:
    """Member codes that are not among ``known_codes`` (e.g. the shipped comuni)."""
    known = set(known_codes)
    return [c for c in collaboration.members if c not in known]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:48] or "collaborazione"


def new_id(name: str, taken: Iterable[str]) -> str:
    """An identifier for a new collaboration: the name's slug, then ``-2``, ``-3``... if taken."""
    taken = set(taken)
    base = _slug(name)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
