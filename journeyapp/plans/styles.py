"""Paragraph styles for plans: 12 pt body, or at least 16 pt in large print; bold, scannable headings."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from journeyapp.plans import fonts

INK = colors.HexColor("#1a1a1a")
SOFT = colors.HexColor("#4d4d4d")
RULE = colors.HexColor("#8c8c8c")


@dataclass(frozen=True)
class Styles:
    """Everything the renderer needs to lay a page out at one print size."""

    body_size: float
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    detail: ParagraphStyle
    small: ParagraphStyle
    outro: ParagraphStyle
    step: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    margin: float
    footer_size: float
    write_lines: int
    chart_radius: float = 95.0


def make_styles(large_print: bool = False, tight: bool = False) -> Styles:
    """The styles for normal (12 pt body) or large print (16 pt body).

    `tight` spaces things a little closer (never the large-print sizes or line spacing), for a
    plan that would otherwise leave a few lines alone on its last page.
    """
    regular = fonts.register()
    size = 16.0 if large_print else 12.0
    # RNIB clear print asks for line spacing of at least 1.5 in large print.
    leading = size * (1.5 if large_print else 1.2 if tight else 1.25)
    gap = 0.6 if tight else 0.85
    title = ParagraphStyle(
        "Title",
        fontName=fonts.BOLD,
        fontSize=size * 2,
        leading=size * 2.4,
        textColor=INK,
        spaceAfter=size * 0.3,
    )
    subtitle = ParagraphStyle(
        "Subtitle",
        fontName=regular,
        fontSize=size,
        leading=leading,
        textColor=SOFT,
        spaceAfter=size * 0.6,
    )
    heading = ParagraphStyle(
        "Heading",
        fontName=fonts.BOLD,
        fontSize=size * 1.35,
        leading=size * 1.7,
        textColor=INK,
        spaceBefore=size * gap,
        spaceAfter=size * 0.4,
    )
    body = ParagraphStyle(
        "Body",
        fontName=regular,
        fontSize=size,
        leading=leading,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=size * 0.3,
    )
    item = ParagraphStyle(
        "Item",
        parent=body,
        leftIndent=size * 1.5,
        bulletIndent=size * 0.1,
        bulletFontName=regular,
        bulletFontSize=size,
        spaceBefore=size * 0.25 * gap,
        spaceAfter=size * 0.1,
        allowWidows=0,
        allowOrphans=0,
    )
    # Details are the same size as the body (a parent with poor sight needs them too); they are
    # set off by indent and a softer colour instead.
    detail = ParagraphStyle(
        "Detail", parent=body, leftIndent=size * 1.4, textColor=SOFT, spaceAfter=size * 0.05
    )
    small = ParagraphStyle("Small", parent=body, textColor=SOFT)
    outro = ParagraphStyle("Outro", parent=body, spaceBefore=size * 0.6)
    # A goal's steps sit under it, indented one more level, each with its own box.
    step = ParagraphStyle(
        "Step", parent=item, leftIndent=size * 3.0, bulletIndent=size * 1.6, spaceBefore=size * 0.15
    )
    # The change history's table: compact at normal size, never under 16 pt in large print.
    cell_size = size if large_print else 9.5
    cell = ParagraphStyle(
        "Cell",
        parent=body,
        fontSize=cell_size,
        leading=cell_size * (1.5 if large_print else 1.25),
        spaceAfter=0,
    )
    cell_head = ParagraphStyle("CellHead", parent=cell, fontName=fonts.BOLD)
    return Styles(
        body_size=size,
        title=title,
        subtitle=subtitle,
        heading=heading,
        body=body,
        item=item,
        detail=detail,
        small=small,
        outro=outro,
        step=step,
        cell=cell,
        cell_head=cell_head,
        margin=22 * mm,
        # Large print keeps every text at 16 pt or more, the footer and the chart included.
        footer_size=size if large_print else 9.0,
        write_lines=3 if large_print else 4,
        chart_radius=(150.0 if large_print else 95.0) * (0.85 if tight else 1.0),
    )
