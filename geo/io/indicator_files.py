"""Importing per-comune indicators from a CSV or XLSX table, in two steps.

1. :func:`preview_table`: the file is read by the spreadsheet layer
   (:mod:`geo.io.spreadsheet`: encoding, delimiter, sizes, streamed XLSX), its
   layout found (:mod:`geo.io.spreadsheet.statistical_table`: header lines, code
   column, footnotes, totals) and every column described (how many numbers, how many
   missing, the first bad cells), so the user can choose;
2. :func:`imported_indicators`: for the columns chosen, with the name, unit, year,
   source (required), licence and kind the user gave, the values are read (Italian
   numbers, ``n.d.``...). Every bad row is an Italian message naming the row; the
   result holds records only when there is no problem at all, so nothing is stored
   from an invalid file.

Codes of comuni outside the app's data (a table of all of Italy) are not errors:
they are counted and left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Sequence

from geo.io.spreadsheet import FileRefused, read_grid
from geo.io.spreadsheet.numbers import NotANumber, column_convention, parse_number
from geo.io.spreadsheet.statistical_table import NoCodeColumn, StatisticalTable, statistical_table
from geo.zoning.imported_indicators import Description, ImportedIndicator, IndicatorError, indicator_key

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000  # every comune of Italy (7,896 in 2024) and the lines around them
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
SHOWN_PROBLEMS = 3  # bad cells shown per column in the preview


@dataclass(frozen=True)
class ColumnSummary:
    """One column of the table, as the preview describes it."""

    index: int
    name: str
    numbers: int
    missing: int
    bad: tuple[str, ...]  # the first bad cells, as Italian messages naming the row

    @property
    def usable(self) -> bool:
        return self.numbers > 0


@dataclass(frozen=True)
class TablePreview:
    """What the file holds: its layout, its columns and what will be left out."""

    file_name: str
    table: StatisticalTable
    columns: tuple[ColumnSummary, ...]
    known: int  # rows of comuni in the app's data
    outside: int  # rows of comuni not in the data (left out)
    duplicates: tuple[str, ...]  # Italian messages: a code on two rows

    @property
    def code_column_name(self) -> str:
        return self.table.columns[self.table.code_column]

    @property
    def numeric_columns(self) -> tuple[ColumnSummary, ...]:
        return tuple(c for c in self.columns if c.usable and c.index != self.table.code_column)


@dataclass(frozen=True)
class ColumnChoice:
    """A chosen column (its position) and what the user says about it."""

    index: int
    about: Description


@dataclass(frozen=True)
class ImportOutcome:
    """The records (only when :attr:`problems` is empty) or every problem found."""

    indicators: tuple[ImportedIndicator, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.indicators)


def _cell(row, index: int) -> object:
    return row.cells[index] if index < len(row.cells) else None


def _summary(table: StatisticalTable, index: int, known: Collection[str]) -> ColumnSummary:
    cells = [(row, _cell(row, index)) for row, code in zip(table.rows, table.codes) if code in known]
    convention = column_convention(c for _, c in cells)
    numbers = missing = 0
    bad: list[str] = []
    for row, cell in cells:
        try:
            value = parse_number(cell, convention)
        except NotANumber as error:
            if len(bad) < SHOWN_PROBLEMS:
                bad.append(f"Riga {row.number}: {error}.")
            continue
        numbers += value is not None
        missing += value is None
    return ColumnSummary(index, table.columns[index], numbers, missing, tuple(bad))


def preview_table(data: bytes, file_name: str, known_codes: Collection[str],
                  code_column: int | None = None) -> TablePreview:
    """Read ``data`` and describe it (step 1).

    Parameters
    ----------
    data, file_name :
        The uploaded file (CSV or XLSX; at most :data:`MAX_BYTES`, :data:`MAX_ROWS` rows).
    known_codes : collection of str
        ISTAT codes of the comuni the app has data for.
    code_column : int, optional
        The code column chosen by the user (default: detected).

    Raises
    ------
    FileRefused
        For a file that cannot be read, or one without a column of ISTAT codes.
    """
    grid = read_grid(data, file_name, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_unzipped_bytes=MAX_UNZIPPED_BYTES)
    try:
        table = statistical_table(grid, code_column)
    except NoCodeColumn as error:
        raise FileRefused(str(error)) from None
    known = set(known_codes)
    seen: dict[str, int] = {}
    duplicates = []
    for row, code in zip(table.rows, table.codes):
        if code in known and code in seen:
            duplicates.append(f"Riga {row.number}: il codice {code} compare già alla riga {seen[code]}.")
        seen.setdefault(code, row.number)
    inside = sum(code in known for code in table.codes)
    columns = tuple(_summary(table, i, known) for i in range(len(table.columns)))
    return TablePreview(file_name, table, columns, inside, len(table.codes) - inside, tuple(duplicates))


def _values(preview: TablePreview, index: int, known: Collection[str]) -> tuple[dict, list[str]]:
    table = preview.table
    name = table.columns[index]
    cells = [(row, code, _cell(row, index)) for row, code in zip(table.rows, table.codes) if code in known]
    convention = column_convention(c for _, _, c in cells)
    values, problems = {}, []
    for row, code, cell in cells:
        try:
            values[code] = parse_number(cell, convention)
        except NotANumber as error:
            problems.append(f"Riga {row.number}, colonna «{name}»: {error}.")
    return values, problems


def imported_indicators(preview: TablePreview, choices: Sequence[ColumnChoice], known_codes: Collection[str],
                        taken_keys: Collection[str] = ()) -> ImportOutcome:
    """The records of the chosen columns (step 2): all of them, or none and the problems.

    Parameters
    ----------
    preview : TablePreview
    choices : sequence of ColumnChoice
        At least one; each column once, never the code column.
    known_codes : collection of str
        As in :func:`preview_table`.
    taken_keys : collection of str
        Keys already used by statistics and indicators: new keys avoid them.
    """
    problems = [message for _, message in preview.table.bad_rows] + list(preview.duplicates)
    if not choices:
        problems.append("Scegli almeno una colonna da importare.")
    indices = [c.index for c in choices]
    if len(set(indices)) < len(indices):
        problems.append("Una colonna è stata scelta due volte.")
    if preview.table.code_column in indices:
        problems.append("La colonna dei codici ISTAT non si può importare come indicatore.")
    known = set(known_codes)
    taken = set(taken_keys)
    records = []
    for choice in choices:
        if not 0 <= choice.index < len(preview.table.columns):
            problems.append(f"Colonna inesistente: {choice.index + 1}.")
            continue
        values, bad = _values(preview, choice.index, known)
        problems += bad
        if not bad and not any(v is not None for v in values.values()):
            problems.append(f"La colonna «{preview.table.columns[choice.index]}» non ha nessun numero "
                            "per i comuni dell'app.")
        try:
            key = indicator_key(str(choice.about.label), taken)
            record = ImportedIndicator.create(key, choice.about, values, preview.file_name)
        except IndicatorError as error:
            problems.append(f"Colonna «{preview.table.columns[choice.index]}»: {error}")
            continue
        taken.add(key)
        records.append(record)
    return ImportOutcome(tuple(records) if not problems else (), tuple(problems))

