"""Tables a person picks one whole row from (backups, journeys to review, edits to decide),
and the keys that change or remove the row chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from journeyapp.ui.overrides import override


def pick_one_row(table: QTableView, name: str) -> None:
    """Make `table` read-only, selecting one whole row at a time, without row numbers;
    screen readers hear `name`. Tab leaves the table for the buttons beside it (Qt's default moved
    from cell to cell, and a keyworker without a mouse could not get out to Close)."""
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()


def selected_row(table: QTableView) -> int | None:
    """The number of the selected row, or None."""
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


class _EnterAndDelete(QObject):
    """Enter (or Return) on a list of records changes the chosen one; Delete removes it."""

    def __init__(
        self, view: QWidget, change: Callable[[], object], remove: Callable[[], object]
    ) -> None:
        super().__init__(view)
        self.change, self.remove = change, remove
        view.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]  # a QKeyEvent here
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.change()
                return True
            if key == Qt.Key.Key_Delete:
                self.remove()
                return True
        return False


def enter_changes_delete_removes(
    view: QWidget, change: Callable[[], object], remove: Callable[[], object]
) -> None:
    """Enter on `view` (a list of records in a dialog) changes the chosen one, Delete removes
    it, as on a parent's tabs."""
    _EnterAndDelete(view, change, remove)
