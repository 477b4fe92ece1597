"""Turns a document (core.documents) into an A4 PDF: a front page, scannable headings, the chart,
space to write, page numbers; right-to-left pages through plans.text and plans.scripts."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, BinaryIO

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

from journeyapp.core.documents import ActionPlan, Item, Section
from journeyapp.core.documents.model import Table as TableModel
from journeyapp.plans import fonts, scripts
from journeyapp.plans.chart import radar_drawing
from journeyapp.plans.styles import INK, RULE, SOFT, Styles, make_styles
from journeyapp.plans.text import (
    BREAKS,
    ScriptParagraph,
    isolates_per_line,
    markup,
    text_flowable,
)

Progress = Callable[[int, int], None]


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
        lines = [left]
        if scripts.width(left, font, size) > room and " · " in left:
            # Still too wide (a long name): the date goes on a line of its own, above the
            # number's, rather than being cut off.
            lines = left.rsplit(" · ", 1)
        # A name still too wide (a long full name, in large print) takes two lines rather
        # than losing its end: the name is how a dropped page is put back. Three lines at most
        # fit under the text; only a name longer than two lines is cut.
        if scripts.width(lines[0], font, size) > room:
            lines = [*_wrapped(lines[0], font, size, room, 2), *lines[1:]][:3]
        # Each line is put in bidi order on its own: a name's isolate is closed at the end of
        # its first line and opened again on the next (not ".Kowalczyk-Nowak Jr").
        lines = isolates_per_line([_shortened(line, font, size, room) for line in lines])
        self.saveState()
        self.setFillColor(SOFT)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        y = margin * 0.55
        rule = y + size * (1.3 + 1.2 * (len(lines) - 1))
        self.line(margin, rule, width - margin, rule)
        rtl = self.journey_rtl
        # A right-to-left page reads from the right: the title there, the page number on the left.
        for n, line in enumerate(lines):
            line_y = y + size * 1.2 * (len(lines) - 1 - n)
            line_width = scripts.width(line, font, size)
            text_x = width - margin - line_width if rtl else margin
            scripts.draw_line(self, text_x, line_y, line, font, size, rtl)
        number_x = margin if rtl else width - margin - number_width
        scripts.draw_line(self, number_x, y, number, font, size, rtl)
        self.restoreState()


def _wrapped(text: str, font: str, size: float, room: float, most: int) -> list[str]:
    """`text` in at most `most` lines no wider than `room`, broken between words; the last
    line holds the rest (cut by the caller when it is still too wide)."""
    lines: list[str] = []
    words = text.split(" ")
    while words and len(lines) < most - 1:
        line = words.pop(0)
        while words and scripts.width(f"{line} {words[0]}", font, size) <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines.append(" ".join(words))
    return lines or [text]


def _shortened(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut with "…" where it would be wider than `room`."""
    if scripts.width(text, font, size) <= room:
        return text
    while text and scripts.width(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


BULLETS = {"todo": "☐", "done": "✓", "sub": "☐"}
# What a sentence may already end with (a quotation closes with its own words' stop).
_STOPS = (".", "!", "?", "…", "؟", "。", ":")


def _sentences(details: tuple[str, ...]) -> list[str]:
    """The details as sentences that read on one after another: a detail that does not end
    like a sentence ('By when: “by the summer”') gets a full stop when another follows, so
    it never runs into the next ('… summer” We will choose …')."""
    last = len(details) - 1
    return [
        text if n == last or text.rstrip().endswith(_STOPS) or not text.strip() else f"{text}."
        for n, text in enumerate(details)
    ]


def _item(item: Item, styles: Styles, compact: bool, rtl: bool) -> Flowable:
    """One item as one paragraph: the main line, then its details on the next line in grey.

    One paragraph (not several in a KeepTogether) lays out twice as fast, and the style's
    no-widows/no-orphans rule still keeps a two-line item from splitting over a page.
    A step to do gets an empty box the parent can tick with a pen; a goal's steps sit under it.
    """
    style = styles.step if item.mark == "sub" else styles.item
    bullet = BULLETS.get(item.mark, "•")
    details = (" " if compact else "\n").join(_sentences(item.details))
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
    widths = _fitted([width * f for f in fractions], model, styles)
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


# A table cell's padding, left and right (as _table's style sets it), and a hair to spare.
_CELL_PADDING = 2 + 4 + 0.5


def _fitted(widths: list[float], model: TableModel, styles: Styles) -> list[float]:
    """`widths` changed so each column is at least as wide as its widest word, where the
    other columns have room to give: a word is never broken inside a cell ("Przygotowani" /
    "e do pracy" in a large-print Polish plan). Where there is not room enough, as before."""
    columns = zip(*((True, *model.header), *((False, *row) for row in model.rows)), strict=True)
    heads = next(columns)  # which row is the header (set in bold)
    need = []
    for column in columns:
        words = {  # each word once: the same few words come in row after row
            (word, head)
            for head, text in zip(heads, column, strict=True)
            for word in BREAKS.split(text)
        }
        widest = 0.0
        for word, head in words:
            style = styles.cell_head if head else styles.cell
            widest = max(widest, scripts.width(word, style.fontName, style.fontSize))
        need.append(widest + _CELL_PADDING)
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
    if short <= 0 or spare <= 0:
        return widths
    moved = min(short, spare)
    return [
        w + (n - w) * moved / short if n > w else w - (w - n) * moved / spare
        for n, w in zip(need, widths, strict=True)
    ]


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
        # The chart is read with its heading and what the parent said of it: one block (the
        # comment after the table was printed two pages on, alone, in large print); the
        # table of scores flows after it.
        chart = radar_drawing(section.chart, width, styles, rtl)
        flow.append(KeepTogether([*head, chart, *outro]))
        if section.table is not None:
            flow.append(_table(section.table, styles, width, rtl))
        flow.extend(items)
        return flow
    elif items:
        # The heading travels with the first item so a heading never ends a page alone.
        flow.append(KeepTogether([*head, items[0]]))
        flow.extend(items[1:])
    else:
        # The heading travels with its first lines; a long intro (a break, what happens next)
        # flows on, rather than leaving the rest of a page empty in large print.
        flow.append(KeepTogether(head[:3]))
        flow.extend(head[3:])
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
