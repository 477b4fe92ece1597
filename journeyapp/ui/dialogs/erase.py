"""Erasing a parent (typed confirmation) and the retention review of closed journeys."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.dates import long_date
from journeyapp.core.enums import label
from journeyapp.core.errors import JourneyError
from journeyapp.core.text import confirms_name
from journeyapp.ui.errors import attempt
from journeyapp.ui.widgets.tables import pick_one_row, selected_row
from journeyapp.ui.widgets.wheel import NumberBox


class EraseDialog(QDialog):
    """Erase one parent for good: type their preferred name to confirm."""

    def __init__(
        self, caseload: Caseload, participant_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.participant_id = participant_id
        who = caseload.participant(participant_id)
        self.setWindowTitle(f"Erase {who.preferred_name}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        explain = QLabel(
            f"This removes {who.preferred_name}'s details, notes, goals, contacts and journey "
            "log from this caseload for good. A record that someone was erased (with no name or "
            "details) stays, so merging an older laptop's records cannot bring them back. "
            "Backups made before now still hold their record until they are rotated away "
            "(within about five weeks)"
            + ("; they are encrypted." if caseload.is_encrypted else ".")
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(
            QLabel(f"Type <b>{html.escape(who.preferred_name, quote=False)}</b> to confirm:")
        )
        self.confirm = QLineEdit()
        self.confirm.setAccessibleName("Preferred name to confirm")
        layout.addWidget(self.confirm)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = buttons.addButton(
            "Erase for good", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # The rule the erasure itself checks (core.text.confirms_name): a name stored with its
        # accents decomposed is confirmed by the same name typed on a keyboard.
        self.confirm.textChanged.connect(
            lambda text: self.erase_button.setEnabled(confirms_name(who.preferred_name, text))
        )

    def erase(self) -> None:
        """Erase, then close; a refusal is shown in the dialog."""
        try:
            self.caseload.safety.erase_participant(self.participant_id, self.confirm.text())
        except JourneyError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


def open_erase(parent: QWidget | None, caseload: Caseload, participant_id: str) -> bool:
    """Ask for the typed confirmation and erase the parent; True when erased."""
    dialog = attempt(parent, lambda: EraseDialog(caseload, participant_id, parent))
    return dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted


class RetentionDialog(QDialog):
    """Closed and moved-on journeys with no activity for the retention period, for review."""

    COLUMNS = ("Parent", "Journey", "Last activity")

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Review closed journeys")
        self.setMinimumSize(560, 380)
        layout = QVBoxLayout(self)
        period = QHBoxLayout()
        period.addWidget(QLabel("Review journeys closed with no activity for"))
        self.years = NumberBox()
        self.years.setRange(1, 50)
        self.years.setSuffix(" years")
        self.years.setAccessibleName("Retention period in years")
        self.years.setValue(caseload.settings.retention_years)
        self.years.valueChanged.connect(self._set_years)
        period.addWidget(self.years)
        period.addStretch(1)
        layout.addLayout(period)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        pick_one_row(self.table, "Journeys due for review")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.erase_button = QPushButton("Erase…")
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.erase_button.clicked.connect(self.erase_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ids: list[str] = []
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reload()

    def reload(self) -> None:
        """List what is due now."""
        due = self.caseload.safety.retention_due()
        self.ids = [d.participant_id for d in due]
        self.table.setRowCount(len(due))
        for row, item in enumerate(due):
            for column, text in enumerate(
                (item.preferred_name, label(item.status), long_date(item.last_activity))
            ):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.participant_id)
                self.table.setItem(row, column, cell)
        years = self.caseload.settings.retention_years
        self.summary.setText(
            f"{len(due)} closed journeys have had no activity for {years} years or more."
            if due
            else f"No closed journeys have gone {years} years without activity."
        )
        self._selection_changed()

    def _set_years(self, years: int) -> None:
        attempt(self, lambda: self.caseload.settings.set_retention_years(years))
        self.reload()

    def _selection_changed(self) -> None:
        self.erase_button.setEnabled(selected_row(self.table) is not None)

    def erase_selected(self) -> None:
        """Erase the selected parent (after the typed confirmation)."""
        row = selected_row(self.table)
        if row is not None and open_erase(self, self.caseload, self.ids[row]):
            self.reload()


def open_retention(parent: QWidget | None, caseload: Caseload) -> None:
    """Show the closed journeys due for review, with erasure one by one."""
    RetentionDialog(caseload, parent).exec()
