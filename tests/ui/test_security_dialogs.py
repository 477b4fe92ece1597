"""The passphrase, unlock, restore, erase and retention dialogs, driven with real clicks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import DatabaseInUse
from journeyapp.store.db import SQLITE_HEADER
from journeyapp.ui.dialogs.backup import RestoreDialog, open_backup, open_restore
from journeyapp.ui.dialogs.erase import EraseDialog, RetentionDialog
from journeyapp.ui.dialogs.opening import open_caseload_interactively
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog, UnlockDialog
from tests.clock import ticking_clock
from tests.conftest import TODAY

PHRASE = "four quiet river stones"


def when_modal(qtbot: QtBot, *steps: Callable[[QDialog], bool]) -> None:
    """Run each step on the active modal dialog, in turn, as soon as one is showing.

    A step returns True when it has done its job (e.g. clicked a button)."""
    pending = list(steps)

    def poll() -> None:
        if not pending:
            return
        QTimer.singleShot(30, poll)  # first: a step may open a nested modal loop and block
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog) and widget.isVisible():
            step = pending.pop(0)
            if not step(widget):
                pending.insert(0, step)

    QTimer.singleShot(0, poll)


def click(text: str) -> Callable[[QDialog], bool]:
    def step(dialog: QDialog) -> bool:
        for button in dialog.findChildren(QPushButton):
            if button.text().replace("&", "") == text and button.isEnabled():
                button.click()
                return True
        return False

    return step


def test_choosing_a_passphrase_explains_and_needs_it_twice(qtbot: QtBot) -> None:
    dialog = ChoosePassphraseDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.first, "catcatcatcat")
    assert "repeated" in dialog.strength.text()
    assert not dialog.ok.isEnabled()
    dialog.first.clear()
    qtbot.keyClicks(dialog.first, PHRASE)
    assert "strong" in dialog.strength.text()
    assert "again" in dialog.strength.text()
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.second, PHRASE[:-1])
    assert "not the same" in dialog.strength.text()
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.second, PHRASE[-1])
    assert dialog.ok.isEnabled()


def test_first_run_creates_an_encrypted_caseload(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "new.db"

    def fill(dialog: QDialog) -> bool:
        if not isinstance(dialog, ChoosePassphraseDialog):
            return False
        dialog.first.setText(PHRASE)
        dialog.second.setText(PHRASE)
        dialog.ok.click()
        return True

    when_modal(qtbot, fill)
    caseload = open_caseload_interactively(None, path)
    assert caseload is not None
    assert caseload.is_encrypted
    caseload.enrol_participant("First", "fife")
    caseload.safety.checkpoint()
    assert path.read_bytes()[:16] != SQLITE_HEADER
    with pytest.raises(DatabaseInUse):
        Caseload.open(path, PHRASE)  # the window holds it
    caseload.close()


def test_unlock_at_start_refuses_a_wrong_passphrase_then_opens(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "secret.db"
    Caseload.open(path, PHRASE, create=True).close()
    seen: list[str] = []

    def wrong(dialog: QDialog) -> bool:
        if not isinstance(dialog, UnlockDialog):
            return False
        qtbot.keyClicks(dialog.passphrase, "the wrong words entirely")
        dialog.unlock_button.click()
        seen.append(dialog.message.text())
        return True

    def right(dialog: QDialog) -> bool:
        assert isinstance(dialog, UnlockDialog)
        if not dialog.unlock_button.isEnabled():
            return False
        qtbot.keyClicks(dialog.passphrase, PHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        return True

    when_modal(qtbot, wrong, right)
    caseload = open_caseload_interactively(None, path)
    assert caseload is not None
    assert "does not open" in seen[0]
    caseload.close()


def test_a_foreign_file_gets_a_message_and_a_restore_offer(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "photo.db"
    path.write_bytes(bytes.fromhex("ffd8ffe0") + b"\0" * 1000)
    texts: list[str] = []

    def read_and_close(dialog: QDialog) -> bool:
        if not isinstance(dialog, QMessageBox):
            return False
        texts.append(dialog.text())
        assert any(b.text() == "Restore from a backup…" for b in dialog.buttons())
        dialog.button(QMessageBox.StandardButton.Close).click()
        return True

    when_modal(qtbot, read_and_close)
    assert open_caseload_interactively(None, path) is None
    assert "JPEG picture" in texts[0]


def _backed_up(tmp_path: Path) -> tuple[Path, list[Path]]:
    path = tmp_path / "work.db"
    caseload = Caseload.open(path, PHRASE, create=True)
    caseload.enrol_participant("One", "fife")
    first = caseload.safety.backup(now=datetime(2026, 11, 20, 9, tzinfo=UTC)).path
    caseload.enrol_participant("Two", "fife")
    second = caseload.safety.backup(now=datetime(2026, 11, 27, 9, tzinfo=UTC)).path
    caseload.enrol_participant("Three", "fife")
    caseload.close()
    return path, [second, first]


@pytest.mark.slow
def test_restore_dialog_shows_dates_and_counts_then_restores(qtbot: QtBot, tmp_path: Path) -> None:
    path, _ = _backed_up(tmp_path)
    dialog = RestoreDialog(path, PHRASE)
    qtbot.addWidget(dialog)
    table = dialog.table
    # Each backup is reopened and checked off the window's thread; the list says so meanwhile.
    assert table.item(0, 0).text().startswith("Checking each backup")
    assert not dialog.restore_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    assert table.rowCount() == 2
    assert [table.item(r, 1).text() for r in range(2)] == ["2", "1"]
    assert "27 Nov 2026" in table.item(0, 0).text()
    assert not dialog.restore_button.isEnabled()
    table.selectRow(1)
    assert dialog.restore_button.isEnabled()
    when_modal(qtbot, click("Yes"), click("OK"))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert dialog.aside is not None
    restored = Caseload.open(path, PHRASE)
    assert [p.preferred_name for p in restored.participants()] == ["One"]
    restored.close()


def test_open_restore_asks_for_the_passphrase_first(qtbot: QtBot, tmp_path: Path) -> None:
    path, _ = _backed_up(tmp_path)

    def passphrase(dialog: QDialog) -> bool:
        if not isinstance(dialog, QInputDialog):
            return False
        dialog.setTextValue(PHRASE)
        dialog.accept()
        return True

    def choose(dialog: QDialog) -> bool:
        if not isinstance(dialog, RestoreDialog) or not dialog.loaded:
            return False
        dialog.table.selectRow(0)
        dialog.restore_button.click()
        return True

    when_modal(qtbot, passphrase, choose, click("Yes"), click("OK"))
    assert open_restore(None, path) is True
    restored = Caseload.open(path, PHRASE)
    assert len(restored.participants()) == 2
    restored.close()


def test_back_up_now_reports_counts(qtbot: QtBot, demo_caseload: Caseload) -> None:
    texts: list[str] = []

    def read(dialog: QDialog) -> bool:
        if not isinstance(dialog, QMessageBox):
            return False
        texts.append(dialog.text())
        dialog.accept()
        return True

    when_modal(qtbot, read)
    made: list[bool] = []
    open_backup(None, demo_caseload, done=made.append)
    qtbot.waitUntil(lambda: made == [True], timeout=10_000)
    assert "Backed up 30 parents" in texts[0]
    assert "not encrypted" in texts[0]


def test_erase_dialog_needs_the_name_typed(qtbot: QtBot, caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Aoife", "fife").id
    dialog = EraseDialog(caseload, pid)
    qtbot.addWidget(dialog)
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "Aoif")
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "e")
    assert dialog.erase_button.isEnabled()
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert caseload.safety.is_erased(pid)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_erase_dialog_takes_the_name_as_the_erasure_does_however_its_accents_are_made(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """A preferred name stored with its accents decomposed (pasted from a phone or another
    system) is confirmed by the same name typed on a keyboard, as the erasure and `journeyapp
    erase` take it: the button stayed greyed out, so the window could not erase them. A name
    without its accents confirms nothing, there as here."""
    import unicodedata

    pid = caseload.enrol_participant(unicodedata.normalize("NFD", "Zoë"), "fife").id
    dialog = EraseDialog(caseload, pid)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.confirm, "Zoe")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.setText(" ZOË ")
    assert dialog.erase_button.isEnabled()
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert caseload.safety.is_erased(pid)


def test_retention_dialog_lists_old_closed_journeys_and_erases(
    qtbot: QtBot, caseload: Caseload
) -> None:
    old = caseload.enrol_participant("Long Closed", "fife")
    caseload.set_status(old.id, ParticipantStatus.CLOSED)
    caseload.enrol_participant("Still Here", "fife")
    caseload.clock = ticking_clock(TODAY + timedelta(days=4 * 366))
    dialog = RetentionDialog(caseload)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "Long Closed"
    dialog.years.setValue(10)
    assert dialog.table.rowCount() == 0
    assert caseload.settings.retention_years == 10
    dialog.years.setValue(3)
    dialog.table.selectRow(0)

    def confirm(widget: QDialog) -> bool:
        if not isinstance(widget, EraseDialog):
            return False
        widget.confirm.setText("Long Closed")
        widget.erase_button.click()
        return True

    when_modal(qtbot, confirm)
    dialog.erase_button.click()
    assert caseload.safety.is_erased(old.id)
    assert dialog.table.rowCount() == 0


def test_restore_dialog_says_who_will_be_erased_again(qtbot: QtBot, tmp_path: Path) -> None:
    """Issue 17: a backup from before an erasure is restored without the erased parent, and
    the question before it says so."""
    path = tmp_path / "caseload.db"
    caseload = Caseload.open(path, PHRASE, create=True)
    caseload.clock = ticking_clock(TODAY)
    gone = caseload.enrol_participant("Zebedee", "fife")
    caseload.enrol_participant("Morag", "fife")
    caseload.safety.backup()
    caseload.safety.erase_participant(gone.id, "Zebedee")
    caseload.close()
    dialog = RestoreDialog(path, PHRASE)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    dialog.table.selectRow(0)
    asked: list[str] = []

    def read_and_accept(box: QDialog) -> bool:
        asked.append(" ".join(label.text() for label in box.findChildren(QLabel)))
        return click("Yes")(box)

    when_modal(qtbot, read_and_accept, click("OK"))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert "1 parent erased since this backup will be erased again." in asked[0]
    restored = Caseload.open(path, PHRASE)
    try:
        assert [p.preferred_name for p in restored.participants()] == ["Morag"]
        assert restored.safety.is_erased(gone.id)
    finally:
        restored.close()
