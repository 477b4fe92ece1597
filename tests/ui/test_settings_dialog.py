"""File > Settings on a real dialog: typed details are saved and come back, and reach the plan."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.documents import Sender
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs.settings import SettingsDialog
from journeyapp.ui.main_window import MainWindow


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
