"""CaseloadTableModel: the caseload list as a Qt table over CaseloadRow snapshots."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from typing_extensions import override

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.enums import label
from journeyapp.core.records import CaseloadRow
from journeyapp.core.text import fold

_ROOT = QModelIndex()
ROW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    """The caseload columns, in order."""

    NAME = 0
    STAGE = 1
    PACE = 2
    LAST_CONTACT = 3
    NEXT_CHECKIN = 4
    STATUS = 5


HEADERS = {
    Column.NAME: "Name",
    Column.STAGE: "Stage",
    Column.PACE: "Pace",
    Column.LAST_CONTACT: "Last contact",
    Column.NEXT_CHECKIN: "Next check-in",
    Column.STATUS: "Status",
}


class CaseloadTableModel(QAbstractTableModel):
    """One row per parent; ROW_ROLE returns the CaseloadRow itself."""

    def __init__(self, catalogue: Catalogue, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._rows: list[CaseloadRow] = []
        self._folded: list[str] = []

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        """Replace the snapshot."""
        self.beginResetModel()
        self._rows = list(rows)
        self._folded = [fold(f"{r.preferred_name} {r.full_name}") for r in self._rows]
        self.endResetModel()

    def rows(self) -> list[CaseloadRow]:
        """The current snapshot."""
        return list(self._rows)

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return HEADERS[Column(section)]
        return None

    @override
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == ROW_ROLE:
            return row
        if role == SEARCH_ROLE:
            return self._folded[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NEXT_CHECKIN and row.overdue:
            return "This check-in is due: the planned date has passed."
        return None

    def _display(self, row: CaseloadRow, column: Column) -> str:
        match column:
            case Column.NAME:
                return row.preferred_name
            case Column.STAGE:
                return self._catalogue.label("stages", row.stage)
            case Column.PACE:
                return label(row.pace) if row.pace else ""
            case Column.LAST_CONTACT:
                return row.last_contact_on.isoformat() if row.last_contact_on else "none yet"
            case Column.NEXT_CHECKIN:
                if row.next_checkin_on is None:
                    return ""
                text = row.next_checkin_on.isoformat()
                return f"⚠ due {text}" if row.overdue else text
            case Column.STATUS:
                return label(row.status)

    def _sort_key(self, row: CaseloadRow, column: Column) -> str:
        match column:
            case Column.STAGE:
                keys = self._catalogue.keys("stages")
                return f"{keys.index(row.stage) if row.stage in keys else 99:02d}"
            case Column.LAST_CONTACT:
                return row.last_contact_on.isoformat() if row.last_contact_on else ""
            case Column.NEXT_CHECKIN:
                return row.next_checkin_on.isoformat() if row.next_checkin_on else "9999"
            case _:
                return fold(self._display(row, column))
