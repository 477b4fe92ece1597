"""A read-only table over a list of records (one row per record; RECORD_ROLE gives the record)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from journeyapp.ui.models import column_header
from journeyapp.ui.overrides import override

_ROOT = QModelIndex()
RECORD_ROLE = Qt.ItemDataRole.UserRole


class Column:
    """One column of a RecordTableModel: a header and how to show a record in it."""

    def __init__(
        self,
        header: str,
        text: Callable[[Any], str],
        *,
        sort: Callable[[Any], Any] | None = None,
        tooltip: Callable[[Any], str] | None = None,
    ) -> None:
        self.header = header
        self.text = text
        self.sort = sort
        self.tooltip = tooltip


class RecordTableModel(QAbstractTableModel):
    """A read-only table over a list of records; RECORD_ROLE returns the record itself."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Any]:
        """The rows shown."""
        return list(self._records)

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._records)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    @override
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(record) if column.tooltip else column.text(record)
        if role == RECORD_ROLE:
            return record
        return None

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header([c.header for c in self._columns], section, orientation, role)

    @override
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def fit_rows(view: QTableView, most: int = 12) -> None:
    """Make a short table only as tall as its rows (up to `most` rows; then it scrolls)."""
    rows = min(view.model().rowCount(), most)
    height = view.horizontalHeader().height() + 2 * view.frameWidth()
    height += (
        sum(view.rowHeight(r) for r in range(rows)) if rows else view.fontMetrics().height() * 2
    )
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().height()
    # A fixed height: the section's own scroll area scrolls, not a small window inside it.
    view.setFixedHeight(height)


def record_table(model: RecordTableModel, name: str, stretch_column: int) -> QTableView:
    """A keyboard-friendly read-only table over `model`, one row per record, words wrapped."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)
    header = view.horizontalHeader()
    header.setAccessibleName(f"Columns of {name[0].lower()}{name[1:]}")
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Columns are sized from the first rows only: measuring hundreds of contacts would make
    # opening a busy parent slow, and dates and kinds are all about as wide.
    header.setResizeContentsPrecision(40)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view
