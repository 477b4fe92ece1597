"""BarChart: a plain horizontal bar chart painted by hand (label, bar, value in words)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from journeyapp.ui.overrides import override

ChartRow = tuple[str, str, float | None]


class BarChart(QWidget):
    """Rows of (label, value text, share 0..1 or None); the value is always written out, so the
    chart never relies on colour or bar length alone."""

    def __init__(
        self, rows: Sequence[ChartRow] = (), parent: QWidget | None = None, *, empty: str = ""
    ) -> None:
        super().__init__(parent)
        self._rows: list[ChartRow] = []
        # Written where the rows would be when there are none (an empty box says why).
        self._empty = empty
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[ChartRow]) -> None:
        """Replace what is shown."""
        self._rows = list(rows)
        self.setAccessibleDescription(
            "; ".join(f"{label}: {value}" for label, value, _ in self._rows)
            if self._rows
            else self._empty
        )
        self.setToolTip("\n".join(f"{label}: {value}" for label, value, _ in self._rows))
        self.updateGeometry()
        self.update()

    def rows(self) -> list[ChartRow]:
        """What is shown."""
        return list(self._rows)

    def _line(self) -> int:
        return self.fontMetrics().height() + 8

    @override
    def sizeHint(self) -> QSize:
        return QSize(560, self._line() * max(1, len(self._rows)) + 4)

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        line = self._line()
        width = self.width()
        label_width = min(
            int(width * 0.4),
            max((metrics.horizontalAdvance(r[0]) for r in self._rows), default=0) + 12,
        )
        value_width = max((metrics.horizontalAdvance(r[1]) for r in self._rows), default=0) + 12
        bar_left = label_width
        bar_width = max(20, width - label_width - value_width - 8)
        text_pen = QPen(palette.color(QPalette.ColorRole.WindowText))
        if not self._rows and self._empty:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.PlaceholderText)))
            painter.drawText(
                QRectF(0, 2, width, line),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                metrics.elidedText(self._empty, Qt.TextElideMode.ElideRight, width),
            )
        for n, (label, value, share) in enumerate(self._rows):
            top = 2 + n * line
            painter.setPen(text_pen)
            painter.drawText(
                QRectF(0, top, label_width - 8, line),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8),
            )
            bar = QRectF(bar_left, top + line * 0.25, bar_width, line * 0.5)
            if share is not None:
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(bar)
                filled = QRectF(
                    bar.left(), bar.top(), bar.width() * max(0.0, min(1.0, share)), bar.height()
                )
                painter.fillRect(filled, palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(text_pen)
            value_left = bar_left + (bar_width + 8 if share is not None else 0)
            painter.drawText(
                QRectF(value_left, top, width - value_left, line),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                value,
            )
        painter.end()
