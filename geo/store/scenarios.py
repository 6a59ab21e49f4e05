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
from datetime import datetime, timezone
from typing import Iterable

import pandas as pd
import sqlalchemy as sa

from geo.base.errors import UserError
from geo.base.codes import istat_code
from geo.base.italian import format_timestamp
from geo.zoning.plan import Plan
from geo.store.database import Store

COMPONENT = "scenari"
MIGRATIONS = (
    # v1: one row per scenario. Timestamps are fixed-width ISO-8601 UTC text so they
    # sort correctly and read the same on SQLite and PostgreSQL.
    "CREATE TABLE scenari ("
    " id VARCHAR(32) PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " author VARCHAR(200) NOT NULL,"
    " notes TEXT NOT NULL,"
    " plan_json TEXT NOT NULL,"
    " area_json TEXT NOT NULL,"
    " created_at VARCHAR(32) NOT NULL,"
    " updated_at VARCHAR(32) NOT NULL,"
    " revision INTEGER NOT NULL)",
    # v2: the list is shown most recent first (one statement per step: SQLite
    # executes a single statement per call).
    "CREATE INDEX scenari_updated_at ON scenari (updated_at)",
)

MAX_NAME_LENGTH = 120
MAX_AUTHOR_LENGTH = 80
MAX_NOTES_LENGTH = 4000
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_COLUMNS = "id, name, author, notes, plan_json, area_json, created_at, updated_at, revision"


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


def _clean_line(text: str, what: str, limit: int, required: bool) -> str:
    value = " ".join(str(text or "").split())
    if required and not value:
        raise ScenarioError(f"Scrivi {what}.")
    if len(value) > limit:
        raise ScenarioError(f"Il testo di {what} è troppo lungo (massimo {limit} caratteri).")
    return value


def _clean_name(name: str) -> str:
    return _clean_line(name, "il nome dello scenario", MAX_NAME_LENGTH, required=True)


def _clean_author(author: str) -> str:
    return _clean_line(author, "l'autore", MAX_AUTHOR_LENGTH, required=False)


def _clean_notes(notes: str) -> str:
    value = str(notes or "").strip()
    if len(value) > MAX_NOTES_LENGTH:
        raise ScenarioError(f"Le note sono troppo lunghe (massimo {MAX_NOTES_LENGTH} caratteri).")
    return value


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _to_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _from_text(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=timezone.utc)


def _plan_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _row_to_scenario(row) -> Scenario:
    area = tuple(json.loads(row.area_json))
    plan = Plan.from_dict(json.loads(row.plan_json)).with_area(area)
    return Scenario(row.id, row.name, row.author, row.notes, plan, area,
                    _from_text(row.created_at), _from_text(row.updated_at), int(row.revision))


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
        with self.store.engine.connect() as conn:
            rows = conn.execute(sa.text(
                f"SELECT {_COLUMNS} FROM scenari ORDER BY updated_at DESC, name, id"
            )).all()
        return [_row_to_scenario(r) for r in rows]

    def get(self, scenario_id: str) -> Scenario:
        with self.store.engine.connect() as conn:
            return self._get(conn, scenario_id)

    # -- writing (one transaction each) -------------------------------------------------
    def save(self, name: str, plan: Plan, *, author: str = "", notes: str = "") -> Scenario:
        """Save ``plan`` as a new scenario; its area is the plan's comuni."""
        now = _now()
        scenario = Scenario(uuid.uuid4().hex, _clean_name(name), _clean_author(author),
                            _clean_notes(notes), plan, tuple(sorted(plan.codes)), now, now, 1)
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
        return self._change(scenario_id, expected_revision,
                            plan_json=_plan_json(plan), area_json=json.dumps(sorted(plan.codes)))

    def update_details(self, scenario_id: str, *, name: str, author: str, notes: str,
                       expected_revision: int | None = None) -> Scenario:
        """Change name, author and notes (``expected_revision`` as in :meth:`update_plan`)."""
        return self._change(scenario_id, expected_revision, name=_clean_name(name),
                            author=_clean_author(author), notes=_clean_notes(notes))

    def rename(self, scenario_id: str, name: str, *, expected_revision: int | None = None) -> Scenario:
        return self._change(scenario_id, expected_revision, name=_clean_name(name))

    def duplicate(self, scenario_id: str, *, name: str | None = None, author: str | None = None) -> Scenario:
        """A copy with a new id and new timestamps; default name ``"Copia di ..."``."""
        now = _now()
        with self.store.transaction() as conn:
            original = self._get(conn, scenario_id)
            copy_name = name if name is not None else f"Copia di {original.name}"[:MAX_NAME_LENGTH]
            copy = Scenario(uuid.uuid4().hex, _clean_name(copy_name),
                            original.author if author is None else _clean_author(author),
                            original.notes, original.plan, original.area_codes, now, now, 1)
            self._insert(conn, copy)
        return copy

    def delete(self, scenario_id: str) -> None:
        with self.store.transaction() as conn:
            deleted = conn.execute(sa.text("DELETE FROM scenari WHERE id = :id"), {"id": scenario_id}).rowcount
        if not deleted:
            raise ScenarioNotFound("Lo scenario non esiste più: forse è stato eliminato in un'altra sessione.")

    # -- internals ----------------------------------------------------------------------
    @staticmethod
    def _get(conn, scenario_id: str) -> Scenario:
        row = conn.execute(sa.text(f"SELECT {_COLUMNS} FROM scenari WHERE id = :id"),
                           {"id": str(scenario_id)}).first()
        if row is None:
            raise ScenarioNotFound("Lo scenario non esiste più: forse è stato eliminato in un'altra sessione.")
        return _row_to_scenario(row)

    @staticmethod
    def _insert(conn, s: Scenario) -> None:
        conn.execute(sa.text(
            f"INSERT INTO scenari ({_COLUMNS}) VALUES (:id, :name, :author, :notes, :plan_json,"
            " :area_json, :created_at, :updated_at, :revision)"
        ), {
            "id": s.id, "name": s.name, "author": s.author, "notes": s.notes,
            "plan_json": _plan_json(s.plan), "area_json": json.dumps(list(s.area_codes)),
            "created_at": _to_text(s.created_at), "updated_at": _to_text(s.updated_at),
            "revision": s.revision,
        })

    def _change(self, scenario_id: str, expected_revision: int | None, **columns) -> Scenario:
        # The revision test and the write are one statement, so two sessions editing
        # the same scenario cannot both succeed from the same starting revision.
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        params = {**columns, "id": scenario_id, "updated_at": _to_text(_now())}
        condition = "id = :id"
        if expected_revision is not None:
            condition += " AND revision = :expected"
            params["expected"] = int(expected_revision)
        with self.store.transaction() as conn:
            changed = conn.execute(sa.text(
                f"UPDATE scenari SET {sets}, updated_at = :updated_at, revision = revision + 1"
                f" WHERE {condition}"
            ), params).rowcount
            if not changed:
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


def scenario_table(scenarios: Iterable[Scenario]) -> pd.DataFrame:
    """The list of scenarios as shown to the user (Italian headers, local times)."""
    rows = [{
        "Nome": s.name,
        "Autore": s.author or "–",
        "Zone": len(s.plan.zones),
        "Comuni": len(s.area_codes),
        "Non assegnati": len(s.plan.unassigned),
        "Creato": format_timestamp(s.created_at),
        "Modificato": format_timestamp(s.updated_at),
        "Note": s.notes,
    } for s in scenarios]
    return pd.DataFrame(rows, columns=["Nome", "Autore", "Zone", "Comuni", "Non assegnati",
                                       "Creato", "Modificato", "Note"])
