"""Help dialogs: the keyboard shortcuts, and About (version, licences, where the data lives)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+1", "This week: meetings and what is due"),
    ("Ctrl+N", "Enrol a new parent"),
    ("Ctrl+F", "Find a parent by name"),
    ("Down", "From the search box, go to the list"),
    ("Enter", "Open the selected parent"),
    ("Ctrl+L", "Log a contact with the open parent"),
    ("Ctrl+P", "Print the open parent's plan"),
    ("Ctrl+Z", "Undo the last change"),
    ("Ctrl+G", "Record a group session"),
    ("Enter / Delete", "Change / remove the record the keyboard is on"),
    ("Shift+F10 or the Menu key", "Change, remove or see the history of that record"),
    ("Alt+Down", "In a date field: pick the date from a calendar"),
    ("Ctrl+Page Down / Ctrl+Page Up", "Next / previous section of the parent's workspace"),
    ("F6", "Move between the caseload and the workspace"),
    ("Tab / Shift+Tab", "Move between fields"),
    ("Alt + underlined letter", "Go to that field or menu"),
    ("F1", "This list"),
    ("Ctrl+Q", "Quit (everything is already saved)"),
)


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
    return buttons


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, in a plain two-column list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        for row, (keys, what) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.addWidget(self.table)
        layout.addWidget(_buttons(self))
        width = self.fontMetrics().horizontalAdvance("x") * 80
        self.resize(width, self.fontMetrics().height() * (len(SHORTCUTS) + 6) * 2)
