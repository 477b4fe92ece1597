"""A record's history: every journey-log event about it, oldest first (when, who, what changed)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.describe import field_words, history, stored_words
from journeyapp.core.records import Record
from journeyapp.ui.widgets.record_table import share_width
from journeyapp.ui.widgets.tables import pick_one_row


class RecordHistoryDialog(QDialog):
    """What a record said before, when it changed and who changed it."""

    def __init__(
        self, caseload: Caseload, record: Record, what: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = f"History of {what}"
        self.setWindowTitle("History")
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        heading = QLabel(title[:1].upper() + title[1:])
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.entries = history(caseload.record_history(record.id))
        self.table = QTableWidget(len(self.entries), 3)
        pick_one_row(self.table, "Changes to this record, oldest first")
        self.table.setHorizontalHeaderLabels(["When", "Who", "What happened"])
        self.table.setWordWrap(True)

        def words(field: str, value: object) -> str:
            return stored_words(value, record.KIND, field, caseload.catalogue, caseload.codes)

        for row, entry in enumerate(self.entries):
            when = entry.at.astimezone().strftime("%d/%m/%Y %H:%M")
            lines = [entry.what]
            for change in entry.changes:
                if entry.what == "Changed":
                    lines.append(
                        f"{field_words(change.field)}: was {words(change.field, change.before)}, "
                        f"now {words(change.field, change.after)}"
                    )
                elif entry.what == "Made":
                    lines.append(
                        f"{field_words(change.field)}: {words(change.field, change.after)}"
                    )
            who = (
                entry.actor
                if entry.device_id == caseload.device_id
                else (f"{entry.actor} (on another laptop)")
            )
            for column, text in enumerate((when, who, "\n".join(lines))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        # What happened takes the widest share, wrapped, in rows refitted when the dialog is
        # made wider or narrower (they were fitted once, before the dialog had its size).
        share_width(self.table, 2)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().height() * 24)

    def texts(self) -> list[str]:
        """Each event's 'what happened' text, oldest first (for tests and screen readers)."""
        return [
            item.text() if (item := self.table.item(r, 2)) is not None else ""
            for r in range(self.table.rowCount())
        ]
