"""The unlock dialog: Enter means Unlock, a wrong passphrase never closes it, the wrong-try
delay survives a restart, and messages are never clipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot

from journeyapp import paths, security
from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import DELAYS_FILE, throttle_for
from journeyapp.core.passphrase import RememberedThrottle
from journeyapp.ui import app as ui_app
from journeyapp.ui import theme
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog, UnlockDialog, ask_passphrase
from journeyapp.ui.widgets.screen import DialogFitter
from tests.ui.shell_helpers import with_modal

PHRASE = "correct horse battery staple"


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.db"
    Caseload.open(path, PHRASE, create=True).close()
    return path


def test_enter_on_a_wrong_passphrase_keeps_the_dialog_open(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = UnlockDialog(
        _file(tmp_path),
        throttle=RememberedThrottle(
            tmp_path / "tries.json", tmp_path / "secret.db", sleep=lambda _s: None
        ),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    for attempt in range(5):  # past the free tries: the delay starts, Enter still never cancels
        qtbot.keyClicks(dialog.passphrase, "the wrong words")
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        assert dialog.isVisible(), attempt
        assert finished == []
        assert "does not open" in dialog.message.text()
    assert dialog.unlocker.throttle.failures == 3  # the later Enters waited: no extra tries
    # The message is shown whole: the label has the height its wrapped text needs.
    label = dialog.message
    assert label.height() >= label.heightForWidth(label.width())
    # Once the delay is over, Enter with the right passphrase opens the caseload.
    dialog._allow_retry()
    dialog.passphrase.clear()  # what was typed while waiting stays, as typed
    qtbot.keyClicks(dialog.passphrase, PHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert finished == [1]
    assert dialog.caseload is not None
    dialog.caseload.close()


def test_the_wrong_try_delay_survives_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    """The dialog uses the same remembered delay as the command line and the lock
    (caseload.safety.throttle_for): tries from an earlier run hold the Unlock button back."""
    path = _file(tmp_path)
    first = throttle_for(path, sleep=lambda _s: None)
    for _ in range(4):
        first.failed()
    assert first.remaining > 0
    # A new run: the dialog's own throttle reads the same state file and waits the same delay.
    dialog = UnlockDialog(path)
    qtbot.addWidget(dialog)
    again = dialog.unlocker.throttle
    assert again.failures == 4
    assert again.remaining > 0
    assert not dialog.unlock_button.isEnabled()
    assert "waits" in dialog.message.text()
    # The right passphrase later forgets the tries (for the next run too).
    again.succeeded()
    assert throttle_for(path).failures == 0
    assert b"horse" not in (paths.state_dir() / DELAYS_FILE).read_bytes()


def test_first_run_enter_means_ok_and_the_guidance_is_not_clipped(qtbot: QtBot) -> None:
    dialog = ChoosePassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    qtbot.keyClicks(dialog.first, "abc")
    qtbot.keyClick(dialog.first, Qt.Key.Key_Return)
    assert finished == []  # too weak: Enter does nothing, and never cancels
    label = dialog.strength
    assert label.height() >= label.heightForWidth(label.width())
    dialog.first.clear()
    qtbot.keyClicks(dialog.first, PHRASE)
    qtbot.keyClicks(dialog.second, PHRASE)
    qtbot.keyClick(dialog.second, Qt.Key.Key_Return)
    assert finished == [1]
    assert dialog.passphrase() == PHRASE


def test_the_unlock_dialog_at_start_is_fitted_like_every_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The passphrase is asked before the main window exists: the dialog fitter (which also
    takes a desktop's red X off Cancel) is already there when it comes up."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for old in app.findChildren(DialogFitter):
        old.setParent(None)
    seen: list[bool] = []

    def unlock(_parent: object, _path: Path) -> None:
        seen.append(app.findChild(DialogFitter) is not None)
        return None  # as if Cancel was pressed

    monkeypatch.setattr(security, "harden_process", lambda: None)
    monkeypatch.setattr(security, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "open_caseload_interactively", unlock)
    assert ui_app.run(_file(tmp_path)) == 1
    assert seen == [True]


def test_a_wrong_passphrase_is_said_with_the_box_the_keyboard_is_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A screen reader on the passphrase box heard nothing of "does not open": the message was
    a label beside it. It is said with the box (its description, as every form says a field's
    problem), the keyboard stays in the box, and the next message replaces it."""
    dialog = UnlockDialog(
        _file(tmp_path),
        throttle=RememberedThrottle(
            tmp_path / "tries.json", tmp_path / "secret.db", sleep=lambda _s: None
        ),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Problem" not in dialog.passphrase.accessibleDescription()
    qtbot.keyClicks(dialog.passphrase, "the wrong words")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    said = dialog.passphrase.accessibleDescription()
    assert said.startswith("Problem: ")
    assert "does not open" in said
    assert dialog.message.text().startswith("⚠ ")
    assert dialog.focusWidget() is dialog.passphrase
    for _ in range(3):  # on to the wait: said once, the latest words only
        qtbot.keyClicks(dialog.passphrase, "still wrong")
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    dialog._allow_retry()
    said = dialog.passphrase.accessibleDescription()
    assert said.count("Problem:") == 1
    assert said.endswith("You can try again now.")
    assert dialog.message.text().count("⚠") == 1


def test_the_dialogs_before_the_window_have_the_apps_look(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unlock dialog came up in Qt's plain palette (the app's light or dark look was set
    only with the main window): it has the app's from the start."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setattr(theme, "_THEMED", [])
    app.setPalette(QPalette())
    seen: list[str] = []

    def unlock(_parent: object, path: Path) -> None:
        dialog = UnlockDialog(path)
        seen.append(dialog.palette().color(QPalette.ColorRole.Window).name())
        dialog.deleteLater()
        return None  # as if Cancel was pressed

    monkeypatch.setattr(security, "harden_process", lambda: None)
    monkeypatch.setattr(security, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "open_caseload_interactively", unlock)
    assert ui_app.run(_file(tmp_path)) == 1
    assert seen == [theme.colours()["window"]]


@pytest.mark.parametrize(
    ("title", "prompt"),
    [
        ("Change passphrase", "Your current passphrase:"),  # the window's own, a short prompt
        ("Merge a journey log", "The bundle's passphrase:"),
        ("Restore from a backup", "Type the passphrase the backups were made with:"),
    ],
)
def test_asking_for_a_passphrase_shows_the_whole_title_and_gives_back_what_was_typed(
    qtbot: QtBot, title: str, prompt: str
) -> None:
    seen: list[tuple[int, int, int, int, str]] = []

    def type_and_enter(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        box = dialog.findChild(QLineEdit)
        assert box is not None
        assert box.echoMode() == QLineEdit.EchoMode.Password
        room = dialog.fontMetrics().horizontalAdvance
        seen.append((dialog.width(), room(title), box.width(), room("x"), dialog.labelText()))
        qtbot.keyClicks(box, "four quiet river stones")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    typed: list[str | None] = []
    with_modal(qtbot, lambda: typed.append(ask_passphrase(None, title, prompt)), type_and_enter)
    assert typed == ["four quiet river stones"]
    width, title_width, box_width, x, label = seen[0]
    assert width > title_width + 80  # the title bar's buttons and icon beside the whole title
    assert box_width >= 40 * x  # several words' worth of dots (Qt's own: about 25)
    assert label == prompt

    def cancel(dialog: QDialog) -> None:
        dialog.reject()

    typed.clear()
    with_modal(qtbot, lambda: typed.append(ask_passphrase(None, title, prompt)), cancel)
    assert typed == [None]
