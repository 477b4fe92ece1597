"""PeriodPicker: "Only this period: [from] to [to]", for exports and the programme report."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from journeyapp.ui.widgets.wheel import DayBox


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodPicker(QWidget):
    """A tick box and two dates (1 January to today by default), off until ticked."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_dates = QCheckBox("Only this period:")
        self.since = DayBox(QDate(today.year, 1, 1))
        self.until = DayBox(QDate(today.year, today.month, today.day))
        self.since.setAccessibleName("From")
        self.until.setAccessibleName("To")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.use_dates)
        for edit, between in ((self.since, QLabel("to")), (self.until, None)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
            self.use_dates.toggled.connect(edit.setEnabled)
            layout.addWidget(edit)
            if between is not None:
                layout.addWidget(between)
        layout.addStretch(1)

    def period(self) -> tuple[date | None, date | None]:
        """(from, to) when the tick box is on, else (None, None)."""
        if not self.use_dates.isChecked():
            return None, None
        return _to_date(self.since.date()), _to_date(self.until.date())
