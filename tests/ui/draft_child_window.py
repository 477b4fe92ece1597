"""What the draft children (run by test_drafts in a child process) share: the window over a
caseload with a parent open, and saying TYPED once the drafts had time to be kept."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.forms import DRAFT_DELAY_MS


def open_window(path: str, key: str, pid: str) -> tuple[QApplication, Caseload, MainWindow]:
    """The application and the main window over the caseload at `path`, with `pid` open."""
    app = QApplication([])
    caseload = Caseload.open(Path(path), key, create=False)
    window = MainWindow(caseload, ChangeBus(caseload))
    window.show()
    window.open_participant(pid)
    return app, caseload, window


def say_typed_then_wait(app: QApplication, settle: float) -> None:
    """Typing stopped: a draft is written a second after its last key; wait `settle` seconds
    longer, say TYPED, then wait to be killed."""
    deadline = time.monotonic() + DRAFT_DELAY_MS / 1000 + settle
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    sys.stdout.write("TYPED\n")
    sys.stdout.flush()
    QTimer.singleShot(60_000, app.quit)  # never reached: the test kills us first
    app.exec()
