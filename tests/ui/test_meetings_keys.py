"""The list of a parent's meetings works as every list of records does: Enter opens the meeting
to change it (it used to close the list), Delete removes it after the question, and Ctrl+Z, as
the list's own words say, puts it back."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.workspace.meetings import MeetingDialog, MeetingsDialog
from tests.ui.shell_helpers import answer_question, with_modal


def test_enter_opens_a_meeting_delete_removes_it_and_ctrl_z_puts_it_back(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    other = caseload.enrol_participant("Amy", "fife").id
    day = caseload.today() + timedelta(days=3)
    meeting = caseload.arrange_meeting(pid, day, time="10:30", place="Hall")
    dialog = MeetingsDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.list.setFocus()
    assert dialog.selected() == meeting

    # What opened, not the form itself: a reference kept past the list's end crashes PySide.
    opened: list[tuple[type, object]] = []

    def look(form: QDialog) -> None:
        opened.append((type(form), getattr(form, "existing", None)))
        QDialog.reject(form)

    with_modal(qtbot, lambda: qtbot.keyClick(dialog.list, Qt.Key.Key_Return), look)
    assert opened == [(MeetingDialog, meeting)]
    assert dialog.isVisible()  # Enter did not close the list

    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].startswith("Remove the meeting on ")
    assert caseload.appointments_for(pid) == []
    assert dialog.selected() is None

    dialog.activateWindow()  # keys go to the active window (the question had it)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert caseload.appointments_for(pid) == [caseload.record("appointments", meeting.id)]
    assert dialog.selected() is not None

    # Another parent's change is left for the window's Undo (which names them).
    caseload.log_contact(other, "phone_text")
    qtbot.keyClick(dialog.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(caseload.journey(other).contacts) == 1
    QDialog.reject(dialog)
