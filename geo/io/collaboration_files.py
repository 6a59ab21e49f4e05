"""Importing collaborations from a CSV or XLSX file, and exporting them the same way.

Files come from people's spreadsheets, so the reader accepts what Italian Excel
writes (the grid is read by :mod:`geo.io.spreadsheet`: ``;`` or ``,`` separators,
UTF-8 with or without BOM or Latin-1/Windows-1252, size and row limits), and the
cells as people type them (:mod:`geo.io.collaboration_values`: codes that lost their
leading zero, dates as ``GG/MM/AAAA``, aliases of forms and functions). Everything else is
reported: one Italian message per problem, with the spreadsheet row number (the
header is row 1). The result is all or nothing: :attr:`ImportResult.ok` is true
only when every row is valid, and only then may the caller save.

Columns (header names, case-insensitive): ``nome``, ``forma``, ``funzioni``,
``membri``, ``stato`` (required); ``id``, ``capofila``, ``data_inizio``,
``data_fine``, ``fonte``, ``note``, ``da_verificare`` (optional). Lists inside a
cell (functions, members, sources) are separated by ``,``, ``;`` or ``|``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from geo.collaborations.model import (
    FORM_LABELS, FUNCTION_LABELS, STATUS_LABELS, Collaboration, CollaborationError, new_id,
)
from geo.io.collaboration_values import (
    FORMS, STATUSES, cell_text, choice, match_key, parse_code, parse_date, parse_flag, parse_functions,
    parse_members,
)
from geo.io.spreadsheet import FileRefused, csv_rows_bytes, read_grid

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs before opening it
REQUIRED_COLUMNS = ("nome", "forma", "funzioni", "membri", "stato")
OPTIONAL_COLUMNS = ("id", "capofila", "data_inizio", "data_fine", "fonte", "note", "da_verificare")
COLUMNS = REQUIRED_COLUMNS[:4] + ("capofila", "stato", "data_inizio", "data_fine", "fonte", "note",
                                  "da_verificare", "id")

_COLUMN_ALIASES = {
    "data inizio": "data_inizio", "inizio": "data_inizio", "data fine": "data_fine", "fine": "data_fine",
    "fonti": "fonte", "note/fonte": "note", "da verificare": "da_verificare", "comuni": "membri",
    "funzione": "funzioni", "codice": "id", "identificativo": "id",
}


@dataclass(frozen=True)
class ImportProblem:
    """One problem: ``row`` is the spreadsheet row (``None`` for the whole file)."""

    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportResult:
    collaborations: tuple[Collaboration, ...]
    problems: tuple[ImportProblem, ...]

    @property
    def ok(self) -> bool:
        """True when the file can be saved as a whole."""
        return not self.problems and bool(self.collaborations)


# -- the whole file ----------------------------------------------------------------------
def _header(cells: tuple[object, ...], row: int) -> tuple[list[str], list[ImportProblem]]:
    names, problems = [], []
    allowed = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    for cell in cells:
        raw = cell_text(cell)
        key = match_key(raw).replace("/", " ")
        key = _COLUMN_ALIASES.get(key, key.replace(" ", "_"))
        if raw and key not in allowed:
            problems.append(ImportProblem(row, raw, f"Colonna sconosciuta «{raw}». "
                                                    f"Colonne ammesse: {', '.join(COLUMNS)}."))
        if key in names and key:
            problems.append(ImportProblem(row, raw, f"La colonna «{key}» compare due volte."))
        names.append(key)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        problems.append(ImportProblem(row, None, f"Mancano le colonne obbligatorie: {', '.join(missing)}."))
    return names, problems


def _file_problem(message: str) -> ImportResult:
    return ImportResult((), (ImportProblem(None, None, message),))


def read_collaborations(data: bytes, filename: str, known_codes: Mapping[str, str],
                        existing: Iterable[Collaboration] = ()) -> ImportResult:
    """Read and check a CSV or XLSX file of collaborations.

    Parameters
    ----------
    data : bytes
        The uploaded file (at most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows).
    filename : str
        Its name (the extension helps tell XLSX from CSV).
    known_codes : mapping
        ISTAT code -> name of every comune a member may be (the shipped comuni).
    existing : iterable of Collaboration
        Collaborations already saved: a row with the same id or name is a duplicate.

    Returns
    -------
    ImportResult
        The collaborations and every problem found; save only if ``ok``.
    """
    try:
        grid = read_grid(data, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS,
                         max_unzipped_bytes=MAX_UNZIPPED_BYTES)
    except FileRefused as refused:
        return _file_problem(str(refused))
    columns, problems = _header(grid.header.cells, grid.header.number)
    if problems:
        return ImportResult((), tuple(problems))
    if not grid.rows:
        return _file_problem("Il file non contiene righe di dati, solo l'intestazione.")

    existing = list(existing)
    taken_ids = {c.id for c in existing}
    taken_names = {c.name.casefold(): "già salvata" for c in existing}
    found: list[Collaboration] = []
    for grid_row in grid.rows:
        row_number, cells = grid_row.number, grid_row.cells
        row = {col: (cells[i] if i < len(cells) and cells[i] is not None else "")
               for i, col in enumerate(columns) if col}
        row_problems: list[ImportProblem] = []

        def field(column: str, parse, *args):
            try:
                return parse(row.get(column, ""), *args)
            except CollaborationError as exc:
                row_problems.append(ImportProblem(row_number, column, str(exc)))
                return None

        values = {
            "name": cell_text(row.get("nome", "")),
            "form": field("forma", choice, FORMS, "Forma", FORM_LABELS.values()),
            "functions": field("funzioni", parse_functions),
            "members": field("membri", parse_members, known_codes),
            "capofila": field("capofila", lambda v: parse_code(v, known_codes) if cell_text(v) else None),
            "status": field("stato", choice, STATUSES, "Stato", STATUS_LABELS.values()),
            "start_date": field("data_inizio", parse_date, "data_inizio"),
            "end_date": field("data_fine", parse_date, "data_fine"),
            "sources": tuple(re.split(r"[\s|]+", cell_text(row.get("fonte", "")))),
            "notes": cell_text(row.get("note", "")),
            "da_verificare": field("da_verificare", parse_flag),
        }
        wanted_id = cell_text(row.get("id", "")).lower()
        if wanted_id and wanted_id in taken_ids:
            row_problems.append(ImportProblem(row_number, "id", f"Identificativo duplicato «{wanted_id}»."))
        if values["name"].casefold() in taken_names:
            where = taken_names[values["name"].casefold()]
            row_problems.append(ImportProblem(
                row_number, "nome", f"Collaborazione duplicata «{values['name']}» ({where})."))
        if not row_problems:
            try:
                collaboration = Collaboration(id=wanted_id or new_id(values["name"], taken_ids), **values)
            except CollaborationError as exc:
                row_problems.append(ImportProblem(row_number, None, str(exc)))
            else:
                found.append(collaboration)
                taken_ids.add(collaboration.id)
        taken_names.setdefault(values["name"].casefold(), f"come alla riga {row_number}")
        problems.extend(row_problems)
    return ImportResult(tuple(found), tuple(problems))


def write_collaborations_csv(collaborations: Iterable[Collaboration]) -> bytes:
    """The collaborations as a CSV for Italian Excel (:func:`geo.io.spreadsheet.csv_rows_bytes`:
    ``;``, UTF-8 with BOM, formulas neutralised) that :func:`read_collaborations` reads
    back; codes keep their leading zero."""
    return csv_rows_bytes([COLUMNS, *(
        [c.name, FORM_LABELS[c.form], ", ".join(FUNCTION_LABELS[f] for f in c.functions),
         ", ".join(c.members), c.capofila or "", STATUS_LABELS[c.status],
         c.start_date.isoformat() if c.start_date else "", c.end_date.isoformat() if c.end_date else "",
         " ".join(c.sources), c.notes, "sì" if c.da_verificare else "no", c.id]
        for c in collaborations)])
