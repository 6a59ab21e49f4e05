"""Workshops: a facilitator opens one, participants join with a short code and send
their zone proposals; everything is kept in the app database.

A workshop has a title, a *join code* and a *base plan* (the facilitator's plan when
the workshop was opened: every participant starts from it, over the same area).
Participants join with the code and their name (or comune); each gets a personal
code, shown once, that lets them rejoin under the same name from another browser
session: nobody else can send proposals under their name. A participant may send
a proposal many times; every sending is kept and the last one counts. When the
facilitator closes the workshop, joining and sending are refused. The records and
the codes are in :mod:`geo.store.workshop_records`; the facilitator's key, one
participant per browser and removed participants in :mod:`geo.store.workshop_access`.
Attempts at a personal code, a facilitator key or a join code are limited
(:mod:`geo.store.attempts`): 5 wrong personal codes per name and per browser a
minute, 5 wrong keys per workshop and per browser, 10 wrong codes per browser.

Tables (component ``laboratori`` of :class:`geo.store.database.Store`, SQLite or
PostgreSQL): ``laboratori``, ``laboratori_partecipanti``, ``laboratori_proposte``.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from geo.data.territory import LEGACY_TERRITORY
from geo.store import change_log
from geo.store import workshop_access as access
from geo.store.actors import SYSTEM, Actor
from geo.store.attempts import AttemptLog
from geo.store.column_types import PlanJson, UtcTimestamp, utc_now
from geo.store.database import Store
from geo.store.workshop_tables import (  # noqa: F401  (the tables are also read from here)
    CLOSED, COMPONENT, MIGRATIONS, OPEN, PARTICIPANTS, PROPOSALS, PROPOSALS_BY_WORKSHOP, WORKSHOPS, row_to_workshop,
)
from geo.store.workshop_participants import ParticipantsMixin
from geo.store.workshop_records import (
    CODE_LENGTH, EXCLUDED, Submission, Workshop, WorkshopClosed, WorkshopError, WorkshopForbidden, WorkshopNotFound,
    clean_facilitator, clean_title, display_code, normalize_code, random_code,
)
from geo.zoning.plan import Plan

_NO_KEY = ("Questo laboratorio è stato aperto prima delle chiavi del facilitatore: può condurlo solo il "
           "coordinamento.")

class WorkshopStore(ParticipantsMixin):
    """Workshops, participants and proposals in the app database.

    Parameters
    ----------
    store : Store
        The app database; the tables are created or upgraded on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)
        store.migrate(access.COMPONENT, access.MIGRATIONS)
        store.migrate(change_log.COMPONENT, change_log.MIGRATIONS)
        self.attempts = AttemptLog(store)

    # -- workshops -------------------------------------------------------------------
    def open(self, title: str, plan: Plan, *, facilitator: str = "", facilitator_key: str | None = None,
             actor: Actor = SYSTEM, territory: str = LEGACY_TERRITORY) -> Workshop:
        """Open a workshop in ``territory`` whose participants start from ``plan`` (over its comuni).

        ``facilitator_key`` (from :func:`geo.store.workshop_access.new_facilitator_key`,
        shown once to the facilitator) is kept hashed: resuming, closing, reopening and
        removing participants need it. Opening is for the coordination (``actor``).
        """
        if not actor.coordinator:
            raise WorkshopForbidden("Solo il coordinamento apre i laboratori: entra con la password di coordinamento "
                                    "(barra laterale, «Accesso coordinamento»).")
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
                    if facilitator_key:
                        access.keep_key(conn, workshop.id, facilitator_key)
                    change_log.write(conn, actor, "laboratorio", workshop.id, "apertura", f"«{title}»")
                return workshop
            except sa.exc.IntegrityError:
                continue
        raise WorkshopError("Non è stato possibile creare un codice per il laboratorio: riprova.")

    def get(self, workshop_id: str) -> Workshop:
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(WORKSHOPS).where(WORKSHOPS.c.id == str(workshop_id))).first()
        if row is None:
            raise WorkshopNotFound("Il laboratorio non esiste più.")
        return row_to_workshop(row)

    def by_code(self, typed_code: str) -> Workshop:
        """The workshop with a typed join code (see :func:`normalize_code`)."""
        code = normalize_code(typed_code)
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(WORKSHOPS).where(WORKSHOPS.c.code == code)).first()
        if row is None:
            raise WorkshopNotFound(f"Nessun laboratorio ha il codice {display_code(code)}: controllalo sullo "
                                   "schermo del facilitatore.")
        return row_to_workshop(row)

    def list(self) -> list[Workshop]:
        """Every workshop, open ones first, most recent first (for scripts: the app never
        lists workshops, whose codes are for the participants the facilitator shows them to)."""
        query = sa.select(WORKSHOPS).order_by(
            sa.case((WORKSHOPS.c.status == OPEN, 0), else_=1), WORKSHOPS.c.opened_at.desc(), WORKSHOPS.c.id)
        with self.store.engine.connect() as conn:
            return [row_to_workshop(r) for r in conn.execute(query)]

    def resume(self, typed_code: str, typed_key: str, *, actor: Actor) -> Workshop:
        """The workshop a facilitator resumes with its join code and facilitator key.

        Raises
        ------
        WorkshopError
            Unknown code, wrong key, too many wrong keys lately
            (:class:`~geo.store.attempts.TooManyAttempts`), or a workshop without a
            key resumed by someone who is not the coordination.
        """
        workshop = self.by_code(typed_code)
        self.check_key(workshop.id, typed_key, actor)
        return workshop

    def check_key(self, workshop_id: str, typed_key: str, actor: Actor) -> None:
        """Raise :class:`WorkshopForbidden` unless ``typed_key`` is the workshop's facilitator key."""
        keys = [f"laboratorio:{workshop_id}", f"browser:{actor.key or '-'}"]
        self.attempts.check("facilitatore", keys, access.KEY_LIMIT, "la chiave del facilitatore")
        with self.store.engine.connect() as conn:
            ok = access.key_matches(conn, workshop_id, typed_key)
        if ok is None:
            if actor.coordinator:
                return
            raise WorkshopForbidden(_NO_KEY)
        self.attempts.record("facilitatore", keys, ok)
        if not ok:
            raise WorkshopForbidden("La chiave del facilitatore non è quella di questo laboratorio.")

    def close(self, workshop_id: str, *, facilitator_key: str, actor: Actor = SYSTEM) -> Workshop:
        """Close a workshop: no more joining or sending. Closing twice changes nothing."""
        return self._set_status(workshop_id, facilitator_key, actor, CLOSED)

    def reopen(self, workshop_id: str, *, facilitator_key: str, actor: Actor = SYSTEM) -> Workshop:
        """Open a closed workshop again: joining and sending are accepted again."""
        return self._set_status(workshop_id, facilitator_key, actor, OPEN)

    def _set_status(self, workshop_id: str, facilitator_key: str, actor: Actor, status: str) -> Workshop:
        self.check_key(workshop_id, facilitator_key, actor)
        before = OPEN if status == CLOSED else CLOSED
        with self.store.transaction() as conn:
            changed = conn.execute(sa.update(WORKSHOPS).where(WORKSHOPS.c.id == workshop_id,
                                                              WORKSHOPS.c.status == before)
                                   .values(status=status, closed_at=utc_now() if status == CLOSED else None)).rowcount
            if changed:
                change_log.write(conn, actor, "laboratorio", workshop_id,
                                 "chiusura" if status == CLOSED else "riapertura", self._title(conn, workshop_id))
        return self.get(workshop_id)

    @staticmethod
    def _title(conn, workshop_id: str) -> str:
        return f"«{conn.execute(sa.select(WORKSHOPS.c.title).where(WORKSHOPS.c.id == workshop_id)).scalar()}»"

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
        not_removed = ~sa.exists().where(access.REMOVED.c.workshop_id == workshop_id,
                                         access.REMOVED.c.participant_id == participant_id)
        sender = (sa.select(WORKSHOPS.c.id, PARTICIPANTS.c.id, sa.literal(plan, PlanJson),
                            sa.literal(utc_now(), UtcTimestamp))
                  .select_from(PARTICIPANTS.join(WORKSHOPS, WORKSHOPS.c.id == PARTICIPANTS.c.workshop_id))
                  .where(PARTICIPANTS.c.id == participant_id, WORKSHOPS.c.id == workshop_id,
                         WORKSHOPS.c.status == OPEN, not_removed))
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
                if participant_id in access.removed_ids(conn, workshop_id):
                    raise WorkshopError(EXCLUDED)
                raise WorkshopError("Non risulti iscritto a questo laboratorio: la proposta non è stata inviata.")
        return self.last_submission(workshop_id, participant_id)

    def latest_submissions(self, workshop_id: str, *, include_removed: bool = False) -> list[Submission]:
        """The last proposal of every participant who sent one, in the order they joined;
        those of removed participants only with ``include_removed`` (the record, not the consensus)."""
        latest = self._latest(workshop_id, None)
        if include_removed:
            return latest
        with self.store.engine.connect() as conn:
            removed = access.removed_ids(conn, workshop_id)
        return [s for s in latest if s.participant_id not in removed]

    def last_submission(self, workshop_id: str, participant_id: str) -> Submission | None:
        found = self._latest(workshop_id, participant_id)
        return found[0] if found else None

    def fingerprint(self, workshop_id: str) -> tuple:
        """A small value that changes whenever someone joins, sends or is removed, or the
        workshop closes or reopens: cheap enough to poll every few seconds.

        It counts the sendings as well as taking the last id: with several app
        processes on PostgreSQL, a sending can get its id before another one and
        commit after it, which the highest id alone would not show."""
        joined = (sa.select(sa.func.count()).select_from(PARTICIPANTS)
                  .where(PARTICIPANTS.c.workshop_id == WORKSHOPS.c.id).scalar_subquery())
        sendings = (sa.select(sa.func.count()).select_from(PROPOSALS)
                    .where(PROPOSALS.c.workshop_id == WORKSHOPS.c.id).scalar_subquery())
        last_sent = (sa.select(sa.func.max(PROPOSALS.c.id))
                     .where(PROPOSALS.c.workshop_id == WORKSHOPS.c.id).scalar_subquery())
        query = sa.select(WORKSHOPS.c.status, joined, sendings, last_sent,
                          access.removed_count(WORKSHOPS.c.id)).where(WORKSHOPS.c.id == workshop_id)
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
