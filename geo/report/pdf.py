"""The report as a PDF, rendered on the server with ReportLab (no browser).

Layout of :class:`geo.report.content.ReportContent`: a first part with the map,
zones and residents, warnings, statistics, coverage of the four priority
functions and the collaborations the plan divides; then one page per zone with its
comuni; then the sources. The parts are in :mod:`geo.report.pdf_sections`, the
page, fonts and styles in :mod:`geo.report.pdf_layout`.
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, SimpleDocTemplate, Spacer

from geo.base.italian import LOCAL_TIMEZONE, italian_date, local_time_text
from geo.data.shipped import ATTRIBUTION_SHORT
from geo.report import pdf_sections as part
from geo.report.content import ReportContent
from geo.report.pdf_layout import FONT, MARGIN, PAGE_WIDTH, TEXT_WIDTH, paragraph as _p, register_fonts, styles


def _key_figures(content: ReportContent) -> str:
    text = (f"{content.text('comuni', len(content.area.codes))} comuni, "
            f"{content.text('residenti', content.residents)} residenti, {len(content.plan.zones)} zone")
    unassigned = len(content.plan.unassigned)
    if unassigned:
        text += f", {unassigned} " + ("comune non assegnato" if unassigned == 1 else "comuni non assegnati")
    return text + "."


def _footer(title: str, day_text: str, possessive: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        left = f"Zone omogenee {possessive} · {title} · {day_text}"
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
    register_fonts()
    s = styles()
    day_text = italian_date(content.generated_at.astimezone(LOCAL_TIMEZONE).date())
    story = [
        _p(f"Zone omogenee {content.territory_possessive}: rapporto", s["kicker"]),
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
        part.map_image(content, max_height=12.5 * cm),
        Spacer(1, 6),
        KeepTogether([_p("Zone e residenti", s["h2"]), part.zones_table(content, s)]),
        _p("Avvisi", s["h2"]),
        *part.warnings(content, s),
        CondPageBreak(8 * cm),
        _p("Statistiche per zona", s["h2"]),
        *part.statistics_tables(content, s),
        *part.homogeneity(content, s),
        CondPageBreak(6 * cm),
        _p("Servizi in gestione associata: le quattro funzioni prioritarie", s["h2"]),
        *part.coverage(content, s),
        CondPageBreak(5 * cm),
        _p("Collaborazioni e zone", s["h2"]),
        *part.splits(content, s),
    ]
    for zone in content.zones:
        story += [PageBreak(), *part.zone_page(content, zone, s)]
    story += [PageBreak(), *part.sources(content, s)]

    buffer = io.BytesIO()
    footer = _footer(content.title, day_text, content.territory_possessive)
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"Rapporto: {content.title}",
                            author="Pianura Bresciana: mappa della cooperazione intercomunale",
                            subject="Zone omogenee, statistiche, collaborazioni", lang="it-IT",
                            # ReportLab starts every page in Helvetica, which it never embeds:
                            # the page's first font is the embedded one instead (pdffonts lists
                            # only embedded fonts; some viewers substitute an unembedded one).
                            initialFontName=FONT)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
