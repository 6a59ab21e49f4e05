"""Workshops: a facilitator opens one, participants join with a short code and send
their zone proposals; everything is kept in the app database.

A workshop has a title, a *join code* and a *base plan* (the facilitator's plan when
the workshop was opened: every participant starts from it, over the same area).
Participants join with the code and their name (or comune); each gets a personal
code, shown once, that lets them rejoin under the same name from another browser
session: nobody else can send proposals under their name. A participant may send
a proposal many times; every sending is kept and the last one counts. When the
facilitator closes the workshop, joining and sending are refused.

Join codes are 6 characters from an alphabet without look-alikes (no 0/O/Q, 1/I/L,
2/Z, 5/S, 6/G, 8/B, U/V), shown as ``KMR-3TX`` to be read aloud; typed codes are
accepted in any case, with or without spaces and dashes.

Tables (component ``laboratori`` of :class:`geo.store.database.Store`, SQLite or
PostgreSQL): ``laboratori``, ``laboratori_partecipanti``, ``laboratori_proposte``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from geo.base.errors import UserError
from geo.zoning.plan import Plan
from geo.store.database import Store

COMPONENT = "laboratori"
_PROPOSALS_TABLE = (
    "CREATE TABLE laboratori_proposte ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " workshop_id VARCHAR(32) NOT NULL REFERENCES laboratori (id),"
    " participant_id VARCHAR(32) NOT NULL REFERENCES laboratori_partecipanti (id),"
    " plan_json TEXT NOT NULL,"
    " sent_at VARCHAR(32) NOT NULL)"
)
MIGRATIONS = (
    # Timestamps are fixed-width ISO-8601 UTC text, as in the scenarios' table.
    "CREATE TABLE laboratori ("
    " id VARCHAR(32) PRIMARY KEY,"
    " code VARCHAR(6) NOT NULL UNIQUE,"
    " title VARCHAR(120) NOT NULL,"
    " facilitator VARCHAR(80) NOT NULL,"
    " plan_json TEXT NOT NULL,"
    " area_json TEXT NOT NULL,"
    " status VARCHAR(10) NOT NULL CHECK (status IN ('aperto', 'chiuso')),"
    " opened_at VARCHAR(32) NOT NULL,"
    " closed_at VARCHAR(32))",
    "CREATE TABLE laboratori_partecipanti ("
    " id VARCHAR(32) PRIMARY KEY,"
    " workshop_id VARCHAR(32) NOT NULL REFERENCES laboratori (id),"
    " name VARCHAR(80) NOT NULL,"
    " name_key VARCHAR(80) NOT NULL,"
    " pin_hash VARCHAR(64) NOT NULL,"
    " joined_at VARCHAR(32) NOT NULL,"
    " UNIQUE (workshop_id, name_key))",
    _PROPOSALS_TABLE,
    "CREATE INDEX laboratori_proposte_workshop ON laboratori_proposte (workshop_id, id)",
)
MIGRATIONS_POSTGRES = tuple(
    step.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY") for step in MIGRATIONS)

CODE_ALPHABET = "ACDEFHJKMNPRTWXY3479"
CODE_LENGTH = 6
PIN_LENGTH = 4
MAX_TITLE_LENGTH = 120
MAX_NAME_LENGTH = 80
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_SEPARATORS = re.compile(r"[\s\-_.]+")


class WorkshopError(UserError):
    """A workshop operation refused; the message is in Italian, for the user."""


class WorkshopNotFound(WorkshopError):
    pass


class WorkshopClosed(WorkshopError):
    pass


@dataclass(frozen=True)
class Workshop:
    """A workshop. ``base_plan`` covers ``area_codes``; times are UTC."""

    id: str
    code: str
    title: str
    facilitator: str
    base_plan: Plan
    area_codes: tuple[str, ...]
    is_open: bool
    opened_at: datetime
    closed_at: datetime | None

    @property
    def display_code(self) -> str:
        """The join code as read aloud: ``KMR-3TX``."""
        return display_code(self.code)


@dataclass(frozen=True)
class Participant:
    id: str
    workshop_id: str
    name: str
    joined_at: datetime


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


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _to_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=timezone.utc)


def _plan_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _clean(text: str, what: str, limit: int) -> str:
    value = " ".join(str(text or "").split())
    if not value:
        raise WorkshopError(f"Scrivi {what}.")
    if len(value) > limit:
        raise WorkshopError(f"Il testo di {what} è troppo lungo (massimo {limit} caratteri).")
    return value


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


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _pin_hash(participant_id: str, pin: str) -> str:
    return hashlib.sha256(f"{participant_id}:{pin}".encode()).hexdigest()


def _row_to_workshop(row) -> Workshop:
    area = tuple(json.loads(row.area_json))
    plan = Plan.from_dict(json.loads(row.plan_json)).with_area(area)
    return Workshop(row.id, row.code, row.title, row.facilitator, plan, area, row.status == "aperto",
                    _from_text(row.opened_at), _from_text(row.closed_at))


_WORKSHOP_COLUMNS = "id, code, title, facilitator, plan_json, area_json, status, opened_at, closed_at"


class WorkshopStore:
    """Workshops, participants and proposals in the app database.

    Parameters
    ----------
    store : Store
        The app database; the tables are created or upgraded on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS_POSTGRES if store.dialect == "postgresql" else MIGRATIONS)

    # -- workshops -------------------------------------------------------------------
    def open(self, title: str, plan: Plan, *, facilitator: str = "") -> Workshop:
        """Open a workshop whose participants start from ``plan`` (over its comuni)."""
        title = _clean(title, "il titolo del laboratorio", MAX_TITLE_LENGTH)
        facilitator = " ".join(str(facilitator or "").split())[:MAX_NAME_LENGTH]
        if not plan.codes:
            raise WorkshopError("Il piano di partenza non ha comuni.")
        now = _now()
        for _ in range(20):  # 64 million codes: a collision is rare, two in a row rarer still
            workshop = Workshop(uuid.uuid4().hex, _random_code(CODE_LENGTH), title, facilitator, plan,
                                tuple(sorted(plan.codes)), True, now, None)
            try:
                with self.store.transaction() as conn:
                    conn.execute(sa.text(
                        f"INSERT INTO laboratori ({_WORKSHOP_COLUMNS}) VALUES (:id, :code, :title,"
                        " :facilitator, :plan_json, :area_json, 'aperto', :opened_at, NULL)"
                    ), {"id": workshop.id, "code": workshop.code, "title": title, "facilitator": facilitator,
                        "plan_json": _plan_json(plan), "area_json": json.dumps(list(workshop.area_codes)),
                        "opened_at": _to_text(now)})
                return workshop
            except sa.exc.IntegrityError:
                continue
        raise WorkshopError("Non è stato possibile creare un codice per il laboratorio: riprova.")

    def get(self, workshop_id: str) -> Workshop:
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.text(f"SELECT {_WORKSHOP_COLUMNS} FROM laboratori WHERE id = :id"),
                               {"id": str(workshop_id)}).first()
        if row is None:
            raise WorkshopNotFound("Il laboratorio non esiste più.")
        return _row_to_workshop(row)

    def by_code(self, typed_code: str) -> Workshop:
        """The workshop with a typed join code (see :func:`normalize_code`)."""
        code = normalize_code(typed_code)
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.text(f"SELECT {_WORKSHOP_COLUMNS} FROM laboratori WHERE code = :code"),
                               {"code": code}).first()
        if row is None:
            raise WorkshopNotFound(f"Nessun laboratorio ha il codice {display_code(code)}: controllalo sullo "
                                   "schermo del facilitatore.")
        return _row_to_workshop(row)

    def list(self) -> list[Workshop]:
        """Every workshop, open ones first, most recent first."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.text(
                f"SELECT {_WORKSHOP_COLUMNS} FROM laboratori ORDER BY status = 'aperto' DESC, opened_at DESC, id"
            )).all()
        return [_row_to_workshop(r) for r in rows]

    def close(self, workshop_id: str) -> Workshop:
        """Close a workshop: no more joining or sending. Closing twice changes nothing."""
        with self.store.transaction() as conn:
            conn.execute(sa.text("UPDATE laboratori SET status = 'chiuso', closed_at = :now"
                                 " WHERE id = :id AND status = 'aperto'"),
                         {"id": workshop_id, "now": _to_text(_now())})
        return self.get(workshop_id)

    # -- participants ----------------------------------------------------------------------
    def join(self, typed_code: str, name: str, pin: str = "") -> Joined:
        """Join an open workshop as ``name``; with ``pin``, rejoin as that participant.

        Names are compared ignoring case and repeated spaces.

        Raises
        ------
        WorkshopError
            Wrong code, closed workshop, empty or too long name, a name already
            taken (without its personal code) or a wrong personal code.
        """
        workshop = self.by_code(typed_code)
        if not workshop.is_open:
            raise WorkshopClosed(f"Il laboratorio «{workshop.title}» è chiuso: non si può più partecipare.")
        name = _clean(name, "il tuo nome o il tuo comune", MAX_NAME_LENGTH)
        key = name.casefold()
        typed_pin = _SEPARATORS.sub("", str(pin or "")).upper()
        with self.store.transaction() as conn:
            row = conn.execute(sa.text(
                "SELECT id, name, pin_hash, joined_at FROM laboratori_partecipanti"
                " WHERE workshop_id = :w AND name_key = :k"), {"w": workshop.id, "k": key}).first()
            if row is not None:
                if not typed_pin:
                    raise WorkshopError(
                        f"Nel laboratorio c'è già un partecipante «{row.name}». Se sei tu, scrivi anche il tuo "
                        "codice personale per rientrare; altrimenti usa un altro nome (ad esempio aggiungi il "
                        "tuo comune).")
                if not secrets.compare_digest(_pin_hash(row.id, typed_pin), row.pin_hash):
                    raise WorkshopError(f"Il codice personale non è quello di «{row.name}».")
                return Joined(workshop, Participant(row.id, workshop.id, row.name, _from_text(row.joined_at)), None)
            participant = Participant(uuid.uuid4().hex, workshop.id, name, _now())
            new_pin = _random_code(PIN_LENGTH)
            conn.execute(sa.text(
                "INSERT INTO laboratori_partecipanti (id, workshop_id, name, name_key, pin_hash, joined_at)"
                " VALUES (:id, :w, :name, :k, :pin, :at)"
            ), {"id": participant.id, "w": workshop.id, "name": name, "k": key,
                "pin": _pin_hash(participant.id, new_pin), "at": _to_text(participant.joined_at)})
        return Joined(workshop, participant, new_pin)

    def participants(self, workshop_id: str) -> list[Participant]:
        """Participants in the order they joined."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, name, joined_at FROM laboratori_partecipanti WHERE workshop_id = :w"
                " ORDER BY joined_at, id"), {"w": workshop_id}).all()
        return [Participant(r.id, workshop_id, r.name, _from_text(r.joined_at)) for r in rows]

    # -- proposals -------------------------------------------------------------------------
    def submit(self, workshop_id: str, participant_id: str, plan: Plan) -> Submission:
        """Send ``plan`` as the participant's proposal (the last one sent counts).

        Raises
        ------
        WorkshopError
            The workshop is closed (:class:`WorkshopClosed`) or gone, the participant
            is not in it, or the plan covers other comuni than the workshop's area.
        """
        workshop = self.get(workshop_id)
        if set(plan.codes) != set(workshop.area_codes):
            raise WorkshopError("La proposta riguarda comuni diversi da quelli del laboratorio: non è stata "
                                "inviata. Riparti dal piano del laboratorio (pagina «Laboratorio»).")
        now = _now()
        with self.store.transaction() as conn:
            # One statement checks the workshop is open and the participant is in it,
            # so a proposal can never land in a closed workshop or under another's name.
            inserted = conn.execute(sa.text(
                "INSERT INTO laboratori_proposte (workshop_id, participant_id, plan_json, sent_at)"
                " SELECT l.id, p.id, :plan, :at FROM laboratori_partecipanti p JOIN laboratori l"
                " ON l.id = p.workshop_id WHERE p.id = :p AND l.id = :w AND l.status = 'aperto'"
            ), {"w": workshop_id, "p": participant_id, "plan": _plan_json(plan), "at": _to_text(now)}).rowcount
            if not inserted:
                status = conn.execute(sa.text("SELECT status FROM laboratori WHERE id = :w"),
                                      {"w": workshop_id}).scalar()
                if status == "chiuso":
                    raise WorkshopClosed(f"Il laboratorio «{workshop.title}» è stato chiuso: la proposta non è "
                                         "stata inviata.")
                raise WorkshopError("Non risulti iscritto a questo laboratorio: la proposta non è stata inviata.")
        return self.last_submission(workshop_id, participant_id)

    def latest_submissions(self, workshop_id: str) -> list[Submission]:
        """The last proposal of every participant who sent one, in the order they joined."""
        return self._latest(workshop_id, None)

    def last_submission(self, workshop_id: str, participant_id: str) -> Submission | None:
        found = self._latest(workshop_id, participant_id)
        return found[0] if found else None

    def fingerprint(self, workshop_id: str) -> tuple:
        """A small value that changes whenever someone joins or sends, or the
        workshop closes: cheap enough to poll every few seconds."""
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.text(
                "SELECT l.status,"
                " (SELECT COUNT(*) FROM laboratori_partecipanti p WHERE p.workshop_id = l.id),"
                " (SELECT MAX(s.id) FROM laboratori_proposte s WHERE s.workshop_id = l.id)"
                " FROM laboratori l WHERE l.id = :w"), {"w": workshop_id}).first()
        return tuple(row) if row else ()

    def _latest(self, workshop_id: str, participant_id: str | None) -> list[Submission]:
        only = " AND s.participant_id = :p" if participant_id else ""
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT s.id, s.participant_id, p.name, s.plan_json, s.sent_at, c.n"
                " FROM laboratori_proposte s"
                " JOIN laboratori_partecipanti p ON p.id = s.participant_id"
                " JOIN (SELECT participant_id, MAX(id) AS last_id, COUNT(*) AS n FROM laboratori_proposte"
                "       WHERE workshop_id = :w GROUP BY participant_id) c ON c.last_id = s.id"
                f" WHERE s.workshop_id = :w{only}"
                " ORDER BY p.joined_at, p.id"), {"w": workshop_id, "p": participant_id}).all()
        return [Submission(int(r[0]), r[1], r[2], Plan.from_dict(json.loads(r[3])), _from_text(r[4]), int(r[5]))
                for r in rows]

