"""File > Settings on a real dialog: typed details are saved and come back, and reach the plan."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.documents import Sender
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs.settings import SettingsDialog
from journeyapp.ui.main_window import MainWindow
from tests.ui.shell_helpers import answer_question


def test_settings_are_saved_and_shown_again(qtbot: QtBot, caseload: Caseload) -> None:
    dialog = SettingsDialog(caseload)
    qtbot.addWidget(dialog)
    typed = {
        "organisation": "One Parent Families Fife",
        "keyworker": "Morag Campbell",
        "phone": "01592 555 0123",
        "email": "morag@example.org",
        "programme": "Making It Work",
        "device_name": "Morag's laptop",
    }
    for name, text in typed.items():
        dialog.edits[name].clear()
        qtbot.keyClicks(dialog.edits[name], text)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert caseload.settings.sender().phone == "01592 555 0123"
    again = SettingsDialog(caseload)
    qtbot.addWidget(again)
    assert {n: e.text() for n, e in again.edits.items()} == typed
    parent = caseload.enrol_participant("Aoife", "fife")
    plan = caseload.document(parent.id)
    call = plan.section("call")
    assert call is not None
    assert "Phone: 01592 555 0123" in call.intro
    assert "Organisation: One Parent Families Fife" in call.intro


def test_settings_are_in_the_file_menu(qtbot: QtBot, caseload: Caseload) -> None:
    window = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(window)
    assert window.settings_action in window.menus["file"].actions()


def test_a_phone_longer_than_a_contact_line_is_refused_and_the_dialog_stays_open(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of text pasted into Phone was saved (cut at 200 characters) and printed over
    several lines of every plan; now it is refused, saying how long it is, and nothing saved
    changes."""
    caseload.settings.set_sender(Sender(keyworker="Morag", phone="01592 555 0123"))
    said: list[str] = []
    monkeypatch.setattr(
        "journeyapp.ui.errors.show_error", lambda _parent, exc, *_a: said.append(exc.message)
    )
    dialog = SettingsDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.edits["phone"].setText("0131 555 0123 or " * 8)
    dialog.edits["keyworker"].setText("Someone else")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert len(said) == 1
    assert said[0].startswith("The phone number is 135 characters long; a plan prints at most")
    assert caseload.settings.sender() == Sender(keyworker="Morag", phone="01592 555 0123")


def test_an_email_that_is_not_an_address_is_refused_and_the_typing_kept(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """ "denise at hub" was saved and printed on every plan as the address parents write to;
    now it is refused with what to write, as a parent's own email is, and nothing changes."""
    before = caseload.settings.sender()
    dialog = SettingsDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edits["organisation"], "Family Hub")
    qtbot.keyClicks(dialog.edits["email"], "denise at hub")
    seen = answer_question(qtbot, "OK")
    dialog.save()
    qtbot.waitUntil(lambda: bool(seen))
    assert "does not look like an email address (name@example.org)" in seen[0]
    assert dialog.isVisible()
    assert dialog.edits["email"].text() == "denise at hub"
    assert dialog.edits["organisation"].text() == "Family Hub"
    assert caseload.settings.sender() == before


def test_escape_with_details_typed_asks_before_dropping_them(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Escape closed Settings and dropped what was typed, unasked; now it asks, as every
    form does: Go back keeps the words, Save saves them."""
    dialog = SettingsDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.edits["phone"], "01592 555 0123")
    seen = answer_question(qtbot, "Go back")
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(seen))
    assert "not saved yet" in seen[0]
    assert dialog.isVisible()
    assert dialog.edits["phone"].text() == "01592 555 0123"
    seen = answer_question(qtbot, "Save")
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert caseload.settings.sender().phone == "01592 555 0123"


def test_escape_with_nothing_typed_just_closes(qtbot: QtBot, caseload: Caseload) -> None:
    dialog = SettingsDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.edits["phone"], Qt.Key.Key_Escape)
    assert not dialog.isVisible()
