"""Saved scenarios: named zone proposals kept in the app database.

A scenario is a plan (zones with names, colours and locks, and the zone of every
comune), the area it covers (ISTAT codes), who made it and why, and when it was
created and last changed (UTC). Scenarios live in the table ``scenari`` of a
:class:`geo.store.database.Store` (SQLite file or PostgreSQL, one code path).

Every write is a single transaction, so a process killed mid-save leaves the
scenarios already saved untouched and the half-written one absent. Ids are random
(uuid4), so two sessions saving at the same moment never compete for a row; a
change to an existing scenario checks its ``revision`` so that an edit made in
another session is never silently overwritten. Who may change what, the versions
and the bin: :class:`ScenarioStore` and :mod:`geo.store.scenario_history`.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from geo.base.italian import format_timestamp  # noqa: F401  (read from here by older callers)
from geo.data.territory import LEGACY_TERRITORY
from geo.store import change_log
from geo.store import scenario_history as history
from geo.store.actors import SYSTEM, Actor
from geo.store.column_types import CodeList, PlanJson, UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create, key_column
from geo.store.scenario_records import (  # noqa: F401  (the records are also read from here)
    CONFLICT, FORBIDDEN, GONE, MAX_AUTHOR_LENGTH, MAX_NAME_LENGTH, MAX_NOTES_LENGTH, Scenario, ScenarioConflict,
    ScenarioError, ScenarioForbidden, ScenarioNotFound, clean_author, clean_name, clean_notes, missing_codes,
    scenario_table,
)
from geo.zoning.plan import Plan

COMPONENT = "scenari"
def _scenarios_table(metadata: sa.MetaData, *territory: sa.Column) -> sa.Table:
    return sa.Table(
        "scenari", metadata,
        key_column("id", sa.String(32)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("plan_json", PlanJson, nullable=False),
        sa.Column("area_json", CodeList, nullable=False),
        sa.Column("created_at", UtcTimestamp, nullable=False),
        sa.Column("updated_at", UtcTimestamp, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        *territory,
    )


# One row per scenario (v1), listed most recent first (v2: the index), in a
# territory (v3: rows made before territories are the Pianura Bresciana's).
SCENARIOS = _scenarios_table(METADATA, sa.Column("territory", sa.String(40), nullable=False,
                                                 server_default=LEGACY_TERRITORY))
BY_UPDATE = sa.Index("scenari_updated_at", SCENARIOS.c.updated_at)
MIGRATIONS = (create(_scenarios_table(sa.MetaData())), create(BY_UPDATE),
              f"ALTER TABLE scenari ADD COLUMN territory VARCHAR(40) DEFAULT '{LEGACY_TERRITORY}' NOT NULL")


def _row_to_scenario(row) -> Scenario:
    return Scenario(row.id, row.name, row.author, row.notes, row.plan_json.with_area(row.area_json),
                    row.area_json, row.created_at, row.updated_at, int(row.revision), row.territory)


class ScenarioStore:
    """Scenarios saved in the app database (see module docstring).

    Every write names its author (:class:`geo.store.actors.Actor`): a browser may
    change or delete the scenarios it created, the coordination any; every saved
    state is kept (:mod:`geo.store.scenario_history`), a deleted scenario goes to the
    bin, and each change gets a line in the change log (:mod:`geo.store.change_log`),
    all in the change's own transaction.

    Parameters
    ----------
    store : Store
        The app database; the ``scenari`` tables are created or upgraded on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)
        store.migrate(history.COMPONENT, history.MIGRATIONS)
        store.migrate(change_log.COMPONENT, change_log.MIGRATIONS)

    # -- reading ------------------------------------------------------------------
    def list(self) -> list[Scenario]:
        """Every scenario, most recently changed first (the bin's not included)."""
        query = sa.select(SCENARIOS).order_by(SCENARIOS.c.updated_at.desc(), SCENARIOS.c.name, SCENARIOS.c.id)
        with self.store.engine.connect() as conn:
            return [_row_to_scenario(r) for r in conn.execute(query)]

    def get(self, scenario_id: str) -> Scenario:
        with self.store.engine.connect() as conn:
            return self._get(conn, scenario_id)

    def may_change(self, scenario_id: str, actor: Actor) -> bool:
        """True when ``actor`` may change, restore or delete the scenario (its creator or the coordination)."""
        with self.store.engine.connect() as conn:
            return history.may_change(history.owner_of(conn, scenario_id), actor)

    def versions(self, scenario_id: str) -> list[history.ScenarioVersion]:
        """Every kept version, newest first."""
        with self.store.engine.connect() as conn:
            return history.versions(conn, scenario_id)

    def bin(self) -> list[history.BinEntry]:
        """The deleted scenarios, most recently deleted first."""
        with self.store.engine.connect() as conn:
            return history.bin_entries(conn)

    # -- writing (one transaction each) -------------------------------------------------
    def save(self, name: str, plan: Plan, *, author: str = "", notes: str = "", actor: Actor = SYSTEM,
             territory: str = LEGACY_TERRITORY) -> Scenario:
        """Save ``plan``, drawn in ``territory``, as a new scenario owned by ``actor``'s browser;
        its area is the plan's comuni."""
        now = utc_now()
        scenario = Scenario(uuid.uuid4().hex, clean_name(name), clean_author(author),
                            clean_notes(notes), plan, tuple(sorted(plan.codes)), now, now, 1, territory)
        with self.store.transaction() as conn:
            self._insert(conn, scenario, actor, "creazione")
        return scenario

    def update_plan(self, scenario_id: str, plan: Plan, *, expected_revision: int, actor: Actor) -> Scenario:
        """Replace the plan (and area) of a scenario.

        Raises
        ------
        ScenarioConflict
            If the scenario changed since revision ``expected_revision`` was read
            (another session saved it): nothing is written.
        ScenarioForbidden
            If ``actor`` is neither its creator nor the coordination.
        """
        return self._change(scenario_id, expected_revision, actor, "modifica del piano",
                            plan_json=plan, area_json=tuple(sorted(plan.codes)))

    def update_details(self, scenario_id: str, *, name: str, author: str, notes: str,
                       expected_revision: int, actor: Actor) -> Scenario:
        """Change name, author and notes (``expected_revision`` as in :meth:`update_plan`)."""
        return self._change(scenario_id, expected_revision, actor, "nome e note", name=clean_name(name),
                            author=clean_author(author), notes=clean_notes(notes))

    def rename(self, scenario_id: str, name: str, *, expected_revision: int, actor: Actor) -> Scenario:
        return self._change(scenario_id, expected_revision, actor, "nome", name=clean_name(name))

    def duplicate(self, scenario_id: str, *, name: str | None = None, author: str | None = None,
                  actor: Actor = SYSTEM) -> Scenario:
        """A copy with a new id, new timestamps and ``actor`` as owner; default name ``"Copia di ..."``."""
        now = utc_now()
        with self.store.transaction() as conn:
            original = self._get(conn, scenario_id)
            copy_name = name if name is not None else f"Copia di {original.name}"[:MAX_NAME_LENGTH]
            copy = Scenario(uuid.uuid4().hex, clean_name(copy_name),
                            original.author if author is None else clean_author(author),
                            original.notes, original.plan, original.area_codes, now, now, 1, original.territory)
            self._insert(conn, copy, actor, "copia")
        return copy

    def delete(self, scenario_id: str, *, actor: Actor) -> None:
        """Move the scenario to the bin (restorable until the coordination empties it)."""
        with self.store.transaction() as conn:
            scenario = self._get(conn, scenario_id)
            self._require(conn, scenario, actor)
            history.keep_version(conn, scenario_id, "versione precedente", actor)
            history.to_bin(conn, scenario_id, actor)
            change_log.write(conn, actor, "scenario", scenario_id, "nel cestino", f"«{scenario.name}» spostato nel cestino")

    def restore_from_bin(self, scenario_id: str, *, actor: Actor) -> Scenario:
        """Put a deleted scenario back as it was (its creator or the coordination)."""
        with self.store.transaction() as conn:
            row = history.binned_row(conn, scenario_id)
            if row is None:
                raise ScenarioNotFound("Lo scenario non è più nel cestino: forse è già stato ripristinato o "
                                       "il cestino è stato svuotato.")
            if not history.may_change(history.owner_of(conn, scenario_id), actor):
                raise ScenarioForbidden(FORBIDDEN.format(name=row.get("name", "")))
            history.insert_raw(conn, row, SCENARIOS.c.keys())
            history.leave_bin(conn, scenario_id)
            scenario = self._get(conn, scenario_id)
            change_log.write(conn, actor, "scenario", scenario_id, "ripristino dal cestino", f"«{scenario.name}»")
        return scenario

    def empty_bin(self, *, actor: Actor, scenario_ids=None) -> int:
        """Delete for good the binned scenarios (all, or ``scenario_ids``): the coordination only."""
        if not actor.coordinator:
            raise ScenarioForbidden("Solo il coordinamento può svuotare il cestino: entra con la password di "
                                    "coordinamento (barra laterale, «Accesso coordinamento»).")
        with self.store.transaction() as conn:
            entries = history.bin_entries(conn)
            chosen = [e for e in entries if scenario_ids is None or e.scenario_id in set(scenario_ids)]
            gone = history.purge(conn, [e.scenario_id for e in chosen])
            if gone:
                names = ", ".join(f"«{e.name}»" for e in chosen)
                change_log.write(conn, actor, "scenario", "cestino", "eliminazione definitiva", names)
        return gone

    def restore_version(self, scenario_id: str, revision: int, *, expected_revision: int, actor: Actor) -> Scenario:
        """Make version ``revision`` the scenario's current state again, as a new revision
        (nothing is lost: the state it replaces stays a version)."""
        with self.store.transaction() as conn:
            scenario = self._get(conn, scenario_id)
            self._require(conn, scenario, actor)
            saved = history.saved_row(conn, scenario_id, revision)
            if saved is None:
                raise ScenarioNotFound(f"La versione {revision} dello scenario non esiste.")
            history.keep_version(conn, scenario_id, "versione precedente", actor)
            if not history.restore_columns(conn, scenario_id, saved, expected_revision):
                raise ScenarioConflict(CONFLICT)
            history.keep_version(conn, scenario_id, f"ripristino della versione {revision}", actor)
            restored = self._get(conn, scenario_id)
            change_log.write(conn, actor, "scenario", scenario_id, "ripristino di una versione",
                             f"«{restored.name}»: ripristinata la versione {revision}")
        return restored

    # -- internals ----------------------------------------------------------------------
    @staticmethod
    def _get(conn, scenario_id: str) -> Scenario:
        row = conn.execute(sa.select(SCENARIOS).where(SCENARIOS.c.id == str(scenario_id))).first()
        if row is None:
            raise ScenarioNotFound(GONE)
        return _row_to_scenario(row)

    @staticmethod
    def _require(conn, scenario: Scenario, actor: Actor) -> None:
        if not history.may_change(history.owner_of(conn, scenario.id), actor):
            raise ScenarioForbidden(FORBIDDEN.format(name=scenario.name))

    @staticmethod
    def _insert(conn, s: Scenario, actor: Actor, action: str) -> None:
        conn.execute(sa.insert(SCENARIOS).values(
            id=s.id, name=s.name, author=s.author, notes=s.notes, plan_json=s.plan, area_json=s.area_codes,
            created_at=s.created_at, updated_at=s.updated_at, revision=s.revision, territory=s.territory))
        history.set_owner(conn, s.id, actor.key)
        history.keep_version(conn, s.id, action, actor)
        change_log.write(conn, actor, "scenario", s.id, action, f"«{s.name}»")

    def _change(self, scenario_id: str, expected_revision: int, actor: Actor, action: str, **columns) -> Scenario:
        # The revision test and the write are one statement, so two sessions editing
        # the same scenario cannot both succeed from the same starting revision.
        condition = (SCENARIOS.c.id == scenario_id) & (SCENARIOS.c.revision == int(expected_revision))
        change = sa.update(SCENARIOS).where(condition).values(
            **columns, updated_at=utc_now(), revision=SCENARIOS.c.revision + 1)
        with self.store.transaction() as conn:
            self._require(conn, self._get(conn, scenario_id), actor)  # raises ScenarioNotFound if it is gone
            history.keep_version(conn, scenario_id, "versione precedente", actor)
            if not conn.execute(change).rowcount:
                raise ScenarioConflict(CONFLICT)
            history.keep_version(conn, scenario_id, action, actor)
            changed = self._get(conn, scenario_id)
            change_log.write(conn, actor, "scenario", scenario_id, action, f"«{changed.name}»")
            return changed
