"""The PDF report's page, fonts, paragraph styles and table style (ReportLab).

Text is set in DejaVu Sans (shipped with matplotlib, embedded in the file), so
every character users type is printable and the text can be extracted and
searched. User text is escaped: ReportLab paragraphs parse a small markup language.
"""

from __future__ import annotations

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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 1.8 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_FILL = colors.HexColor("#E8ECF0")
GRID = colors.HexColor("#B8C0C8")
_FONT_LOCK = threading.Lock()
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def register_fonts() -> None:
    """Make DejaVu Sans (regular and bold) available to ReportLab."""
    # Registration is global to ReportLab: once per process, guarded for concurrent sessions.
    with _FONT_LOCK:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the report, by name."""
    # bulletFontName: bullets (warnings) would otherwise be in the unembedded Helvetica.
    body = ParagraphStyle("body", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
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


def plain(text: object) -> str:
    """User text as paragraph markup: escaped, control characters (pasted text) dropped."""
    return escape(_CONTROL.sub("", str(text)))


def paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: user text is escaped, newlines kept."""
    return Paragraph(plain(text).replace("\n", "<br/>"), style)


# A table's cells start in ReportLab's default Helvetica, never embedded, even when
# every cell holds a paragraph of its own: every table starts in the embedded font.
EMBEDDED_CELL_FONT = (("FONTNAME", (0, 0), (-1, -1), FONT),)


def grid_table(rows: list[list], widths: list[float], *, header_rows: int = 1, extra_style=()) -> Table:
    """A table with a grid, a shaded header repeated on every page and tight padding."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([
        *EMBEDDED_CELL_FONT,
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
