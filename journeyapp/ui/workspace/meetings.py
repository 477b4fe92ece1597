"""Meetings arranged with a parent: the small form to arrange or change one, and the list of a
parent's meetings (arrange, change, remove; each undoable with Ctrl+Z)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.derived import meetings_in_order
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Appointment
from journeyapp.ui.errors import attempt
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.widgets.forms import FormDialog, combo_key, fill_combo
from journeyapp.ui.widgets.layout import SPACING, muted, wrapping_label
from journeyapp.ui.widgets.tables import enter_changes_delete_removes
from journeyapp.ui.widgets.wheel import ChoiceBox, NumberBox
from journeyapp.ui.workspace.record_actions import confirm_removal


def meeting_words(meeting: Appointment, today: date | None = None) -> str:
    """A meeting in a few words: "Tue 1 Dec 2026, 10:30 at the Hub, with Kim"."""
    text = f"{meeting.on.strftime('%a')} {fmt_date(meeting.on)}"
    if meeting.time:
        text += f", {meeting.time}"
    if meeting.place:
        text += f" at {meeting.place}"
    if meeting.with_whom:
        text += f", with {meeting.with_whom}"
    return text


class MeetingDialog(FormDialog):
    """Arrange a meeting (with the parent given, or one chosen here), or change one."""

    draft_form = "meeting"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str | None,
        parent: QWidget | None = None,
        *,
        existing: Appointment | None = None,
    ) -> None:
        pid = existing.participant_id if existing is not None else participant_id
        name = caseload.participant(pid).preferred_name if pid else ""
        if existing is not None:
            title, save_text = f"Change the meeting with {name}", "Save changes"
        else:
            title = f"Arrange a meeting with {name}" if name else "Arrange a meeting"
            save_text = "Arrange meeting"
        super().__init__(title, caseload, parent, save_text=save_text, existing=existing)
        self.existing: Appointment | None = existing
        self.participant_id = pid
        self.draft_context = {
            "participant_id": pid,
            "record_id": existing.id if existing else None,
        }
        self.who: QComboBox | None = None
        if pid is None:
            self.who = ChoiceBox()
            people = [
                (p.id, p.preferred_name + (f" ({p.full_name})" if p.full_name else ""))
                for p in caseload.participants()
                if p.status in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)
            ]
            fill_combo(self.who, people, people[0][0] if people else "")
            self.add_field("participant", "Parent:", self.who)
        self.on = self.add_date_field("on", "On:", existing.on if existing else None)
        self.time = QLineEdit(existing.time if existing else "")
        self.time.setPlaceholderText("e.g. 10:30 (leave empty for some time that day)")
        self.time.setAccessibleName("Time")
        self.add_field("time", "Time:", self.time, "24-hour clock, e.g. 14:00")
        self.minutes = NumberBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setSuffix(" minutes")
        self.minutes.setValue(existing.minutes if existing else 60)
        self.add_field("minutes", "How long:", self.minutes)
        place = existing.place if existing else self._last_place(pid)
        self.place = QLineEdit(place)
        self.place.setPlaceholderText("Where you will meet")
        self.place.setAccessibleName("Place")
        self.add_field("place", "Place:", self.place)
        who = existing.with_whom if existing else caseload.settings.sender().keyworker
        self.with_whom = QLineEdit(who)
        self.with_whom.setPlaceholderText("Who will be there besides the parent")
        self.with_whom.setAccessibleName("With whom")
        self.add_field("with_whom", "With:", self.with_whom)

    def _last_place(self, pid: str | None) -> str:
        if pid is None:
            return ""
        earlier = self.caseload.appointments_for(pid)
        return earlier[-1].place if earlier else ""

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        existing = None
        if context.get("record_id"):
            found = caseload.record("appointments", str(context["record_id"]))
            assert isinstance(found, Appointment)
            existing = found
        pid = context.get("participant_id")
        return cls(caseload, str(pid) if pid else None, parent, existing=existing)

    def save(self) -> Any:
        pid = self.participant_id
        if self.who is not None:
            pid = combo_key(self.who) or None
        if pid is None:
            raise ValidationError("Choose the parent the meeting is with.", "participant")
        on = self.date_field("on", self.on.text(), "Meeting date")
        time = self.time.text().strip()
        minutes = self.minutes.value()
        place = self.place.text().strip()
        with_whom = self.with_whom.text().strip()
        if self.existing is not None:
            return self.caseload.update_record(
                "appointments",
                self.existing.id,
                on=on,
                time=time,
                minutes=minutes,
                place=place,
                with_whom=with_whom,
            )
        return self.caseload.arrange_meeting(
            pid, on, time=time, minutes=minutes, place=place, with_whom=with_whom
        )


class MeetingsDialog(QDialog):
    """One parent's meetings, coming first: arrange another, change or remove one."""

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        select: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.participant_id = participant_id
        name = caseload.participant(participant_id).preferred_name
        self.setWindowTitle(f"Meetings with {name}")
        self.setAccessibleName(f"Meetings with {name}")
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        layout.addWidget(
            muted(wrapping_label("Meetings from today on come first; Ctrl+Z undoes a change."))
        )
        self.list = QListWidget()
        self.list.setAccessibleName("Meetings")
        # A meeting's words wrap rather than hide behind a sideways scroll bar.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemDoubleClicked.connect(lambda _item: self.change())
        # Enter opens the meeting, Delete removes it (as on a parent's tabs), not Close.
        enter_changes_delete_removes(self.list, self.change, self.remove)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.arrange_button = QPushButton("Arrange a meeting…")
        self.arrange_button.clicked.connect(self.arrange)
        self.change_button = QPushButton("Change…")
        self.change_button.clicked.connect(self.change)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.clicked.connect(self.remove)
        for button in (self.arrange_button, self.change_button, self.remove_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        # Ctrl+Z here, as the words above the list say (the window's own is blocked meanwhile).
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self, self.undo)
        self.refresh(select)

    def undo(self) -> None:
        """Undo the last change, when it was about this parent (a meeting arranged, changed or
        removed here); another parent's change is left for the window's Undo, which names them."""
        caseload = self.caseload
        if caseload.can_undo and caseload.undo_participants == {self.participant_id}:
            attempt(self, caseload.undo)
            self.refresh()

    def meetings(self) -> list[Appointment]:
        """The parent's meetings as listed: from today on first (soonest first), then past ones
        (latest first)."""
        every = self.caseload.appointments_for(self.participant_id)
        return meetings_in_order(every, self.caseload.today())

    def refresh(self, select: str | None = None) -> None:
        """List the meetings again (keeping `select`, or the current one, selected)."""
        if select is None and self.list.currentItem() is not None:
            select = self.list.currentItem().data(Qt.ItemDataRole.UserRole).id
        self.list.clear()
        today = self.caseload.today()
        for meeting in self.meetings():
            words = meeting_words(meeting)
            item = QListWidgetItem(f"{words} (past)" if meeting.on < today else words)
            item.setData(Qt.ItemDataRole.UserRole, meeting)
            self.list.addItem(item)
            if meeting.id == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        if not self.list.count():
            empty = QListWidgetItem("No meetings arranged yet. Arrange one with the button below.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        self._update_buttons()

    def selected(self) -> Appointment | None:
        """The meeting selected, or None."""
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, Appointment) else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.change_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def arrange(self) -> None:
        """Arrange another meeting with this parent."""
        dialog = MeetingDialog(self.caseload, self.participant_id, self)
        if dialog.exec() and isinstance(dialog.result_value, Appointment):
            self.refresh(dialog.result_value.id)

    def change(self) -> None:
        """Change the selected meeting."""
        meeting = self.selected()
        if meeting is None:
            return
        dialog = MeetingDialog(self.caseload, None, self, existing=meeting)
        if dialog.exec():
            self.refresh(meeting.id)

    def remove(self) -> None:
        """Remove the selected meeting (after a question; Ctrl+Z puts it back)."""
        meeting = self.selected()
        if meeting is None or not confirm_removal(self, f"the meeting on {meeting_words(meeting)}"):
            return
        attempt(self, lambda: self.caseload.delete_record("appointments", meeting.id))
        self.refresh()
