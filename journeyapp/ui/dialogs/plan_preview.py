"""Print plan: a preview of the real PDF pages, then Print or Save as PDF; and plans for a whole caseload."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPainter, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.documents import ActionPlan
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import JourneyError, StorageError
from journeyapp.core.records import Participant
from journeyapp.ui import theme
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import attempt, show_error, succeeded
from journeyapp.ui.operations import Operation, Progress
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.save_names import chosen_file
from journeyapp.ui.widgets.wheel import ChoiceBox

PLAN = "plan"
WHAT_WE_HOLD = "what_we_hold"
# Pages are shown this wide on screen; printing renders again at the printer's resolution.
PREVIEW_WIDTH = 640
MIN_PAGE_WIDTH = 240  # narrower than this a page cannot be read at all: scroll instead
PRINT_DPI_CAP = 300


class PlanPreviewDialog(QDialog):
    """The parent's plan exactly as it will print: the real PDF pages, then Print or Save as PDF."""

    def __init__(
        self, caseload: Caseload, participant_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.participant: Participant = caseload.participant(participant_id)
        self.setWindowTitle(f"Print plan — {self.participant.preferred_name}")
        self.pdf = b""
        self.pages = 0
        # Kept unparented and referenced from Python: a QPdfDocument parented to a view
        # crashes on destruction in Qt 6.12 (see research/stack-spike.md).
        self.document = QPdfDocument()
        # The pages are read from memory: a preview never writes the plan to a file (issue 17).
        # The buffer must live as long as the document reads from it.
        self._bytes = QByteArray()
        self._buffer = QBuffer()

        self.kind = ChoiceBox()
        self.kind.addItem("Their plan", PLAN)
        self.kind.addItem("What we hold about them", WHAT_WE_HOLD)
        self.kind.setAccessibleName("Which document")
        self.large_print = QCheckBox("&Large print")
        self.large_print.setToolTip("Print at 16 pt instead of 12 pt.")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("e.g. 07700 900123 (printed on the plan)")
        self.contact.setAccessibleName("How the parent can reach you")
        self.contact.editingFinished.connect(self._contact_edited)
        self._contact_shown = ""
        self.status = QLabel()
        self.status.setWordWrap(True)

        options = QFormLayout()
        options.addRow("Print:", self.kind)
        options.addRow("How they can reach you:", self.contact)
        options.addRow("", self.large_print)

        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setSpacing(16)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.pages_box)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAccessibleName("Preview of the printed pages")
        theme.style(self.scroll_area, "scrollView")  # shows when the keyboard is on the pages
        self.page_labels: list[QLabel] = []
        self._shown_width = 0
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)
        self._refit.timeout.connect(self._show_pages)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(
            "&Save as PDF…", QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in buttons.findChildren(QPushButton):
            # Enter in the contact field updates the preview; it must not start printing.
            button.setAutoDefault(False)
            button.setDefault(False)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_plan)
        self.save_button.clicked.connect(self.save_as_pdf)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.large_print.toggled.connect(self.refresh)
        self.resize(PREVIEW_WIDTH + 120, 820)
        self.refresh()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter must never start printing by surprise: in the contact field it updates the
        # preview; a focused button still reacts to Space.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._contact_edited()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- building and showing the pages ------------------------------------------------------------

    def build(self) -> ActionPlan:
        """What the chosen document says, from the parent's records as they are now."""
        return self.caseload.document(
            self.participant.id,
            contact=self.contact.text(),
            what_we_hold=self.kind.currentData() == WHAT_WE_HOLD,
        )

    def refresh(self) -> None:
        """Render the PDF again (after a change of document, print size or contact) and show it."""
        # reportlab loads when a plan is first shown, not with the window.
        from journeyapp.plans.documents import pdf_with_pages

        # Tried once: a contact line refused (too long) is said once, not again each time
        # the field loses focus or Enter reaches the dialog, until it is changed.
        self._contact_shown = self.contact.text()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            rendered = attempt(self, lambda: pdf_with_pages([self.build()], self.is_large_print))
        finally:
            QApplication.restoreOverrideCursor()
        if rendered is None:
            self.status.setText(
                "Not updated: the pages shown, and what would print, are as before. "
                "Correct it and press Enter to see it again."
            )
            return
        self.pdf, self.pages = rendered
        self._load()
        self._show_pages()
        size = "large print" if self.is_large_print else "standard print"
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}"
        status = f"{pages}, {size}. This is exactly what will print."
        if self.kind.currentData() == PLAN:
            # What the plan leaves out as not happened yet, for the keyworker to put right.
            ahead = attempt(
                self,
                lambda: self.caseload.dated_after_words(self.caseload.journey(self.participant.id)),
            )
            if ahead:
                status += f"\n⚠ {ahead}"
        self.status.setText(status)

    @property
    def is_large_print(self) -> bool:
        """True when the large-print option is ticked."""
        return self.large_print.isChecked()

    def _contact_edited(self) -> None:
        if self.contact.text() != self._contact_shown:
            self.refresh()

    def _load(self) -> None:
        # A fresh buffer each time: the document keeps reading the old one until closed.
        self.document.close()
        self._buffer.close()
        self._bytes = QByteArray(self.pdf)
        self._buffer = QBuffer()
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        error = self.document.error()
        if error != QPdfDocument.Error.None_:
            raise StorageError(f"The preview could not be shown ({error.name}).")

    def page_image(self, index: int, width: int) -> QImage:
        """One page rendered `width` pixels wide, keeping the page's proportions."""
        points = self.document.pagePointSize(index)
        height = round(width * points.height() / points.width())
        rendered = self.document.render(index, QSize(width, height))
        # QtPdf leaves the page transparent; lay it on white paper so it looks like the print.
        paper = QImage(rendered.size(), QImage.Format.Format_RGB32)
        paper.fill(Qt.GlobalColor.white)
        painter = QPainter(paper)
        try:
            painter.drawImage(0, 0, rendered)
        finally:
            painter.end()
        return paper

    def page_width(self) -> int:
        """How wide a page is shown: PREVIEW_WIDTH, or the width of the preview's area when it is
        narrower (a small screen, or 200%), so a page is read whole without scrolling sideways."""
        margins = self.pages_layout.contentsMargins()
        room = self.scroll_area.viewport().width() - margins.left() - margins.right()
        room -= self.scroll_area.verticalScrollBar().sizeHint().width()  # once pages overflow
        return max(MIN_PAGE_WIDTH, min(PREVIEW_WIDTH, room))

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Shown again at the new width a moment after the last resize (not on every step).
        if self.page_labels and self.page_width() != self._shown_width:
            self._refit.start()

    def _show_pages(self) -> None:
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        ratio = self.devicePixelRatioF()
        self._shown_width = self.page_width()
        for index in range(self.document.pageCount()):
            image = self.page_image(index, round(self._shown_width * ratio))
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setFrameShape(QFrame.Shape.Box)
            label.setAccessibleName(f"Page {index + 1} of {self.document.pageCount()}")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)

    # -- print and save ----------------------------------------------------------------------------

    def print_plan(self) -> None:
        """Open the system print dialog and print the pages shown."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.print_job_name())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_job_name(self) -> str:
        """The print job's name: what it is, never whose. The print system keeps a job's name
        in its history and page log (on this laptop and on an office's print server), a print
        queue shows it to whoever looks, and printing to a file makes it the file's name and
        its title; the pages are the only place the parent's name goes."""
        if self.kind.currentData() == WHAT_WE_HOLD:
            return "JourneyApp - what we hold"
        return "JourneyApp plan"

    def print_to(self, printer: QPrinter) -> None:
        """Print every page, edge to edge (the PDF pages carry their own margins)."""
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, StorageError("The printer could not be started. Check it is ready."))
            return
        try:
            target = painter.viewport()
            dpi = min(printer.resolution(), PRINT_DPI_CAP)
            scale = dpi / max(printer.resolution(), 1)
            for index in range(self.document.pageCount()):
                if index:
                    printer.newPage()
                image = self.page_image(index, max(1, round(target.width() * scale)))
                painter.drawImage(target, image)
        finally:
            # An open painter on a printer crashes at exit (research/stack-spike.md).
            painter.end()
        sent = self.document.pageCount()
        self.status.setText(f"Sent {sent} page{'s' if sent != 1 else ''} to the printer.")

    def default_file_name(self) -> str:
        """A file name for Save as PDF, from the parent's name."""
        from journeyapp.plans.documents import safe_file_name

        prefix = "what-we-hold" if self.kind.currentData() == WHAT_WE_HOLD else "plan"
        name = self.participant.full_name or self.participant.preferred_name
        return safe_file_name(name, self.participant.id, prefix=prefix)

    def save_as_pdf(self) -> Path | None:
        """Ask where to save, then write the PDF shown; returns the path written."""
        start = str(Path.home() / self.default_file_name())
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save plan as PDF", start, "PDF files (*.pdf)"
        )
        if not chosen:
            return None
        from journeyapp.plans.documents import write_file

        path = chosen_file(self, chosen, "pdf")
        if path is None or not succeeded(self, lambda: write_file(path, self.pdf)):
            return None
        self.status.setText(f"Saved to {path}.")
        return path


class BatchPlansDialog(QDialog):
    """Print plans for my caseload: one PDF with every plan, or one file for each parent.

    Signals:
        plan_written(int): how many plans are done so far (one file each, or laid out).
    """

    plan_written = Signal(int)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Print plans for my caseload")
        self.people = [
            p for p in caseload.participants() if p.status is not ParticipantStatus.CLOSED
        ]
        self.one_pdf = QRadioButton("&One PDF with every plan, to print in one go")
        self.each = QRadioButton("One &file for each parent, in a folder")
        self.one_pdf.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.one_pdf)
        group.addButton(self.each)
        self.large_print = QCheckBox("&Large print")
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("e.g. 07700 900123")
        self.contact.setToolTip("Printed on every plan, under who to contact.")
        self.contact.setAccessibleName("How parents can reach you")
        count = len(self.people)
        self.summary = QLabel(
            f"{count} {'plan' if count == 1 else 'plans'} (parents whose journey is closed are left out)."
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.operation: Operation[int] | None = None
        self.written = 0

        self.save_button = QPushButton("&Save plans…")
        self.save_button.setEnabled(bool(self.people))
        self.save_button.clicked.connect(self.choose_and_write)
        self.save_button.setAutoDefault(False)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(close)
        form = QFormLayout()
        form.addRow("How they can reach you:", self.contact)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.one_pdf)
        layout.addWidget(self.each)
        layout.addWidget(self.large_print)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.setMinimumWidth(560)

    def choose_and_write(self) -> None:
        """Ask for a file (one PDF) or a folder (one each), then write the plans."""
        if self.one_pdf.isChecked():
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Save every plan as one PDF",
                str(Path.home() / "plans.pdf"),
                "PDF files (*.pdf)",
            )
            path = chosen_file(self, chosen, "pdf") if chosen else None
            if path is not None:
                self.write(path)
        else:
            folder = QFileDialog.getExistingDirectory(self, "Choose a folder for the plans")
            if folder:
                self.write(Path(folder))

    def write(self, target: Path) -> Operation[int]:
        """Write the plans to `target` (a PDF file, or a folder for one each), off the window's
        thread with progress and Cancel; `written` holds how many once it is done.

        Cancel stops between plans: files already written stay; a half-built combined PDF is
        never written.
        """
        total = len(self.people)
        one_pdf = self.one_pdf.isChecked()
        steps = total * 2 if one_pdf else total
        people = [(p.id, p.full_name or p.preferred_name) for p in self.people]
        contact = self.contact.text()
        large = self.large_print.isChecked()
        self.save_button.setEnabled(False)

        def work(own: Caseload, progress: Progress) -> int:
            if one_pdf:
                return _write_one(own, people, target, contact, large, progress, steps)
            return _write_each(own, people, target, contact, large, progress)

        def done(count: int) -> None:
            self.written = count
            self.save_button.setEnabled(True)
            if count == total:
                where = target if one_pdf else f"{target} (one file each)"
                plans = f"{count} plan{'s' if count != 1 else ''}"
                self.status.setText(f"Saved {plans} to {where}.")
            elif one_pdf:
                self.status.setText("Stopped. Nothing was saved.")
            else:
                self.status.setText(
                    f"Stopped after {count} of {total} plans. Those {count} are in {target}."
                )

        def failed(exc: JourneyError) -> None:
            self.save_button.setEnabled(True)
            show_error(self, exc, "Plans not saved")

        def progressed(value: int, _steps: int) -> None:
            if value <= total:
                self.plan_written.emit(value)

        self.written = 0
        self.operation = (
            Operation(
                parent=self,
                caseload=self.caseload,
                op=work,
                success=done,
                title="Print plans for my caseload",
            )
            .with_progress("Printing plans…")
            .on_progress(progressed)
            .failure(failed)
            .on_cancelled(lambda: done(0))
            .run_in_background()
        )
        return self.operation


def _write_each(
    own: Caseload,
    people: list[tuple[str, str]],
    folder: Path,
    contact: str,
    large: bool,
    progress: Progress,
) -> int:
    """One PDF per parent; on Cancel, stop between plans and say how many were written."""
    from journeyapp.plans.documents import pdf_with_pages, safe_file_name, write_file

    done = 0
    for pid, name in people:
        if progress.cancelled:
            break
        data, _ = pdf_with_pages([own.document(pid, contact=contact)], large)
        write_file(folder / safe_file_name(name, pid), data)
        done += 1
        progress.report(done, len(people))
    return done


def _write_one(
    own: Caseload,
    people: list[tuple[str, str]],
    path: Path,
    contact: str,
    large: bool,
    progress: Progress,
    steps: int,
) -> int:
    """Every plan in one PDF; on Cancel nothing is written (raises Cancelled)."""
    from journeyapp.plans.documents import pdf_with_pages, write_file

    total = len(people)
    plans: list[ActionPlan] = []
    for pid, _name in people:
        progress.check()
        plans.append(own.document(pid, contact=contact))
        progress(len(plans), steps)

    def laid_out(done: int, of: int) -> None:
        progress(total + round(total * done / max(of, 1)), steps)

    data, _ = pdf_with_pages(plans, large, progress=laid_out)
    progress.check()
    write_file(path, data)
    return total


def open_plan_preview(parent: QWidget | None, caseload: Caseload, participant_id: str) -> None:
    """Print plan (Ctrl+P): open the preview of the parent's plan."""

    def make() -> PlanPreviewDialog:
        return PlanPreviewDialog(caseload, participant_id, parent)

    dialog = attempt(parent, make)
    if dialog is not None:
        open_window_modal(dialog)


def open_batch_plans(parent: QWidget | None, caseload: Caseload) -> None:
    """Print plans for my caseload: one PDF or one file each, with progress and Cancel."""
    open_window_modal(BatchPlansDialog(caseload, parent))


__all__: list[str] = [
    "BatchPlansDialog",
    "PlanPreviewDialog",
    "open_batch_plans",
    "open_plan_preview",
]
