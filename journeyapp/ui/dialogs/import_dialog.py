"""ImportDialog: check a spreadsheet first (every row), then import it all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, Protocol, TypeVar

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
from journeyapp.core.errors import JourneyError
from journeyapp.exchange.spreadsheet import ImportReport, import_file
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import show_error
from journeyapp.ui.operations import Operation


class CheckedFile(Protocol):
    """What checking a file reports: whether every row is usable, and which file."""

    @property
    def ok(self) -> bool: ...

    @property
    def file(self) -> Path: ...


ReportT = TypeVar("ReportT", bound=CheckedFile)


class CheckThenImportDialog(QDialog, Generic[ReportT]):
    """Pick a file, check every row (nothing saved), then import the checked file all or
    nothing; both off the window's thread. Subclasses say what the file is and what is done."""

    title = ""
    intro_text = ""
    file_text = ""  # placeholder and accessible name of the path box
    browse_caption = ""
    import_text = ""
    import_label = ""  # the progress label while importing
    failed_text = ""
    stopped_text = ""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle(self.title)
        intro = QLabel(self.intro_text)
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.file_text)
        self.path.setAccessibleName(self.file_text)
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton(
            self.import_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for widget in self._above_the_file():
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)  # keeps the form together at the top while no rows are listed
        layout.addWidget(self.buttons)
        self.checked: ReportT | None = None
        self.operation: Operation[ReportT] | None = None
        self.resize(680, 420)

    def _above_the_file(self) -> list[QWidget]:
        """Widgets shown between the introduction and the file (none here)."""
        return []

    def _check_work(self, path: Path) -> Callable[[Caseload], ReportT]:
        """Check every row of `path`, saving nothing."""
        raise NotImplementedError

    def _import_work(self, checked: ReportT) -> Callable[[Caseload], ReportT]:
        """Import the checked file."""
        raise NotImplementedError

    def _show(self, report: ReportT) -> None:
        raise NotImplementedError

    def _can_import(self, report: ReportT) -> bool:
        return report.ok

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.browse_caption, "", "Spreadsheets (*.csv *.xlsx *.txt)"
        )
        if name:
            self.path.setText(name)

    def _forget_check(self) -> None:
        self.checked = None
        self.import_button.setEnabled(False)

    def check(self) -> Operation[ReportT] | None:
        """The dry run: every row checked, nothing saved (off the window's thread)."""
        path = Path(self.path.text().strip())
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.operation = self._run("Checking every row…", self._check_work(path), self._checked)
        return self.operation

    def _checked(self, report: ReportT) -> None:
        self.check_button.setEnabled(True)
        self.checked = report
        self._show(report)
        self.import_button.setEnabled(self._can_import(report))

    def run_import(self) -> Operation[ReportT] | None:
        """Import the checked file (all or nothing), off the window's thread."""
        if self.checked is None or not self.checked.ok:
            return None
        work = self._import_work(self.checked)
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.operation = self._run(self.import_label, work, self._imported)
        return self.operation

    def _imported(self, report: ReportT) -> None:
        self.check_button.setEnabled(True)
        self._show(report)

    def _run(
        self,
        label: str,
        work: Callable[[Caseload], ReportT],
        done: Callable[[ReportT], None],
    ) -> Operation[ReportT]:
        return (
            Operation(
                parent=self,
                caseload=self.caseload,
                op=lambda own, _progress: work(own),
                success=done,
                title=self.title,
            )
            .with_progress(label)
            .failure(self._failed)
            .on_cancelled(self._stopped)
            .run_in_background()
        )

    def _failed(self, exc: JourneyError) -> None:
        self.checked = None
        self.check_button.setEnabled(True)
        self.summary.setText(self.failed_text)
        show_error(self, exc, self.title)

    def _stopped(self) -> None:
        self.check_button.setEnabled(True)
        self.summary.setText(self.stopped_text)


class ImportDialog(CheckThenImportDialog[ImportReport]):
    """Pick a CSV or Excel file; see what would change and any rows to correct; then import."""

    title = "Import from a spreadsheet"
    intro_text = (
        "Import a list of parents, milestones or contacts from a CSV or Excel file. The first "
        "row names the columns, for example: ref, preferred name, locality, joined on. "
        "The file is checked first; if any row needs correcting, nothing is imported."
    )
    file_text = "The file to import"
    browse_caption = "Choose a spreadsheet"
    import_text = "Import"
    import_label = "Importing…"
    failed_text = "The file could not be read."
    stopped_text = "Stopped: nothing was imported."

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _check_work(self, path: Path) -> Callable[[Caseload], ImportReport]:
        return lambda own: import_file(own, path, dry_run=True)

    def _import_work(self, checked: ImportReport) -> Callable[[Caseload], ImportReport]:
        path = checked.file
        return lambda own: import_file(own, path)

    def _show(self, report: ImportReport) -> None:
        # How the file was read (sheet, headings, dates, columns left out) goes with the summary.
        self.summary.setText("\n".join([report.summary(), *report.notes]))
        self.problems.clear()
        self.problems.addItems([str(p) for p in report.problems])
        self.problems.setVisible(bool(report.problems))

    def _can_import(self, report: ImportReport) -> bool:
        return report.ok and bool(report.to_create or report.to_update)

    def _stopped(self) -> None:
        super()._stopped()
        self.import_button.setEnabled(self.checked is not None and self.checked.ok)


def open_import(parent: QWidget | None, caseload: Caseload) -> ImportDialog:
    """Show the import dialog (window-modal; returns the dialog)."""
    return open_window_modal(ImportDialog(caseload, parent))
