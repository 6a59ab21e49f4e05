"""Importing collaborations from a CSV or XLSX file, and exporting them the same way.

Files come from people's spreadsheets, so the reader accepts what Italian Excel
writes: ``;`` or ``,`` separators, UTF-8 (with or without BOM) or Latin-1/Windows-1252,
codes that lost their leading zero, dates as ``GG/MM/AAAA``. Everything else is
reported: one Italian message per problem, with the spreadsheet row number (the
header is row 1). The result is all or nothing: :attr:`ImportResult.ok` is true
only when every row is valid, and only then may the caller save.

Columns (header names, case-insensitive): ``nome``, ``forma``, ``funzioni``,
``membri``, ``stato`` (required); ``id``, ``capofila``, ``data_inizio``,
``data_fine``, ``fonte``, ``note``, ``da_verificare`` (optional). Lists inside a
cell (functions, members, sources) are separated by ``,``, ``;`` or ``|``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

from geo.base.codes import istat_code
from geo.collaborations.model import (
    FORM_LABELS, FUNCTION_LABELS, STATUS_LABELS, Collaboration, CollaborationError, new_id,
)

MAX_BYTES = 2_000_000
MAX_ROWS = 1000
REQUIRED_COLUMNS = ("nome", "forma", "funzioni", "membri", "stato")
OPTIONAL_COLUMNS = ("id", "capofila", "data_inizio", "data_fine", "fonte", "note", "da_verificare")
COLUMNS = REQUIRED_COLUMNS[:4] + ("capofila", "stato", "data_inizio", "data_fine", "fonte", "note",
                                  "da_verificare", "id")

_COLUMN_ALIASES = {
    "data inizio": "data_inizio", "inizio": "data_inizio", "data fine": "data_fine", "fine": "data_fine",
    "fonti": "fonte", "note/fonte": "note", "da verificare": "da_verificare", "comuni": "membri",
    "funzione": "funzioni", "codice": "id", "identificativo": "id",
}
_FORM_ALIASES = {
    "unione": "unione", "convenzione": "convenzione", "convenzione art 30 tuel": "convenzione",
    "consorzio": "consorzio", "azienda speciale": "consorzio", "fondazione": "fondazione_associazione",
    "associazione": "fondazione_associazione", "piattaforma": "piattaforma",
}
_FUNCTION_ALIASES = {
    "suap": "suap_sue", "sue": "suap_sue", "suap e sue": "suap_sue", "suap sue": "suap_sue",
    "ict": "servizi_ict", "informatica": "servizi_ict", "servizi digitali": "servizi_ict",
    "servizi digitali e informatica": "servizi_ict", "polizia municipale": "polizia_locale",
    "centrale unica di committenza": "cuc", "segreteria": "segreteria",
    "igiene urbana": "rifiuti", "rifiuti igiene urbana": "rifiuti",
}
_STATUS_ALIASES = {"attivo": "attiva", "cessato": "cessata", "sciolta": "cessata",
                   "in costituzione": "da_costituire", "prevista": "da_costituire"}
_TRUE = {"si", "sì", "s", "x", "vero", "true", "yes", "y", "1"}
_FALSE = {"", "no", "n", "falso", "false", "0"}
_LIST_SPLIT = re.compile(r"[;,|\n]+")
_DATE_IT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


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


class _FileProblem(Exception):
    pass


def _key(text: object) -> str:
    """Lowercase, no accents or punctuation, single spaces: for matching words."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", plain).split())


def _lookup(labels: Mapping[str, str], aliases: Mapping[str, str]) -> dict[str, str]:
    table = {_key(k): k for k in labels} | {_key(v): k for k, v in labels.items()}
    table |= {_key(k.replace("_", " ")): k for k in labels}
    return table | {_key(a): k for a, k in aliases.items()}


_FORMS = _lookup(FORM_LABELS, _FORM_ALIASES)
_FUNCTIONS = _lookup(FUNCTION_LABELS, _FUNCTION_ALIASES)
_STATUSES = _lookup(STATUS_LABELS, _STATUS_ALIASES)


# -- reading the grid ------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise _FileProblem("Il file contiene dati binari: non è un CSV. Carica un file CSV o XLSX.")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if controls > max(3, len(text) // 100):
        raise _FileProblem("Il file contiene dati binari: non è un CSV. Carica un file CSV o XLSX.")
    return text


def _csv_rows(data: bytes) -> list[list[object]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", ",", "\t"], key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[object]]:
    import openpyxl  # only needed for spreadsheets

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    except Exception:  # openpyxl raises many types for a damaged file
        raise _FileProblem("Il file non è un foglio Excel (.xlsx) leggibile.") from None
    return rows


def _grid(data: bytes, filename: str) -> list[list[object]]:
    if not data:
        raise _FileProblem("Il file è vuoto.")
    if len(data) > MAX_BYTES:
        raise _FileProblem(f"Il file è troppo grande ({len(data) / 1e6:.1f} MB; massimo {MAX_BYTES // 1_000_000} MB).")
    name = filename.lower()
    if name.endswith(".xls") or data[:4] == b"\xd0\xcf\x11\xe0":
        raise _FileProblem("Il formato .xls (Excel 97-2003) non è supportato: salva il file come .xlsx o .csv.")
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    return _csv_rows(data)


# -- one cell at a time ------------------------------------------------------------------
def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(value: object, table: Mapping[str, str], what: str, allowed: Iterable[str]) -> str:
    key = _key(value)
    if key not in table:
        raise CollaborationError(f"{what} sconosciuta «{_text(value)}». Valori ammessi: {', '.join(allowed)}.")
    return table[key]


def _functions(value: object) -> tuple[str, ...]:
    parts = [p for p in _LIST_SPLIT.split(_text(value)) if p.strip()]
    if not parts:
        raise CollaborationError("Indica almeno una funzione.")
    return tuple(_choice(p, _FUNCTIONS, "Funzione", FUNCTION_LABELS.values()) for p in parts)


def _code(value: object, known: Mapping[str, str]) -> str:
    try:
        code = istat_code(value if not isinstance(value, str) else value.strip())
    except ValueError:
        raise CollaborationError(
            f"Codice ISTAT non valido «{_text(value)}»: servono le 6 cifre, ad esempio 017088.") from None
    if code not in known:
        raise CollaborationError(f"Codice ISTAT sconosciuto «{code}»: non corrisponde a nessun comune dei dati.")
    return code


def _members(value: object, known: Mapping[str, str]) -> tuple[str, ...]:
    if isinstance(value, (int, float)):
        parts = [value]
    else:
        parts = [p for p in re.split(r"[;,|\s]+", _text(value)) if p]
    return tuple(_code(p, known) for p in parts)


def _date(value: object, what: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE_IT.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CollaborationError(f"{what}: data non valida «{text}» (usa GG/MM/AAAA o AAAA-MM-GG).") from None


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = _text(value).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CollaborationError(f"Valore non valido «{_text(value)}» per da_verificare: usa sì o no.")


# -- the whole file ----------------------------------------------------------------------
def _header(cells: list[object]) -> tuple[list[str], list[ImportProblem]]:
    names, problems = [], []
    allowed = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    for cell in cells:
        raw = _text(cell)
        key = _key(raw).replace("/", " ")
        key = _COLUMN_ALIASES.get(key, key.replace(" ", "_"))
        if raw and key not in allowed:
            problems.append(ImportProblem(1, raw, f"Colonna sconosciuta «{raw}». "
                                                  f"Colonne ammesse: {', '.join(COLUMNS)}."))
        if key in names and key:
            problems.append(ImportProblem(1, raw, f"La colonna «{key}» compare due volte."))
        names.append(key)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        problems.append(ImportProblem(1, None, f"Mancano le colonne obbligatorie: {', '.join(missing)}."))
    return names, problems


def read_collaborations(data: bytes, filename: str, known_codes: Mapping[str, str],
                        existing: Iterable[Collaboration] = ()) -> ImportResult:
    """Read and check a CSV or XLSX file of collaborations.

    Parameters
    ----------
    data : bytes
        The uploaded file.
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
        grid = _grid(data, filename)
    except _FileProblem as exc:
        return ImportResult((), (ImportProblem(None, None, str(exc)),))
    numbered = [(i + 1, row) for i, row in enumerate(grid) if any(_text(v) for v in row)]
    if not numbered:
        return ImportResult((), (ImportProblem(None, None, "Il file è vuoto."),))
    (_, header_cells), body = numbered[0], numbered[1:]
    columns, problems = _header(header_cells)
    if problems:
        return ImportResult((), tuple(problems))
    if not body:
        return ImportResult((), (ImportProblem(None, None, "Il file non contiene righe di dati, solo l'intestazione."),))
    if len(body) > MAX_ROWS:
        return ImportResult((), (ImportProblem(None, None, f"Troppe righe ({len(body)}; massimo {MAX_ROWS})."),))

    existing = list(existing)
    taken_ids = {c.id for c in existing}
    taken_names = {c.name.casefold(): "già salvata" for c in existing}
    found: list[Collaboration] = []
    for row_number, cells in body:
        row = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns) if col}
        row_problems: list[ImportProblem] = []

        def field(column: str, parse, *args):
            try:
                return parse(row.get(column, ""), *args)
            except CollaborationError as exc:
                row_problems.append(ImportProblem(row_number, column, str(exc)))
                return None

        values = {
            "name": _text(row.get("nome", "")),
            "form": field("forma", _choice, _FORMS, "Forma", FORM_LABELS.values()),
            "functions": field("funzioni", _functions),
            "members": field("membri", _members, known_codes),
            "capofila": field("capofila", lambda v: _code(v, known_codes) if _text(v) else None),
            "status": field("stato", _choice, _STATUSES, "Stato", STATUS_LABELS.values()),
            "start_date": field("data_inizio", _date, "data_inizio"),
            "end_date": field("data_fine", _date, "data_fine"),
            "sources": tuple(re.split(r"[\s|]+", _text(row.get("fonte", "")))),
            "notes": _text(row.get("note", "")),
            "da_verificare": field("da_verificare", _flag),
        }
        wanted_id = _text(row.get("id", "")).lower()
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
    """The collaborations as a ``;``-separated UTF-8 CSV (with BOM, for Excel) that
    :func:`read_collaborations` reads back; codes keep their leading zero."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in collaborations:
        writer.writerow([
            c.name, FORM_LABELS[c.form], ", ".join(FUNCTION_LABELS[f] for f in c.functions),
            ", ".join(c.members), c.capofila or "", STATUS_LABELS[c.status],
            c.start_date.isoformat() if c.start_date else "", c.end_date.isoformat() if c.end_date else "",
            " ".join(c.sources), c.notes, "sì" if c.da_verificare else "no", c.id,
        ])
    return out.getvalue().encode("utf-8-sig")
