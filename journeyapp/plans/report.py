"""The printed programme report (A4, DejaVu Sans): plain sections of figures with simple bars.

Takes plain data only (titles, labels, value texts, bar shares), so it knows nothing of the
exchange layer that works the figures out. Every string is escaped before it reaches reportlab's
Paragraph markup (reliability-anchors §4.5).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from journeyapp import paths

FONT = "JourneyReportSans"
FONT_BOLD = "JourneyReportSans-Bold"
BAR_WIDTH = 45 * mm

SectionData = tuple[str, Sequence[tuple[str, str, float | None]]]


def _register_fonts() -> None:
    # Own names, so this module never depends on how other modules register DejaVu Sans.
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(paths.resource("fonts/DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(paths.resource("fonts/DejaVuSans-Bold.ttf"))))


def _bar(share: float) -> Drawing:
    """A bar for a share from 0 to 1: filled part in dark grey inside an outline (prints in grey)."""
    share = max(0.0, min(1.0, share))
    drawing = Drawing(BAR_WIDTH, 4 * mm)
    outline = Rect(0, 0.5 * mm, BAR_WIDTH, 3 * mm)
    outline.fillColor = None
    outline.strokeColor = colors.grey
    outline.strokeWidth = 0.4
    drawing.add(outline)
    if share > 0:
        filled = Rect(0, 0.5 * mm, BAR_WIDTH * share, 3 * mm)
        filled.fillColor = colors.HexColor("#444444")
        filled.strokeColor = None
        drawing.add(filled)
    return drawing


def write_report_pdf(
    out: Path,
    title: str,
    subtitle: str,
    sections: Sequence[SectionData],
    *,
    footnote: str = "",
) -> Path:
    """Write the programme report to `out` (A4 portrait); returns the path."""
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    small = ParagraphStyle(
        "small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#333333")
    )
    heading = ParagraphStyle(
        "heading", fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4
    )
    big = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=4)
    story: list[Flowable] = [
        Paragraph(escape(title), big),
        Paragraph(escape(subtitle), body),
        Spacer(1, 4 * mm),
    ]
    if footnote:
        story += [Paragraph(escape(footnote), small), Spacer(1, 2 * mm)]
    for section_title, rows in sections:
        data = [
            [
                Paragraph(escape(label), body),
                Paragraph(escape(value), body),
                _bar(share) if share is not None else "",
            ]
            for label, value, share in rows
        ]
        if not data:
            data = [[Paragraph("Nothing recorded yet.", body), "", ""]]
        table = Table(data, colWidths=[80 * mm, 38 * mm, BAR_WIDTH + 2 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story.append(KeepTogether([Paragraph(escape(section_title), heading), table]))

    def number_pages(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(  # type: ignore[attr-defined]
            A4[0] - 20 * mm,
            12 * mm,
            f"{title} · page {doc.page}",  # type: ignore[attr-defined]
        )
        canvas.restoreState()  # type: ignore[attr-defined]

    out = Path(out)
    document = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="JourneyApp",
    )
    document.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return out
