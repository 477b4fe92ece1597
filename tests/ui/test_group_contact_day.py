"""A parent's contact from a group session keeps the session's day: correcting that day on the
contact alone (which left the contact and the register telling two days) is refused beside the
date, saying where the session's day is corrected; its note is still corrected there."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.errors import ValidationError
from journeyapp.ui.workspace.contacts import ContactsSection, LogContactDialog
from tests.ui.test_record_corrections import ON, _attendance_contact, _widget_for
from tests.ui.workspace_helpers import in_dialog, opened_workspace, press_enter, type_into


def test_a_group_contacts_day_is_the_sessions_and_is_corrected_there(
    qtbot: QtBot, caseload: Caseload
) -> None:
    with opened_workspace(qtbot, caseload) as o:
        c = o.caseload
        c.update_participant(o.pid, joined_on=date(2026, 1, 5))
        contact = _attendance_contact(c, o.pid)
        section = o.tab(ContactsSection)
        o.workspace.show_participant(o.pid)
        widget = _widget_for(section, contact)
        widget.setFocus()
        seen: dict[str, str] = {}

        def fill(dialog: QDialog) -> None:
            assert isinstance(dialog, LogContactDialog)
            dialog.on.set_date(date(2026, 11, 2))
            type_into(qtbot, dialog.note, "Cook and chat, made soup")
            press_enter(qtbot, dialog.note)
            assert dialog.isVisible()  # refused: the typed words stay
            seen["message"] = dialog.errors["on"].text()
            assert dialog.note.text() == "Cook and chat, made soup"
            dialog.on.set_date(ON)  # the day put back: the note is saved
            press_enter(qtbot, dialog.note)
            assert not dialog.isVisible()

        in_dialog(qtbot, lambda: qtbot.keyClick(widget, Qt.Key.Key_Return), fill)
        assert "group session on 3 Nov 2026" in seen["message"]
        assert "Groups > Past group sessions" in seen["message"]
        kept = c.record("contacts", contact.id)
        assert (kept.on, kept.note) == (ON, "Cook and chat, made soup")  # type: ignore[attr-defined]
        with pytest.raises(ValidationError, match="Nothing was changed"):
            c.update_record("contacts", contact.id, on=date(2026, 11, 2))
        [session] = c.group_sessions()
        c.correct_group_session(
            session.id, activity=session.activity, venue="Hall", on=date(2026, 11, 2)
        )
        assert c.record("contacts", contact.id).on == date(2026, 11, 2)  # type: ignore[attr-defined]
