"""CaseloadTableModel: the caseload list as a Qt table over CaseloadRow snapshots, and its filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon
from typing_extensions import override

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.enums import label
from journeyapp.core.records import CaseloadRow
from journeyapp.core.text import fold
from journeyapp.ui.models import column_header

_ROOT = QModelIndex()
ROW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3


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
_TITLES = [HEADERS[c] for c in Column]


STATUS_WORDS = {
    "active": "Active",
    "paused": "Taking a break",
    "moved_on": "Moved on",
    "closed": "Closed",
}


def short_date(value: date, today: date | None = None) -> str:
    """A date as a keyworker reads it: "3 Nov" this year, "3 Nov 2025" otherwise."""
    if today is not None and value.year == today.year:
        return f"{value.day} {value.strftime('%b')}"
    return f"{value.day} {value.strftime('%b %Y')}"


@lru_cache(maxsize=65_536)
def quick_fold(text: str) -> str:
    """Accent-blind lower case for the list: fold(), remembered (names repeat) and with a fast
    path for plain ASCII, so big caseloads load faster."""
    return text.lower() if text.isascii() else fold(text)


def _names(rows: list[CaseloadRow]) -> list[str]:
    """Preferred names, with the initial of the family name added where two parents share one."""
    counts: dict[str, int] = {}
    for row in rows:
        key = quick_fold(row.preferred_name)
        counts[key] = counts.get(key, 0) + 1
    names = []
    for row in rows:
        name = row.preferred_name
        rest = row.full_name.split()[1:] if row.full_name else []
        if counts[quick_fold(name)] > 1 and rest:
            name = f"{name} {rest[-1][0]}."
        names.append(name)
    return names


class CaseloadTableModel(QAbstractTableModel):
    """One row per parent; ROW_ROLE returns the CaseloadRow itself.

    The model keeps its rows sorted itself (`sort`), because sorting 10,000 rows through a
    proxy's lessThan would call back into Python hundreds of thousands of times.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        parent: Any = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._today = today
        self._rows: list[CaseloadRow] = []
        self._folded: list[str] = []
        self._names: dict[str, str] = {}
        # Bumped whenever rows change or move, so the filter knows its answers are stale.
        self.generation = 0
        self._name_keys: dict[str, str] = {}
        self._search_text: dict[str, str] = {}
        self._day = today()
        self._sort_column = Column.NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        # Set by the view: an icon that marks an overdue check-in beside the words.
        self.overdue_icon: QIcon | None = None

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        """Replace the snapshot (kept in the current sort order)."""
        self.beginResetModel()
        self._names = dict(zip((r.id for r in rows), _names(rows), strict=True))
        self._name_keys = {pid: quick_fold(name) for pid, name in self._names.items()}
        self._search_text = {r.id: quick_fold(f"{r.preferred_name} {r.full_name}") for r in rows}
        self._day = self._today()
        self._rows = self._sorted(list(rows))
        self._folded = [self._search_text[r.id] for r in self._rows]
        self.generation += 1
        self.endResetModel()

    def rows(self) -> list[CaseloadRow]:
        """The current snapshot, in display order."""
        return list(self._rows)

    def row_list(self) -> list[CaseloadRow]:
        """The current snapshot itself (not a copy; do not change it)."""
        return self._rows

    def row_at(self, source_row: int) -> CaseloadRow:
        """The CaseloadRow at a source row (fast path for the filter)."""
        return self._rows[source_row]

    def folded(self) -> list[str]:
        """The accent-folded names of every row, in display order."""
        return self._folded

    def folded_at(self, source_row: int) -> str:
        """The accent-folded names of a row, for search."""
        return self._folded[source_row]

    def row_of(self, participant_id: str) -> int:
        """The source row of a parent, or -1."""
        for number, row in enumerate(self._rows):
            if row.id == participant_id:
                return number
        return -1

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
        return column_header(_TITLES, section, orientation, role)

    @override
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == SEARCH_ROLE:
            return self._folded[index.row()]
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME and row.full_name:
            return row.full_name
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STAGE:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STATUS:
            return label(row.status)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column == Column.NEXT_CHECKIN
            and row.next_checkin_on is None
            and row.rhythm
        ):
            return "They'll get in touch when they're ready."
        if column == Column.NEXT_CHECKIN and row.overdue:
            if role == Qt.ItemDataRole.DecorationRole:
                return self.overdue_icon
            if role == Qt.ItemDataRole.ToolTipRole:
                return "This check-in is overdue: the planned date has passed."
            if role == Qt.ItemDataRole.AccessibleTextRole:
                due = row.next_checkin_on.isoformat() if row.next_checkin_on else ""
                return f"Check-in overdue, it was due on {due}"
        return None

    def _display(self, row: CaseloadRow, column: Column) -> str:
        match column:
            case Column.NAME:
                return self._names.get(row.id, row.preferred_name)
            case Column.STAGE:
                return self._catalogue.label("stages", row.stage)
            case Column.PACE:
                return label(row.pace) if row.pace else "not chosen yet"
            case Column.LAST_CONTACT:
                if row.last_contact_on is None:
                    return "none yet"
                return short_date(row.last_contact_on, self._day)
            case Column.NEXT_CHECKIN:
                if row.next_checkin_on is None:
                    return "when ready" if row.rhythm else "—"
                text = short_date(row.next_checkin_on, self._day)
                return f"Overdue: {text}" if row.overdue else text
            case Column.STATUS:
                # Short, and a pause reads as the parent's own decision.
                return STATUS_WORDS.get(row.status, label(row.status))

    def _sort_key(self, row: CaseloadRow, column: Column) -> str:
        match column:
            case Column.STAGE:
                keys = self._catalogue.keys("stages")
                return f"{keys.index(row.stage) if row.stage in keys else 99:02d}"
            case Column.LAST_CONTACT:
                return row.last_contact_on.isoformat() if row.last_contact_on else ""
            case Column.NEXT_CHECKIN:
                return row.next_checkin_on.isoformat() if row.next_checkin_on else "9999"
            case Column.PACE:
                return str(list(("gently", "steady", "ready_to_push_on", None)).index(row.pace))
            case _:
                return quick_fold(self._display(row, column))

    def _sorted(self, rows: list[CaseloadRow]) -> list[CaseloadRow]:
        column = self._sort_column
        # Name breaks ties so the order is stable and predictable.
        rows.sort(key=lambda r: self._name_keys[r.id])
        if column != Column.NAME:
            rows.sort(key=lambda r: self._sort_key(r, column))
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            rows.reverse()
        return rows

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column = Column(column)
        self._sort_order = order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id for i in persistent]
        self._rows = self._sorted(self._rows)
        self._folded = [self._search_text[r.id] for r in self._rows]
        self.generation += 1
        position = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[pid], i.column())
                for pid, i in zip(old_ids, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()


class CaseloadFilter(QSortFilterProxyModel):
    """Search (accent-blind, any part of the name) and filters over a CaseloadTableModel.

    Sorting is handed to the source model (see CaseloadTableModel); this proxy only filters.
    Which rows pass is worked out in one plain-Python pass and kept in a list, because Qt asks
    row by row and each question costs a call from C++ into Python.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = ""
        self._stage: str | None = None
        self._status: str | None = None
        self._locality: str | None = None
        self._overdue_only = False
        self._model: CaseloadTableModel | None = None
        self._passes: list[bool] = []
        self._generation = -1

    @override
    def setSourceModel(self, model: Any) -> None:
        assert isinstance(model, CaseloadTableModel)
        self._model = model
        self._generation = -1
        super().setSourceModel(model)

    def _source(self) -> CaseloadTableModel:
        assert self._model is not None
        return self._model

    def _change(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self._generation = -1
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        """Show only parents whose preferred or full name contains `text` (accents ignored)."""
        folded = quick_fold(text.strip())
        if folded != self._search:
            self._change(lambda: setattr(self, "_search", folded))

    def set_stage(self, stage: str | None) -> None:
        """Only parents at this stage (None: any)."""
        self._change(lambda: setattr(self, "_stage", stage or None))

    def set_status(self, status: str | None) -> None:
        """Only parents with this status (None: any)."""
        self._change(lambda: setattr(self, "_status", status or None))

    def set_locality(self, locality: str | None) -> None:
        """Only parents in this locality (None: any)."""
        self._change(lambda: setattr(self, "_locality", locality or None))

    def set_overdue_only(self, on: bool) -> None:
        """Only parents whose check-in is overdue."""
        self._change(lambda: setattr(self, "_overdue_only", bool(on)))

    def _accepts(self, row: CaseloadRow, folded: str) -> bool:
        if self._search and self._search not in folded:
            return False
        if self._stage is not None and row.stage != self._stage:
            return False
        if self._status is not None and row.status != self._status:
            return False
        if self._locality is not None and row.locality != self._locality:
            return False
        return not (self._overdue_only and not row.overdue)

    def passes(self) -> list[bool]:
        """For every source row, whether it is shown (worked out again when rows change)."""
        source = self._source()
        if self._generation != source.generation:
            self._passes = [
                self._accepts(row, folded)
                for row, folded in zip(source.row_list(), source.folded(), strict=True)
            ]
            self._generation = source.generation
        return self._passes

    def shown_counts(self) -> tuple[int, int]:
        """How many parents are shown, and how many of those have a check-in overdue."""
        flags = self.passes()
        rows = self._source().row_list()
        shown = sum(flags)
        overdue = sum(1 for ok, row in zip(flags, rows, strict=True) if ok and row.overdue)
        return shown, overdue

    def visible_rows(self) -> list[CaseloadRow]:
        """The rows shown now, in order."""
        return [row for ok, row in zip(self.passes(), self._source().row_list(), strict=True) if ok]

    @override
    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        # The hot path: called once per row on every keystroke, so no Qt calls in here.
        if self._model is None or self._generation != self._model.generation:
            self.passes()
        return self._passes[source_row]

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source().sort(column, order)
