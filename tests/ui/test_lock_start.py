"""The lock set up before the window is shown (as at start-up) watches once the window is up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow


def test_a_window_protected_before_it_shows_watches_once_painted(
    qtbot: QtBot, demo_caseload: Caseload
) -> None:
    window = MainWindow(demo_caseload, ChangeBus(demo_caseload))
    qtbot.addWidget(window)
    window.protect(backups=False, check=False)  # as run() does: before show()
    lock = window.lock
    assert lock is not None
    assert not lock._watching  # nothing is handed to Python before the first paint
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: lock._watching, timeout=10_000)

    # Watching: the lock keys work inside a modal dialog, where the window's shortcut cannot.
    dialog = QDialog(window)
    box = QLineEdit()
    QVBoxLayout(dialog).addWidget(box)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(
        box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert lock.is_locked
    dialog.reject()
    lock.detach()


def test_a_lock_detached_before_the_window_shows_never_watches(
    qtbot: QtBot, demo_caseload: Caseload
) -> None:
    window = MainWindow(demo_caseload, ChangeBus(demo_caseload))
    qtbot.addWidget(window)
    window.protect(backups=False, check=False)
    lock = window.lock
    assert lock is not None
    lock.detach()
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(300)
    assert not lock._watching
