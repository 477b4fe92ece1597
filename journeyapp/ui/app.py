"""Start the window: QApplication, Caseload, ChangeBus and MainWindow."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow


def run(db_path: Path | None, *, smoke_test: bool = False, key: str | None = None) -> int:
    """Open the caseload at `db_path` in the main window and run until it is closed."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationDisplayName(paths.APP_NAME)
    app.setDesktopFileName("journeyapp")  # Wayland matches the window to journeyapp.desktop
    icon = paths.resource("icons/journeyapp.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Security (issue 6): no core dumps, our own log, unlock or first-run passphrase, lock, backups.
    from journeyapp import security
    from journeyapp.ui.dialogs.backup import start_automatic_backups
    from journeyapp.ui.dialogs.passphrase import open_caseload_interactively
    from journeyapp.ui.lock import LockController

    security.harden_process()
    security.setup_logging()
    if key is None and not smoke_test and db_path is not None:
        opened = open_caseload_interactively(None, db_path)
        if opened is None:
            return 1
        caseload = opened
    else:
        caseload = Caseload.open(db_path, key)
    bus = ChangeBus(caseload)
    window = MainWindow(caseload, bus)
    lock = LockController(window, caseload)
    backups = start_automatic_backups(window, caseload)
    window.show()
    if smoke_test:
        QTimer.singleShot(200, window.close)
    code = app.exec()
    lock.detach()
    backups.timer.stop()
    bus.detach()
    caseload.close()
    return int(code)
