"""File > Settings: who this laptop's printed plans are from (kept per laptop, remembered)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.documents import Sender
from journeyapp.ui.errors import succeeded
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import may_leave

# (field, label, what it is for) in the order a keyworker fills them in.
FIELDS = (
    ("organisation", "&Organisation:", "Printed on every plan as who the parent can call"),
    (
        "keyworker",
        "&Your name:",
        "Printed on plans; the journey log records changes by this name; This week shows the "
        "parents whose keyworker is this name (spell it as their records do)",
    ),
    ("phone", "&Phone:", "The number parents can call you on"),
    ("email", "&Email:", "An email address parents can write to (optional)"),
    ("programme", "P&rogramme name:", "The programme's name, e.g. Making It Work (optional)"),
    ("device_name", "&This laptop's name:", "A name for this laptop in the change history"),
)


class SettingsDialog(QDialog):
    """Edit the organisation, keyworker's name, phone, email, programme and laptop name."""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        explain = QLabel(
            "These details are printed on every plan and on “What we hold about you”, so a "
            "parent knows who to call. They are kept on this laptop."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        current = caseload.settings.sender()
        self.edits: dict[str, QLineEdit] = {}
        for name, text, tip in FIELDS:
            edit = QLineEdit(getattr(current, name))
            edit.setMaxLength(200)
            edit.setToolTip(tip)
            edit.setAccessibleName(text.replace("&", "").rstrip(":"))
            edit.setAccessibleDescription(tip)
            form.addRow(text, edit)
            self.edits[name] = edit
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def typed(self) -> Sender:
        """The details as typed."""
        return Sender(**{name: edit.text() for name, edit in self.edits.items()})

    def save(self) -> None:
        """Remember the details, then close; a problem is shown and the dialog stays open."""
        if succeeded(self, lambda: self.caseload.settings.set_sender(self.typed())):
            self.accept()

    @override
    def reject(self) -> None:
        """Escape, Cancel or the close button: ask first when something was typed (Save,
        Discard changes or Go back), so typed details are not dropped unasked."""
        saved = self.caseload.settings.sender()
        changed = any(
            " ".join(edit.text().split()) != getattr(saved, name)
            for name, edit in self.edits.items()
        )
        if may_leave(self, changed, self.save):
            super().reject()


def open_settings(parent: QWidget | None, caseload: Caseload) -> bool:
    """Show File > Settings; True when the details were saved."""
    return SettingsDialog(caseload, parent).exec() == QDialog.DialogCode.Accepted
