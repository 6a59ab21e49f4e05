"""The report as a PDF, rendered on the server with ReportLab (no browser).

Layout of :class:`geo.report.content.ReportContent`: a first part with the map,
zones and residents, warnings, statistics, coverage of the four priority
functions and the collaborations the plan divides; then one page per zone with its
comuni; then the sources. Text is set in DejaVu Sans (shipped with matplotlib,
embedded in the file), so every character users type is printable and the text
can be extracted and searched. User text is escaped: ReportLab paragraphs parse a
small markup language.
"""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak, Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from geo.render.collaboration_tables import splits_table
from geo.collaborations.model import FUNCTION_LABELS, PRIORITY_FUNCTIONS
from geo.collaborations.coverage import COVERAGE_LABELS, NOT_COVERED
from geo.data.shipped import ATTRIBUTION_SHORT
from geo.base.italian import LOCAL_TIMEZONE, format_number, italian_date, local_time_text
from geo.render.map_image import render_plan_png
from geo.report.content import ReportContent, ZoneSection, coherence_sentence, coverage_text_table

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 1.8 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
STATISTICS_ZONES_PER_TABLE = 6
HEADER_FILL = colors.HexColor("#E8ECF0")
GRID = colors.HexColor("#B8C0C8")
_FONT_LOCK = threading.Lock()


def _register_fonts() -> None:
    # Registration is global to ReportLab: once per process, guarded for concurrent sessions.
    with _FONT_LOCK:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "body": body,
        "kicker": ParagraphStyle("kicker", parent=body, fontSize=10, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=10,
                             spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8,
                             spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        # embeddedHyphenation: names like "Pompiano-Barbariga-Corzano" break after a hyphen.
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0, embeddedHyphenation=1),
        "cell_grey": ParagraphStyle("cell_grey", parent=body, fontSize=8, leading=10, spaceAfter=0,
                                    textColor=colors.HexColor("#8A8A8A")),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10,
                                    spaceAfter=0, embeddedHyphenation=1),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "warning": ParagraphStyle("warning", parent=body, leftIndent=10, bulletIndent=0),
        "url": ParagraphStyle("url", parent=body, fontSize=8, leading=10, spaceAfter=0,
                              textColor=colors.HexColor("#1F4E8C")),
    }


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _plain(text: object) -> str:
    """User text as paragraph markup: escaped, control characters (pasted text) dropped."""
    return escape(_CONTROL.sub("", str(text)))


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: user text is escaped, newlines kept."""
    return Paragraph(_plain(text).replace("\n", "<br/>"), style)


def _table(rows: list[list], widths: list[float], *, header_rows: int = 1, extra_style=()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra_style,
    ]))
    return table


def _map_image(content: ReportContent, max_height: float) -> Image:
    # Drawn 10 inches wide, the width its legend column is laid out for, then scaled
    # to the text width; the zones table under the map repeats the legend in large type.
    png = render_plan_png(content.area, content.plan, width_in=10.0, dpi=170)
    width_px, height_px = ImageReader(io.BytesIO(png)).getSize()
    width = TEXT_WIDTH
    height = width * height_px / width_px
    if height > max_height:
        width, height = width * max_height / height, max_height
    return Image(io.BytesIO(png), width=width, height=height)


def _zones_table(content: ReportContent, s) -> Table:
    rows = [[_p("", s["cell_bold"]), _p("Zona", s["cell_bold"]), _p("Comuni", s["cell_bold"]),
             _p("Residenti", s["cell_bold"]), _p("Quota dei residenti", s["cell_bold"])]]
    swatches = []
    for i, zone in enumerate(content.zones, start=1):
        rows.append([_p("", s["cell"]), _p(zone.name, s["cell"]), _p(format_number(len(zone.comuni)), s["cell_right"]),
                     _p(format_number(zone.residents), s["cell_right"]),
                     _p(f"{format_number(zone.share, 1)}%", s["cell_right"])])
        swatches.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(zone.color)))
    rows.append([_p("", s["cell"]), _p("Totale area", s["cell_bold"]),
                 _p(format_number(len(content.area.codes)), s["cell_right"]),
                 _p(format_number(content.residents), s["cell_right"]), _p("100,0%", s["cell_right"])])
    return _table(rows, [0.6 * cm, 8.4 * cm, 2.2 * cm, 3 * cm, 3.2 * cm], extra_style=swatches)


def _warnings(content: ReportContent, s) -> list:
    if not content.problems:
        return [_p("Nessun avviso: tutti i comuni sono assegnati e ogni zona è contigua.", s["body"])]
    return [Paragraph(_plain(p.message), s["warning"], bulletText="•") for p in content.problems]


def _statistics_tables(content: ReportContent, s) -> list:
    """Statistics turned on their side (one column per zone), so the ten statistics
    fit a portrait page; many zones continue in a second table."""
    text = content.statistics_text
    labels = list(text.columns[1:])
    zones = list(text["Zona"])
    out = []
    for start in range(0, len(zones), STATISTICS_ZONES_PER_TABLE):
        chunk = list(range(start, min(start + STATISTICS_ZONES_PER_TABLE, len(zones))))
        label_width = 5.2 * cm
        column = (TEXT_WIDTH - label_width) / len(chunk)
        rows = [[_p("Statistica", s["cell_bold"]), *(_p(zones[i], s["cell_bold"]) for i in chunk)]]
        for label in labels:
            rows.append([_p(label, s["cell"]), *(_p(text[label].iloc[i], s["cell_right"]) for i in chunk)])
        out += [_table(rows, [label_width, *[column] * len(chunk)]), Spacer(1, 6)]
    return out


def _coverage(content: ReportContent, s) -> list:
    table = coverage_text_table(content.coverage)
    functions = [FUNCTION_LABELS[f] for f in PRIORITY_FUNCTIONS]
    zone_width = 3.6 * cm
    column = (TEXT_WIDTH - zone_width) / len(functions)
    rows = [[_p("Zona", s["cell_bold"]), *(_p(f, s["cell_bold"]) for f in functions)]]
    for row in table.itertuples(index=False):
        rows.append([_p(row[0], s["cell"]), *(_p(v, s["cell"]) for v in row[1:])])
    return [
        _p("Per ogni zona e funzione: comuni coperti da una collaborazione in funzione (attiva o in "
           f"scioglimento) al {italian_date(content.day)} e residenti di quei comuni. «Da verificare»: comuni "
           "coperti solo da schede con fonti vecchie o incomplete; «prevista»: comuni con una collaborazione "
           "ancora da costituire.", s["small"]),
        _table(rows, [zone_width, *[column] * len(functions)]),
    ]


def _splits(content: ReportContent, s) -> list:
    out = [_p(f"Coerenza del piano con le collaborazioni: {coherence_sentence(content.coherence)}", s["body"])]
    if not content.splits:
        return out + [_p("Nessuna collaborazione in corso ha almeno due comuni assegnati a una zona.", s["body"])]
    table = splits_table(content.splits, content.plan, content.names)
    headers = ["Collaborazione", "Esito", "Zone e membri", "Non assegnati", "Fuori dall'area"]
    rows = [[_p(h, s["cell_bold"]) for h in headers]]
    for record in table[headers].itertuples(index=False):
        rows.append([_p(v, s["cell"]) for v in record])
    return out + [_table(rows, [4 * cm, 2.4 * cm, 6.2 * cm, 2.2 * cm, 2.6 * cm])]


def _zone_page(content: ReportContent, zone: ZoneSection, s) -> list:
    heading = Table([["", _p(zone.name, s["h2"])]], colWidths=[0.7 * cm, TEXT_WIDTH - 0.7 * cm], hAlign="LEFT")
    heading.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, 0), colors.HexColor(zone.color)),
        ("BOX", (0, 0), (0, 0), 0.6, colors.HexColor("#333333")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    summary = (f"{format_number(len(zone.comuni))} comuni, {format_number(zone.residents)} residenti "
               f"({format_number(zone.share, 1)}% dell'area), superficie {format_number(zone.area_km2, 1)} km².")
    out = [heading, Spacer(1, 4), _p(summary, s["body"])]
    out += [Paragraph(_plain(message), s["warning"], bulletText="•") for message in zone.problems]
    short = {"ufficio_tecnico": "Uff. tecnico", "polizia_locale": "Polizia loc.", "suap_sue": "SUAP/SUE",
             "servizi_ict": "Servizi ICT"}
    headers = ["Comune", "Codice ISTAT", "Residenti", "km²", *(short[f] for f in PRIORITY_FUNCTIONS)]
    rows = [[_p(h, s["cell_bold"]) for h in headers]]
    for line in zone.comuni:
        rows.append([_p(line.name, s["cell"]), _p(line.code, s["cell"]),
                     _p(format_number(line.residents), s["cell_right"]),
                     _p(format_number(line.area_km2, 1), s["cell_right"]),
                     *(_p(COVERAGE_LABELS[state], s["cell_grey" if state == NOT_COVERED else "cell"])
                       for state in line.coverage)])
    rows.append([_p("Totale", s["cell_bold"]), _p("", s["cell"]), _p(format_number(zone.residents), s["cell_right"]),
                 _p(format_number(zone.area_km2, 1), s["cell_right"]), *([_p("", s["cell"])] * 4)])
    out += [Spacer(1, 4), _p("Comuni e copertura delle quattro funzioni prioritarie", s["h3"]),
            _table(rows, [4.2 * cm, 2 * cm, 1.9 * cm, 1.4 * cm, *[2 * cm] * 4])]
    if zone.collaborations:
        out.append(_p("Collaborazioni con comuni della zona", s["h3"]))
        for item in zone.collaborations:
            where = "divisa tra più zone" if item.is_split else "non divisa dal piano"
            out.append(Paragraph(f"<b>{_plain(item.name)}</b> ({where}): {_plain(', '.join(item.members))}",
                                 s["warning"], bulletText="•"))
    return out


def _sources(content: ReportContent, s) -> list:
    out = [_p("Fonti dei dati e attribuzione", s["h2"])]
    out += [_p(line, s["body"]) for line in content.source_lines]
    if not content.collaborations:
        return out
    out.append(_p("Collaborazioni considerate (stato al " + italian_date(content.day) + ")", s["h3"]))
    rows = [[_p(h, s["cell_bold"]) for h in ("Collaborazione", "Forma", "Funzioni", "Stato")]]
    spans = []
    for c in content.collaborations:
        status = c.status + (" (da verificare)" if c.da_verificare else "")
        rows.append([_p(c.name, s["cell_bold"]), _p(c.form, s["cell"]), _p(c.functions, s["cell"]),
                     _p(status, s["cell"])])
        # Sources on a full-width row of their own: URLs have no spaces to wrap at.
        rows.append([_sources_paragraph(c.sources, s["url"]), "", "", ""])
        spans.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
    return out + [_table(rows, [5.6 * cm, 4.2 * cm, 4.6 * cm, TEXT_WIDTH - 14.4 * cm], extra_style=spans)]


def _sources_paragraph(urls: tuple[str, ...], style: ParagraphStyle) -> Paragraph:
    if not urls:
        return _p("Fonti: non indicate", style)
    # Sources are validated http(s) URLs (geo.collaborations); escaped all the same.
    links = [f'<link href="{escape(u, {chr(34): "&quot;"})}">{escape(u)}</link>' for u in urls]
    return Paragraph("Fonti: " + "<br/>".join(links), style)


def _key_figures(content: ReportContent) -> str:
    text = (f"{format_number(len(content.area.codes))} comuni, {format_number(content.residents)} residenti, "
            f"{len(content.plan.zones)} zone")
    unassigned = len(content.plan.unassigned)
    if unassigned:
        text += f", {unassigned} " + ("comune non assegnato" if unassigned == 1 else "comuni non assegnati")
    return text + "."


def _footer(title: str, day_text: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        left = f"Zone omogenee della Pianura Bresciana · {title} · {day_text}"
        if pdfmetrics.stringWidth(left, FONT, 7.5) > TEXT_WIDTH - 2.5 * cm:
            left = left[:110] + "…"
        canvas.drawString(MARGIN, 1.1 * cm, left)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 1.1 * cm, f"Pagina {doc.page}")
        canvas.drawString(MARGIN, 0.75 * cm, ATTRIBUTION_SHORT)
        canvas.restoreState()
    return draw


def report_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes (A4 portrait, Italian).

    Parameters
    ----------
    content : ReportContent
        From :func:`geo.report.content.build_report`.

    Returns
    -------
    bytes
        A PDF whose text can be extracted (embedded Unicode font); the map is a
        PNG drawn in EPSG:32632 (see :func:`geo.render.map_image.render_plan_png`).
    """
    _register_fonts()
    s = _styles()
    day_text = italian_date(content.generated_at.astimezone(LOCAL_TIMEZONE).date())
    story = [
        _p("Zone omogenee della Pianura Bresciana: rapporto", s["kicker"]),
        _p(content.title, s["title"]),
        _p(f"Rapporto generato il {local_time_text(content.generated_at)}. Stato delle collaborazioni al "
           f"{italian_date(content.day)}. Popolazione residente al 1° gennaio 2023 (ISTAT).", s["body"]),
    ]
    if content.author:
        story.append(_p(f"Autore: {content.author}", s["body"]))
    if content.notes:
        story.append(_p(f"Note: {content.notes}", s["body"]))
    story += [
        _p(_key_figures(content), s["body"]),
        Spacer(1, 4),
        _map_image(content, max_height=12.5 * cm),
        Spacer(1, 6),
        KeepTogether([_p("Zone e residenti", s["h2"]), _zones_table(content, s)]),
        _p("Avvisi", s["h2"]),
        *_warnings(content, s),
        CondPageBreak(8 * cm),
        _p("Statistiche per zona", s["h2"]),
        *_statistics_tables(content, s),
        CondPageBreak(6 * cm),
        _p("Servizi in gestione associata: le quattro funzioni prioritarie", s["h2"]),
        *_coverage(content, s),
        CondPageBreak(5 * cm),
        _p("Collaborazioni e zone", s["h2"]),
        *_splits(content, s),
    ]
    for zone in content.zones:
        story += [PageBreak(), *_zone_page(content, zone, s)]
    story += [PageBreak(), *_sources(content, s)]

    buffer = io.BytesIO()
    footer = _footer(content.title, day_text)
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"Rapporto: {content.title}",
                            author="Pianura Bresciana: mappa della cooperazione intercomunale",
                            subject="Zone omogenee, statistiche, collaborazioni", lang="it-IT")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()

