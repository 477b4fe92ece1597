"""Back up now, restore a backup (each one's date and counts shown first), automatic backups."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeyapp import security
from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError
from journeyapp.ui.dialogs.passphrase import ask_passphrase
from journeyapp.ui.errors import show_error
from journeyapp.ui.widgets.tables import pick_one_row, selected_row

AUTOMATIC_EVERY = timedelta(hours=3)
# The start-up backup waits this long after the window is created, so the window is on screen
# first (a verified backup of a large caseload takes seconds; the window must open fast).
START_DELAY_MS = 1500


def open_backup(parent: QWidget | None, caseload: Caseload) -> bool:
    """Make a verified backup now and say where it is and what it holds."""
    try:
        made = caseload.safety.backup()
    except JourneyError as exc:
        show_error(parent, exc, "Backup not made")
        return False
    protection = (
        "It is encrypted with your passphrase."
        if made.encrypted
        else "It is not encrypted (a demo or unprotected caseload)."
    )
    QMessageBox.information(
        parent,
        "Backup made",
        f"Backed up {made.parents} parents and {made.events} journey-log events to "
        f"{made.path}, and checked it by reopening it. {protection}",
    )
    return True


class RestoreDialog(QDialog):
    """The backups of one caseload with their date and counts; restore the one chosen."""

    COLUMNS = ("Made", "Parents", "Journey-log events", "Notes")

    def __init__(self, caseload_path: Path, key: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload_path = Path(caseload_path)
        self.key = key
        self.setWindowTitle("Restore from a backup")
        self.setMinimumSize(640, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Choose a backup to put in place of {self.caseload_path.name}. The current file is "
            "kept aside first, so nothing is lost. Close other JourneyApp windows before you "
            "restore."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        pick_one_row(self.table, "Backups")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "Restore this backup", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.paths: list[Path] = []
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._load()
        self.aside: Path | None = None

    def _load(self) -> None:
        details = security.backup_details(self.caseload_path, self.key)
        self.table.setRowCount(len(details))
        self.paths = []
        for row, (backup, check, why) in enumerate(details):
            self.paths.append(backup.path)
            local = backup.made_at.astimezone()
            cells = [
                local.strftime("%a %d %b %Y, %H:%M"),
                str(check.parents) if check else "–",
                str(check.events) if check else "–",
                why or ("encrypted" if check and check.encrypted else "not encrypted"),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if check is None:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        if not details:
            self.table.setRowCount(1)
            self.table.setItem(0, 0, QTableWidgetItem("No backups yet"))
            self.paths = []
        self._selection_changed()

    def _selected_backup(self) -> int | None:
        """The selected row, when it is a backup (not the "No backups yet" line)."""
        row = selected_row(self.table)
        return row if row is not None and row < len(self.paths) else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self._selected_backup() is not None)

    def restore_selected(self) -> None:
        """Confirm, then restore the chosen backup."""
        row = self._selected_backup()
        if row is None:
            return
        backup = self.paths[row]
        cell = self.table.item(row, 0)
        made = cell.text() if cell is not None else "then"
        answer = QMessageBox.question(
            self,
            "Restore this backup?",
            f"Put the backup made {made} in place of the current caseload? Anything recorded "
            "since then will be in the file kept aside, not in the restored caseload.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            check, aside = security.restore(self.caseload_path, backup, self.key)
        except JourneyError as exc:
            show_error(self, exc, "Not restored")
            return
        self.aside = aside
        kept = f" The previous file is kept at {aside}." if aside else ""
        QMessageBox.information(
            self,
            "Restored",
            f"Restored {check.parents} parents and {check.events} journey-log events.{kept}",
        )
        self.accept()


def open_restore(parent: QWidget | None, caseload_path: Path) -> bool:
    """Choose and restore a backup of the caseload at `caseload_path`; True when restored.

    Call it with the caseload closed (the window must release its lock first), then reopen
    with open_caseload_interactively. Encrypted backups need the passphrase to show counts.
    """
    path = Path(caseload_path)
    backups = security.list_backups(path)
    key: str | None = None
    if any(security.describe(b.path).needs_passphrase for b in backups):
        key = ask_passphrase(
            parent, "Restore from a backup", "Type the passphrase the backups were made with:"
        )
        if key is None:
            return False
    dialog = RestoreDialog(path, key, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


class AutomaticBackups(QObject):
    """A backup at start and then whenever the newest is older than `every` (checked hourly)."""

    def __init__(
        self,
        parent: QObject,
        caseload: Caseload,
        every: timedelta = AUTOMATIC_EVERY,
        check_ms: int = 60 * 60 * 1000,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.every = every
        self.last_error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.run)
        self.timer.start()

    def run(self, *, force: bool = False) -> None:
        """Back up now if due (or when `force`); a failure is remembered, never raised."""
        if self.caseload.is_closed:
            return  # the window let its caseload go (another one is opening, or it is closing)
        try:
            if force:
                self.caseload.safety.backup()
            else:
                self.caseload.safety.backup_if_due(self.every)
            self.last_error = ""
        except JourneyError as exc:
            self.last_error = exc.message


def start_automatic_backups(parent: QObject, caseload: Caseload) -> AutomaticBackups:
    """Back up at start (once the window is on screen) and every few hours of use while the
    window is open."""
    automatic = AutomaticBackups(parent, caseload)
    QTimer.singleShot(START_DELAY_MS, automatic, lambda: automatic.run(force=True))
    return automatic
