"""Back up now, and restore a backup (each one's date and counts shown first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeyapp import security
from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError
from journeyapp.core.text import backup_counts
from journeyapp.ui.errors import show_error
from journeyapp.ui.operations import Operation
from journeyapp.ui.widgets.tables import pick_one_row, selected_row


class BackupFile(Protocol):
    """A backup on disk (the store's BackupFile)."""

    @property
    def path(self) -> Path: ...
    @property
    def made_at(self) -> datetime: ...


class BackupCheck(Protocol):
    """What a made backup reports (the store's BackupCheck; ui does not import the store)."""

    @property
    def path(self) -> Path: ...
    @property
    def parents(self) -> int: ...
    @property
    def events(self) -> int: ...
    @property
    def encrypted(self) -> bool: ...


def open_backup(
    parent: QWidget | None, caseload: Caseload, done: Callable[[bool], object] | None = None
) -> Operation[BackupCheck] | None:
    """Make a verified backup now (off the window's thread, with Cancel), then say where it is
    and what it holds; `done(made)` is called afterwards."""

    def made(check: BackupCheck) -> None:
        protection = (
            "It is encrypted with your passphrase."
            if check.encrypted
            else "It is not encrypted (a demo or unprotected caseload)."
        )
        words = (
            f"Backed up {backup_counts(check.parents, check.events, ' and ')} to "
            f"{check.path}, and checked it by reopening it. {protection}"
        )
        if isinstance(parent, QMainWindow):
            # It worked: the status bar says so (STYLE.md: no dialog just to say that).
            parent.statusBar().showMessage(words)
        else:
            QMessageBox.information(parent, "Backup made", words)
        if done is not None:
            done(True)

    def failed(exc: JourneyError) -> None:
        show_error(parent, exc, "Backup not made")
        if done is not None:
            done(False)

    if caseload.moved_away:
        # The file was moved or deleted while open: no second connection can open it by its
        # name, but this one still reads all of it, so the copy is made here, at once.
        try:
            check = caseload.safety.backup()
        except JourneyError as exc:
            failed(exc)
        else:
            made(check)
        return None
    return (
        Operation(
            parent=parent,
            caseload=caseload,
            op=lambda own, progress: own.safety.backup(progress=progress),
            success=made,
            title="Back up now",
        )
        .with_progress("Backing up and checking the copy…")
        .failure(failed)
        .on_cancelled(lambda: done(False) if done is not None else None)
        .run_in_background()
    )


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
        self.loaded = False
        self.operation: Operation[Any] | None = None
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.aside: Path | None = None
        self._load()

    def _load(self) -> None:
        """Reopen and check each backup off the window's thread (seconds each when large)."""
        self.table.setRowCount(1)
        self.table.setItem(0, 0, QTableWidgetItem("Checking each backup…"))
        self._selection_changed()
        path, key = self.caseload_path, self.key
        self.operation = (
            Operation[Any](
                parent=self,
                caseload=None,
                op=lambda _none, progress: security.backup_details(path, key, progress=progress),
                success=self._show,
                title="Restore from a backup",
            )
            .on_progress(self._checking)
            .run_in_background()
        )

    def _checking(self, done: int, total: int) -> None:
        cell = self.table.item(0, 0)
        if cell is not None and not self.loaded:
            cell.setText(f"Checking each backup… ({done} of {total} checked)")

    def _show(self, details: list[tuple[BackupFile, BackupCheck | None, str]]) -> None:
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
        self.loaded = True
        self._selection_changed()

    def _selected_backup(self) -> int | None:
        """The selected row, when it is a backup (not the "No backups yet" line)."""
        row = selected_row(self.table)
        return row if row is not None and row < len(self.paths) else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.loaded and self._selected_backup() is not None)

    def restore_selected(self) -> None:
        """Confirm, then restore the chosen backup."""
        row = self._selected_backup()
        if row is None:
            return
        backup = self.paths[row]
        cell = self.table.item(row, 0)
        made = cell.text() if cell is not None else "then"
        again = security.erased_since_text(
            security.erased_since(self.caseload_path, backup, self.key)
        )
        answer = QMessageBox.question(
            self,
            "Restore this backup?",
            f"Put the backup made {made} in place of the current caseload? Anything recorded "
            "since then will be in the file kept aside, not in the restored caseload."
            + (f"\n\n{again}" if again else ""),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        path, key = self.caseload_path, self.key
        self.restore_button.setEnabled(False)
        self.operation = (
            Operation(
                parent=self,
                caseload=None,
                op=lambda _none, _progress: security.restore(path, backup, key),
                success=self._restored,
                title="Restore from a backup",
            )
            .with_progress("Checking the backup and putting it in place…")
            .failure(self._not_restored)
            .run_in_background()
        )

    def _restored(self, outcome: tuple[BackupCheck, Path | None]) -> None:
        check, aside = outcome
        self.aside = aside
        kept = f" The previous file is kept at {aside}." if aside else ""
        QMessageBox.information(
            self,
            "Restored",
            f"Restored {backup_counts(check.parents, check.events, ' and ')}.{kept}",
        )
        self.accept()

    def _not_restored(self, exc: JourneyError) -> None:
        self._selection_changed()
        show_error(self, exc, "Not restored")


def open_restore(parent: QWidget | None, caseload_path: Path) -> bool:
    """Choose and restore a backup of the caseload at `caseload_path`; True when restored.

    Call it with the caseload closed (the window must release its lock first), then reopen
    with open_caseload_interactively. Encrypted backups need the passphrase to show counts.
    """
    from journeyapp.ui.dialogs.passphrase import ask_passphrase

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
