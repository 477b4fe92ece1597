"""The "how far you have come" radar chart: two line styles that survive a mono printer, and
words drawn through plans.scripts so Arabic area names are shaped and in order."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect
from reportlab.lib import colors
from reportlab.platypus import Flowable

from journeyapp.core.documents import Radar
from journeyapp.plans import fonts, scripts
from journeyapp.plans.styles import INK, SOFT, Styles


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
        left = width / 2 - (50 + text_width) / 2
        # The line sample comes first in reading order: on the left, or on a right-to-left
        # page on the right, with the words beside it.
        x0 = left + text_width + 10 if rtl else left
        text_x = left if rtl else left + 50
        if series.dashed:
            drawing.add(
                Line(x0, y, x0 + 40, y, strokeColor=SOFT, strokeWidth=1.6, strokeDashArray=[5, 3])
            )
        else:
            drawing.add(Line(x0, y, x0 + 40, y, strokeColor=INK, strokeWidth=2.6))
        drawing.add(_marker(x0 + 20, y, series.dashed, mark))
        labels.append((text_x, y - size * 0.35, text, size, "start"))
    return Chart(drawing, labels, rtl)


def _marker(x: float, y: float, hollow: bool, r: float = 3.2) -> Circle | Rect:
    if hollow:
        return Circle(x, y, r, strokeColor=SOFT, strokeWidth=1.2, fillColor=colors.white)
    # types-reportlab annotates Rect(**kw) as the TypedDict itself, so each keyword looks wrong.
    return Rect(x - r, y - r, 2 * r, 2 * r, strokeColor=INK, fillColor=INK, strokeWidth=0.0)  # type: ignore[arg-type]
