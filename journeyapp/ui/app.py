"""Start the window: QApplication, the first-run screen if needed, Caseload, ChangeBus, MainWindow."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from journeyapp import paths, security
from journeyapp.caseload import Caseload
from journeyapp.core import dataclass_code, kept_toml
from journeyapp.core.access import Access
from journeyapp.ui import theme
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs.opening import open_caseload_interactively
from journeyapp.ui.errors import tell_of_fault
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.private_typing import keep_typing_private
from journeyapp.ui.pyside_fixes import guard_none
from journeyapp.ui.widgets.screen import fit_every_dialog

if TYPE_CHECKING:
    from types import TracebackType

REPORT_READY_ENV = "JOURNEYAPP_REPORT_READY"


class _ReportReady(QObject):
    """For benchmarks: $JOURNEYAPP_REPORT_READY=FILE makes the window write time.time() to FILE
    once it has painted and the event loop has gone idle (ready for input)."""

    def __init__(self, window: QObject, file: Path) -> None:
        super().__init__(window)
        self.file = file
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # A zero timer fires once the events already queued (the rest of the paint) are done.
            QTimer.singleShot(0, self._write)
        return False

    def _write(self) -> None:
        self.file.write_text(repr(time.time()), encoding="utf-8")


def faults_told(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """The window's sys.excepthook: the fault written out without its words (for whoever
    looks into it), and the person told that what they asked for may not have been done
    (before, nothing was said: a Save that failed this way only seemed to do nothing)."""
    security.faults_without_their_words(kind, value, tb)
    if not issubclass(kind, (KeyboardInterrupt, SystemExit)):
        tell_of_fault()


def run(db_path: Path | None, *, smoke_test: bool = False, key: str | None = None) -> int:
    """Open the caseload at `db_path` in the main window and run until it is closed.

    When there is no caseload file yet, the first-run screen asks whether to start a new
    caseload there or explore a demo.
    """
    security.harden_process()  # first: no core dumps, private files (issue 17)
    sys.excepthook = faults_told  # nor a parent's words in a fault; the person told in words
    app = QApplication.instance() or theme.application(sys.argv[:1])
    assert isinstance(app, QApplication)
    # From the first Qt call on: the unlock and first-run dialogs lose references to None too,
    # and the window then finds the guard in place (not built between Enter and the window).
    guard_none(app)
    # Qt's own file dialogs, never the desktop's: GTK's (GNOME, Xfce, Cinnamon, MATE), KDE's
    # and Windows' add each file chosen to a list of recent files kept on disk (GTK's
    # recently-used.xbel): every plan saved would be listed there by its file name, a parent's
    # name, readable without the passphrase and still there after the parent is erased. Qt's
    # own dialog remembers only the folders (in QtProject.conf).
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    # The app's look (light or dark, as the system is) from the first dialog on: the unlock
    # and first-run dialogs had Qt's plain palette, the window the app's.
    theme.apply(app)
    keep_typing_private(app)  # nor parents' words in an input method's dictionary
    app.setApplicationName(paths.APP_NAME)
    app.setDesktopFileName("journeyapp")  # Wayland matches the window to journeyapp.desktop
    icon = paths.resource("icons/journeyapp.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # Protecting the data (issue 6): a log without personal data.
    security.setup_logging()
    # The dialogs before the window (unlock, first run) are fitted and lose a desktop's
    # pictures on their buttons (a red X on Cancel) like every later one.
    fit_every_dialog()
    if smoke_test or key is not None:
        # A smoke test's caseload is a throwaway file: a demo, unless a key is given.
        caseload = Caseload.open(db_path, key, create=True, access=Access.WINDOW, demo=key is None)
    elif db_path is not None and not db_path.exists():
        from PySide6.QtWidgets import QDialog

        from journeyapp.ui.dialogs.first_run import FirstRunDialog

        first_run = FirstRunDialog(db_path)
        if first_run.exec() != QDialog.DialogCode.Accepted or first_run.caseload is None:
            return 0
        caseload = first_run.caseload
    else:
        assert db_path is not None
        opened = open_caseload_interactively(None, db_path)
        if opened is None:
            return 1
        caseload = opened
    window = MainWindow(caseload, ChangeBus(caseload), owns_caseload=True)
    window.protect(backups=not smoke_test)
    window.show_fitted()
    # Everything made so far (modules, the caseload list, the widgets) lives as long as the
    # window: moved out of the collector's way, a full collection no longer walks it (one
    # right after start-up took 50-60 ms at 10,000 parents; later ones stall typing likewise).
    gc.freeze()
    # Off since the command line began to load the window (start.launch_window): on again, for
    # what the window does from now on. (What little garbage start-up left, a few hundred
    # objects, stays with what was frozen.)
    gc.enable()
    if not smoke_test:
        # Words typed and never saved (a crash, a power cut) are offered back once it is up.
        QTimer.singleShot(300, window.offer_drafts)
    ready_file = os.environ.get(REPORT_READY_ENV)
    if ready_file:
        _ReportReady(window, Path(ready_file))
    if smoke_test:
        QTimer.singleShot(200, window.close)
    # What start-up compiled and parsed is kept for the next start now: the window may never
    # exit cleanly.
    dataclass_code.keep()
    kept_toml.keep()
    return int(app.exec())
