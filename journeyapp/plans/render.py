"""Turns an ActionPlan into an A4 PDF: scannable headings, the radar chart, space to write, page numbers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, BinaryIO, Literal
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
)
from reportlab.platypus.flowables import HRFlowable

from journeyapp.core.action_plan import ActionPlan, Item, Radar, Section
from journeyapp.plans import fonts
from journeyapp.plans.styles import INK, RULE, SOFT, Styles, make_styles

Progress = Callable[[int, int], None]


def markup(text: str) -> str:
    """User text made safe for Paragraph markup: glyphs the font lacks swapped, then escaped.

    Escaping is what keeps `<b>` or `<img src=...>` in a parent's note as literal text, so a
    note can never change the layout or make reportlab read a file from disk.
    """
    safe = escape(fonts.printable(text)).replace("\t", " ")
    return safe.replace("\n", "<br/>")


# -- the chart -------------------------------------------------------------------------------------


def _wrap_label(label: str, font: str, size: float, width: float) -> list[str]:
    """Split an area name over lines no wider than `width` (area names are spelled out in full)."""
    words = label.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines or [""]


def radar_drawing(radar: Radar, width: float, styles: Styles) -> Drawing:
    """The first (dashed, grey, open circles) and latest (solid, black, filled squares) scores.

    Two line patterns and two marker shapes, so the difference survives black-and-white printing.
    """
    font = fonts.REGULAR
    size = max(10.0, styles.body_size * 0.85)
    n = len(radar.areas)
    label_lines = [_wrap_label(fonts.printable(a), font, size, width * 0.22) for a in radar.areas]
    tallest = max(len(lines) for lines in label_lines) * size * 1.2
    # The chart is as big as the widest side label allows (labels are spelled out in full).
    widest = max(stringWidth(line, font, size) for lines in label_lines for line in lines)
    # Capped so the chart, its sentences and the heading fit on one page, even in large print.
    radius = min(width / 2 - widest - 14, 135.0 if styles.body_size < 14 else 105.0)
    legend_height = size * 1.6 * len(radar.series) + 6
    height = 2 * radius + 2 * tallest + 24 + legend_height
    drawing = Drawing(width, height)
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
    for level in range(2, radar.maximum + 1, 2):
        x, y = point(0, level)
        drawing.add(
            String(
                x - 4,
                y - size * 0.25,
                str(level),
                fontName=font,
                fontSize=size * 0.7,
                fillColor=SOFT,
                textAnchor="end",
            )
        )

    for i, lines in enumerate(label_lines):
        angle = math.pi / 2 - 2 * math.pi * i / n
        x, y = point(i, radar.maximum * 1.08)
        cos = math.cos(angle)
        anchor: Literal["start", "middle", "end"] = (
            "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        )
        block = len(lines) * size * 1.2
        sin = math.sin(angle)
        # Above the chart the block sits on its baseline; below it hangs; at the sides it centres.
        top = y + block if sin > 0.2 else (y if sin < -0.2 else y + block / 2)
        for j, line in enumerate(lines):
            drawing.add(
                String(
                    x,
                    top - (j + 1) * size * 1.2 + size * 0.25,
                    line,
                    fontName=font,
                    fontSize=size,
                    textAnchor=anchor,
                    fillColor=INK,
                )
            )

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
            drawing.add(_marker(pts[i], pts[i + 1], series.dashed))

    for row, series in enumerate(reversed(radar.series)):
        y = 4 + row * size * 1.6 + size * 0.3
        x0 = width / 2 - 120
        if series.dashed:
            drawing.add(
                Line(x0, y, x0 + 40, y, strokeColor=SOFT, strokeWidth=1.6, strokeDashArray=[5, 3])
            )
        else:
            drawing.add(Line(x0, y, x0 + 40, y, strokeColor=INK, strokeWidth=2.6))
        drawing.add(_marker(x0 + 20, y, series.dashed))
        drawing.add(
            String(
                x0 + 50,
                y - size * 0.35,
                fonts.printable(series.label),
                fontName=font,
                fontSize=size,
                fillColor=INK,
            )
        )
    return drawing


def _marker(x: float, y: float, hollow: bool) -> Circle | Rect:
    if hollow:
        return Circle(x, y, 3.2, strokeColor=SOFT, strokeWidth=1.2, fillColor=colors.white)
    # types-reportlab annotates Rect(**kw) as the TypedDict itself, so each keyword looks wrong.
    return Rect(x - 3.2, y - 3.2, 6.4, 6.4, strokeColor=INK, fillColor=INK, strokeWidth=0.0)  # type: ignore[arg-type]


# -- the document ----------------------------------------------------------------------------------


class _Begin(Flowable):
    """Marks where one parent's document starts, so page numbers restart in a batch PDF."""

    def __init__(self, group: int, footer: str) -> None:
        super().__init__()
        self.group = group
        self.footer = footer

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        self.canv.journey_group = self.group  # type: ignore[attr-defined]
        self.canv.journey_footer = self.footer  # type: ignore[attr-defined]


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "Page 2 of 3"."""

    def __init__(self, *args: Any, styles: Styles, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._styles = styles
        self.journey_group = 0
        self.journey_footer = ""

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
        width, _ = A4
        right = f"Page {page} of {pages}"
        room = width - 2 * margin - stringWidth(right, fonts.REGULAR, size) - 24
        left = fonts.printable(self.journey_footer).replace("\n", " ")
        if stringWidth(left, fonts.REGULAR, size) > room:
            while left and stringWidth(left + "…", fonts.REGULAR, size) > room:
                left = left[:-1]
            left += "…"
        self.saveState()
        self.setFont(fonts.REGULAR, size)
        self.setFillColor(SOFT)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        y = margin * 0.55
        self.line(margin, y + size * 1.3, width - margin, y + size * 1.3)
        self.drawString(margin, y, left)
        self.drawRightString(width - margin, y, right)
        self.restoreState()


BULLETS = {"todo": "☐", "done": "✓"}


def _item(item: Item, styles: Styles, compact: bool = True) -> Flowable:
    """One item as one paragraph: the main line, then its details on the next line in grey.

    One paragraph (not several in a KeepTogether) lays out twice as fast, and the style's
    no-widows/no-orphans rule still keeps a two-line item from splitting over a page.
    A step to do gets an empty box the parent can tick with a pen.
    """
    text = markup(item.text)
    if item.details:
        details = (" " if compact else "<br/>").join(markup(d) for d in item.details)
        text += f'<br/><font color="#{SOFT.hexval()[2:]}">{details}</font>'
    return Paragraph(text, styles.item, bulletText=BULLETS.get(item.mark, "•"))


class _WriteSpace(Flowable):
    """A heading, a line of invitation and ruled lines that fill the rest of the page.

    At least a few lines always: if they do not fit, the whole block moves to a new page
    and fills that page instead, which is the most room a parent can have to write.
    """

    def __init__(self, head: list[Flowable], styles: Styles) -> None:
        super().__init__()
        self.head = head
        self.gap = styles.body_size * 2.4
        self.minimum = styles.write_lines
        self.lines = self.minimum
        self.head_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.head_height = 0.0
        for flowable in self.head:
            _, h = flowable.wrap(availWidth, availHeight)
            self.head_height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        room = availHeight - self.head_height - 6
        self.lines = max(self.minimum, int(room // self.gap))
        return availWidth, self.head_height + 6 + self.lines * self.gap

    def draw(self) -> None:
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


def _section(section: Section, styles: Styles, width: float) -> list[Flowable]:
    heading = Paragraph(markup(section.heading), styles.heading)
    intro = [Paragraph(markup(line), styles.body) for line in section.intro]
    if section.write_space:
        return [_WriteSpace([heading, *intro], styles)]
    flow: list[Flowable] = []
    head: list[Flowable] = [heading, *intro]
    if section.chart is not None and len(section.chart.areas) >= 3:
        head.append(radar_drawing(section.chart, width, styles))
    items = list(section.items)
    if section.chart is not None:
        # The chart and its sentences are read together: one block (split only if too tall).
        body = [_item(item, styles, section.compact) for item in items]
        outro = [Paragraph(markup(line), styles.outro) for line in section.outro]
        return [KeepTogether([*head, *body, *outro])]
    if items:
        # The heading travels with the first item so a heading never ends a page alone.
        flow.append(KeepTogether([*head, _item(items[0], styles, section.compact)]))
        flow.extend(_item(item, styles, section.compact) for item in items[1:])
    else:
        flow.append(KeepTogether(head))
    flow.extend(Paragraph(markup(line), styles.outro) for line in section.outro)
    return flow


def story(plan: ActionPlan, styles: Styles, width: float, group: int = 0) -> list[Flowable]:
    """The flowables of one plan, starting with the marker that restarts page numbers."""
    flow: list[Flowable] = [
        _Begin(group, plan.footer),
        Paragraph(markup(plan.title), styles.title),
        Paragraph(markup(plan.subtitle), styles.subtitle),
        HRFlowable(width="100%", thickness=1, color=INK, spaceBefore=2, spaceAfter=4),
    ]
    for section in plan.sections:
        flow.extend(_section(section, styles, width))
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
    """Several plans in one PDF, each starting on a new page with its own "Page 1 of N".

    `progress(done, total)` is called as the pages are laid out; raising from it stops the build.
    Returns the number of pages written.
    """
    styles = make_styles(large_print)
    title = plans[0].title if len(plans) == 1 else "Plans"
    doc = _document(out, styles, title)
    flow: list[Flowable] = []
    for group, plan in enumerate(plans):
        if group:
            flow.append(PageBreak())
        flow.extend(story(plan, styles, doc.width, group))
    if progress is not None:
        total = max(1, len(flow))

        def report(kind: str, value: int) -> None:
            if kind == "PROGRESS":
                progress(min(value, total), total)

        doc.setProgressCallBack(report)
    doc.build(flow, canvasmaker=partial(_NumberedCanvas, styles=styles))
    return int(doc.page)


def render_plan(plan: ActionPlan, out: BinaryIO, large_print: bool = False) -> None:
    """One parent's plan as an A4 PDF written to `out`."""
    render_plans([plan], out, large_print)


def render_subject_access(document: ActionPlan, out: BinaryIO, large_print: bool = False) -> None:
    """ "What we hold about you" as an A4 PDF written to `out`."""
    render_plans([document], out, large_print)
