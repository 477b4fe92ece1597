"""Text on the page: user text made safe for reportlab markup, and paragraphs laid out here
(bidi order and shaping) for right-to-left pages and Arabic-script words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, Paragraph

from journeyapp.plans import fonts, scripts
from journeyapp.plans.styles import INK

# Where a line may break: any white space but the no-break space.
BREAKS = re.compile(r"[^\S\u00a0]+")


def escape(text: str) -> str:
    """`text` with &, < and > written as entities, as xml.sax.saxutils.escape does (& first, so
    no entity is escaped twice). Ours because xml.sax.saxutils loads urllib.request, and with it
    http, email and ssl: 65 ms of every plan's start (issue 18)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def markup(text: str) -> str:
    """User text made safe for Paragraph markup: glyphs the font lacks swapped, then escaped.

    Letters only the fallback font has (Chinese, Japanese, Korean) are set in it.
    Escaping is what keeps `<b>` or `<img src=...>` in a parent's note as literal text, so a
    note can never change the layout or make reportlab read a file from disk.
    """
    safe = "".join(
        escape(run) if face is None else f'<font name="{face}">{escape(run)}</font>'
        for run, face in fonts.runs(fonts.printable(text))
    )
    return safe.replace("\t", " ").replace("\n", "<br/>")


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
            # A no-break space keeps a number with its word ("now\u00a05"), as a Paragraph
            # does; only where the two are wider than the line are they parted there.
            words = [w for w in BREAKS.split(paragraph) if w]
            while words:
                word = words.pop(0)
                trial = f"{current} {word}" if current else word
                if scripts.width(trial, self.font, self.size) <= room:
                    current = trial
                    continue
                if "\u00a0" in word and scripts.width(word, self.font, self.size) > room:
                    words[:0] = word.split("\u00a0")
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
        return [(line, colour) for line in isolates_per_line([line for line, _ in lines])]

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


_OPENS = "\u2066\u2067\u2068"  # left-to-right, right-to-left and first-strong isolates
_CLOSE = "\u2069"


def isolates_per_line(lines: list[str]) -> list[str]:
    """Each line with the isolates it continues opened again at its start and the ones still
    open closed at its end. Each line is put in bidi order on its own: an English contact line
    or name in an Arabic sentence, wrapped over lines, keeps its own order on every line
    (not "(Mon-Thu 9-5)," shown as ",(Mon-Thu 9-5)" on the second)."""
    balanced: list[str] = []
    open_: list[str] = []
    for line in lines:
        carried = "".join(open_)
        for char in line:
            if char in _OPENS:
                open_.append(char)
            elif char == _CLOSE and open_:
                open_.pop()
        balanced.append(carried + line + _CLOSE * len(open_))
    return balanced


def text_flowable(text: str, style: Any, rtl: bool) -> Flowable:
    """A paragraph of plain text: reportlab's own, or laid out here when it needs bidi/shaping."""
    if rtl or scripts.needs_layout(text):
        return ScriptParagraph([(text, style.textColor)], style, rtl)
    return Paragraph(markup(text), style)
