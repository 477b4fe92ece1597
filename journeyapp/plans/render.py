"""Turns a document (core.documents) into an A4 PDF: a front page, scannable headings, the chart,
space to write, page numbers; right-to-left pages and joined scripts through plans.scripts."""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tables import Table, TableStyle

from journeyapp.core.documents import ActionPlan, Item, Radar, Section
from journeyapp.core.documents.model import Table as TableModel
from journeyapp.plans import fonts, scripts
from journeyapp.plans.styles import INK, RULE, SOFT, Styles, make_styles

Progress = Callable[[int, int], None]


def markup(text: str) -> str:
    """User text made safe for Paragraph markup: glyphs the font lacks swapped, then escaped.

    Escaping is what keeps `<b>` or `<img src=...>` in a parent's note as literal text, so a
    note can never change the layout or make reportlab read a file from disk.
    """
    safe = escape(fonts.printable(text)).replace("\t", " ")
    return safe.replace("\n", "<br/>")


# -- text that needs bidi or shaping -------------------------------------------------------------


class ScriptParagraph(Flowable):
    """A paragraph laid out line by line here: wrapped in logical order, each line in bidi order,
    each run shaped. Used for right-to-left pages and any text with Arabic-script letters."""

    def __init__(
        self,
        parts: Sequence[tuple[str, Any]],
        style: Any,
        rtl: bool,
        bullet: str = "",
        lines: list[tuple[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.parts = [(fonts.printable(text), colour) for text, colour in parts]
        self.style = style
        self.rtl = rtl
        self.bullet = bullet
        self.font = style.fontName
        self.size = style.fontSize
        self.leading = style.leading
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.indent = style.leftIndent
        self._lines = lines
        self.width = 0.0

    def _wrap_text(self, text: str, colour: Any, room: float) -> list[tuple[str, Any]]:
        lines: list[tuple[str, Any]] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split():
                trial = f"{current} {word}" if current else word
                if scripts.width(trial, self.font, self.size) <= room:
                    current = trial
                    continue
                if current:
                    lines.append((current, colour))
                # A word wider than the line is broken wherever it has to be.
                while scripts.width(word, self.font, self.size) > room and len(word) > 1:
                    cut = len(word) - 1
                    while cut > 1 and scripts.width(word[:cut], self.font, self.size) > room:
                        cut = max(1, cut * 3 // 4) if cut > 40 else cut - 1
                    lines.append((word[:cut], colour))
                    word = word[cut:]
                current = word
            if current or not lines:
                lines.append((current, colour))
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        if self._lines is None:
            room = availWidth - self.indent
            self._lines = [
                line for text, colour in self.parts for line in self._wrap_text(text, colour, room)
            ]
        return availWidth, len(self._lines) * self.leading

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        assert self._lines is not None
        fit = int(availHeight // self.leading)
        if fit < 2 or fit >= len(self._lines):
            return []
        first = ScriptParagraph([], self.style, self.rtl, self.bullet, self._lines[:fit])
        rest = ScriptParagraph([], self.style, self.rtl, "", self._lines[fit:])
        rest.spaceBefore = 0
        return [first, rest]

    def draw(self) -> None:
        assert self._lines is not None
        canvas = self.canv
        y = len(self._lines) * self.leading - self.size
        for n, (line, colour) in enumerate(self._lines):
            if n == 0 and self.bullet:
                # Drawn before its line, so text read back from the PDF keeps reading order.
                canvas.setFillColor(INK)
                canvas.setFont(fonts.REGULAR, self.size)
                bx = (
                    self.width - self.style.bulletIndent - self.size
                    if self.rtl
                    else self.style.bulletIndent
                )
                canvas.drawString(bx, y, self.bullet)
            canvas.setFillColor(colour)
            w = scripts.width(line, self.font, self.size)
            x = self.width - self.indent - w if self.rtl else self.indent
            scripts.draw_line(canvas, x, y, line, self.font, self.size, self.rtl)
            y -= self.leading


def text_flowable(text: str, style: Any, rtl: bool) -> Flowable:
    """A paragraph of plain text: reportlab's own, or laid out here when it needs bidi/shaping."""
    if rtl or scripts.needs_layout(text):
        return ScriptParagraph([(text, style.textColor)], style, rtl)
    return Paragraph(markup(text), style)


# -- the chart -------------------------------------------------------------------------------------


def _wrap_label(label: str, font: str, size: float, width: float) -> list[str]:
    """Split an area name over lines no wider than `width` (area names are spelled out in full)."""
    words = label.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and scripts.width(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


class Chart(Flowable):
    """The radar drawing with its words drawn on top (so Arabic labels are shaped and ordered)."""

    def __init__(
        self, drawing: Drawing, labels: list[tuple[float, float, str, float, str]], rtl: bool
    ):
        super().__init__()
        self.drawing = drawing
        self.labels = labels
        self.rtl = rtl
        self.spaceAfter = 8  # the legend's last line needs air above the table under it

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return float(self.drawing.width), float(self.drawing.height)

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)
        for x, y, text, size, anchor in self.labels:
            w = scripts.width(text, fonts.REGULAR, size)
            left = x - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
            self.canv.setFillColor(INK)
            scripts.draw_line(self.canv, left, y, text, fonts.REGULAR, size, self.rtl)


def radar_drawing(radar: Radar, width: float, styles: Styles, rtl: bool = False) -> Chart:
    """The first (dashed, grey, open circles) and latest (solid, black, filled squares) scores.

    Two line patterns and two marker shapes, so the difference survives black-and-white printing.
    In large print every label and scale number is at least 16 pt and the chart is bigger.
    """
    font = fonts.REGULAR
    large = styles.body_size >= 16
    size = styles.body_size if large else max(10.0, styles.body_size * 0.85)
    scale_size = styles.body_size if large else size * 0.8
    n = len(radar.areas)
    # Large print wraps the area names more narrowly, so the bigger type leaves a bigger chart.
    room = width * (0.17 if large else 0.24)
    label_lines = [_wrap_label(fonts.printable(a), font, size, room) for a in radar.areas]
    tallest = max(len(lines) for lines in label_lines) * size * 1.2
    widest = max(scripts.width(line, font, size) for lines in label_lines for line in lines)
    radius = min(width / 2 - widest - 14, styles.chart_radius)
    radius = max(radius, 70.0)
    legend_height = size * 1.6 * len(radar.series) + 6
    height = 2 * radius + 2 * tallest + 24 + legend_height
    drawing = Drawing(width, height)
    labels: list[tuple[float, float, str, float, str]] = []
    cx = width / 2
    cy = legend_height + tallest + 12 + radius

    def point(index: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / n
        r = radius * value / radar.maximum
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    grid = colors.HexColor("#bfbfbf")
    for level in range(2, radar.maximum + 1, 2):
        ring: list[float] = []
        for i in range(n):
            ring.extend(point(i, level))
        drawing.add(Polygon(ring, strokeColor=grid, strokeWidth=0.5, fillColor=None))
    for i in range(n):
        x, y = point(i, radar.maximum)
        drawing.add(Line(cx, cy, x, y, strokeColor=grid, strokeWidth=0.5))
    # Scale numbers up the first spoke so a parent can read a score off the chart.
    step = 5 if large else 2
    mark = 4.8 if large else 3.2  # markers grow with the type in large print
    for level in range(step, radar.maximum + 1, step):
        x, y = point(0, level)
        labels.append((x - 4, y - scale_size * 0.35, str(level), scale_size, "end"))

    for i, lines in enumerate(label_lines):
        angle = math.pi / 2 - 2 * math.pi * i / n
        x, y = point(i, radar.maximum * 1.08)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        block = len(lines) * size * 1.2
        sin = math.sin(angle)
        top = y + block if sin > 0.2 else (y if sin < -0.2 else y + block / 2)
        for j, line in enumerate(lines):
            labels.append((x, top - (j + 1) * size * 1.2 + size * 0.25, line, size, anchor))

    for series in radar.series:
        pts: list[float] = []
        for i, score in enumerate(series.scores):
            pts.extend(point(i, max(0, min(score, radar.maximum))))
        closed = [*pts, pts[0], pts[1]]
        if series.dashed:
            drawing.add(PolyLine(closed, strokeColor=SOFT, strokeWidth=1.6, strokeDashArray=[5, 3]))
        else:
            drawing.add(PolyLine(closed, strokeColor=INK, strokeWidth=2.6))
        for i in range(0, len(pts), 2):
            drawing.add(_marker(pts[i], pts[i + 1], series.dashed, mark))

    for row, series in enumerate(reversed(radar.series)):
        y = 4 + row * size * 1.6 + size * 0.3
        text = fonts.printable(series.label)
        text_width = scripts.width(text, font, size)
        x0 = width / 2 - (50 + text_width) / 2
        if series.dashed:
            drawing.add(
                Line(x0, y, x0 + 40, y, strokeColor=SOFT, strokeWidth=1.6, strokeDashArray=[5, 3])
            )
        else:
            drawing.add(Line(x0, y, x0 + 40, y, strokeColor=INK, strokeWidth=2.6))
        drawing.add(_marker(x0 + 20, y, series.dashed, mark))
        labels.append((x0 + 50, y - size * 0.35, text, size, "start"))
    return Chart(drawing, labels, rtl)


def _marker(x: float, y: float, hollow: bool, r: float = 3.2) -> Circle | Rect:
    if hollow:
        return Circle(x, y, r, strokeColor=SOFT, strokeWidth=1.2, fillColor=colors.white)
    # types-reportlab annotates Rect(**kw) as the TypedDict itself, so each keyword looks wrong.
    return Rect(x - r, y - r, 2 * r, 2 * r, strokeColor=INK, fillColor=INK, strokeWidth=0.0)  # type: ignore[arg-type]


# -- the document ----------------------------------------------------------------------------------


class _Begin(Flowable):
    """Marks where one parent's document starts, so page numbers restart in a batch PDF."""

    def __init__(self, group: int, plan: ActionPlan, start: list[int] | None = None) -> None:
        super().__init__()
        self.group = group
        self.plan = plan
        self.start = start if start is not None else []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.start[:] = [self.canv.getPageNumber()]
        self.canv.journey_group = self.group  # type: ignore[attr-defined]
        self.canv.journey_footer = self.plan.footer  # type: ignore[attr-defined]
        self.canv.journey_pages = self.plan.page_words  # type: ignore[attr-defined]
        self.canv.journey_rtl = self.plan.rtl  # type: ignore[attr-defined]


class _EndOfFront(Flowable):
    """Ends the front page: fills what is left of page one, so the detail starts on page two.

    When the front already ran onto a second page it takes no room at all, so that page is
    shared with the detail rather than left near-blank.
    """

    def __init__(self, doc: SimpleDocTemplate, start: list[int]) -> None:
        super().__init__()
        self.doc = doc
        self.start = start  # the page this document began on (set by _Begin when drawn)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        on_front = bool(self.start) and self.doc.page == self.start[0]
        return (availWidth, availHeight) if on_front else (availWidth, 0)

    def draw(self) -> None:
        pass


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "Page 2 of 3"."""

    def __init__(self, *args: Any, styles: Styles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._styles = styles
        self.journey_group = 0
        self.journey_footer = ""
        self.journey_pages = "Page {page} of {pages}"
        self.journey_rtl = False

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset

    def save(self) -> None:
        totals = Counter(state["journey_group"] for state in self._held)
        seen: Counter[int] = Counter()
        for state in self._held:
            self.__dict__.update(state)
            seen[self.journey_group] += 1
            self._footer(seen[self.journey_group], totals[self.journey_group])
            super().showPage()
        super().save()

    def _footer(self, page: int, pages: int) -> None:
        size = self._styles.footer_size
        margin = self._styles.margin
        font = fonts.REGULAR
        width, _ = A4
        try:
            number = self.journey_pages.format(page=page, pages=pages)
        except (KeyError, IndexError, ValueError):
            number = f"Page {page} of {pages}"
        number = fonts.printable(number)
        number_width = scripts.width(number, font, size)
        room = width - 2 * margin - number_width - 24
        left = fonts.printable(self.journey_footer).replace("\n", " ")
        if scripts.width(left, font, size) > room and " · " in left:
            # Large print: the document's name goes first, so the parent's name and date stay.
            left = left.split(" · ", 1)[1]
        if scripts.width(left, font, size) > room:
            while left and scripts.width(left + "…", font, size) > room:
                left = left[:-1]
            left += "…"
        self.saveState()
        self.setFillColor(SOFT)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        y = margin * 0.55
        self.line(margin, y + size * 1.3, width - margin, y + size * 1.3)
        rtl = self.journey_rtl
        left_width = scripts.width(left, font, size)
        # A right-to-left page reads from the right: the title there, the page number on the left.
        text_x = width - margin - left_width if rtl else margin
        number_x = margin if rtl else width - margin - number_width
        scripts.draw_line(self, text_x, y, left, font, size, rtl)
        scripts.draw_line(self, number_x, y, number, font, size, rtl)
        self.restoreState()


BULLETS = {"todo": "☐", "done": "✓", "sub": "☐"}


def _item(item: Item, styles: Styles, compact: bool, rtl: bool) -> Flowable:
    """One item as one paragraph: the main line, then its details on the next line in grey.

    One paragraph (not several in a KeepTogether) lays out twice as fast, and the style's
    no-widows/no-orphans rule still keeps a two-line item from splitting over a page.
    A step to do gets an empty box the parent can tick with a pen; a goal's steps sit under it.
    """
    style = styles.step if item.mark == "sub" else styles.item
    bullet = BULLETS.get(item.mark, "•")
    details = (" " if compact else "\n").join(item.details)
    if rtl or scripts.needs_layout(item.text + details):
        parts: list[tuple[str, Any]] = [(item.text, INK)]
        if details:
            parts.append((details, SOFT))
        return ScriptParagraph(parts, style, rtl, bullet)
    text = markup(item.text)
    if item.details:
        text += f'<br/><font color="#{SOFT.hexval()[2:]}">{markup(details)}</font>'
    return Paragraph(text, style, bulletText=bullet)


class _WriteSpace(Flowable):
    """A heading, a line of invitation and a few ruled lines, sharing a page with what is above.

    It is offered twice: at the end of the front page and at the end of the document. The
    first place it fits is used and the other draws nothing, so it never sits alone on a page.
    """

    def __init__(
        self, head: list[Flowable], styles: Styles, placed: list[bool], last: bool
    ) -> None:
        super().__init__()
        self.head = head
        self.gap = styles.body_size * 2.0
        self.most = styles.write_lines
        self.lines = self.most
        self.head_height = 0.0
        self.placed = placed  # shared by the two offers: [True] once one of them is drawn
        self.last = last
        self.skip = False

    def _height(self, availWidth: float, availHeight: float) -> float:  # noqa: N803
        self.head_height = 0.0
        for flowable in self.head:
            _, h = flowable.wrap(availWidth, availHeight)
            self.head_height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return self.head_height + 6 + self.lines * self.gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.lines = self.most
        height = self._height(availWidth, availHeight)
        if self.last and height > availHeight:
            # At the end, fewer lines rather than a page of their own (two at least).
            fit = int((availHeight - self.head_height - 6) // self.gap)
            self.lines = max(2, min(self.most, fit))
            height = self.head_height + 6 + self.lines * self.gap
        self.skip = self.placed[0] or (not self.last and height > availHeight)
        return (availWidth, 0) if self.skip else (availWidth, height)

    def draw(self) -> None:
        if self.skip:
            return
        self.placed[0] = True
        y = self.head_height + 6 + self.lines * self.gap
        for flowable in self.head:
            y -= flowable.getSpaceBefore()
            _, h = flowable.wrap(self.width, y)
            y -= h
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()
        self.canv.saveState()
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        for i in range(self.lines):
            line_y = 2 + i * self.gap
            self.canv.line(0, line_y, self.width, line_y)
        self.canv.restoreState()


def _table(model: TableModel, styles: Styles, width: float, rtl: bool) -> Flowable:
    """The change history as a compact table (one short row per change)."""
    style = styles.cell

    def cell(text: str, bold: bool = False) -> Flowable:
        return text_flowable(text, styles.cell_head if bold else style, rtl)

    header = [cell(h, True) for h in model.header]
    rows = [[cell(c) for c in row] for row in model.rows]
    count = len(model.header)
    fractions = model.widths or tuple(1 / count for _ in range(count))
    widths = [width * f for f in fractions]
    if rtl:
        header.reverse()
        rows = [list(reversed(r)) for r in rows]
        widths.reverse()
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _write_space(
    section: Section, styles: Styles, rtl: bool, placed: list[bool], last: bool
) -> Flowable:
    heading = text_flowable(section.heading, styles.heading, rtl)
    intro = [text_flowable(line, styles.body, rtl) for line in section.intro]
    return _WriteSpace([heading, *intro], styles, placed, last)


def _section(section: Section, styles: Styles, width: float, rtl: bool) -> list[Flowable]:
    heading = text_flowable(section.heading, styles.heading, rtl)
    intro = [text_flowable(line, styles.body, rtl) for line in section.intro]
    flow: list[Flowable] = []
    head: list[Flowable] = [heading, *intro]
    items = [_item(item, styles, section.compact, rtl) for item in section.items]
    outro = [text_flowable(line, styles.outro, rtl) for line in section.outro]
    if section.chart is not None and len(section.chart.areas) >= 3:
        # The chart is read with its heading: one block; the sentences flow after it.
        flow.append(KeepTogether([*head, radar_drawing(section.chart, width, styles, rtl)]))
        if section.table is not None:
            flow.append(_table(section.table, styles, width, rtl))
        flow.extend(items)
        flow.extend(outro)
        return flow
    elif items:
        # The heading travels with the first item so a heading never ends a page alone.
        flow.append(KeepTogether([*head, items[0]]))
        flow.extend(items[1:])
    else:
        flow.append(KeepTogether(head))
    flow.extend(outro)
    if section.table is not None and section.table.rows:
        flow.append(_table(section.table, styles, width, rtl))
    return flow


def story(
    plan: ActionPlan,
    styles: Styles,
    width: float,
    group: int = 0,
    doc: SimpleDocTemplate | None = None,
) -> list[Flowable]:
    """The flowables of one document, starting with the marker that restarts page numbers.

    The sections marked `front` make the first page (the space to write shares it); the rest,
    when there is any, starts on the next page.
    """
    rtl = plan.rtl
    start: list[int] = []
    flow: list[Flowable] = [
        _Begin(group, plan, start),
        text_flowable(plan.title, styles.title, rtl),
        text_flowable(plan.subtitle, styles.subtitle, rtl),
        HRFlowable(width="100%", thickness=1, color=INK, spaceBefore=2, spaceAfter=4),
    ]
    front = [s for s in plan.sections if s.front and not s.write_space]
    rest = [s for s in plan.sections if not s.front and not s.write_space]
    write = next((s for s in plan.sections if s.write_space), None)
    placed = [False]
    for section in front:
        flow.extend(_section(section, styles, width, rtl))
    if write is not None:
        # On the front page if it fits there, else at the very end (never alone on a page).
        flow.append(_write_space(write, styles, rtl, placed, last=not rest))
    if front and rest:
        flow.append(_EndOfFront(doc, start) if doc is not None else PageBreak())
    for section in rest:
        flow.extend(_section(section, styles, width, rtl))
    if write is not None and rest:
        flow.append(_write_space(write, styles, rtl, placed, last=True))
    return flow


def _document(out: BinaryIO, styles: Styles, title: str) -> SimpleDocTemplate:
    margin = styles.margin
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + styles.footer_size * 2,
        title=title,
        author="JourneyApp",
        creator="JourneyApp",
        invariant=1,
    )


def render_plans(
    plans: Sequence[ActionPlan],
    out: BinaryIO,
    large_print: bool = False,
    progress: Progress | None = None,
) -> int:
    """Several documents in one PDF, each starting on a new page with its own "Page 1 of N".

    `progress(done, total)` is called as the pages are laid out; raising from it stops the build.
    Returns the number of pages written.
    """
    if len(plans) == 1 and progress is None:
        # One document: if its last page would hold only a few lines, lay it out again a
        # little closer and keep that when it saves the page (no near-blank last pages).
        first = io.BytesIO()
        pages, fill = _build(plans, first, make_styles(large_print), None)
        if pages > 1 and fill < NEAR_BLANK:
            second = io.BytesIO()
            tight_pages, _ = _build(plans, second, make_styles(large_print, tight=True), None)
            if tight_pages < pages:
                out.write(second.getvalue())
                return tight_pages
        out.write(first.getvalue())
        return pages
    return _build(plans, out, make_styles(large_print), progress)[0]


# A last page filled less than this is "near-blank".
NEAR_BLANK = 0.3


def _build(
    plans: Sequence[ActionPlan], out: BinaryIO, styles: Styles, progress: Progress | None
) -> tuple[int, float]:
    """Lay the documents out into `out`: the number of pages and how full the last one is."""
    title = plans[0].title if len(plans) == 1 else "Plans"
    doc = _document(out, styles, title)
    flow: list[Flowable] = []
    for group, plan in enumerate(plans):
        if group:
            flow.append(PageBreak())
        flow.extend(story(plan, styles, doc.width, group, doc))
    if progress is not None:
        total = max(1, len(flow))

        def report(kind: str, value: int) -> None:
            if kind == "PROGRESS":
                progress(min(value, total), total)

        doc.setProgressCallBack(report)
    doc.build(flow, canvasmaker=partial(_NumberedCanvas, styles=styles))
    # reportlab keeps where the last frame's next line would go in its private _y.
    frame = doc.frame
    top, bottom = float(frame._y2), float(frame._y1)  # type: ignore[attr-defined]
    fill = (top - float(frame._y)) / max(1.0, top - bottom)  # type: ignore[attr-defined]
    return int(doc.page), fill


def render_plan(plan: ActionPlan, out: BinaryIO, large_print: bool = False) -> None:
    """One parent's plan as an A4 PDF written to `out`."""
    render_plans([plan], out, large_print)


def render_subject_access(document: ActionPlan, out: BinaryIO, large_print: bool = False) -> None:
    """ "What we hold about you" as an A4 PDF written to `out`."""
    render_plans([document], out, large_print)
