"""Tables a person picks one whole row from (backups, journeys to review, edits to decide)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


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
