"""Taking part in a workshop: joining with the code, rejoining, one name per browser,
and the facilitator removing a participant (part of :class:`geo.store.workshops.WorkshopStore`).

Joining is bounded against guessing: a wrong join code counts against the browser,
a wrong personal code against the name and the browser (:mod:`geo.store.attempts`);
past the limit the attempt is refused before any check, with the wait in Italian.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from geo.store import change_log
from geo.store import workshop_access as access
from geo.store.actors import Actor
from geo.store.attempts import AttemptLog, Limit
from geo.store.column_types import utc_now
from geo.store.database import Store
from geo.store.workshop_records import (
    EXCLUDED, PIN_LENGTH, Joined, Participant, Workshop, WorkshopClosed, WorkshopError, WorkshopNotFound,
    clean_participant_name, name_key, normalize_pin, pin_hash, pin_matches, random_code,
)
from geo.store.workshop_tables import PARTICIPANTS

CODE_LIMIT = Limit(failures=10, window_seconds=60)  # wrong join codes per browser


def _participant(row, workshop_id: str, removed: set[str] = frozenset()) -> Participant:
    return Participant(row.id, workshop_id, row.name, row.joined_at, row.id in removed)


def _name_taken(name: str) -> WorkshopError:
    return WorkshopError(f"Nel laboratorio c'è già un partecipante «{name}». Se sei tu, scrivi anche il tuo codice "
                         "personale per rientrare; altrimenti usa un altro nome (ad esempio aggiungi il tuo comune).")


class ParticipantsMixin:
    """Joining and participants; needs ``store`` (a :class:`Store`), ``attempts`` (an
    :class:`AttemptLog`), ``by_code`` and ``check_key`` from the workshop store."""

    store: Store
    attempts: AttemptLog

    def workshop_to_join(self, typed_code: str, browser: str) -> Workshop:
        keys = [f"browser:{browser or '-'}"]
        self.attempts.check("codice", keys, CODE_LIMIT, "il codice del laboratorio")
        try:
            workshop = self.by_code(typed_code)
        except WorkshopNotFound:
            self.attempts.record("codice", keys, False)
            raise
        if not workshop.is_open:
            raise WorkshopClosed(f"Il laboratorio «{workshop.title}» è chiuso: non si può più partecipare.")
        return workshop

    def join(self, typed_code: str, name: str, pin: str = "", *, browser: str = "") -> Joined:
        """Join an open workshop as ``name`` from ``browser`` (its key); with ``pin``,
        rejoin as that participant from another browser.

        A browser is one participant: from the browser it joined with, a participant
        rejoins by name alone; another name from that browser is refused. Names are
        compared ignoring case and repeated spaces.

        Raises
        ------
        WorkshopError
            Wrong code, closed workshop, empty or too long name, a name already
            taken (without its personal code), a wrong personal code, too many
            wrong codes lately, another name from this browser, a removed participant.
        """
        workshop = self.workshop_to_join(typed_code, browser)
        name = clean_participant_name(name)
        key, typed_pin = name_key(name), normalize_pin(pin)
        with self.store.engine.connect() as conn:
            removed = access.removed_ids(conn, workshop.id)
            mine = access.participant_of_browser(conn, workshop.id, browser)
            named = conn.execute(sa.select(PARTICIPANTS).where(
                PARTICIPANTS.c.workshop_id == workshop.id, PARTICIPANTS.c.name_key == key)).first()
            own = (conn.execute(sa.select(PARTICIPANTS).where(PARTICIPANTS.c.id == mine)).first()
                   if mine else None)
        if own is not None:
            if own.id in removed:
                raise WorkshopError(EXCLUDED)
            if named is None or named.id != own.id:
                raise WorkshopError(f"Da questo browser partecipi già al laboratorio come «{own.name}»: rientra con "
                                    "quel nome. Ogni browser partecipa con un solo nome.")
            return Joined(workshop, _participant(own, workshop.id), None)
        if named is not None:
            return self._rejoin(workshop, named, typed_pin, browser, removed)
        participant = Participant(uuid.uuid4().hex, workshop.id, name, utc_now())
        new_pin = random_code(PIN_LENGTH)
        try:
            with self.store.transaction() as conn:
                conn.execute(sa.insert(PARTICIPANTS).values(
                    id=participant.id, workshop_id=workshop.id, name=name, name_key=key,
                    pin_hash=pin_hash(participant.id, new_pin), joined_at=participant.joined_at))
                access.link_browser(conn, workshop.id, browser, participant.id)
        except sa.exc.IntegrityError:  # the same name joined a moment ago from elsewhere
            raise _name_taken(name) from None
        return Joined(workshop, participant, new_pin)

    def _rejoin(self, workshop: Workshop, row, typed_pin: str, browser: str, removed: set[str]) -> Joined:
        if row.id in removed:
            raise WorkshopError(EXCLUDED)
        if not typed_pin:
            raise _name_taken(row.name)
        keys = [f"nome:{workshop.id}:{row.name_key}", f"browser:{browser or '-'}"]
        self.attempts.check("pin", keys, access.PIN_LIMIT, "il codice personale")
        ok = pin_matches(row.id, typed_pin, row.pin_hash)
        self.attempts.record("pin", keys, ok)
        if not ok:
            raise WorkshopError(f"Il codice personale non è quello di «{row.name}».")
        with self.store.transaction() as conn:
            access.link_browser(conn, workshop.id, browser, row.id)
        return Joined(workshop, _participant(row, workshop.id), None)

    def participants(self, workshop_id: str) -> list[Participant]:
        """Participants in the order they joined (removed ones flagged)."""
        query = (sa.select(PARTICIPANTS.c.id, PARTICIPANTS.c.name, PARTICIPANTS.c.joined_at)
                 .where(PARTICIPANTS.c.workshop_id == workshop_id)
                 .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.id))
        with self.store.engine.connect() as conn:
            removed = access.removed_ids(conn, workshop_id)
            return [_participant(r, workshop_id, removed) for r in conn.execute(query)]

    def remove_participant(self, workshop_id: str, participant_id: str, *, facilitator_key: str,
                           actor: Actor) -> Participant:
        """Remove a participant (facilitator's key): they may no longer send or rejoin;
        their proposals stay in the record and leave the consensus."""
        self.check_key(workshop_id, facilitator_key, actor)
        with self.store.transaction() as conn:
            row = conn.execute(sa.select(PARTICIPANTS).where(PARTICIPANTS.c.id == participant_id,
                                                             PARTICIPANTS.c.workshop_id == workshop_id)).first()
            if row is None:
                raise WorkshopError("Il partecipante non è in questo laboratorio.")
            if access.remove(conn, workshop_id, participant_id, actor.name):
                change_log.write(conn, actor, "laboratorio", workshop_id, "partecipante escluso", f"«{row.name}»")
        return _participant(row, workshop_id, {participant_id})

    def pin_failures(self, workshop_id: str) -> int:
        """Wrong personal codes typed in this workshop (for the facilitator)."""
        return self.attempts.failures("pin", f"nome:{workshop_id}:")
