"""Run by test_drafts in a child process: open the window over a caseload, type half a note in
"Log a contact", say TYPED once the draft had time to be kept, then wait to be killed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.forms import DRAFT_DELAY_MS
from journeyapp.ui.workspace.contacts import LogContactDialog


def main(path: str, key: str, pid: str, words: str) -> None:
    app = QApplication([])
    caseload = Caseload.open(Path(path), key, create=False)
    window = MainWindow(caseload, ChangeBus(caseload))
    window.show()
    window.open_participant(pid)
    dialog = LogContactDialog(caseload, pid, window)
    dialog.show()
    QTest.qWaitForWindowExposed(dialog)
    dialog.note.setFocus()
    QTest.keyClicks(dialog.note, words)
    # Typing stopped: the draft is written a second later; wait a little longer, then say so.
    deadline = time.monotonic() + DRAFT_DELAY_MS / 1000 + 1.0
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    sys.stdout.write("TYPED\n")
    sys.stdout.flush()
    QTimer.singleShot(60_000, app.quit)  # never reached: the test kills us first
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:5])
