"""Journey: a painted timeline from joining to today (stages, milestones, breaks and the days the
journey ended and was taken up again, on one line) and a list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import (
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.dates import long_date
from journeyapp.core.enums import ParticipantStatus, Voice
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Job, Journey, Milestone, Pause, Record, StageChange
from journeyapp.core.turning_points import (
    BACK,
    BREAK,
    ENDED,
    MILESTONE,
    STAGE,
    Moment,
    StatusTurn,
)
from journeyapp.core.turning_points import moments as core_moments
from journeyapp.ui.formatting import fmt_date, happened_date
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import (
    FormDialog,
    ParentRecordDialog,
    TextBox,
    combo_key,
    fill_combo,
    heading_row,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import SPACING, muted, wrapping_label
from journeyapp.ui.widgets.record_table import Column, RecordTableModel, fit_rows, record_table
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.record_actions import selected_record
from journeyapp.ui.workspace.section import Section

# A moment of the journey, and what kind it is, as the `journey` command lists them too.
JourneyMoment = Moment


NO_JOB_YET = "No job recorded with it yet: select it and press Job details… to add one."


def moments(
    journey: Journey, catalogue: Catalogue, turns: Sequence[StatusTurn] = ()
) -> list[JourneyMoment]:
    """Stage moves, milestones and the journey's turning points (each ending and welcome
    back, from `turns`; each break, from – to or since), most recent first, in the words the
    `journey` command lists them in (core.turning_points)."""
    # A "started work" milestone with no job (recorded before it came with one, or imported)
    # says so where it is, with the way to add it: the parent counts as in work.
    with_jobs = {j.milestone_id for j in journey.jobs}
    work = catalogue.job_entry_types
    notes = {
        m.id: NO_JOB_YET for m in journey.milestones if m.type in work and m.id not in with_jobs
    }
    return list(reversed(core_moments(journey, catalogue, turns, milestone_notes=notes)))


def radius_for(line_height: int) -> float:
    """The size of a marker for a given line height (markers grow with the font)."""
    return max(5.0, line_height / 3)


class TimelineWidget(QWidget):
    """From joining to today on one line: stage changes (circles, labels above), milestones
    (diamonds, labels below), breaks (a dashed stretch) and the stretch the journey had ended
    until they were welcomed back (dotted, between upright bars, named "moved on" or "closed"
    and "welcomed back"). Shapes and words carry the meaning, not colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Journey timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._start: date | None = None
        self._end: date | None = None
        self._moments: list[JourneyMoment] = []
        self._breaks: list[tuple[date, date]] = []
        # Each stretch the journey had ended (moved on or closed) until they were welcomed
        # back (or today), with its word under the line, and each day they were welcomed back.
        self._ended: list[tuple[date, date, str]] = []
        self._backs: list[date] = []
        # The names the last paint found room for, newest first, and where each name was
        # drawn (for tests).
        self.labelled: list[str] = []
        self.label_rects: list[tuple[str, QRectF]] = []
        self.setMinimumWidth(200)

    def set_journey(
        self,
        journey: Journey | None,
        catalogue: Catalogue,
        today: date,
        turns: Sequence[StatusTurn] = (),
    ) -> None:
        """Show `journey` from the day they joined to `today` (as it stood on `today`: a
        moment dated after it is not on the line; the list below marks it), with the days it
        ended and was taken up again (`turns`: Caseload.status_turns)."""
        if journey is not None:
            journey = journey.as_of(today)
        self._ended, self._backs = [], []
        if journey is None:
            self._start = self._end = None
            self._moments = []
            self._breaks = []
        else:
            self._start = journey.participant.joined_on
            self._end = max(today, self._start)
            shown = [m for m in moments(journey, catalogue, turns) if m.on <= today]
            self._moments = [m for m in shown if m.kind in (STAGE, MILESTONE)]
            self._breaks = [(p.started_on, p.ended_on or today) for p in journey.pauses]
            for m in shown:
                if m.kind == ENDED:
                    closed = m.status is ParticipantStatus.CLOSED
                    word = "closed" if closed else "moved on"
                    self._ended.append((m.on, min(m.until or today, today), word))
                elif m.kind == BACK:
                    self._backs.append(m.on)
        self.setAccessibleDescription(self.describe())
        self.update()

    def points(self) -> list[tuple[date, str, str]]:
        """What is drawn: (date, kind, words), oldest first (for tests and screen readers)."""
        return [(m.on, m.kind, m.what) for m in reversed(self._moments)]

    def describe(self) -> str:
        """The timeline in words."""
        if self._start is None:
            return "No journey shown."
        stages = sum(1 for m in self._moments if m.kind == STAGE)
        milestones = sum(1 for m in self._moments if m.kind == MILESTONE)
        turned = [(start, f"{word} {fmt_date(start)}") for start, _end, word in self._ended]
        turned += [(day, f"welcomed back {fmt_date(day)}") for day in self._backs]
        told = ", ".join(words for _day, words in sorted(turned))
        return (
            f"From {fmt_date(self._start)} to {fmt_date(self._end)}: {stages} stage changes and "
            f"{milestones} milestones." + (f" The journey {told}." if told else "")
        )

    def _rows(self) -> int:
        return 3

    @override
    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(600, int(line * (2 * self._rows() + 1) + radius_for(line) * 2.6 + SPACING * 3))

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _x(self, day: date, left: float, width: float) -> float:
        assert self._start is not None
        assert self._end is not None
        span = max(1, (self._end - self._start).days)
        return left + width * (day - self._start).days / span

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
        text_colour = palette.color(palette.ColorRole.WindowText)
        accent = palette.color(palette.ColorRole.Highlight)
        base = palette.color(palette.ColorRole.Base)
        fm = self.fontMetrics()
        line_h = fm.height()
        if self._start is None or self._end is None:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No journey to show.")
            return
        margin = SPACING * 2 + fm.horizontalAdvance("Joined") // 2
        left, width = float(margin), float(max(10, self.width() - 2 * margin))
        rows = self._rows()
        y = SPACING + line_h * rows + radius_for(line_h) * 1.3 + 2

        # Breaks: a dashed stretch along the line (the parent's choice, drawn calmly).
        pen = QPen(text_colour, 2)
        painter.setPen(pen)
        painter.drawLine(QPointF(left, y), QPointF(left + width, y))
        for start, end in self._breaks:
            x1, x2 = (
                self._x(max(start, self._start), left, width),
                self._x(min(end, self._end), left, width),
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(palette.ColorRole.Window))
            painter.drawRect(QRectF(x1, y - 3, max(2.0, x2 - x1), 6))
            dashed = QPen(text_colour, 2, Qt.PenStyle.DashLine)
            painter.setPen(dashed)
            painter.drawLine(QPointF(x1, y), QPointF(x2, y))
        # While the journey had ended (moved on or closed) until the welcome back: a dotted
        # stretch, told apart from a break's dashes by its shape and its word.
        for start, end, _word in self._ended:
            x1, x2 = (
                self._x(max(start, self._start), left, width),
                self._x(min(end, self._end), left, width),
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(palette.ColorRole.Window))
            painter.drawRect(QRectF(x1, y - 3, max(2.0, x2 - x1), 6))
            painter.setPen(QPen(text_colour, 2, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x1, y), QPointF(x2, y))
        # Where the journey ended and was taken up again: a short upright bar.
        painter.setPen(QPen(text_colour, 2))
        for day in [start for start, _end, _word in self._ended] + self._backs:
            x = self._x(min(max(day, self._start), self._end), left, width)
            painter.drawLine(QPointF(x, y - 5), QPointF(x, y + 5))

        # Ends of the line.
        painter.setPen(text_colour)
        ends: list[tuple[float, float, float, str]] = []
        for x, words in ((left, f"Joined {fmt_date(self._start)}"), (left + width, "Today")):
            painter.drawLine(QPointF(x, y - 6), QPointF(x, y + 6))
            w = fm.horizontalAdvance(words)
            tx = min(max(0.0, x - w / 2), self.width() - w - 2.0)
            baseline = y + radius_for(line_h) * 1.3 + line_h * rows + SPACING + fm.ascent()
            if ends and tx < ends[0][0] + ends[0][2] + SPACING:
                continue  # "Today" has no room beside "Joined …" (the list says both)
            painter.drawText(QPointF(tx, baseline), words)
            ends.append((tx, baseline, w, words))

        # Markers, oldest first (a later one drawn over an earlier one on the same day).
        radius = radius_for(line_h)
        for day, kind, _words in self.points():
            x = self._x(day, left, width)
            painter.setPen(QPen(text_colour, 1.5))
            if kind == STAGE:
                painter.setBrush(accent)
                painter.drawEllipse(QPointF(x, y), radius, radius)
            else:
                painter.setBrush(base)
                diamond = QPolygonF(
                    [
                        QPointF(x, y - radius * 1.3),
                        QPointF(x + radius * 1.3, y),
                        QPointF(x, y + radius * 1.3),
                        QPointF(x - radius * 1.3, y),
                    ]
                )
                painter.drawPolygon(diamond)
        # Their names staggered in rows so they do not overlap, newest first: a name with no
        # room is left out of the picture (the list beneath has every moment), and the one left
        # out is an old one, never the milestone just recorded. A break's "break" is placed
        # among the milestones' names below the line, from the day it began (drawn apart from
        # them, a name put over it covered it).
        starts_above = [1e9] * rows
        starts_below = [1e9] * rows
        labels: list[tuple[float, float, float, str]] = []
        named = [
            (day, kind, words, self._x(day, left, width)) for day, kind, words in self.points()
        ]
        named += [
            (start, BREAK, "break", self._x(max(start, self._start), left, width))
            for start, _end in self._breaks
        ]
        # The journey's end and welcome back are named where they happened, as a break is.
        named += [
            (start, ENDED, word, self._x(max(start, self._start), left, width))
            for start, _end, word in self._ended
        ]
        named += [
            (day, BACK, "welcomed back", self._x(max(day, self._start), left, width))
            for day in self._backs
        ]
        # Newest first; on one day a milestone's name before a break's "break".
        named.sort(key=lambda n: (n[0], n[1] != BREAK))
        for _day, kind, words, x in reversed(named):
            if kind == STAGE:
                starts, direction = starts_above, -1
                words = words.removeprefix("Stage: ")
            else:
                starts, direction = starts_below, 1
            w = fm.horizontalAdvance(words)
            # A milestone's name is centred on it; "break" starts where the break does (and
            # "moved on", "closed", "welcomed back" where each happened).
            tx = x if kind in (BREAK, ENDED, BACK) else x - w / 2
            tx = min(max(0.0, tx), self.width() - w - 2.0)
            for row in range(rows):
                if tx + w + SPACING < starts[row]:
                    starts[row] = tx
                    if direction < 0:
                        edge = y - radius * 1.3 - 2 - row * line_h  # bottom of the label
                        baseline = edge - fm.descent()
                    else:
                        edge = y + radius * 1.3 + 2 + row * line_h  # top of the label
                        baseline = edge + fm.ascent()
                    if row:
                        painter.setPen(QPen(text_colour, 1, Qt.PenStyle.DotLine))
                        painter.drawLine(QPointF(x, y + direction * radius * 1.3), QPointF(x, edge))
                    labels.append((tx, baseline, w, words))
                    break
        self.labelled = [words for _tx, _baseline, _w, words in labels]
        # Where each name is drawn, the line's ends included (for tests: none overlap).
        self.label_rects = [
            (words, QRectF(tx, baseline - fm.ascent(), w, line_h))
            for tx, baseline, w, words in [*labels, *ends]
        ]
        # Words last, on a patch of window colour, so connectors from further rows pass
        # behind them rather than through them.
        for tx, baseline, advance, words in labels:
            painter.fillRect(
                QRectF(tx - 2, baseline - fm.ascent(), advance + 4, line_h),
                palette.color(palette.ColorRole.Window),
            )
            painter.setPen(text_colour)
            painter.drawText(QPointF(tx, baseline), words)


class _WentBack(Exception):
    """The keyworker chose Go back at a question asked on saving: nothing is saved."""


class MilestoneDialog(ParentRecordDialog):
    """Record something the parent achieved."""

    draft_form = "milestone"
    draft_kind = "milestones"
    titles = ("Record a milestone", "Change a milestone")
    save_texts = ("Record milestone", "Save changes")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Milestone | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        self.type = ChoiceBox()
        listed = caseload.catalogue.key_set("milestone_types")
        fill_combo(
            self.type,
            # A milestone being changed keeps its type, listed or not (retired since).
            [
                (key, text.capitalize() if key in listed else text)
                for key, text in caseload.catalogue.choices(
                    "milestone_types", [existing.type] if existing else []
                )
            ],
            existing.type if existing else self._next_type(caseload, participant_id),
        )
        self.note = TextBox(
            existing.note if existing else "", placeholder="In their words (optional)", lines=2
        )
        self.voice = voice_combo(caseload.participant(participant_id).preferred_name)
        if existing is not None:
            select_key(self.voice, existing.voice.value)
        self.add_field("type", "Milestone:", self.type)
        self.on = self.add_date_field(
            "achieved_on", "Achieved on:", existing.achieved_on if existing else None
        )
        self.add_field("note", "Note:", self.note, TextBox.HINT)
        self.add_field("voice", "Whose words:", self.voice)

    @override
    def _try_save(self) -> None:
        try:
            super()._try_save()
        except _WentBack:  # back to the form as typed, nothing saved
            self.type.setFocus()

    def _keep_job(self, job: Job, kind: str) -> bool:
        """Ask whether the job recorded with a "started work" milestone corrected into another
        type goes too (True: keep it). Go back leaves the form as typed, nothing saved."""
        name = self.caseload.participant(self.participant_id).preferred_name
        what = self.caseload.catalogue.label("milestone_types", kind)
        as_title = f" as {job.job_title.strip()}" if job.job_title.strip() else ""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("The job recorded with it")
        text = (
            f"This milestone was “started work”, so {name}'s job{as_title}, starting "
            f"{long_date(job.started_on)} is recorded with it. Now it is “{what}”: "
            "remove that job too?"
        )
        box.setText(text)
        box.setAccessibleName(text)
        box.setInformativeText(
            f"Remove it if {name} did not start that job. Keep it if they did: they still "
            "count as in work. Ctrl+Z puts both back."
        )
        remove = box.addButton("Remove the job too", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep the job", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(remove)
        box.setEscapeButton(back)
        box.exec()
        clicked = box.clickedButton()
        if clicked is remove:
            return False
        if clicked is keep:
            return True
        raise _WentBack

    @staticmethod
    def _next_type(caseload: Caseload, participant_id: str) -> str | None:
        """A new milestone starts on the first type in the partnership's order that this
        parent has not reached yet (it always started on "First meeting", even for a parent
        who had one); when they have reached every type, on the first."""
        reached = {m.type for m in caseload.journey(participant_id).milestones}
        return next(
            (e.key for e in caseload.catalogue.milestone_types if e.key not in reached), None
        )

    def save(self) -> Any:
        on = self.past_date("achieved_on", "Achieved on", Milestone)
        if self.existing is not None:
            kind = combo_key(self.type)
            work = self.caseload.catalogue.job_entry_types
            job = self.caseload.job_for_milestone(self.existing.id)
            keep_job = False
            was = getattr(self.existing, "type", kind)
            if job is not None and was in work and kind not in work:
                keep_job = self._keep_job(job, kind)
            return self.caseload.correct_milestone(
                self.existing.id,
                keep_job=keep_job,
                type=kind,
                achieved_on=on,
                note=self.note.text().strip(),
                voice=Voice(combo_key(self.voice)),
            )
        # A "started work" milestone comes with its job from that day, as on the command line:
        # its form opens next for the rest; cancelled, the job stays with its start day.
        return self.caseload.record_milestone(
            self.participant_id,
            combo_key(self.type),
            achieved_on=on,
            note=self.note.text().strip(),
            voice=Voice(combo_key(self.voice)),
            with_job=True,
        )


class StageMoveDialog(ParentRecordDialog):
    """A move to a stage: which stage (from the catalogue), the day, and what changed. Opened
    from the Journey tab's "Move to a stage…" for a new move (the About tab has one too), or
    on a move in the journey to correct it."""

    draft_form = "stage_move"
    draft_kind = "stages"
    titles = ("Move to a stage", "Correct a stage move")
    save_texts = ("Move to this stage", "Save changes")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: StageChange | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        self.stage = ChoiceBox()
        # A move being corrected keeps its stage, listed or not (retired since).
        choices = caseload.catalogue.choices("stages", [existing.stage] if existing else [])
        fill_combo(
            self.stage,
            choices,
            existing.stage if existing else self._next_stage(caseload, participant_id, choices),
        )
        # As wide as the form's column: a message beneath it ("already at that stage") wraps
        # to the width its row was measured for (beneath a narrow list it was cut off).
        self.stage.setSizePolicy(
            QSizePolicy.Policy.Expanding, self.stage.sizePolicy().verticalPolicy()
        )
        self.add_field("stage", "Stage:", self.stage)
        self.on = self.add_date_field("on", "On:", existing.on if existing else None)
        self.note = TextBox(
            existing.note if existing else "", placeholder="What changed (optional)", lines=2
        )
        self.add_field("note", "What changed:", self.note, TextBox.HINT)

    @staticmethod
    def _next_stage(caseload: Caseload, participant_id: str, choices: list[tuple[str, str]]) -> str:
        """A new move starts on the stage after the one they are at (most moves are onwards;
        moving back is chosen); at the last, or at one not listed, on the first."""
        keys = [key for key, _label in choices]
        at = caseload.journey(participant_id).stage_by(caseload.today())
        return keys[keys.index(at) + 1] if at in keys[:-1] else keys[0]

    def save(self) -> Any:
        on = self.past_date("on", "On", StageChange)
        stage, note = combo_key(self.stage), self.note.text().strip()
        if self.existing is None and stage == self.caseload.journey(self.participant_id).stage_by(
            on
        ):
            # As the About tab says it: a move to where they are already is no move.
            raise ValidationError(
                f"They are already at that stage on {fmt_date(on)}: choose the stage they "
                "moved to.",
                "stage",
            )
        if self.existing is not None:
            return self.caseload.correct_stage_move(self.existing.id, stage=stage, on=on, note=note)
        return self.caseload.set_stage(self.participant_id, stage, on=on, note=note)


class JourneySection(Section):
    """The journey so far: the timeline, then every moment most recent first."""

    title = "Journey"
    editable = (Milestone, Pause, StageChange)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        # In a scroll area: at 200% scaling the timeline and the list do not fit a small screen.
        layout = self.scrolling_page()
        # A move to a stage is recorded here too, beside the moves it joins (the same form
        # as correcting one; Ctrl+Z undoes it), not only on the About tab.
        self.stage_button = QPushButton("Move to a stage…")
        self.stage_button.setAccessibleName("Record a move to a stage")
        self.stage_button.setToolTip(
            "Record that they moved to a stage (forwards or back), on a day"
        )
        self.stage_button.clicked.connect(self.move_stage)
        self.milestone_button = heading_row(
            layout,
            "The journey so far",
            "Record a milestone…",
            "Record a milestone",
            self.record_milestone,
            beside=[self.stage_button],
        )
        self.timeline = TimelineWidget()
        layout.addWidget(self.timeline)
        # Each key kept whole when the line wraps (at 200% "- - -" and "a break" were split):
        # no-break spaces, and no-break hyphens for the dashes.
        keys = (
            "● a new stage (names above the line)",
            "◇ a milestone (names below)",
            "- - - a break",
            "· · · moved on or closed",
        )
        whole = [key.replace(" ", "\u00a0").replace("-", "\u2011") for key in keys]
        self.legend = muted(wrapping_label("    ".join(whole)))
        layout.addWidget(self.legend)
        self.model = RecordTableModel(
            [
                Column("On", lambda m: happened_date(m.on, self.caseload.today())),
                Column("What happened", lambda m: m.what),
                Column("Note", lambda m: m.detail),
            ],
            self,
        )
        self.view = record_table(self.model, "Journey moments, most recent first", 2)
        layout.addWidget(self.view)
        self.record_actions.hook_table(self.view)
        row, self.change_button, self.remove_button, self.history_button = (
            self.record_actions.table_buttons(self.view, "moment")
        )
        # A "started work" milestone grows a job record (hours, contract, pay, how it ends).
        self.job_button = QPushButton("Job details…")
        self.job_button.setAccessibleName("Job details of the selected started-work milestone")
        self.job_button.setToolTip("Hours, contract, pay and how the job went (all optional)")
        self.job_button.clicked.connect(self.job_details)
        row.insertWidget(row.count() - 1, self.job_button)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_job_button())
        self.model.modelReset.connect(self._update_job_button)
        self._update_job_button()
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        today = self.caseload.today()
        # The days the journey ended and was taken up again, from the journey log.
        turns = (
            self.caseload.status_turns(self.pid) if self.journey is not None and self.pid else []
        )
        self.timeline.set_journey(self.journey, self.caseload.catalogue, today, turns)
        if self.journey is None:
            self.model.set_records([])
            return
        self.model.set_records(moments(self.journey, self.caseload.catalogue, turns))
        fit_rows(self.view, 15)

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if self.pid is None:
            return None
        if isinstance(record, Milestone):
            return MilestoneDialog(self.caseload, self.pid, self, existing=record)
        if isinstance(record, Pause):
            from journeyapp.ui.workspace.pace import PauseDialog

            return PauseDialog(self.caseload, self.pid, self, existing=record)
        if isinstance(record, StageChange):
            return StageMoveDialog(self.caseload, self.pid, self, existing=record)
        return None

    def corrected(self, record: Record, dialog: FormDialog) -> None:
        super().corrected(record, dialog)
        # Corrected into "started work": its job is recorded from its day (as the command line
        # does) and its form opens, as after recording one.
        made = dialog.result_value
        work = self.caseload.catalogue.job_entry_types
        if (
            isinstance(record, Milestone)
            and isinstance(made, Milestone)
            and made.type in work
            and record.type not in work
        ):
            self.open_job(made)

    def can_remove(self, record: Record) -> bool:
        # A move is removed, but not a parent's only one (it is corrected).
        if isinstance(record, StageChange):
            return record.id != self.caseload.only_stage_move(record.participant_id)
        return super().can_remove(record)

    def record_milestone(self) -> None:
        """Open the record-a-milestone dialog (then, for "started work", the job's details)."""
        if self.pid is None:
            return
        dialog = MilestoneDialog(self.caseload, self.pid, self)
        if dialog.exec():
            made = dialog.result_value
            # A "started work" milestone is recorded with its job from that day
            # (Caseload.record_milestone, as on the command line); its form asks for the rest.
            job = self.caseload.job_for_milestone(made.id) if isinstance(made, Milestone) else None
            self.saved("milestone recorded with its job" if job else "milestone recorded")
            if isinstance(made, Milestone) and job is not None:
                self.open_job(made, just_recorded=True)

    def move_stage(self) -> None:
        """Open the stage move form for a new move (then the list, header and About follow)."""
        if self.pid is None:
            return
        dialog = StageMoveDialog(self.caseload, self.pid, self)
        if dialog.exec():
            self.saved("stage changed")

    def _selected_started_work(self) -> Milestone | None:
        record = selected_record(self.view)
        if isinstance(record, Milestone) and record.type in self.caseload.catalogue.job_entry_types:
            return record
        return None

    def _update_job_button(self) -> None:
        self.job_button.setEnabled(self._selected_started_work() is not None)

    def job_details(self) -> None:
        """Open the job record of the selected "started work" milestone (made if none yet)."""
        milestone = self._selected_started_work()
        if milestone is not None:
            self.open_job(milestone)

    def open_job(self, milestone: Milestone, *, just_recorded: bool = False) -> None:
        """The job form for a "started work" milestone: its job, or a new one from that day
        (`just_recorded`: the job it was recorded with a moment ago)."""
        from journeyapp.ui.workspace.background import JobDialog

        if self.pid is None:
            return
        job = self.caseload.job_for_milestone(milestone.id)
        dialog = JobDialog(
            self.caseload,
            self.pid,
            self,
            existing=job,
            milestone=milestone,
            just_recorded=just_recorded and job is not None,
        )
        if dialog.exec():
            self.saved("job details")
