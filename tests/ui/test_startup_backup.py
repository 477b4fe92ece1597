"""The automatic backup at start runs once the window is on screen, not before it appears."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.main_window import MainWindow


def test_the_start_up_backup_follows_the_window(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    window.protect()
    try:
        assert caseload.safety.backups() == []  # protect() returns without copying the caseload
        qtbot.waitUntil(lambda: len(caseload.safety.backups()) == 1, timeout=10_000)
        assert window.backups is not None
        assert window.backups.last_error == ""
    finally:
        assert window.lock is not None
        window.lock.detach()
