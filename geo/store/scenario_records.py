"""What a saved scenario is: its record, its refusals, its cleaned text, its display table.

The store that keeps them is :mod:`geo.store.scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

import pandas as pd

from geo.base.codes import istat_code
from geo.base.errors import UserError
from geo.base.italian import format_timestamp
from geo.base.text import clean_text
from geo.data.territory import LEGACY_TERRITORY
from geo.zoning.plan import Plan

MAX_NAME_LENGTH = 120
MAX_AUTHOR_LENGTH = 80
MAX_NOTES_LENGTH = 4000

GONE = "Lo scenario non esiste più: forse è stato eliminato in un'altra sessione (guarda nel cestino)."
CONFLICT = ("Lo scenario è stato modificato in un'altra sessione dopo che l'hai aperto: le tue modifiche non sono "
             "state scritte. Salvale come nuovo scenario, oppure riapri lo scenario e rifalle.")
FORBIDDEN = ("Lo scenario «{name}» è stato salvato da un altro browser: solo chi l'ha creato o il coordinamento "
              "può modificarlo, ripristinarlo o eliminarlo. Salva le tue modifiche come nuovo scenario, oppure entra "
              "con la password di coordinamento (barra laterale, «Accesso coordinamento»).")


class ScenarioError(UserError):
    """A scenario operation refused; the message is in Italian, for the user."""


class ScenarioNotFound(ScenarioError):
    pass


class ScenarioConflict(ScenarioError):
    """The scenario changed in another session since it was read."""


class ScenarioForbidden(ScenarioError):
    """The scenario belongs to another browser and the session is not the coordination's."""


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


def clean_name(name: str) -> str:
    return clean_text(name, MAX_NAME_LENGTH, error=ScenarioError, empty="Scrivi il nome dello scenario.",
                      too_long=f"Il nome dello scenario è troppo lungo (massimo {MAX_NAME_LENGTH} caratteri).")


def clean_author(author: str) -> str:
    return clean_text(author, MAX_AUTHOR_LENGTH, error=ScenarioError,
                      too_long=f"Il nome dell'autore è troppo lungo (massimo {MAX_AUTHOR_LENGTH} caratteri).")


def clean_notes(notes: str) -> str:
    return clean_text(notes, MAX_NOTES_LENGTH, multiline=True, error=ScenarioError,
                      too_long=f"Le note sono troppo lunghe (massimo {MAX_NOTES_LENGTH} caratteri).")


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
