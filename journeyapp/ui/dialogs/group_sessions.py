"""GroupSessionDialog: create a group session and tick who came (only parents on registers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, ParticipantStatus
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import GroupSession
from journeyapp.core.validation import parse_date
from journeyapp.ui.dialogs.enrol_dialog import FieldError, field_row, name_combo
from journeyapp.ui.errors import attempt
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.buttons import ok_cancel
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.widgets.forms import AsksBeforeLeaving, ticked
from journeyapp.ui.widgets.screen import fit_to_contents
from journeyapp.ui.widgets.tables import enter_changes_delete_removes, pick_one_row
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.record_actions import confirm_removal


class GroupSessionDialog(AsksBeforeLeaving):
    """One group session: activity, venue and date, and a register of who attended.

    Only parents who have agreed to be on group registers are offered; the others are counted
    in a note so the keyworker knows why someone is missing from the list. What is typed and
    ticked is kept as a draft, offered back after a crash.
    """

    draft_form = "group_session"
    draft_kind = "groups"

    def __init__(
        self,
        caseload: Caseload,
        parent: QWidget | None = None,
        *,
        existing: GroupSession | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.session: GroupSession | None = None
        # The session being corrected (its register is changed from each parent's contacts).
        self.existing = existing
        self.setWindowTitle("Change a group session" if existing else "Group session")
        self.setAccessibleName("Change a group session" if existing else "Record a group session")

        self.activity = ChoiceBox()
        self.activity.setEditable(True)
        name_combo(self.activity, "Activity")
        sessions = caseload.group_sessions()
        self.activity.addItems(sorted({s.activity for s in sessions}))
        self.activity.setCurrentText("")
        self.venue = ChoiceBox()
        self.venue.setEditable(True)
        name_combo(self.venue, "Venue")
        self.venue.addItems(sorted({s.venue for s in sessions if s.venue}))
        self.venue.setCurrentText("")
        if existing is not None:
            self.activity.setCurrentText(existing.activity)
            self.venue.setCurrentText(existing.venue)
        self.on = DateEdit(existing.on if existing is not None else caseload.today())
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
            self,
            "&Save changes" if existing else "&Save session",
            self.submit,
            ok_name="Save the session" if existing else "Save the session and its register",
        )
        if existing is not None:
            register_label.hide()
            self.attendees.hide()
            note.setText(
                "Who came is changed on each parent's Contacts tab (removing their group "
                "contact takes them off the register)."
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
        self.keep_drafts(None)  # about several parents, or none yet
        self._watch()

    def draft_inputs(self) -> dict[str, QWidget]:
        """What is typed and who is ticked (the register of a new session only)."""
        inputs: dict[str, QWidget] = {"activity": self.activity, "venue": self.venue, "on": self.on}
        if self.existing is None:
            inputs["attendees"] = self.attendees
        return inputs

    @override
    def set_values(self, values: dict[str, Any]) -> None:
        super().set_values(values)
        gone = len(set(values.get("attendees") or ()) - set(self.ticked_ids()))
        if gone:
            # Reopened from a draft: a parent ticked then may have moved on or taken back
            # their agreement to be on registers since.
            self._show(
                None,
                f"{gone} {'parent' if gone == 1 else 'parents'} ticked before "
                f"{'is' if gone == 1 else 'are'} no longer listed (moved on, or no longer "
                "agreed to be on registers).",
            )

    @override
    def show_note(self, message: str) -> None:
        self._show(None, message)

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> GroupSessionDialog:
        """The same form again: a new session, or the one being corrected (NotFound when it
        has been removed since)."""
        return cls(caseload, parent, existing=cls.draft_record(caseload, context))

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
        return ticked(self.attendees)

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
            venue = self.venue.currentText().strip()
            if self.existing is not None:
                session = self.caseload.correct_group_session(
                    self.existing.id, activity=activity, venue=venue, on=on
                )
            else:
                session = self.caseload.record_group_session(
                    activity, on=on, venue=venue, attendees=self.ticked_ids()
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


class PastSessionsDialog(QDialog):
    """Every group session, most recent first: Enter or double-click corrects one, Delete removes
    one (with its register and the contacts it made) after a question; both undoable."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Group sessions")
        self.setAccessibleName("Group sessions")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Date", "Activity", "Venue", "Came"])
        pick_one_row(self.table, "Group sessions: Enter changes one, Delete removes one")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.change())
        enter_changes_delete_removes(self.table, self.change, self.remove)
        self.status = QLabel()
        self.status.setWordWrap(True)
        change = QPushButton("&Change…")
        change.clicked.connect(self.change)
        remove = QPushButton("&Remove…")
        remove.clicked.connect(self.remove)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(change)
        row.addWidget(remove)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.resize(self.fontMetrics().horizontalAdvance("x") * 90, 420)
        self.sessions: list[GroupSession] = []
        self.refresh()

    def refresh(self) -> None:
        """Show the sessions as they are now."""
        self.sessions = sorted(
            self.caseload.group_sessions(), key=lambda s: (s.on, s.created_at), reverse=True
        )
        self.table.setRowCount(len(self.sessions))
        for n, session in enumerate(self.sessions):
            came = len(self.caseload.attendance(session.id))
            for column, text in enumerate(
                (fmt_date(session.on), session.activity, session.venue, str(came))
            ):
                self.table.setItem(n, column, QTableWidgetItem(text))
        if self.sessions and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def current(self) -> GroupSession | None:
        """The session selected."""
        row = self.table.currentRow()
        return self.sessions[row] if 0 <= row < len(self.sessions) else None

    def change(self) -> None:
        """Open the selected session in the form it was made with."""
        session = self.current()
        if session is None:
            return
        if GroupSessionDialog(self.caseload, self, existing=session).exec():
            self.status.setText("Saved (Ctrl+Z in the window puts it back).")
            self.refresh()

    def remove(self) -> None:
        """Remove the selected session, its register and its contacts, after a question."""
        session = self.current()
        if session is None:
            return
        came = len(self.caseload.attendance(session.id))
        what = f"the group session “{session.activity}” on {fmt_date(session.on)}"
        what += f" ({came} came)" if came != 1 else " (1 came)"
        if not confirm_removal(self, what):
            return

        def gone() -> bool:
            self.caseload.delete_record("groups", session.id)
            return True

        if attempt(self, gone):
            self.status.setText(f"Removed {what}. Saved (Ctrl+Z in the window puts it back).")
            self.refresh()
