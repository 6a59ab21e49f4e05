"""The report as an Excel workbook: the content of the PDF, one sheet per part.

Sheets: ``Riepilogo`` (heading, zones with residents, warnings), ``Mappa`` (the
map image), ``Statistiche`` (numbers, one row per zone), ``Copertura`` (the four
priority functions per zone, numbers), ``Collaborazioni`` (how the plan divides
them), ``Comuni`` (every comune with zone, residents and coverage: the PDF's
per-zone pages in one filterable table), ``Fonti``.

ISTAT codes are text cells (``017088`` keeps its zero). User text is always
written as text: a zone named ``=HYPERLINK(...)`` must not become a formula.
"""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from geo.render.collaboration_tables import splits_table
from geo.collaborations.model import FUNCTION_LABELS, PRIORITY_FUNCTIONS
from geo.collaborations.coverage import COVERAGE_LABELS
from geo.render.map_image import render_plan_png
from geo.base.italian import italian_date, local_time_text
from geo.render.homogeneity_tables import homogeneity_records
from geo.report.content import ReportContent, coherence_sentence
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF0")
INTEGER, DECIMAL_1 = "#,##0", "#,##0.0"  # coverage figures (not statistics of the registry)


def _value(value):
    """A cell value: NaN and None become empty cells; numpy numbers plain Python."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _formats(content: ReportContent, keys: dict[int, str]) -> dict[int, str]:
    """Column -> the Excel format declared by the statistic of ``keys[column]``."""
    return {column: content.registry[key].excel_format for column, key in keys.items()}


def _put(sheet, row: int, column: int, value, number_format: str | None = None):
    value = _value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters pasted into a name
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the user typed
    if number_format:
        cell.number_format = number_format
    return cell


def _write_table(sheet, top: int, headers: list[str], rows: list[list], formats: dict[int, str] | None = None,
                 widths: list[float] | None = None) -> int:
    """Write a header row and data rows from row ``top``; return the next free row."""
    formats = formats or {}
    for column, header in enumerate(headers, start=1):
        cell = _put(sheet, top, column, header)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            _put(sheet, top + offset, column, value, formats.get(column))
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return top + len(rows) + 2


def _summary(sheet, content: ReportContent) -> None:
    sheet.title = "Riepilogo"
    lines = [
        ("Rapporto", content.title),
        ("Territorio", content.territory_name),
        ("Generato il", local_time_text(content.generated_at)),
        ("Stato delle collaborazioni al", italian_date(content.day)),
        ("Autore", content.author),
        ("Note", content.notes),
        ("Comuni dell'area", len(content.area.codes)),
        ("Residenti (1° gennaio 2023)", content.residents),
        ("Collaborazioni rispettate", coherence_sentence(content.coherence)),
    ]
    number_formats = {"Comuni dell'area": "comuni", "Residenti (1° gennaio 2023)": "residenti"}
    for row, (label, value) in enumerate(lines, start=1):
        _put(sheet, row, 1, label).font = BOLD
        key = number_formats.get(label)
        _put(sheet, row, 2, value, content.registry[key].excel_format if key else None)
    top = _write_table(
        sheet, len(lines) + 2, ["Zona", "Colore", "Comuni", "Residenti", "Quota dei residenti (%)"],
        [[z.name, z.color, len(z.comuni), z.residents, z.share] for z in content.zones]
        + [["Totale area", "", len(content.area.codes), content.residents, 100.0]],
        formats=_formats(content, {3: "comuni", 4: "residenti", 5: "quota_residenti"}), widths=[34, 30, 10, 12, 14])
    for offset, zone in enumerate(content.zones, start=1):
        sheet.cell(row=len(lines) + 2 + offset, column=2).fill = PatternFill("solid", fgColor=zone.color.lstrip("#"))
    _put(sheet, top, 1, "Avvisi").font = BOLD
    messages = [p.message for p in content.problems] or [
        "Nessun avviso: tutti i comuni sono assegnati e ogni zona è contigua."]
    for offset, message in enumerate(messages, start=1):
        _put(sheet, top + offset, 1, message)


def _map(book: Workbook, content: ReportContent) -> None:
    sheet = book.create_sheet("Mappa")
    image = SheetImage(io.BytesIO(render_plan_png(content.area, content.plan, width_in=10.0, dpi=110)))
    sheet.add_image(image, "A1")


def _statistics(book: Workbook, content: ReportContent) -> None:
    sheet = book.create_sheet("Statistiche")
    registry = content.registry
    headers = ["Zona", *(s.heading for s in registry)]
    rows = [[row["zona"], *(s.number(row[s.key]) for s in registry)]
            for _, row in content.statistics.iterrows()]
    formats = {i: s.excel_format for i, s in enumerate(registry, start=2)}
    _write_table(sheet, 1, headers, rows, formats, widths=[34, *[14] * len(registry)])


def _homogeneity(book: Workbook, content: ReportContent) -> None:
    result = content.homogeneity
    if not result.indicators:
        return
    sheet = book.create_sheet("Omogeneità")
    _put(sheet, 1, 1, "Omogeneità del piano (0-1)").font = BOLD
    _put(sheet, 1, 2, result.score, "0.00")
    top = 3
    for _, headers, rows, formats in homogeneity_records(result, content.plan):
        top = _write_table(sheet, top, headers, rows, formats, widths=[34, 22, 16, 14, 90])


def _coverage(book: Workbook, content: ReportContent) -> None:
    sheet = book.create_sheet("Copertura")
    headers = ["Zona", "Funzione", "Comuni", "Comuni coperti", "Quota comuni (%)", "Residenti",
               "Residenti coperti", "Quota residenti (%)", "Comuni coperti solo da schede da verificare",
               "Comuni con collaborazione prevista"]
    rows = [[r.zona, FUNCTION_LABELS[r.funzione], r.comuni, r.comuni_coperti, r.quota_comuni, r.residenti,
             r.residenti_coperti, r.quota_residenti, r.comuni_da_verificare, r.comuni_previsti]
            for r in content.coverage.itertuples()]
    formats = {3: INTEGER, 4: INTEGER, 5: DECIMAL_1, 6: INTEGER, 7: INTEGER, 8: DECIMAL_1, 9: INTEGER, 10: INTEGER}
    _write_table(sheet, 1, headers, rows, formats, widths=[34, 18, 9, 10, 10, 12, 12, 10, 16, 16])


def _collaborations(book: Workbook, content: ReportContent) -> None:
    sheet = book.create_sheet("Collaborazioni")
    _put(sheet, 1, 1, coherence_sentence(content.coherence))
    table = splits_table(content.splits, content.plan, content.names)
    _write_table(sheet, 3, list(table.columns), table.values.tolist(), {4: INTEGER},
                 widths=[40, 20, 70, 12, 30, 30])


def _comuni(book: Workbook, content: ReportContent) -> None:
    sheet = book.create_sheet("Comuni")
    headers = ["Codice ISTAT", "Comune", "Zona", "Residenti", "Superficie (km²)",
               *(FUNCTION_LABELS[f] for f in PRIORITY_FUNCTIONS)]
    rows = [[line.code, line.name, zone.name, line.residents, line.area_km2,
             *(COVERAGE_LABELS[state] for state in line.coverage)]
            for zone in content.zones for line in zone.comuni]
    _write_table(sheet, 1, headers, rows, {1: "@", **_formats(content, {4: "residenti", 5: "superficie"})},
                 widths=[13, 26, 32, 11, 12, 20, 20, 20, 20])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    sheet.freeze_panes = "A2"


def _sources(book: Workbook, content: ReportContent) -> None:
    sheet = book.create_sheet("Fonti")
    for row, line in enumerate(content.source_lines, start=1):
        _put(sheet, row, 1, line)
    rows = [[c.name, c.form, c.functions, c.status, "sì" if c.da_verificare else "no", "\n".join(c.sources)]
            for c in content.collaborations]
    _write_table(sheet, len(content.source_lines) + 2,
                 ["Collaborazione", "Forma", "Funzioni", "Stato", "Da verificare", "Fonti"], rows,
                 widths=[60, 28, 30, 14, 12, 90])


def report_xlsx(content: ReportContent) -> bytes:
    """The report as XLSX bytes (see module docstring for the sheets).

    Parameters
    ----------
    content : ReportContent
        From :func:`geo.report.content.build_report`; numbers are written as
        numbers (residents, km² computed in EPSG:32632, percentages 0-100).
    """
    book = Workbook()
    _summary(book.active, content)
    _map(book, content)
    _statistics(book, content)
    _homogeneity(book, content)
    _coverage(book, content)
    _collaborations(book, content)
    _comuni(book, content)
    _sources(book, content)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
