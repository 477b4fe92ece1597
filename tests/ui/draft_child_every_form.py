"""Run by test_drafts in a child process: open the window over a caseload, open every form that
keeps drafts (one of each kind, side by side), type half a note into each, say TYPED once the
drafts had time to be kept, then wait to be killed."""

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
from tests.ui.draft_forms import FORMS, box_of, words_for


def main(path: str, key: str, pid: str) -> None:
    app = QApplication([])
    caseload = Caseload.open(Path(path), key, create=False)
    window = MainWindow(caseload, ChangeBus(caseload))
    window.show()
    window.open_participant(pid)
    dialogs = []
    for entry in FORMS:
        dialog = entry.build(caseload, pid)
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        box = box_of(dialog, entry)
        box.setFocus()
        QTest.keyClicks(box, words_for(entry.form))
        dialogs.append(dialog)
    # Typing stopped: each draft is written a second after its last key; wait a little longer.
    deadline = time.monotonic() + DRAFT_DELAY_MS / 1000 + 1.5
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    sys.stdout.write("TYPED\n")
    sys.stdout.flush()
    QTimer.singleShot(60_000, app.quit)  # never reached: the test kills us first
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:4])
