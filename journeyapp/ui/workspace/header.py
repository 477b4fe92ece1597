"""The workspace header line: preferred name, stage, pace, next check-in (due: icon and words), status."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from journeyapp.core import derived
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.describe import check_in_words, dated_after_words
from journeyapp.core.enums import (
    CHECK_IN_DUE,
    JOURNEY_ENDED,
    ParticipantStatus,
    check_in_due_since,
    label,
)
from journeyapp.core.records import Journey
from journeyapp.core.text import with_family_initial
from journeyapp.ui import theme
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.widgets.layout import SPACING, wrapping_label

# Within a part of the line under the name, and between parts: the line wraps only after a
# separator's dot (not before it, not inside a part).
NBSP = "\u00a0"
SEPARATOR = f"{NBSP}{NBSP}·  "
# The longest part of the summary line kept on one line (characters).
KEPT_WHOLE = 48


def checkin_words(journey: Journey, today: date) -> tuple[str, bool]:
    """The next check-in in words, and whether it is due (its planned date has passed): from
    the last contact by `today` (a contact dated after it has not happened yet)."""
    journey = journey.as_of(today)
    p = journey.participant
    if p.status is ParticipantStatus.PAUSED:
        pause = journey.open_pause
        since = f" since {fmt_date(pause.started_on)}" if pause else ""
        return f"No check-in while taking a break{since}", False
    if p.status is not ParticipantStatus.ACTIVE:
        return "No check-in planned", False
    due = journey.next_checkin_on(today)
    if due is None:
        return "Next check-in: when they get in touch", False
    if derived.is_overdue(due, today):
        return check_in_due_since(fmt_date(due)), True
    if due == today:
        return "Next check-in: due today", False
    return f"Next check-in: due {fmt_date(due)}", False


def next_meeting_words(journey: Journey, today: date) -> str:
    """The next meeting arranged, in words ("Next meeting: today, 14:00 at the Hub, with Kim")."""
    meeting = journey.next_appointment(today)
    if meeting is None:
        return "Next meeting: none arranged"
    day = "today" if meeting.on == today else f"{meeting.on.strftime('%a')} {fmt_date(meeting.on)}"
    text = f"Next meeting: {day}"
    if meeting.time:
        text += f", {meeting.time}"
    if meeting.place:
        text += f" at {meeting.place}"
    if meeting.with_whom:
        text += f", with {meeting.with_whom}"
    return text


class WorkspaceHeader(QWidget):
    """Who is open, and where their journey stands, in one line under the name; then the next
    meeting arranged, with a button to the parent's meetings.

    Compact (a short window: 200% on a laptop), the same words take two rows, not four: the
    name (at a heading's size) shares its row with the way back to the list and Meetings…,
    and the next meeting goes under the next check-in, beside the stage and pace.

    Signals:
        meetings_requested(): the Meetings… button was pressed.
    """

    meetings_requested = Signal()

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self.compact = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, SPACING // 2)
        layout.setSpacing(4)
        self._name_row = QHBoxLayout()
        self._name_row.setSpacing(SPACING // 2)
        self.name_label = wrapping_label()
        self.name_label.setAccessibleName("Parent's name")
        self._name_row.addWidget(self.name_label, 1)
        layout.addLayout(self._name_row)
        line = QHBoxLayout()
        line.setSpacing(SPACING // 2)
        self.summary_label = wrapping_label()
        self.summary_label.setAccessibleName("Stage, pace and status")
        line.addWidget(self.summary_label, 2)
        self.overdue_icon = QLabel()  # its picture is drawn when first shown (_show_overdue)
        self.overdue_icon.setAccessibleName(CHECK_IN_DUE)
        self.overdue_icon.hide()
        line.addWidget(self.overdue_icon, 0, Qt.AlignmentFlag.AlignTop)
        self._when = QVBoxLayout()
        self._when.setSpacing(2)
        self.checkin_label = wrapping_label()
        self.checkin_label.setAccessibleName("Next check-in")
        self._when.addWidget(self.checkin_label)
        line.addLayout(self._when, 1)
        layout.addLayout(line)
        self._meeting_row = QHBoxLayout()
        self._meeting_row.setSpacing(SPACING // 2)
        self.meeting_label = wrapping_label()
        self.meeting_label.setAccessibleName("Next meeting")
        self._meeting_row.addWidget(self.meeting_label, 1)
        self.meetings_button = QPushButton("Meetings…")
        self.meetings_button.setAccessibleName("Meetings with this parent")
        self.meetings_button.setToolTip("Arrange, change or remove meetings with this parent")
        self.meetings_button.clicked.connect(self.meetings_requested)
        self._meeting_row.addWidget(self.meetings_button)
        layout.addLayout(self._meeting_row)
        # Records dated after today (merged from a laptop whose clock was ahead), shown as not
        # happened yet everywhere: named here so the keyworker can put the date right.
        self.ahead_label = wrapping_label()
        self.ahead_label.setAccessibleName("Records dated after today")
        self.ahead_label.hide()
        layout.addWidget(self.ahead_label)
        self._name_size(theme.TITLE)

    def lead_with(self, widget: QWidget) -> None:
        """Put `widget` (the way back to the caseload list) before the name, on its row."""
        self._name_row.insertWidget(0, widget, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_compact(self, compact: bool) -> None:
        """Two rows (a short window) or four; every word and button stays in sight."""
        if compact == self.compact:
            return
        self.compact = compact
        # Taken out of one row before going into the other (Qt warns of a widget in two).
        if compact:
            self._meeting_row.removeWidget(self.meeting_label)
            self._meeting_row.removeWidget(self.meetings_button)
            self._when.addWidget(self.meeting_label)
            self._name_row.addWidget(self.meetings_button, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            self._when.removeWidget(self.meeting_label)
            self._name_row.removeWidget(self.meetings_button)
            self._meeting_row.addWidget(self.meeting_label, 1)
            self._meeting_row.addWidget(self.meetings_button)
        self._name_size(theme.HEADING if compact else theme.TITLE)
        layout = self.layout()
        assert layout is not None
        layout.setContentsMargins(0, 0, 0, 0 if compact else SPACING // 2)

    def _name_size(self, scale: float) -> None:
        font = self.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * scale)
        self.name_label.setFont(font)

    def show_journey(self, journey: Journey | None, today: date) -> None:
        """Show the header for `journey` (None: empty)."""
        if journey is None:
            self.name_label.setText("")
            self.summary_label.setText("")
            self.checkin_label.setText("")
            self.meeting_label.setText("")
            self.overdue_icon.hide()
            self.ahead_label.hide()
            return
        p = journey.participant
        # With the family initial, as the caseload list and search show it: two parents who
        # share a preferred name are told apart here too.
        self.name_label.setText(with_family_initial(p.preferred_name, p.full_name))
        # The pace chosen by today, and the status and stage by today (a break starting, or a
        # move, after it has not happened): one dated after it (a laptop's clock ahead) is
        # named below.
        by_today = journey.as_of(today)
        pace = by_today.current_pace
        pace_words = (
            f"Pace: {label(pace.pace)}, {check_in_words(pace.rhythm)}"
            if pace
            else "Pace: not chosen yet"
        )
        now = by_today.participant.stage
        stage = self._catalogue.shown("stages", now) if now else "No stage yet"
        # The locality first: two parents with the same name (the demo has two Jolene Quillans)
        # are told apart by where they live, as the list's Locality column tells them apart.
        where = [self._catalogue.shown("localities", p.locality)] if p.locality else []
        status = label(by_today.participant.status)
        if by_today.participant.status in JOURNEY_ENDED and p.ended_on is not None:
            status += f" since {fmt_date(p.ended_on)}"  # "Moved on since 20 Nov 2026"
        parts = [*where, stage, pace_words, status]
        # Wrapped (a narrow or short window) only between the parts: "Taking a break" or
        # "Pace: Ready to push on, weekly" split over two lines read as two things. A part
        # longer than a short line (a partnership's long stage label) wraps inside itself too,
        # or it would widen the workspace past the window.
        self.summary_label.setText(
            SEPARATOR.join(
                part.replace(" ", NBSP) if len(part) <= KEPT_WHOLE else part for part in parts
            )
        )
        words, overdue = checkin_words(journey, today)
        self.checkin_label.setText(words)
        self._show_overdue(overdue)
        self.meeting_label.setText(next_meeting_words(journey, today))
        ahead = dated_after_words(journey.dated_after(today), self._catalogue, today)
        self.ahead_label.setText(f"⚠ {ahead}" if ahead else "")
        self.ahead_label.setVisible(bool(ahead))

    def _show_overdue(self, overdue: bool) -> None:
        """Show the check-in-due picture or not; it is drawn the first time it is shown, not
        before the window's first paint, when no parent is open (#18)."""
        if overdue and self.overdue_icon.pixmap().isNull():
            size = self.fontMetrics().height()
            self.overdue_icon.setPixmap(theme.icon("due").pixmap(size, size))
        self.overdue_icon.setVisible(overdue)
