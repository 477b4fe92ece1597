"""Undo reaches back past a change of parent: when the change it would undo is another parent's
than the one shown, the Edit menu and the status bar name whose it is, so nobody undoes a
correction to Zoë's contact thinking it was something about Amy."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from tests.ui.shell_helpers import shortcut, two_parents_open

ON = date(2026, 11, 3)


def test_undo_names_the_parent_whose_change_it_undoes_when_another_is_shown(
    qtbot: QtBot, caseload: Caseload
) -> None:
    window, zoe, amy = two_parents_open(qtbot, caseload)
    contact = caseload.log_contact(zoe, "phone_text", on=ON, note="Talked about mony")
    caseload.update_record("contacts", contact.id, note="Talked about money")
    # With Zoë shown the menu says what, as before.
    assert window.undo_action.text() == "&Undo change the contact"

    window.panel.select(amy)
    window.open_participant(amy)
    assert window.workspace.current_participant_id() == amy
    assert window.undo_action.text() == "&Undo change the contact (Zoë)"

    window.panel.table.setFocus()
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert caseload.record("contacts", contact.id).note == "Talked about mony"
    assert window.statusBar().currentMessage() == "Undone for Zoë: change the contact. Saved."
    assert window.workspace.current_participant_id() == amy  # still where the keyworker was
    assert window.undo_action.text() == "&Undo log a contact (Zoë)"

    # A change of the parent shown names nobody.
    caseload.log_contact(amy, "phone_text", on=ON)
    assert window.undo_action.text() == "&Undo log a contact"
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert window.statusBar().currentMessage() == "Undone: log a contact. Saved."
    window.bus.detach()
