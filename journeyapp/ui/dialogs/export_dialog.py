"""ExportDialog: write a pseudonymised (or, when confirmed, identifiable) export for coordinators."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.file_names import file_ending_for_folder, with_ending
from journeyapp.exchange.export import ExportOptions, ExportResult, export
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import show_error
from journeyapp.ui.operations import Operation
from journeyapp.ui.widgets.period import PeriodPicker
from journeyapp.ui.widgets.wheel import ChoiceBox

FORMATS = (
    ("csv", "CSV files in a folder (opens in Excel and LibreOffice)"),
    ("xlsx", "One Excel workbook, a sheet per table"),
    ("jsonl", "JSON Lines files in a folder (for analysts)"),
)


class ExportDialog(QDialog):
    """Choose what to export and where; pseudonymised unless the person confirms otherwise."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Export for the coordinator")
        self.format = ChoiceBox()
        for key, text in FORMATS:
            self.format.addItem(text, key)
        self.locality = ChoiceBox()
        self.locality.addItem("All localities", None)
        # The catalogue's, then any other parents are recorded in (as `export --locality`).
        for key, text in caseload.catalogue.choices("localities", caseload.localities()):
            self.locality.addItem(text, key)
        self.keyworker = ChoiceBox()
        self.keyworker.addItem("All keyworkers", None)
        for name in caseload.keyworkers():
            self.keyworker.addItem(name, name)
        self.dates = PeriodPicker(caseload.today())
        self.identifiable = QCheckBox("Include names, contact details and notes (identifiable)")
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("Where to save the export")
        self.destination.setAccessibleName("Where to save the export")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Locality", self.locality)
        form.addRow("Keyworker", self.keyworker)
        form.addRow("Dates", self.dates)
        form.addRow("Save to", where)
        form.addRow("", self.identifiable)
        self.explain = QLabel(
            "Exports are pseudonymised: no names, contact details or exact ages, nothing anyone "
            "wrote (notes, venues; partners only as the partnership's list names them), and "
            "each parent appears under a code that cannot be turned back into a name."
        )
        self.explain.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.last_result: ExportResult | None = None
        self.operation: Operation[ExportResult] | None = None
        self.resize(640, 360)

    def _browse(self) -> None:
        if self.format.currentData() == "xlsx":
            name, _ = QFileDialog.getSaveFileName(
                self, "Save the workbook", "export.xlsx", "Excel (*.xlsx)"
            )
        else:
            name = QFileDialog.getSaveFileName(self, "Name a new folder for the export", "export")[
                0
            ]
        if name:
            self.destination.setText(name)

    def confirm_identifiable(self) -> bool:
        """Ask before writing names to a file (a separate method so tests can answer it)."""
        answer = QMessageBox.question(
            self,
            "Export names and contact details?",
            "This export will hold names, contact details and notes, and it will be noted in "
            "the journey log. Keep it encrypted and delete it when done. Continue?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def options(self) -> ExportOptions:
        """The export the form describes."""
        since, until = self.dates.period()
        return ExportOptions(
            format=str(self.format.currentData()),
            since=since,
            until=until,
            locality=self.locality.currentData(),
            keyworker=self.keyworker.currentData(),
            identifiable=self.identifiable.isChecked(),
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def run_export(self) -> Operation[ExportResult] | None:
        """Export as the form says (after confirmation for an identifiable one), off the
        window's thread with progress and Cancel; returns the running operation."""
        text = self.destination.text().strip()
        options = self.options()
        if not text:
            show_error(self, ValidationError("Choose where to save the export first."))
            return None
        if options.identifiable and not self.confirm_identifiable():
            return None
        out = Path(text)
        # A file is what its name says (as on the command line): a workbook's name gets .xlsx;
        # a folder of csv or jsonl files is not given a file's ending.
        if options.format == "xlsx":
            out = with_ending(out, "xlsx")
            self.destination.setText(str(out))
        else:
            refused = file_ending_for_folder(
                out, "", f"the {options.format} export is a folder with one file per table"
            )
            if refused is not None:
                show_error(self, ValidationError(refused))
                return None
        self.export_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.operation = (
            Operation(
                parent=self,
                caseload=self.caseload,
                op=lambda own, progress: export(own, out, options, progress=progress),
                success=self._exported,
                title="Export",
            )
            .with_progress("Writing the export…")
            .on_progress(self._progress)
            .failure(self._not_exported)
            .on_cancelled(lambda: self._stopped("Stopped: nothing was exported."))
            .run_in_background()
        )
        return self.operation

    def _exported(self, result: ExportResult) -> None:
        self.last_result = result
        self.progress.setValue(self.progress.maximum())
        self._finish(result.summary())

    def _not_exported(self, exc: JourneyError) -> None:
        self._stopped("Not exported: nothing was written.")
        show_error(self, exc, "Not exported")

    def _stopped(self, text: str) -> None:
        """An export that did not finish: no progress bar left standing at its last figure (a
        person would read it as still working), and a line saying nothing was written."""
        self.progress.setVisible(False)
        self._finish(text)

    def _finish(self, text: str) -> None:
        self.export_button.setEnabled(True)
        self.result_label.setText(text)


def open_export(parent: QWidget | None, caseload: Caseload) -> ExportDialog:
    """Show the export dialog (window-modal; returns the dialog)."""
    return open_window_modal(ExportDialog(caseload, parent))
