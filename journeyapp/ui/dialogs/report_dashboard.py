"""ReportDashboard: the programme report on screen, with hand-painted bar charts and filters."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.errors import ValidationError
from journeyapp.exchange.report import (
    NOTHING_YET,
    ProgrammeReport,
    build_report,
    nobody_yet,
    refuse_period_to_come,
)
from journeyapp.ui import theme
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import attempt
from journeyapp.ui.widgets.bar_chart import BarChart
from journeyapp.ui.widgets.period import PeriodPicker
from journeyapp.ui.widgets.save_names import chosen_file
from journeyapp.ui.widgets.wheel import ChoiceBox

# Where the window settles the merged edits waiting for a decision (the main window's menu).
DECISIONS_MENU = "Partnership > Needs a decision…"


class ReportDashboard(QDialog):
    """Reach, stages, milestones, distance travelled and the rest; counts under 5 suppressed
    unless the coordinator asks to see them for their own use."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Programme report")
        self.locality = ChoiceBox()
        self.locality.setAccessibleName("Locality")
        self.locality.addItem("All localities", None)
        # The catalogue's, then any other parents are recorded in, as the report shows it.
        for key, text in caseload.catalogue.choices("localities", caseload.localities()):
            self.locality.addItem(text, key)
        self.dates = PeriodPicker(caseload.today())
        self.exact = QCheckBox("Show exact small numbers (for your own use only, not for sharing)")
        self.refresh_button = QPushButton("Show")
        self.refresh_button.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(self.locality)
        filters.addWidget(self.dates)
        filters.addWidget(self.refresh_button)
        filters.addStretch(1)
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.headline.setFont(font)
        self.period = QLabel()
        # A new caseload's report: what to do first (hidden once anyone is counted).
        self.first_step = QLabel()
        self.first_step.setWordWrap(True)
        self.first_step.setTextFormat(Qt.TextFormat.PlainText)
        self.first_step.setVisible(False)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        # A stop for the Tab key (arrows and Page Down scroll the figures): a screen reader
        # says what it is.
        scroll.setAccessibleName("The report's figures")
        theme.style(scroll, "scrollView")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.save_pdf = QPushButton("Save as PDF…")
        self.save_pdf.clicked.connect(self._save_pdf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_pdf, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.exact)
        layout.addWidget(self.headline)
        layout.addWidget(self.period)
        layout.addWidget(self.first_step)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.exact.toggled.connect(self._render)
        self.report: ProgrammeReport | None = None
        self.charts: dict[str, BarChart] = {}
        self.refresh()
        self.resize(820, 720)

    @property
    def suppress(self) -> bool:
        """True unless the coordinator asked for exact small numbers."""
        return not self.exact.isChecked()

    def refresh(self) -> None:
        """Work the figures out again with the chosen filters."""
        since, until = self.dates.period()
        locality = self.locality.currentData()

        def build() -> ProgrammeReport:
            if since and until and since > until:
                raise ValidationError("The first date is after the second; swap them.")
            refuse_period_to_come(since, self.caseload.today())
            return build_report(self.caseload, since=since, until=until, locality=locality)

        report = attempt(self, build)
        if report is not None:
            self.report = report
            first = nobody_yet(report, since, until, locality)
            self.first_step.setText(first)
            self.first_step.setVisible(bool(first))
            self._render()

    def _render(self) -> None:
        report = self.report
        if report is None:
            return
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.charts = {}
        self.headline.setText(f"Parents reached: {report.total_text(self.suppress)}")
        # Open decisions from merges may still change the figures (#16): settled from the
        # window's own menu, not a command.
        waiting = report.decisions_text(DECISIONS_MENU) if report.open_decisions else ""
        self.period.setText(report.period + (f"\n{waiting}" if waiting else ""))
        for title, rows, note in report.pdf_sections(self.suppress)[1:]:
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            if note:  # wrapped under the title: a long one kept the figures out of sight
                said = QLabel(note)
                said.setWordWrap(True)
                said.setTextFormat(Qt.TextFormat.PlainText)
                box_layout.addWidget(said)
            chart = BarChart(rows, empty=NOTHING_YET)  # as the PDF and the text say
            chart.setAccessibleName(title)
            box_layout.addWidget(chart)
            self.body_layout.addWidget(box)
            self.charts[title] = chart
        if self.suppress:
            # Wrapped: on one line it made the body wider than the window, so every chart's
            # figures, written after its bars, were off to the right, out of sight.
            withheld = QLabel(report.suppression_note())
            withheld.setWordWrap(True)
            self.body_layout.addWidget(withheld)
        self.body_layout.addStretch(1)

    def chart(self, title_start: str) -> BarChart:
        """The chart whose title starts with `title_start` (tests, accessibility tools)."""
        for title, chart in self.charts.items():
            if title.startswith(title_start):
                return chart
        raise KeyError(title_start)

    def save_pdf_to(self, path: Path) -> Path | None:
        """Write the report as shown to a PDF file."""
        report = self.report
        if report is None:
            return None
        from journeyapp.plans.report import write_report_pdf

        return write_report_pdf(
            path,
            report.title,
            report.period,
            report.pdf_sections(self.suppress),
            footnote=report.pdf_footnote(self.suppress),
        )

    def _save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the report", "programme-report.pdf", "PDF (*.pdf)"
        )
        if name:
            # A name typed without .pdf gets it: the file opens as what its name says.
            out = chosen_file(self, name, "pdf")
            if out is not None:
                attempt(self, lambda: self.save_pdf_to(out))


def open_report(parent: QWidget | None, caseload: Caseload) -> ReportDashboard:
    """Show the programme report dashboard (window-modal; returns the dialog)."""
    return open_window_modal(ReportDashboard(caseload, parent))


__all__ = ["ReportDashboard", "open_report"]
