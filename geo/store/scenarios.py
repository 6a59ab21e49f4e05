"""Saved scenarios: named zone proposals kept in the app database.

A scenario is a plan (zones with names, colours and locks, and the zone of every
comune), the area it covers (ISTAT codes), who made it and why, and when it was
created and last changed (UTC). Scenarios live in the table ``scenari`` of a
:class:`geo.store.database.Store` (SQLite file or PostgreSQL, one code path).

Every write is a single transaction, so a process killed mid-save leaves the
scenarios already saved untouched and the half-written one absent. Ids are random
(uuid4), so two sessions saving at the same moment never compete for a row; a
change to an existing scenario checks its ``revision`` so that an edit made in
another session is never silently overwritten.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

import pandas as pd
import sqlalchemy as sa

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.italian import format_timestamp
from geo.base.text import clean_text
from geo.data.territory import LEGACY_TERRITORY
from geo.store.column_types import CodeList, PlanJson, UtcTimestamp, utc_now
from geo.store.database import METADATA, Store, create, key_column
from geo.zoning.plan import Plan

COMPONENT = "scenari"
MAX_NAME_LENGTH = 120
MAX_AUTHOR_LENGTH = 80
MAX_NOTES_LENGTH = 4000

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
_GONE = "Lo scenario non esiste più: forse è stato eliminato in un'altra sessione."


class ScenarioError(UserError):
    """A scenario operation refused; the message is in Italian, for the user."""


class ScenarioNotFound(ScenarioError):
    pass


class ScenarioConflict(ScenarioError):
    """The scenario changed in another session since it was read."""


@dataclass(frozen=True)
class Scenario:
    """A saved zone proposal.

    Attributes
    ----------
    id : str
        Random identifier (32 hex characters).
    name, author, notes : str
        As typed by the user (whitespace of name and author collapsed).
    plan : Plan
        Zones (names, colours, locks) and the zone of every comune of the area.
    area_codes : tuple of str
        ISTAT codes of the area the plan covers, sorted.
    created_at, updated_at : datetime
        Timezone-aware, UTC.
    revision : int
        1 when created, +1 at every change; used to detect concurrent edits.
    territory : str
        Id of the territory it was drawn in (:mod:`geo.data.territory`).
    """

    id: str
    name: str
    author: str
    notes: str
    plan: Plan
    area_codes: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    revision: int
    territory: str = LEGACY_TERRITORY


def _clean_name(name: str) -> str:
    return clean_text(name, MAX_NAME_LENGTH, error=ScenarioError, empty="Scrivi il nome dello scenario.",
                      too_long=f"Il nome dello scenario è troppo lungo (massimo {MAX_NAME_LENGTH} caratteri).")


def _clean_author(author: str) -> str:
    return clean_text(author, MAX_AUTHOR_LENGTH, error=ScenarioError,
                      too_long=f"Il nome dell'autore è troppo lungo (massimo {MAX_AUTHOR_LENGTH} caratteri).")


def _clean_notes(notes: str) -> str:
    return clean_text(notes, MAX_NOTES_LENGTH, multiline=True, error=ScenarioError,
                      too_long=f"Le note sono troppo lunghe (massimo {MAX_NOTES_LENGTH} caratteri).")


def _row_to_scenario(row) -> Scenario:
    return Scenario(row.id, row.name, row.author, row.notes, row.plan_json.with_area(row.area_json),
                    row.area_json, row.created_at, row.updated_at, int(row.revision), row.territory)


class ScenarioStore:
    """Scenarios saved in the app database (see module docstring).

    Parameters
    ----------
    store : Store
        The app database; the ``scenari`` tables are created or upgraded on first use.
    """

    def __init__(self, store: Store):
        self.store = store
        store.migrate(COMPONENT, MIGRATIONS)

    # -- reading ------------------------------------------------------------------
    def list(self) -> list[Scenario]:
        """Every scenario, most recently changed first."""
        query = sa.select(SCENARIOS).order_by(SCENARIOS.c.updated_at.desc(), SCENARIOS.c.name, SCENARIOS.c.id)
        with self.store.engine.connect() as conn:
            return [_row_to_scenario(r) for r in conn.execute(query)]

    def get(self, scenario_id: str) -> Scenario:
        with self.store.engine.connect() as conn:
            return self._get(conn, scenario_id)

    # -- writing (one transaction each) -------------------------------------------------
    def save(self, name: str, plan: Plan, *, author: str = "", notes: str = "",
             territory: str = LEGACY_TERRITORY) -> Scenario:
        """Save ``plan``, drawn in ``territory``, as a new scenario; its area is the plan's comuni."""
        now = utc_now()
        scenario = Scenario(uuid.uuid4().hex, _clean_name(name), _clean_author(author),
                            _clean_notes(notes), plan, tuple(sorted(plan.codes)), now, now, 1, territory)
        with self.store.transaction() as conn:
            self._insert(conn, scenario)
        return scenario

    def update_plan(self, scenario_id: str, plan: Plan, *, expected_revision: int) -> Scenario:
        """Replace the plan (and area) of a scenario.

        Raises
        ------
        ScenarioConflict
            If the scenario changed since revision ``expected_revision`` was read
            (another session saved it): nothing is written.
        """
        return self._change(scenario_id, expected_revision, plan_json=plan, area_json=tuple(sorted(plan.codes)))

    def update_details(self, scenario_id: str, *, name: str, author: str, notes: str,
                       expected_revision: int | None = None) -> Scenario:
        """Change name, author and notes (``expected_revision`` as in :meth:`update_plan`)."""
        return self._change(scenario_id, expected_revision, name=_clean_name(name),
                            author=_clean_author(author), notes=_clean_notes(notes))

    def rename(self, scenario_id: str, name: str, *, expected_revision: int | None = None) -> Scenario:
        return self._change(scenario_id, expected_revision, name=_clean_name(name))

    def duplicate(self, scenario_id: str, *, name: str | None = None, author: str | None = None) -> Scenario:
        """A copy with a new id and new timestamps; default name ``"Copia di ..."``."""
        now = utc_now()
        with self.store.transaction() as conn:
            original = self._get(conn, scenario_id)
            copy_name = name if name is not None else f"Copia di {original.name}"[:MAX_NAME_LENGTH]
            copy = Scenario(uuid.uuid4().hex, _clean_name(copy_name),
                            original.author if author is None else _clean_author(author),
                            original.notes, original.plan, original.area_codes, now, now, 1, original.territory)
            self._insert(conn, copy)
        return copy

    def delete(self, scenario_id: str) -> None:
        with self.store.transaction() as conn:
            deleted = conn.execute(sa.delete(SCENARIOS).where(SCENARIOS.c.id == scenario_id)).rowcount
        if not deleted:
            raise ScenarioNotFound(_GONE)

    # -- internals ----------------------------------------------------------------------
    @staticmethod
    def _get(conn, scenario_id: str) -> Scenario:
        row = conn.execute(sa.select(SCENARIOS).where(SCENARIOS.c.id == str(scenario_id))).first()
        if row is None:
            raise ScenarioNotFound(_GONE)
        return _row_to_scenario(row)

    @staticmethod
    def _insert(conn, s: Scenario) -> None:
        conn.execute(sa.insert(SCENARIOS).values(
            id=s.id, name=s.name, author=s.author, notes=s.notes, plan_json=s.plan, area_json=s.area_codes,
            created_at=s.created_at, updated_at=s.updated_at, revision=s.revision, territory=s.territory))

    def _change(self, scenario_id: str, expected_revision: int | None, **columns) -> Scenario:
        # The revision test and the write are one statement, so two sessions editing
        # the same scenario cannot both succeed from the same starting revision.
        condition = SCENARIOS.c.id == scenario_id
        if expected_revision is not None:
            condition &= SCENARIOS.c.revision == int(expected_revision)
        change = sa.update(SCENARIOS).where(condition).values(
            **columns, updated_at=utc_now(), revision=SCENARIOS.c.revision + 1)
        with self.store.transaction() as conn:
            if not conn.execute(change).rowcount:
                self._get(conn, scenario_id)  # raises ScenarioNotFound if it is gone
                raise ScenarioConflict(
                    "Lo scenario è stato modificato in un'altra sessione dopo che l'hai aperto: "
                    "le tue modifiche non sono state scritte. Salvale come nuovo scenario."
                )
            return self._get(conn, scenario_id)


def missing_codes(scenario: Scenario, known_codes: Iterable[str]) -> tuple[str, ...]:
    """Codes of the scenario's area that are not among ``known_codes`` (e.g. the
    shipped comuni, after a data update); empty when the scenario can be opened."""
    known = {istat_code(c) for c in known_codes}
    return tuple(c for c in scenario.area_codes if c not in known)


def scenario_table(scenarios: Iterable[Scenario], territory_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The list of scenarios as shown to the user (Italian headers, local times);
    with ``territory_names`` (id -> name) a column says each one's territory."""
    rows = [{
        "Nome": s.name,
        **({"Territorio": territory_names.get(s.territory, s.territory)} if territory_names else {}),
        "Autore": s.author or "–",
        "Zone": len(s.plan.zones),
        "Comuni": len(s.area_codes),
        "Non assegnati": len(s.plan.unassigned),
        "Creato": format_timestamp(s.created_at),
        "Modificato": format_timestamp(s.updated_at),
        "Note": s.notes,
    } for s in scenarios]
    columns = ["Nome", *(["Territorio"] if territory_names else []), "Autore", "Zone", "Comuni", "Non assegnati",
               "Creato", "Modificato", "Note"]
    return pd.DataFrame(rows, columns=columns)
