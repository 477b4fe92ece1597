"""LaptopsDialog: the partnership's laptops enrolled here, this laptop's enrolment code, and
enrolling another laptop with its code (core.seals, #16)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
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
from journeyapp.ui.widgets.screen import fit_to_contents


class LaptopsDialog(QDialog):
    """Which laptops' sealed bundles are trusted here, and how to enrol one.

    A bundle sealed by an enrolled laptop is trusted; events no enrolled laptop vouched for may
    add records, but the changes, removals and erasures they ask for wait for a decision.
    """

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Laptops in the partnership")
        self.setAccessibleName("Laptops in the partnership")
        intro = QLabel(
            "Bundles from the laptops listed here are trusted. Changes asked for by any other "
            "laptop wait for a decision. Enrol both ways: the coordinator enrols each laptop, "
            "and each laptop enrols the coordinator."
        )
        intro.setWordWrap(True)
        self.laptops = QListWidget()
        self.laptops.setAccessibleName("Enrolled laptops")
        self.laptops.setWordWrap(True)
        self.own = QLabel(f"This laptop: {caseload.device_id}")
        self.own.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setReadOnly(True)
        self.code.setAccessibleName("This laptop's enrolment code")
        self.code.setPlaceholderText("Hidden: whoever has it can seal bundles as this laptop")
        show = QPushButton("&Show this laptop's code")
        show.setAccessibleName("Show this laptop's enrolment code")
        show.clicked.connect(self.show_code)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code, 1)
        code_row.addWidget(show)
        self.their_code = QLineEdit()
        self.their_code.setAccessibleName("The other laptop's enrolment code")
        self.their_code.setPlaceholderText("From 'Show this laptop's code' on that laptop")
        self.name = QLineEdit()
        self.name.setAccessibleName("Who uses that laptop")
        self.name.setPlaceholderText("e.g. Aileen's laptop")
        enrol = QPushButton("&Enrol")
        enrol.setAccessibleName("Enrol that laptop")
        enrol.clicked.connect(self.enrol)
        form = QFormLayout()
        form.addRow("Its &code:", self.their_code)
        form.addRow("&Name:", self.name)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Enrolment message")
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        enrol.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addWidget(enrol)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.laptops, 1)
        layout.addWidget(self.own)
        layout.addLayout(code_row)
        layout.addWidget(QLabel("Enrol another laptop:"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)
        self.refresh()

    def refresh(self) -> None:
        """List the laptops enrolled here."""
        exchange = self.caseload.exchange
        keys = exchange.device_keys()
        self.laptops.clear()
        for device, name in exchange.enrolled_devices().items():
            if device == self.caseload.device_id:
                continue
            sealed = "" if device in keys else " — no key yet: enrol it again with its code"
            self.laptops.addItem(f"{name} ({device}){sealed}")
        if not self.laptops.count():
            self.laptops.addItem("No other laptop is enrolled here yet.")

    def show_code(self) -> None:
        """Show this laptop's code, to read out or type in on the other laptop."""
        self.code.setText(self.caseload.exchange.enrolment_code())
        self.code.selectAll()

    def enrol(self) -> None:
        """Enrol the laptop whose code was typed in."""
        exchange = self.caseload.exchange
        try:
            earlier = exchange.enrolment_replaces(self.their_code.text())
            device = exchange.enrol_code(self.their_code.text(), self.name.text())
        except JourneyError as exc:
            self.say(f"⚠ {exc.message}")
            return
        said = f"Enrolled {self.name.text().strip()} ({device})."
        if earlier is not None:
            from journeyapp.caseload.exchange import replaced_code_words

            said += f"\n⚠ {replaced_code_words(earlier)}"
        self.say(said)
        self.their_code.clear()
        self.name.clear()
        self.refresh()

    def say(self, text: str) -> None:
        """Show `text` under the fields, whole: the dialog grows (within the screen) rather
        than squeezing the message and the fields above it."""
        self.message.setText(text)
        fit_to_contents(self)
