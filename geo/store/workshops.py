"""Workshops: a facilitator opens one, participants join with a short code and send
their zone proposals; everything is kept in the app database.

A workshop has a title, a *join code* and a *base plan* (the facilitator's plan when
the workshop was opened: every participant starts from it, over the same area).
Participants join with the code and their name (or comune); each gets a personal
code, shown once, that lets them rejoin under the same name from another browser
session: nobody else can send proposals under their name. A participant may send
a proposal many times; every sending is kept and the last one counts. When the
facilitator closes the workshop, joining and sending are refused. The records and
the codes are in :mod:`geo.store.workshop_records`.

Tables (component ``laboratori`` of :class:`geo.store.database.Store`, SQLite or
PostgreSQL): ``laboratori``, ``laboratori_partecipanti``, ``laboratori_proposte``.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from geo.data.territory import LEGACY_TERRITORY
from geo.store.column_types import CodeList, PlanJson, UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create, key_column
from geo.store.workshop_records import (
    CODE_LENGTH, PIN_LENGTH, Joined, Participant, Submission, Workshop, WorkshopClosed, WorkshopError,
    WorkshopNotFound, clean_facilitator, clean_participant_name, clean_title, display_code, name_key,
    normalize_code, normalize_pin, pin_hash, pin_matches, random_code,
)
from geo.zoning.plan import Plan

COMPONENT = "laboratori"
OPEN, CLOSED = "aperto", "chiuso"

def _workshops_table(metadata: sa.MetaData, *territory: sa.Column) -> sa.Table:
    return sa.Table(
        "laboratori", metadata,
        key_column("id", sa.String(32)),
        sa.Column("code", sa.String(6), nullable=False, unique=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("facilitator", sa.String(80), nullable=False),
        sa.Column("plan_json", PlanJson, nullable=False),
        sa.Column("area_json", CodeList, nullable=False),
        sa.Column("status", sa.String(10), sa.CheckConstraint("status IN ('aperto', 'chiuso')"), nullable=False),
        sa.Column("opened_at", UtcTimestamp, nullable=False),
        sa.Column("closed_at", UtcTimestamp),
        *territory,
    )


# v5: the territory of the workshop (rows made before territories are the Pianura Bresciana's).
WORKSHOPS = _workshops_table(METADATA, sa.Column("territory", sa.String(40), nullable=False,
                                                 server_default=LEGACY_TERRITORY))
PARTICIPANTS = sa.Table(
    "laboratori_partecipanti", METADATA,
    key_column("id", sa.String(32)),
    sa.Column("workshop_id", sa.String(32), sa.ForeignKey("laboratori.id"), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("name_key", sa.String(80), nullable=False),
    sa.Column("pin_hash", sa.String(64), nullable=False),
    sa.Column("joined_at", UtcTimestamp, nullable=False),
    sa.UniqueConstraint("workshop_id", "name_key"),
)
PROPOSALS = sa.Table(
    "laboratori_proposte", METADATA,
    # INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, SERIAL on PostgreSQL: ids grow with
    # every sending, so the highest id of a participant is their last proposal.
    sa.Column("id", sa.Integer, primary_key=True, nullable=True, autoincrement=True),
    sa.Column("workshop_id", sa.String(32), sa.ForeignKey("laboratori.id"), nullable=False),
    sa.Column("participant_id", sa.String(32), sa.ForeignKey("laboratori_partecipanti.id"), nullable=False),
    sa.Column("plan_json", PlanJson, nullable=False),
    sa.Column("sent_at", UtcTimestamp, nullable=False),
    sqlite_autoincrement=True,
)
PROPOSALS_BY_WORKSHOP = sa.Index("laboratori_proposte_workshop", PROPOSALS.c.workshop_id, PROPOSALS.c.id)
MIGRATIONS = (create(_workshops_table(sa.MetaData())), create(PARTICIPANTS), create(PROPOSALS),
              create(PROPOSALS_BY_WORKSHOP),
              f"ALTER TABLE laboratori ADD COLUMN territory VARCHAR(40) DEFAULT '{LEGACY_TERRITORY}' NOT NULL")


def _row_to_workshop(row) -> Workshop:
    return Workshop(row.id, row.code, row.title, row.facilitator, row.plan_json.with_area(row.area_json),
                    row.area_json, row.status == OPEN, row.opened_at, row.closed_at, row.territory)


class WorkshopStore:
    """Workshops, participants and proposals in the app database.

    Parameters
    ----------
    store : Store
        The app database; the tables are created or upgraded on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)

    # -- workshops -------------------------------------------------------------------
    def open(self, title: str, plan: Plan, *, facilitator: str = "", territory: str = LEGACY_TERRITORY) -> Workshop:
        """Open a workshop in ``territory`` whose participants start from ``plan`` (over its comuni)."""
        title, facilitator = clean_title(title), clean_facilitator(facilitator)
        if not plan.codes:
            raise WorkshopError("Il piano di partenza non ha comuni.")
        now = utc_now()
        for _ in range(20):  # 64 million codes: a collision is rare, two in a row rarer still
            workshop = Workshop(uuid.uuid4().hex, random_code(CODE_LENGTH), title, facilitator, plan,
                                tuple(sorted(plan.codes)), True, now, None, territory)
            try:
                with self.store.transaction() as conn:
                    conn.execute(sa.insert(WORKSHOPS).values(
                        id=workshop.id, code=workshop.code, title=title, facilitator=facilitator, plan_json=plan,
                        area_json=workshop.area_codes, status=OPEN, opened_at=now, closed_at=None,
                        territory=territory))
                return workshop
            except sa.exc.IntegrityError:
                continue
        raise WorkshopError("Non è stato possibile creare un codice per il laboratorio: riprova.")

    def get(self, workshop_id: str) -> Workshop:
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(WORKSHOPS).where(WORKSHOPS.c.id == str(workshop_id))).first()
        if row is None:
            raise WorkshopNotFound("Il laboratorio non esiste più.")
        return _row_to_workshop(row)

    def by_code(self, typed_code: str) -> Workshop:
        """The workshop with a typed join code (see :func:`normalize_code`)."""
        code = normalize_code(typed_code)
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(WORKSHOPS).where(WORKSHOPS.c.code == code)).first()
        if row is None:
            raise WorkshopNotFound(f"Nessun laboratorio ha il codice {display_code(code)}: controllalo sullo "
                                   "schermo del facilitatore.")
        return _row_to_workshop(row)

    def list(self) -> list[Workshop]:
        """Every workshop, open ones first, most recent first."""
        query = sa.select(WORKSHOPS).order_by(
            sa.case((WORKSHOPS.c.status == OPEN, 0), else_=1), WORKSHOPS.c.opened_at.desc(), WORKSHOPS.c.id)
        with self.store.engine.connect() as conn:
            return [_row_to_workshop(r) for r in conn.execute(query)]

    def close(self, workshop_id: str) -> Workshop:
        """Close a workshop: no more joining or sending. Closing twice changes nothing."""
        with self.store.transaction() as conn:
            conn.execute(sa.update(WORKSHOPS).where(WORKSHOPS.c.id == workshop_id, WORKSHOPS.c.status == OPEN)
                         .values(status=CLOSED, closed_at=utc_now()))
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
        name = clean_participant_name(name)
        key, typed_pin = name_key(name), normalize_pin(pin)
        with self.store.transaction() as conn:
            row = conn.execute(sa.select(PARTICIPANTS).where(
                PARTICIPANTS.c.workshop_id == workshop.id, PARTICIPANTS.c.name_key == key)).first()
            if row is not None:
                if not typed_pin:
                    raise WorkshopError(
                        f"Nel laboratorio c'è già un partecipante «{row.name}». Se sei tu, scrivi anche il tuo "
                        "codice personale per rientrare; altrimenti usa un altro nome (ad esempio aggiungi il "
                        "tuo comune).")
                if not pin_matches(row.id, typed_pin, row.pin_hash):
                    raise WorkshopError(f"Il codice personale non è quello di «{row.name}».")
                return Joined(workshop, Participant(row.id, workshop.id, row.name, row.joined_at), None)
            participant = Participant(uuid.uuid4().hex, workshop.id, name, utc_now())
            new_pin = random_code(PIN_LENGTH)
            conn.execute(sa.insert(PARTICIPANTS).values(
                id=participant.id, workshop_id=workshop.id, name=name, name_key=key,
                pin_hash=pin_hash(participant.id, new_pin), joined_at=participant.joined_at))
        return Joined(workshop, participant, new_pin)

    def participants(self, workshop_id: str) -> list[Participant]:
        """Participants in the order they joined."""
        query = (sa.select(PARTICIPANTS.c.id, PARTICIPANTS.c.name, PARTICIPANTS.c.joined_at)
                 .where(PARTICIPANTS.c.workshop_id == workshop_id)
                 .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.id))
        with self.store.engine.connect() as conn:
            return [Participant(r.id, workshop_id, r.name, r.joined_at) for r in conn.execute(query)]

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
        # One statement checks the workshop is open and the participant is in it,
        # so a proposal can never land in a closed workshop or under another's name.
        sender = (sa.select(WORKSHOPS.c.id, PARTICIPANTS.c.id, sa.literal(plan, PlanJson),
                            sa.literal(utc_now(), UtcTimestamp))
                  .select_from(PARTICIPANTS.join(WORKSHOPS, WORKSHOPS.c.id == PARTICIPANTS.c.workshop_id))
                  .where(PARTICIPANTS.c.id == participant_id, WORKSHOPS.c.id == workshop_id,
                         WORKSHOPS.c.status == OPEN))
        # RETURNING tells whether a row went in (the rowcount of INSERT ... SELECT is
        # not reported by every driver).
        send = (sa.insert(PROPOSALS).from_select(["workshop_id", "participant_id", "plan_json", "sent_at"], sender)
                .returning(PROPOSALS.c.id))
        with self.store.transaction() as conn:
            if conn.execute(send).first() is None:
                status = conn.execute(sa.select(WORKSHOPS.c.status).where(WORKSHOPS.c.id == workshop_id)).scalar()
                if status == CLOSED:
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
        workshop closes: cheap enough to poll every few seconds.

        It counts the sendings as well as taking the last id: with several app
        processes on PostgreSQL, a sending can get its id before another one and
        commit after it, which the highest id alone would not show."""
        joined = (sa.select(sa.func.count()).select_from(PARTICIPANTS)
                  .where(PARTICIPANTS.c.workshop_id == WORKSHOPS.c.id).scalar_subquery())
        sendings = (sa.select(sa.func.count()).select_from(PROPOSALS)
                    .where(PROPOSALS.c.workshop_id == WORKSHOPS.c.id).scalar_subquery())
        last_sent = (sa.select(sa.func.max(PROPOSALS.c.id))
                     .where(PROPOSALS.c.workshop_id == WORKSHOPS.c.id).scalar_subquery())
        query = sa.select(WORKSHOPS.c.status, joined, sendings, last_sent).where(WORKSHOPS.c.id == workshop_id)
        with self.store.engine.connect() as conn:
            row = conn.execute(query).first()
        return tuple(row) if row else ()

    def _latest(self, workshop_id: str, participant_id: str | None) -> list[Submission]:
        per_participant = (sa.select(PROPOSALS.c.participant_id, sa.func.max(PROPOSALS.c.id).label("last_id"),
                                     sa.func.count().label("sendings"))
                           .where(PROPOSALS.c.workshop_id == workshop_id)
                           .group_by(PROPOSALS.c.participant_id).subquery())
        query = (sa.select(PROPOSALS.c.id, PROPOSALS.c.participant_id, PARTICIPANTS.c.name, PROPOSALS.c.plan_json,
                           PROPOSALS.c.sent_at, per_participant.c.sendings)
                 .join(PARTICIPANTS, PARTICIPANTS.c.id == PROPOSALS.c.participant_id)
                 .join(per_participant, per_participant.c.last_id == PROPOSALS.c.id)
                 .where(PROPOSALS.c.workshop_id == workshop_id)
                 .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.id))
        if participant_id:
            query = query.where(PROPOSALS.c.participant_id == participant_id)
        with self.store.engine.connect() as conn:
            return [Submission(int(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in conn.execute(query)]
