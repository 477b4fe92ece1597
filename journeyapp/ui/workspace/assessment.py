"""Self-assessment: scores 1-10 per outcome area, a radar chart of first against latest, change in words."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core import derived
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.describe import scores_words
from journeyapp.core.enums import Voice
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Assessment, Journey, Record
from journeyapp.ui.formatting import fmt_date, happened_date, said
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import (
    FormDialog,
    ParentRecordDialog,
    TextBox,
    combo_key,
    heading_row,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import SPACING, heading, muted, wrapping_label
from journeyapp.ui.widgets.record_table import Column, RecordTableModel, fit_rows, record_table
from journeyapp.ui.workspace.section import Section


def ordered(assessments: tuple[Assessment, ...]) -> list[Assessment]:
    """Self-assessments oldest first."""
    return sorted(assessments, key=lambda a: (a.taken_on, a.created_at))


class RadarChart(QWidget):
    """First (dashed line) against latest (solid line) self-assessment, area names spelled out.

    Two line styles, not two colours, tell them apart: the chart is often printed in black and white.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Self-assessment chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._areas: list[tuple[str, str]] = []
        self._first: tuple[date, dict[str, int]] | None = None
        self._latest: tuple[date, dict[str, int]] | None = None

    def set_data(
        self,
        areas: list[tuple[str, str]],
        first: Assessment | None,
        latest: Assessment | None,
    ) -> None:
        """Areas as (key, label); the first and latest self-assessment (either may be None)."""
        self._areas = areas
        self._first = (first.taken_on, dict(first.scores)) if first else None
        self._latest = (latest.taken_on, dict(latest.scores)) if latest else None
        self.setAccessibleDescription(self.describe())
        self.update()

    def series(self) -> dict[str, dict[str, int]]:
        """What is drawn: {"first": scores, "latest": scores} (for tests and screen readers)."""
        result = {}
        if self._first:
            result["first"] = dict(self._first[1])
        if self._latest:
            result["latest"] = dict(self._latest[1])
        return result

    def describe(self) -> str:
        """The chart in words."""
        if self._latest is None:
            return "No self-assessment yet."
        if self._first is None:
            return f"One self-assessment so far, on {fmt_date(self._latest[0])}."
        return (
            f"First self-assessment on {fmt_date(self._first[0])} (dashed line) against the "
            f"latest on {fmt_date(self._latest[0])} (solid line)."
        )

    @override
    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 30, line * 26)

    @override
    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(line * 22, line * 22)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.WindowText)
        grid = palette.color(palette.ColorRole.Mid)
        fm = self.fontMetrics()
        line_h = fm.height()
        if not self._areas or self._latest is None:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No self-assessment yet.")
            return
        legend_h = line_h * 3 + SPACING
        label_w = fm.averageCharWidth() * 15
        cx = self.width() / 2
        cy = (self.height() - legend_h) / 2 + line_h / 2
        radius = max(20.0, min(cx - label_w - SPACING, cy - line_h * 3 - SPACING / 2))
        n = len(self._areas)

        def point(i: int, value: float) -> QPointF:
            angle = -math.pi / 2 + 2 * math.pi * i / n
            r = radius * value / 10
            return QPointF(cx + r * math.cos(angle), cy + r * math.sin(angle))

        # Grid: rings at 2, 4, 6, 8, 10 and a spoke per area.
        painter.setPen(QPen(grid, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for ring in (2, 4, 6, 8, 10):
            painter.drawPolygon(QPolygonF([point(i, ring) for i in range(n)]))
        for i in range(n):
            painter.drawLine(QPointF(cx, cy), point(i, 10))
        # The scale, to the left of the first spoke, level with each ring.
        painter.setPen(grid)
        for ring in (2, 4, 6, 8, 10):
            p = point(0, ring)
            words = str(ring)
            painter.drawText(
                QPointF(p.x() - 4 - fm.horizontalAdvance(words), p.y() + fm.ascent() / 2), words
            )
        painter.setPen(text)

        # Area names, spelled out, wrapped onto two lines when long.
        for i, (_key, words) in enumerate(self._areas):
            p = point(i, 10)
            angle = -math.pi / 2 + 2 * math.pi * i / n
            dx, dy = math.cos(angle), math.sin(angle)
            box_h = line_h * 3
            x = p.x() + dx * SPACING / 2
            y = p.y() + dy * SPACING / 2
            if abs(dx) < 0.3:
                rect = QRectF(x - label_w, y - (box_h if dy < 0 else 0), label_w * 2, box_h)
                align = Qt.AlignmentFlag.AlignHCenter | (
                    Qt.AlignmentFlag.AlignBottom if dy < 0 else Qt.AlignmentFlag.AlignTop
                )
            elif dx > 0:
                rect = QRectF(x + 2, y - box_h / 2, label_w, box_h)
                align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            else:
                rect = QRectF(x - label_w - 2, y - box_h / 2, label_w, box_h)
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(rect, align | Qt.TextFlag.TextWordWrap, words)

        def draw(scores: dict[str, int], pen: QPen, marker: str) -> None:
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            # An area not scored this time is left out (a gap), not drawn as a zero.
            maybe = [
                point(i, scores[key]) if key in scores else None
                for i, (key, _) in enumerate(self._areas)
            ]
            if all(pt is not None for pt in maybe):
                painter.drawPolygon(QPolygonF([pt for pt in maybe if pt is not None]))
            else:
                for a, b in zip(maybe, maybe[1:] + maybe[:1], strict=True):
                    if a is not None and b is not None:
                        painter.drawLine(a, b)
            painter.setPen(QPen(text, 1.5))
            for pt in maybe:
                if pt is None:
                    continue
                if marker == "dot":
                    painter.setBrush(text)
                    painter.drawEllipse(pt, 3.5, 3.5)
                else:
                    painter.setBrush(palette.color(palette.ColorRole.Window))
                    painter.drawRect(QRectF(pt.x() - 3.5, pt.y() - 3.5, 7, 7))

        first_pen = QPen(text, 2, Qt.PenStyle.DashLine)
        latest_pen = QPen(text, 3, Qt.PenStyle.SolidLine)
        if self._first is not None:
            draw(self._first[1], first_pen, "square")
        draw(self._latest[1], latest_pen, "dot")

        # Legend: a sample of each line style, with the date.
        y = self.height() - legend_h + line_h
        x = float(SPACING)
        entries = [(latest_pen, f"latest, {fmt_date(self._latest[0])}")]
        if self._first is not None:
            entries.append((first_pen, f"first, {fmt_date(self._first[0])}"))
        for pen, words in entries:
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 36, y))
            painter.setPen(text)
            painter.drawText(QPointF(x + 44, y + fm.ascent() / 2 - 1), words)
            y += line_h * 1.3  # one line each: the legend never runs off a narrow chart


class AssessmentDialog(ParentRecordDialog):
    """Record a self-assessment: the parent's score per area (their rating is the record)."""

    draft_form = "assessment"
    draft_kind = "assessments"
    titles = ("Record a self-assessment", "Correct a self-assessment")
    save_texts = ("Save scores", "Save scores")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        name: str,
        parent: QWidget | None = None,
        *,
        existing: Assessment | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        self.on = self.add_date_field(
            "taken_on", "Taken on:", existing.taken_on if existing else None
        )
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING)
        who = f"{name}'s score" if name else "Their score"
        grid.addWidget(QLabel(""), 0, 0)
        grid.addWidget(QLabel(who), 0, 1)
        grid.addWidget(QLabel("Your view (optional)"), 0, 2)
        # Typed boxes, not spin boxes: a spin box from 1 to 10 turns a typed 11 into 1 without
        # a word; here 11 is refused with a message and the cursor put on it.
        self.parent_scores: dict[str, QLineEdit] = {}
        self.keyworker_scores: dict[str, QLineEdit] = {}
        self.area_names: dict[str, str] = {}
        width = self.fontMetrics().averageCharWidth() * 8
        # A self-assessment being corrected keeps the scores of areas the catalogue no longer
        # lists (retired since): shown under their key, never dropped when it is saved.
        held = [*existing.scores, *existing.keyworker_scores] if existing else []
        for row, (key, area_label) in enumerate(
            caseload.catalogue.choices("outcome_areas", held), start=1
        ):
            grid.addWidget(QLabel(area_label), row, 0)
            self.area_names[key] = area_label
            for col, store, whose, scored in (
                (1, self.parent_scores, who, existing.scores if existing else {}),
                (
                    2,
                    self.keyworker_scores,
                    "Your view",
                    existing.keyworker_scores if existing else {},
                ),
            ):
                box = QLineEdit(str(scored[key]) if key in scored else "")
                box.setPlaceholderText("1–10")
                box.setMaximumWidth(width)
                box.setAccessibleName(f"{whose}: {area_label}")
                box.setToolTip("A whole number from 1 to 10; empty if not scored this time")
                grid.addWidget(box, row, col)
                store[key] = box
                self.inputs[f"{col}:{key}"] = box
        self.form.addRow(grid_box)
        self.comment = TextBox(
            existing.comment if existing else "", placeholder="In their words (optional)", lines=2
        )
        self.voice = voice_combo(name)
        if existing is not None:
            select_key(self.voice, existing.voice.value)
        self.add_field("comment", "Comment:", self.comment, TextBox.HINT)
        self.add_field("voice", "Whose words:", self.voice)
        self.fields["scores"] = next(iter(self.parent_scores.values()))
        self.errors["scores"] = self.general_error

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        pid = str(context["participant_id"])
        name = caseload.participant(pid).preferred_name
        return cls(caseload, pid, name, parent, existing=cls.draft_record(caseload, context))

    def _read(self, boxes: dict[str, QLineEdit]) -> dict[str, int]:
        """The scores typed (empty boxes left out); a wrong one is refused beside the scores,
        with the cursor on it."""
        scores = {}
        for key, box in boxes.items():
            problem = score_problem(self.area_names[key], box.text())
            if problem is not None:
                self.fields["scores"] = box
                raise ValidationError(problem, "scores")
            if box.text().strip():
                scores[key] = int(box.text().strip())
        return scores

    def save(self) -> Any:
        on = self.past_date("taken_on", "Taken on", Assessment)
        scores = self._read(self.parent_scores)
        if not scores:
            raise ValidationError(
                "Give at least one score from 1 to 10 in the parent's column; their rating is "
                "the record.",
                "scores",
            )
        view = self._read(self.keyworker_scores)
        if self.existing is not None:
            return self.caseload.update_record(
                "assessments",
                self.existing.id,
                taken_on=on,
                scores=scores,
                keyworker_scores=view,
                comment=self.comment.text().strip(),
                voice=Voice(combo_key(self.voice)),
            )
        return self.caseload.record_assessment(
            self.participant_id,
            scores,
            taken_on=on,
            keyworker_scores=view,
            comment=self.comment.text().strip(),
            voice=Voice(combo_key(self.voice)),
        )


def score_problem(area: str, text: str) -> str | None:
    """Why `text` is not a score for `area` (None when it is one, or empty)."""
    text = text.strip()
    if not text:
        return None
    # isdecimal, not isdigit: '²' is a digit int() cannot read (it raised ValueError).
    if not text.isdecimal() or not 1 <= int(text) <= 10:
        return (
            f"{area}: {text!r} is not a score; give a whole number from 1 to 10, or leave it empty."
        )
    return None


def change_lines(journey: Journey, catalogue: Catalogue) -> list[str]:
    """The change per area in words, first against latest."""
    # Every area scored, listed or not (retired since: under its key, as the report counts it).
    held = [area for a in journey.assessments for area in a.scores]
    areas = [key for key, _ in catalogue.choices("outcome_areas", held)]
    return [
        derived.describe_change(catalogue.shown("outcome_areas", c.area), c)
        for c in derived.distance_travelled(journey.assessments, areas)
    ]


class AssessmentSection(Section):
    """How the parent rates themselves over time."""

    title = "Self-assessment"
    editable = (Assessment,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        catalogue = caseload.catalogue
        layout = self.scrolling_page()
        self.record_button = heading_row(
            layout,
            "Self-assessment",
            "Record a self-assessment…",
            "Record a self-assessment",
            self.record,
        )
        layout.addWidget(
            muted(wrapping_label("Scores from 1 to 10. The parent's own rating is the record."))
        )
        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        middle = self.middle
        middle.setSpacing(SPACING * 2)
        self.chart = RadarChart()
        middle.addWidget(self.chart, 3)
        words = QVBoxLayout()
        words.addWidget(heading("Change, first to latest"))
        self.changes = wrapping_label()
        self.changes.setAccessibleName("Change per area in words")
        words.addWidget(self.changes)
        words.addStretch(1)
        middle.addLayout(words, 2)
        layout.addLayout(middle, 1)
        layout.addWidget(heading("Every self-assessment"))

        self.model = RecordTableModel(
            [
                Column("Taken on", lambda a: happened_date(a.taken_on, self.caseload.today())),
                Column("Scores", lambda a: scores_words(a, catalogue)),
                Column("Comment", lambda a: said(a.comment, a.voice)),
            ],
            self,
        )
        self.view = record_table(self.model, "Self-assessments, most recent first", 2)
        layout.addWidget(self.view)
        self.record_actions.hook_table(self.view)
        row, self.change_button, self.remove_button, self.history_button = (
            self.record_actions.table_buttons(self.view, "self-assessment")
        )
        layout.addLayout(row)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Words beside the chart when there is room; beneath it in a narrow workspace.
        wide = event.size().width() > self.fontMetrics().averageCharWidth() * 120
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.middle.direction() != direction:
            self.middle.setDirection(direction)

    def refresh(self) -> None:
        catalogue = self.caseload.catalogue
        areas = [(e.key, e.label) for e in catalogue.outcome_areas]
        if self.journey is None:
            self.chart.set_data(areas, None, None)
            self.model.set_records([])
            return
        items = ordered(self.journey.assessments)
        # First against latest as of today: one dated after it (a laptop's clock was ahead)
        # is not the latest yet; it is listed below, marked to have its date put right.
        by_today = self.journey.as_of(self.caseload.today())
        taken = ordered(by_today.assessments)
        first = taken[0] if len(taken) >= 2 else None
        latest = taken[-1] if taken else None
        self.chart.set_data(areas, first, latest)
        lines = change_lines(by_today, catalogue)
        if lines:
            self.changes.setText("\n".join(lines))
        elif taken:
            self.changes.setText("One self-assessment so far; the change shows after the next one.")
        else:
            self.changes.setText("No self-assessment yet.")
        self.model.set_records(list(reversed(items)))
        fit_rows(self.view)

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if isinstance(record, Assessment) and self.pid is not None:
            return AssessmentDialog(self.caseload, self.pid, self.name(), self, existing=record)
        return None

    def record(self) -> None:
        """Open the self-assessment dialog."""
        if self.pid is None:
            return
        if AssessmentDialog(self.caseload, self.pid, self.name(), self).exec():
            self.saved("self-assessment recorded")
