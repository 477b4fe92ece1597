"""ImportDialog: check a spreadsheet first (every row), then import it all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.exchange.spreadsheet import ImportReport, import_file
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import attempt


class ImportDialog(QDialog):
    """Pick a CSV or Excel file; see what would change and any rows to correct; then import."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Import from a spreadsheet")
        intro = QLabel(
            "Import a list of parents, milestones or contacts from a CSV or Excel file. The first "
            "row names the columns, for example: ref, preferred name, locality, joined on. "
            "The file is checked first; if any row needs correcting, nothing is imported."
        )
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setPlaceholderText("The file to import")
        self.path.setAccessibleName("The file to import")
        self.path.textChanged.connect(self._forget_check)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        self.check_button = QPushButton("Check the file")
        self.check_button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.check_button)
        self.summary = QLabel("Choose a file, then check it.")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Rows to correct")
        self.problems.setVisible(False)
        self.problems.setWordWrap(True)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)  # keeps the form together at the top while no rows are listed
        layout.addWidget(self.buttons)
        self.checked: ImportReport | None = None
        self.resize(680, 420)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a spreadsheet", "", "Spreadsheets (*.csv *.xlsx)"
        )
        if name:
            self.path.setText(name)

    def _forget_check(self) -> None:
        self.checked = None
        self.import_button.setEnabled(False)

    def _show(self, report: ImportReport) -> None:
        # How the file was read (sheet, headings, dates, columns left out) goes with the summary.
        self.summary.setText("\n".join([report.summary(), *report.notes]))
        self.problems.clear()
        self.problems.addItems([str(p) for p in report.problems])
        self.problems.setVisible(bool(report.problems))

    def check(self) -> ImportReport | None:
        """The dry run: every row checked, nothing saved."""
        path = Path(self.path.text().strip())
        report = attempt(self, lambda: import_file(self.caseload, path, dry_run=True))
        self.checked = report
        if report is None:
            self.summary.setText("The file could not be read.")
            self.import_button.setEnabled(False)
            return None
        self._show(report)
        self.import_button.setEnabled(report.ok and bool(report.to_create or report.to_update))
        return report

    def run_import(self) -> ImportReport | None:
        """Import the checked file (all or nothing)."""
        if self.checked is None or not self.checked.ok:
            return None
        path = self.checked.file
        report = attempt(self, lambda: import_file(self.caseload, path))
        if report is not None:
            self._show(report)
            self.import_button.setEnabled(False)
        return report


def open_import(parent: QWidget | None, caseload: Caseload) -> ImportDialog:
    """Show the import dialog (window-modal; returns the dialog)."""
    return open_window_modal(ImportDialog(caseload, parent))
