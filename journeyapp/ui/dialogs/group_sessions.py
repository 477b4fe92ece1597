"""GroupSessionDialog: create a group session and tick who came (only parents on registers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, ParticipantStatus
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import GroupSession
from journeyapp.core.validation import parse_date
from journeyapp.ui.dialogs.enrol_dialog import FieldError, field_row, fit_to_contents, name_combo
from journeyapp.ui.widgets.buttons import ok_cancel
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.widgets.forms import may_leave, values_of


class GroupSessionDialog(QDialog):
    """One group session: activity, venue and date, and a register of who attended.

    Only parents who have agreed to be on group registers are offered; the others are counted
    in a note so the keyworker knows why someone is missing from the list.
    """

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.session: GroupSession | None = None
        self.setWindowTitle("Group session")
        self.setAccessibleName("Record a group session")

        self.activity = QComboBox()
        self.activity.setEditable(True)
        name_combo(self.activity, "Activity")
        sessions = caseload.group_sessions()
        self.activity.addItems(sorted({s.activity for s in sessions}))
        self.activity.setCurrentText("")
        self.venue = QComboBox()
        self.venue.setEditable(True)
        name_combo(self.venue, "Venue")
        self.venue.addItems(sorted({s.venue for s in sessions if s.venue}))
        self.venue.setCurrentText("")
        self.on = DateEdit(caseload.today())
        self.on.setAccessibleName("Date of the session")
        self.on.edit.setAccessibleName("Date of the session")
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.errors = {
            field: field_row(form, text, widget)
            for field, text, widget in (
                ("activity", "&Activity", self.activity),
                ("venue", "&Venue", self.venue),
                ("on", "&Date", self.on),
            )
        }

        self.attendees = QListWidget()
        self.attendees.setAccessibleName("Who attended: tick each parent who came")
        offered, left_out = self._offer()
        register_label = QLabel("&Who came (tick with Space):")
        register_label.setBuddy(self.attendees)
        note = QLabel(
            f"{offered} parents have agreed to be on group registers and are listed. "
            + (f"{left_out} others have not agreed, so they are not listed." if left_out else "")
        )
        note.setWordWrap(True)
        self.general_error = FieldError("the group session")

        buttons, self.save_button = ok_cancel(
            self, "&Save session", self.submit, ok_name="Save the session and its register"
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(register_label)
        layout.addWidget(self.attendees, 1)
        layout.addWidget(note)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 56)
        self.activity.setFocus()
        self._asking = False
        self._initial = self._typed()

    def _typed(self) -> tuple[list[Any], list[str]]:
        return values_of([self.activity, self.venue, self.on]), self.ticked_ids()

    def has_changes(self) -> bool:
        """True when something was typed or ticked since the dialog opened."""
        return self._typed() != self._initial

    @override
    def reject(self) -> None:
        """Escape, Cancel or the close button: ask first when something was typed or ticked."""
        if self._asking:
            return
        self._asking = True
        try:
            leave = may_leave(self, self.has_changes(), self.submit)
        finally:
            self._asking = False
        if leave:
            super().reject()

    def _offer(self) -> tuple[int, int]:
        offered = left_out = 0
        agreed = self.caseload.consented(ConsentPurpose.GROUP_REGISTERS)
        for participant in self.caseload.participants():
            if participant.status in (ParticipantStatus.CLOSED, ParticipantStatus.MOVED_ON):
                continue
            if participant.id not in agreed:
                left_out += 1
                continue
            name = participant.preferred_name
            if participant.full_name and participant.full_name != name:
                name = f"{name} ({participant.full_name})"
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, participant.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
            offered += 1
        if self.attendees.count():
            self.attendees.setCurrentRow(0)
        return offered, left_out

    def offered_ids(self) -> list[str]:
        """The parents listed on the register."""
        return [
            str(self.attendees.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.attendees.count())
        ]

    def ticked_ids(self) -> list[str]:
        """The parents ticked as attending."""
        return [
            str(self.attendees.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.attendees.count())
            if self.attendees.item(n).checkState() == Qt.CheckState.Checked
        ]

    def _show(self, field: str | None, message: str) -> None:
        for error in (*self.errors.values(), self.general_error):
            error.clear_message()
        self.errors.get(field or "", self.general_error).show_message(message)
        fit_to_contents(self)

    def submit(self) -> None:
        """Save the session and its register in one go (nothing is saved if anything is wrong)."""
        try:
            activity = self.activity.currentText().strip()
            if not activity:
                raise ValidationError(
                    "Write what the group did (for example: Confidence group).", "activity"
                )
            on = self._date()
            ticked = self.ticked_ids()
            session = self.caseload.record_group_session(
                activity, on=on, venue=self.venue.currentText().strip(), attendees=ticked
            )
        except ValidationError as exc:
            self._show(exc.field if exc.field in self.errors else None, exc.message)
            return
        except JourneyError as exc:
            self._show(None, exc.message)
            return
        self.session = session
        self.accept()

    def _date(self) -> date:
        try:
            return parse_date(self.on.text(), "Session date")
        except ValidationError as exc:
            raise ValidationError(exc.message, "on") from None
