"""DecisionsDialog: edits from merged laptops that clash; the coordinator keeps one value."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.describe import KIND_WORDS
from journeyapp.core.errors import NotFound
from journeyapp.core.text import fold, with_family_initial
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.errors import attempt
from journeyapp.ui.models.decisions_model import DecisionsModel, describe_value
from journeyapp.ui.widgets.tables import pick_one_row, selected_row


class DecisionsDialog(QDialog):
    """The "needs a decision" list: both values with who set them and when; pick one to keep."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Edits that need a decision")
        self.intro = QLabel(
            "These details were changed differently on two laptops, recorded twice, or asked "
            "for by a laptop not enrolled here. Nothing has been overwritten or removed: choose "
            "which to keep. Your choice is passed on to the other laptops the next time you "
            "share journey logs."
        )
        self.intro.setWordWrap(True)
        self._same_names: set[str] = set()
        self.model = DecisionsModel(
            self._name_of,
            self,
            caseload.catalogue,
            caseload.exchange.enrolled_devices(),
            caseload.codes,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        pick_one_row(self.table, "Edits that need a decision")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel("No edits are waiting for a decision.")
        self.keep_here = QPushButton("Keep the value here")
        self.keep_incoming = QPushButton("Keep the incoming value")
        self.keep_here.clicked.connect(lambda: self._decide("here"))
        self.keep_incoming.clicked.connect(lambda: self._decide("incoming"))
        self.status = QLabel()
        choices = QHBoxLayout()
        choices.addWidget(self.keep_here)
        choices.addWidget(self.keep_incoming)
        choices.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        # With nothing waiting, the message takes the table's place (and its space).
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty, 1)
        layout.addLayout(choices)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()
        self.resize(900, 420)

    def _name_of(self, participant_id: str | None) -> str:
        """The parent's name as the caseload list shows it ("Ana M." where two share "Ana")."""
        if participant_id is None:
            return "(not about one parent)"
        try:
            parent = self.caseload.participant(participant_id)
        except NotFound:
            return "(no longer here)"
        if fold(parent.preferred_name) in self._same_names:
            return with_family_initial(parent.preferred_name, parent.full_name)
        return parent.preferred_name

    def reload(self) -> None:
        """Show the clashes still waiting."""
        waiting = self.caseload.exchange.decisions()
        names = Counter(fold(name) for name in self.caseload.caseload_outline().names)
        self._same_names = {name for name, count in names.items() if count > 1}
        self.model.set_decisions(waiting)
        self.empty.setVisible(not waiting)
        self.table.setVisible(bool(waiting))
        self.keep_here.setVisible(bool(waiting))
        self.keep_incoming.setVisible(bool(waiting))
        if waiting:
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = selected_row(self.table) is not None
        self.keep_here.setEnabled(has)
        self.keep_incoming.setEnabled(has)

    def _decide(self, choice: str) -> None:
        row = selected_row(self.table)
        if row is None:
            return
        decision = self.model.decision(row)
        done = attempt(self, lambda: self.caseload.exchange.resolve_decision(decision.id, choice))
        if done is not None:
            kept = decision.here if choice == "here" else decision.incoming
            value = describe_value(
                kept.value,
                self.caseload.catalogue,
                decision.kind,
                decision.field,
                self.caseload.codes,
            )
            self.status.setText(_saved_words(decision.kind, decision.field, kept.value, value))
            self.reload()


def _saved_words(kind: str, field: str, chosen: object, value: str) -> str:
    """What a decision kept, said after it: the value for a detail; for a question about a
    whole record, what became of it (not "kept keep for remove")."""
    if field == "_remove":
        what = KIND_WORDS.get(kind, kind.replace("_", " "))
        return f"Saved: the {what} was {'removed' if chosen == 'remove' else 'kept'}."
    if field == "_erase":
        return f"Saved: the parent was {'erased' if chosen == 'erase' else 'kept'}."
    if isinstance(chosen, dict):  # a consent, or where a journey stands, kept as one
        return f"Saved: kept {value}."
    return f"Saved: kept {value} for {field.replace('_', ' ')}."


def open_decisions(parent: QWidget | None, caseload: Caseload) -> DecisionsDialog:
    """Show the needs-a-decision list (window-modal; returns the dialog)."""
    return open_window_modal(DecisionsDialog(caseload, parent))
