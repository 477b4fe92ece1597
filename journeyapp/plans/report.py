"""The printed programme report (A4, DejaVu Sans): plain sections of figures with simple bars.

Takes plain data only (titles, labels, value texts, bar shares), so it knows nothing of the
exchange layer that works the figures out. Every string goes through the plans' own `markup`
(escaped, glyphs the font lacks swapped) before it reaches reportlab's Paragraph markup
(reliability-anchors §4.5).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from journeyapp.plans import fonts
from journeyapp.plans.documents import write_file
from journeyapp.plans.text import markup

BAR_WIDTH = 45 * mm

# (title, [(label, value text, bar share 0..1 or None)], a note under the title or "")
SectionData = tuple[str, Sequence[tuple[str, str, float | None]], str]


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
    """Write the programme report to `out` (A4 portrait), whole or not at all; returns the path.

    A file that cannot be written is a StorageError saying so (plans.documents.write_file).
    """
    font = fonts.register()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13)
    small = ParagraphStyle(
        "small", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#333333")
    )
    heading = ParagraphStyle(
        "heading", fontName=fonts.BOLD, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4
    )
    big = ParagraphStyle("title", fontName=fonts.BOLD, fontSize=18, leading=22, spaceAfter=4)
    story: list[Flowable] = [
        Paragraph(markup(title), big),
        Paragraph(markup(subtitle), body),
        Spacer(1, 4 * mm),
    ]
    if footnote:
        story += [Paragraph(markup(footnote), small), Spacer(1, 2 * mm)]
    for section_title, rows, note in sections:
        data = [
            [
                Paragraph(markup(label), body),
                Paragraph(markup(value), body),
                _bar(share) if share is not None else "",
            ]
            for label, value, share in rows
        ]
        if not data:
            data = [[Paragraph("Nothing recorded yet.", body), "", ""]]
        table = Table(data, colWidths=[74 * mm, 48 * mm, BAR_WIDTH + 1 * mm], hAlign="LEFT")
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
        said = [Paragraph(markup(note), small), Spacer(1, 1 * mm)] if note else []
        story.append(KeepTogether([Paragraph(markup(section_title), heading), *said, table]))

    def number_pages(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(  # type: ignore[attr-defined]
            A4[0] - 20 * mm,
            12 * mm,
            f"{title} · page {doc.page}",  # type: ignore[attr-defined]
        )
        canvas.restoreState()  # type: ignore[attr-defined]

    out = Path(out)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="JourneyApp",
    )
    document.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    write_file(out, buffer.getvalue())
    return out
