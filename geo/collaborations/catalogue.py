"""The collaborations as a collection: the shipped seed, and finding those that matter.

:func:`load_seed` reads the sourced records of ``data/collaborazioni.json`` (copied
once into the app database by :mod:`geo.store.collaborations`); the filters pick
the collaborations of a function, of a comune, or of a status on a day.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterable, Mapping

from geo.base.codes import istat_code
from geo.collaborations.model import Collaboration, CollaborationError
from geo.data.shipped import DATA_DIR

SEED_FILE = DATA_DIR / "collaborazioni.json"


def functions_of(collaborations: Iterable[Collaboration], function: str) -> list[Collaboration]:
    return [c for c in collaborations if c.covers(function)]


def involving(collaborations: Iterable[Collaboration], code: str) -> list[Collaboration]:
    """The collaborations a comune belongs to (a comune may be in several)."""
    return [c for c in collaborations if code in c.members]


def load_seed(path: Path = SEED_FILE, names: Mapping[str, str] | None = None) -> tuple[Collaboration, ...]:
    """Read the sourced collaborations shipped in ``data/collaborazioni.json``.

    Parameters
    ----------
    path : pathlib.Path
        The seed file (see ``data/README.md``): members and capofila are written as
        ``{"istat_code": ..., "comune": ...}`` so people can read the file.
    names : mapping, optional
        ISTAT code -> official name (from :func:`geo.data.shipped.load_comuni`); when given,
        each name written in the file must match its code.

    Raises
    ------
    CollaborationError
        If a record is invalid or a name does not match its code.
    """
    records = json.loads(path.read_text(encoding="utf-8"))["collaborazioni"]
    out = []
    for record in records:
        people = list(record["members"]) + ([record["capofila"]] if record.get("capofila") else [])
        if names is not None:
            for person in people:
                code = istat_code(person["istat_code"])
                if names.get(code) != person["comune"]:
                    raise CollaborationError(
                        f"{record['id']}: il codice {code} è «{names.get(code)}», non «{person['comune']}»."
                    )
        data = dict(record)
        data["members"] = [m["istat_code"] for m in record["members"]]
        data["capofila"] = record["capofila"]["istat_code"] if record.get("capofila") else None
        out.append(Collaboration.from_dict(data))
    return tuple(out)


def load_seeds(paths: Iterable[Path]) -> tuple[Collaboration, ...]:
    """The sourced records of several seed files (one per territory), each record
    once: territories that overlap may ship the same file or the same record.

    Raises
    ------
    CollaborationError
        If two files hold different records under the same id.
    """
    found: dict[str, tuple[Collaboration, Path]] = {}
    for path in dict.fromkeys(Path(p) for p in paths):
        for record in load_seed(path):
            seen = found.setdefault(record.id, (record, path))
            if seen[0] != record:
                raise CollaborationError(f"La collaborazione «{record.id}» è diversa in {seen[1].name} e in "
                                         f"{path.name}: correggi uno dei due file.")
    return tuple(record for record, _ in found.values())


def filter_collaborations(collaborations: Iterable[Collaboration], *, functions: Iterable[str] = (),
                          statuses: Iterable[str] = (), comune: str | None = None,
                          day: dt.date | None = None) -> list[Collaboration]:
    """The collaborations matching every filter given (an empty filter matches all).

    ``functions``: covering at least one of them; ``statuses``: status on ``day``
    (default today) among them; ``comune``: ISTAT code among the members.
    """
    functions, statuses = set(functions), set(statuses)
    return [
        c for c in collaborations
        if (not functions or functions.intersection(c.functions))
        and (not statuses or c.status_on(day) in statuses)
        and (comune is None or comune in c.members)
    ]
