"""Import of a plan from a file: CSV, XLSX, GeoJSON or GeoPackage of comuni with a zone.

The file says, per comune (ISTAT code), the name of its zone; an empty zone means
"not assigned". Everything is checked before anything changes: every problem gets
its own Italian message naming the row, and a plan is returned only when the whole
file is valid.

Zones are matched by name: with the zone list the file may carry (GeoPackage layer
``zone_omogenee``, GeoJSON member ``zone_omogenee``, both written by
:mod:`geo.io.plan_export`) or else with the zones of the current plan, so ids, colours
and locks survive a round trip through Excel. A name not found there becomes a new
zone with the colour given in the file (column ``colore``) or the next of the palette.
Without a zone list in the file, the current plan's empty zones are kept (a row per
comune cannot mention them) and its zones the file no longer names are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.io.formats import MAX_IMPORT_BYTES, read_plan_file
from geo.io.plan_files import Row, Table, normal
from geo.io.spreadsheet import FileRefused, refuse_empty_or_too_large
from geo.zoning.area import Area
from geo.base.codes import istat_code
from geo.zoning.plan import MAX_NAME_LENGTH, Plan, PlanError, Zone, next_color, next_zone_id

MAX_MESSAGES = 25
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import.

    Attributes
    ----------
    plan : Plan or None
        The imported plan over the area, ``None`` when the file has problems.
    problems : tuple of str
        One Italian message per problem; the file is refused when any.
    notes : tuple of str
        Remarks that do not stop the import (e.g. comuni missing from the file,
        which stay unassigned).
    """

    plan: Plan | None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.plan is not None


# -- checking and building ----------------------------------------------------------
def _catalogue_zones(catalogue: object) -> list[Zone]:
    if not isinstance(catalogue, list):
        raise FileRefused("L'elenco delle zone contenuto nel file non è valido.")
    try:
        zones = Plan.from_dict({"zones": catalogue, "assignment": {}}).zones
    except (PlanError, KeyError, TypeError, AttributeError) as exc:
        detail = f": {exc}" if isinstance(exc, PlanError) else "."
        raise FileRefused(f"L'elenco delle zone contenuto nel file non è valido{detail}") from exc
    if any(not z.id for z in zones):
        raise FileRefused("L'elenco delle zone contenuto nel file ha una zona senza identificativo.")
    return list(zones)


def _check_rows(rows: list[Row], area: Area, problems: list[str], notes: list[str]) -> dict[str, Row]:
    """Valid rows by ISTAT code; a message in ``problems`` for every invalid one."""
    seen: dict[str, Row] = {}
    for row in rows:
        try:
            code = istat_code(row.code)
        except ValueError:
            problems.append(f"{row.label.capitalize()}: «{row.code}» non è un codice ISTAT (6 cifre, ad esempio "
                            "017088)." if row.code else f"{row.label.capitalize()}: manca il codice ISTAT.")
            continue
        if code not in area.comuni.index and code not in area.context.index:
            problems.append(f"{row.label.capitalize()}: il codice ISTAT {code} non corrisponde a nessun comune.")
            continue
        if code not in area.comuni.index:
            problems.append(f"{row.label.capitalize()}: {area.name(code)} ({code}) non fa parte dell'area vasta.")
            continue
        if code in seen:
            problems.append(f"{row.label.capitalize()}: {area.name(code)} ({code}) compare già "
                            f"({seen[code].label}).")
            continue
        if len(row.zone) > MAX_NAME_LENGTH:
            problems.append(f"{row.label.capitalize()}: il nome della zona è troppo lungo "
                            f"(massimo {MAX_NAME_LENGTH} caratteri).")
            continue
        if row.color and not _HEX.match(row.color):
            problems.append(f"{row.label.capitalize()}: colore «{row.color}» non valido (atteso #RRGGBB, "
                            "ad esempio #E69F00).")
            continue
        if row.name and normal(row.name) != normal(area.name(code)):
            notes.append(f"{row.label.capitalize()}: il codice {code} è di {area.name(code)}, non di «{row.name}»: "
                         "vale il codice.")
        seen[code] = row
    return seen


def _build(table: Table, area: Area, base: Plan) -> ImportResult:
    problems: list[str] = []
    notes: list[str] = []
    by_code = _check_rows(table.rows, area, problems, notes)
    catalogue = _catalogue_zones(table.catalogue) if table.catalogue is not None else list(base.zones)

    colors: dict[str, tuple[str, str]] = {}  # zone name -> (colour, where it was first given)
    for row in by_code.values():
        if row.zone and row.color:
            color = "#" + _HEX.match(row.color).group(1).upper()
            first = colors.setdefault(row.zone, (color, row.label))
            if first[0] != color:
                problems.append(f"{row.label.capitalize()}: la zona «{row.zone}» ha già il colore {first[0]} "
                                f"({first[1]}).")
    if problems:
        return _refused(problems)

    taken = {z.id for z in catalogue}
    chosen: dict[str, Zone] = {}  # zone name -> zone of the result
    for row in by_code.values():
        if not row.zone or row.zone in chosen:
            continue
        same_name = [z for z in catalogue if z.name == row.zone]
        zone = next((z for z in same_name if z.id == row.zone_id), same_name[0] if same_name else None)
        if zone is None:
            colors_by_id = {z.id: z.color for z in catalogue} | {z.id: z.color for z in chosen.values()}
            zone = Zone(next_zone_id(taken), row.zone, next_color(colors_by_id.values()))
            taken.add(zone.id)
        if row.zone in colors:
            zone = Zone(zone.id, zone.name, colors[row.zone][0], zone.locked)
        chosen[row.zone] = zone

    by_id = {z.id: z for z in chosen.values()}
    if table.catalogue is not None:  # the file's zone list, empty zones included
        listed = {z.id for z in catalogue}
        zones = [by_id.get(z.id, z) for z in catalogue] + [z for z in chosen.values() if z.id not in listed]
    else:
        # A zone of the current plan with no comuni cannot appear in a CSV or XLSX
        # file, so it is kept; one the file no longer mentions is dropped.
        kept = [by_id.get(z.id, z) for z in catalogue if z.id in by_id or not base.members(z.id)]
        zones = kept + [z for z in chosen.values() if z.id not in {k.id for k in kept}]
    assignment = {code: (chosen[by_code[code].zone].id if code in by_code and by_code[code].zone else None)
                  for code in area.codes}
    absent = [c for c in area.codes if c not in by_code]
    if absent:
        names = ", ".join(area.names(absent[:10])) + (" e altri" if len(absent) > 10 else "")
        notes.insert(0, f"{len(absent)} comuni dell'area non sono nel file e restano non assegnati: {names}.")
    try:
        plan = Plan.build(zones, assignment)
    except PlanError as exc:
        return _refused([str(exc)])
    return ImportResult(plan, (), tuple(notes[:MAX_MESSAGES]))


def _refused(problems: list[str]) -> ImportResult:
    shown = problems[:MAX_MESSAGES]
    if len(problems) > MAX_MESSAGES:
        shown.append(f"... e altri {len(problems) - MAX_MESSAGES} problemi.")
    return ImportResult(None, tuple(shown))


def import_plan(file_name: str, data: bytes, area: Area, base: Plan, *,
                max_bytes: int = MAX_IMPORT_BYTES) -> ImportResult:
    """Read a plan from an uploaded file.

    Parameters
    ----------
    file_name : str
        Name of the uploaded file; its extension helps to recognise the format
        (:data:`geo.io.formats.PLAN_FORMATS`).
    data : bytes
        The file's content (CSV: ``;``, ``,`` or tab separated, UTF-8 or
        Windows-1252/Latin-1; codes without the leading zero are accepted).
    area : Area
        The area vasta: every code must belong to it.
    base : Plan
        The current plan, whose zones (ids, colours, locks) are reused for zone
        names found in a file that carries no zone list of its own.
    max_bytes : int
        Files larger than this are refused.

    Returns
    -------
    ImportResult
        The plan, or the problems (Italian, one per problem) and no plan.
    """
    try:
        refuse_empty_or_too_large(data, max_bytes)
        table = read_plan_file(file_name, data)
        if not table.rows:
            return ImportResult(None, ("Il file non contiene comuni (nessuna riga sotto l'intestazione).",))
        return _build(table, area, base)
    except FileRefused as refused:
        return ImportResult(None, tuple(refused.messages))
