"""The parts of the PDF report, each a list of ReportLab flowables built from
:class:`geo.report.content.ReportContent`: map, zones, warnings, statistics,
coverage, collaborations, one page per zone, sources.

Every figure is written with the decimals its statistic declares
(:meth:`geo.report.content.ReportContent.text`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Image, Paragraph, Spacer, Table, TableStyle

from geo.base.italian import italian_date
from geo.collaborations.coverage import COVERAGE_LABELS, NOT_COVERED
from geo.collaborations.model import FUNCTION_LABELS, PRIORITY_FUNCTIONS
from geo.render.collaboration_tables import splits_table
from geo.render.homogeneity_tables import SCORE_HELP as HOMOGENEITY_HELP, score_text as homogeneity_score_text
from geo.render.map_image import render_plan_png
from geo.report.content import ReportContent, coherence_sentence, coverage_text_table
from geo.report.pdf_layout import EMBEDDED_CELL_FONT, TEXT_WIDTH, grid_table, plain, paragraph as _p
from geo.report.zone_sections import ZoneSection

STATISTICS_LABEL_WIDTH = 5.2 * cm
# The narrowest zone column that still fits a zone's name and a value such as "12.345,6".
STATISTICS_MIN_ZONE_WIDTH = 2.0 * cm
SHORT_FUNCTION_NAMES = {"ufficio_tecnico": "Uff. tecnico", "polizia_locale": "Polizia loc.",
                        "suap_sue": "SUAP/SUE", "servizi_ict": "Servizi ICT"}


def map_image(content: ReportContent, max_height: float) -> Image:
    """The map of the plan, as wide as the text and at most ``max_height`` tall."""
    # Drawn 10 inches wide, the width its legend column is laid out for, then scaled
    # to the text width; the zones table under the map repeats the legend in large type.
    png = render_plan_png(content.area, content.plan, width_in=10.0, dpi=170)
    width_px, height_px = ImageReader(io.BytesIO(png)).getSize()
    width = TEXT_WIDTH
    height = width * height_px / width_px
    if height > max_height:
        width, height = width * max_height / height, max_height
    return Image(io.BytesIO(png), width=width, height=height)


def zones_table(content: ReportContent, s) -> Table:
    """Zones with their colour, comuni, residents and share of the area's residents."""
    rows = [[_p("", s["cell_bold"]), _p("Zona", s["cell_bold"]), _p("Comuni", s["cell_bold"]),
             _p("Residenti", s["cell_bold"]), _p("Quota dei residenti", s["cell_bold"])]]
    swatches = []
    for i, zone in enumerate(content.zones, start=1):
        rows.append([_p("", s["cell"]), _p(zone.name, s["cell"]),
                     _p(content.text("comuni", len(zone.comuni)), s["cell_right"]),
                     _p(content.text("residenti", zone.residents), s["cell_right"]),
                     _p(f"{content.text('quota_residenti', zone.share)}%", s["cell_right"])])
        swatches.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(zone.color)))
    rows.append([_p("", s["cell"]), _p("Totale area", s["cell_bold"]),
                 _p(content.text("comuni", len(content.area.codes)), s["cell_right"]),
                 _p(content.text("residenti", content.residents), s["cell_right"]),
                 _p(f"{content.text('quota_residenti', 100.0)}%", s["cell_right"])])
    return grid_table(rows, [0.6 * cm, 8.4 * cm, 2.2 * cm, 3 * cm, 3.2 * cm], extra_style=swatches)


def warnings(content: ReportContent, s) -> list:
    if not content.problems:
        return [_p("Nessun avviso: tutti i comuni sono assegnati e ogni zona è contigua.", s["body"])]
    return [Paragraph(plain(p.message), s["warning"], bulletText="•") for p in content.problems]


def _sideways(text, heading: str, s) -> list:
    """A table turned on its side (one row per column of ``text``, one column per zone):
    any number of rows fits a portrait page, the table growing downwards; the zones
    continue in as many blocks as the page width needs."""
    labels = list(text.columns[1:])
    zones = list(text["Zona"])
    per_block = max(1, int((TEXT_WIDTH - STATISTICS_LABEL_WIDTH) // STATISTICS_MIN_ZONE_WIDTH))
    out = []
    for start in range(0, len(zones), per_block):
        chunk = list(range(start, min(start + per_block, len(zones))))
        column = (TEXT_WIDTH - STATISTICS_LABEL_WIDTH) / len(chunk)
        rows = [[_p(heading, s["cell_bold"]), *(_p(zones[i], s["cell_bold"]) for i in chunk)]]
        for label in labels:
            rows.append([_p(label, s["cell"]), *(_p(text[label].iloc[i], s["cell_right"]) for i in chunk)])
        out += [grid_table(rows, [STATISTICS_LABEL_WIDTH, *[column] * len(chunk)]), Spacer(1, 6)]
    return out


def statistics_tables(content: ReportContent, s) -> list:
    """The statistics per zone (:func:`_sideways`)."""
    return _sideways(content.statistics_text, "Statistica", s)


def homogeneity(content: ReportContent, s) -> list:
    """The homogeneity on the chosen indicators: the score, the share each indicator's
    variance the zones explain, then per zone the means, spreads and furthest comuni."""
    if not content.homogeneity.indicators:
        return []
    summary, zones = content.homogeneity_text
    rows = [[_p(h, s["cell_bold"]) for h in summary.columns]]
    rows += [[_p(v, s["cell"] if i == 0 else s["cell_right"]) for i, v in enumerate(r)]
             for r in summary.itertuples(index=False)]
    score = homogeneity_score_text(content.homogeneity)
    return [CondPageBreak(6 * cm), _p("Omogeneità delle zone", s["h2"]),
            _p(f"Omogeneità del piano: {score} (da 0 a 1). {HOMOGENEITY_HELP}", s["body"]),
            grid_table(rows, [TEXT_WIDTH - 7 * cm, 4 * cm, 3 * cm]), Spacer(1, 6),
            *_sideways(zones, "Indicatore", s)]


def coverage(content: ReportContent, s) -> list:
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
        grid_table(rows, [zone_width, *[column] * len(functions)]),
    ]


def splits(content: ReportContent, s) -> list:
    out = [_p(f"Collaborazioni rispettate dal piano: {coherence_sentence(content.coherence)}", s["body"])]
    if not content.splits:
        return out + [_p("Nessuna collaborazione in corso ha almeno due comuni assegnati a una zona.", s["body"])]
    table = splits_table(content.splits, content.plan, content.names)
    headers = ["Collaborazione", "Esito", "Zone e membri", "Non assegnati", "Fuori dall'area"]
    rows = [[_p(h, s["cell_bold"]) for h in headers]]
    for record in table[headers].itertuples(index=False):
        rows.append([_p(v, s["cell"]) for v in record])
    return out + [grid_table(rows, [4 * cm, 2.4 * cm, 6.2 * cm, 2.2 * cm, 2.6 * cm])]


def zone_page(content: ReportContent, zone: ZoneSection, s) -> list:
    """A zone's page: heading in its colour, figures, warnings, its comuni with their
    coverage, the collaborations with members in it."""
    heading = Table([["", _p(zone.name, s["h2"])]], colWidths=[0.7 * cm, TEXT_WIDTH - 0.7 * cm], hAlign="LEFT")
    heading.setStyle(TableStyle([
        *EMBEDDED_CELL_FONT,
        ("BACKGROUND", (0, 0), (0, 0), colors.HexColor(zone.color)),
        ("BOX", (0, 0), (0, 0), 0.6, colors.HexColor("#333333")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    residents, km2 = (lambda v: content.text("residenti", v)), (lambda v: content.text("superficie", v))
    summary = (f"{content.text('comuni', len(zone.comuni))} comuni, {residents(zone.residents)} residenti "
               f"({content.text('quota_residenti', zone.share)}% dell'area), superficie {km2(zone.area_km2)} km².")
    out = [heading, Spacer(1, 4), _p(summary, s["body"])]
    out += [Paragraph(plain(message), s["warning"], bulletText="•") for message in zone.problems]
    headers = ["Comune", "Codice ISTAT", "Residenti", "km²", *(SHORT_FUNCTION_NAMES[f] for f in PRIORITY_FUNCTIONS)]
    rows = [[_p(h, s["cell_bold"]) for h in headers]]
    for line in zone.comuni:
        rows.append([_p(line.name, s["cell"]), _p(line.code, s["cell"]),
                     _p(residents(line.residents), s["cell_right"]), _p(km2(line.area_km2), s["cell_right"]),
                     *(_p(COVERAGE_LABELS[state], s["cell_grey" if state == NOT_COVERED else "cell"])
                       for state in line.coverage)])
    rows.append([_p("Totale", s["cell_bold"]), _p("", s["cell"]), _p(residents(zone.residents), s["cell_right"]),
                 _p(km2(zone.area_km2), s["cell_right"]), *([_p("", s["cell"])] * 4)])
    out += [Spacer(1, 4), _p("Comuni e copertura delle quattro funzioni prioritarie", s["h3"]),
            grid_table(rows, [4.2 * cm, 2 * cm, 1.9 * cm, 1.4 * cm, *[2 * cm] * 4])]
    if zone.collaborations:
        out.append(_p("Collaborazioni con comuni della zona", s["h3"]))
        for item in zone.collaborations:
            where = "divisa tra più zone" if item.is_split else "non divisa dal piano"
            out.append(Paragraph(f"<b>{plain(item.name)}</b> ({where}): {plain(', '.join(item.members))}",
                                 s["warning"], bulletText="•"))
    return out


def sources(content: ReportContent, s) -> list:
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
    return out + [grid_table(rows, [5.6 * cm, 4.2 * cm, 4.6 * cm, TEXT_WIDTH - 14.4 * cm], extra_style=spans)]


def _sources_paragraph(urls: tuple[str, ...], style: ParagraphStyle) -> Paragraph:
    if not urls:
        return _p("Fonti: non indicate", style)
    # Sources are validated http(s) URLs (geo.collaborations); escaped all the same.
    links = [f'<link href="{escape(u, {chr(34): "&quot;"})}">{escape(u)}</link>' for u in urls]
    return Paragraph("Fonti: " + "<br/>".join(links), style)
