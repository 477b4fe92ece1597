"""Automatic backups: one once the window is up, then whenever the newest is a few hours old.

Apart from the backup dialogs (ui.dialogs.backup) so that starting them, before the window's
first paint, does not load those dialogs' classes: PySide sets up a Qt class's Python type
and enums when first imported (QDialog, QTableWidget, QMessageBox…), #18.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from journeyapp.core.text import backup_counts
from journeyapp.ui.operations import Operation, Progress

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.errors import JourneyError
    from journeyapp.ui.dialogs.backup import BackupCheck

AUTOMATIC_EVERY = timedelta(hours=3)


# The start-up backup waits this long after the window is created, so the window is painted
# first (the backup itself runs off the window's thread, on its own connection).
START_DELAY_MS = 1500


class AutomaticBackups(QObject):
    """A backup at start and then whenever the newest is older than `every` (checked hourly).

    Each runs as an operation on its own connection, off the window's thread, and says so
    quietly in `status` ("Backing up…", then "Backed up 10:42"); a failure is remembered and
    shown there, never raised.
    """

    def __init__(
        self,
        parent: QObject,
        caseload: Caseload,
        every: timedelta = AUTOMATIC_EVERY,
        check_ms: int = 60 * 60 * 1000,
        status: QLabel | None = None,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.every = every
        self.last_error = ""
        self.status = status if status is not None else QLabel()
        self.current: Operation[BackupCheck | None] | None = None
        self._stopped = False
        # The start-up backup, once the window is painted (run() earlier makes it unneeded).
        self.startup = QTimer(self)
        self.startup.setSingleShot(True)
        self.startup.setInterval(START_DELAY_MS)
        self.startup.timeout.connect(lambda: self.run(force=True))
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.run)
        self.timer.start()

    @property
    def running(self) -> bool:
        """True while a backup is being made."""
        return self.current is not None and self.current.running

    def run(self, *, force: bool = False) -> Operation[BackupCheck | None] | None:
        """Start a backup if due (or when `force`); returns the operation (None if none)."""
        self.startup.stop()
        if self._stopped or self.caseload.is_closed or self.running:
            return None  # the window let its caseload go, or one is already being made
        if self.caseload.path is None:
            return None  # an in-memory caseload (tests) has no file to copy
        every = self.every

        def work(own: Caseload, progress: Progress) -> BackupCheck | None:
            if force:
                return own.safety.backup(progress=progress)
            return own.safety.backup_if_due(every, progress=progress)

        self.current = (
            Operation(parent=None, caseload=self.caseload, op=work, success=self._made)
            .with_status(self.status, "Backing up…")
            .failure(self._failed)
            .on_cancelled(self._cancelled)
            .run_in_background()
        )
        return self.current

    def _cancelled(self) -> None:
        if not self._stopped:
            self.status.setText("")

    def _made(self, made: BackupCheck | None) -> None:
        if self._stopped:
            return  # the window has let its caseload go; its status bar may be gone
        self.last_error = ""
        if made is None:
            self.status.setText(self._last_text())
            return
        when = self.caseload.clock().astimezone().strftime("%H:%M")
        self.status.setText(f"Backed up {when}")
        self.status.setToolTip(
            f"The last backup ({backup_counts(made.parents, made.events)}) is "
            f"in {made.path.parent}, checked by reopening it."
        )

    def _last_text(self) -> str:
        backups = self.caseload.safety.backups() if not self.caseload.is_closed else []
        if not backups:
            return ""
        return f"Backed up {backups[0].made_at.astimezone().strftime('%H:%M')}"

    def _failed(self, exc: JourneyError) -> None:
        self.last_error = exc.message
        if self._stopped:
            return
        self.status.setText("Backup not made")
        self.status.setToolTip(exc.message)

    def stop(self) -> None:
        """Stop the timer and any backup being made (waiting for it to let go of the file)."""
        self._stopped = True
        self.startup.stop()
        self.timer.stop()
        if self.current is not None and self.current.running:
            self.current.cancel()
            self.current.wait()


def start_automatic_backups(
    parent: QObject, caseload: Caseload, status: QLabel | None = None
) -> AutomaticBackups:
    """Back up at start (once the window is on screen) and every few hours of use while the
    window is open, each off the window's thread."""
    automatic = AutomaticBackups(parent, caseload, status=status)
    automatic.startup.start()
    return automatic
