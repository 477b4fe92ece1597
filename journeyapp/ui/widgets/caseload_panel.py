"""CaseloadPanel: search box, filters, the caseload table and its count line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from journeyapp.caseload import Caseload
from journeyapp.core.bulk import paused_gc
from journeyapp.core.changes import Changes
from journeyapp.core.enums import ParticipantStatus, label
from journeyapp.core.records import CaseloadRow
from journeyapp.ui.models.caseload_table_model import (
    ID_ROLE,
    CaseloadFilter,
    CaseloadTableModel,
    Column,
)

# How long after the list appears the rest of its rows are fetched.
PREFETCH_MS = 300
# Record kinds the list shows something of (names, stage, pace, last contact, check-ins, status).
LIST_KINDS = ("participants", "contacts", "pace", "pauses", "stages", "attendance", "groups")
# A change to more parents than this reloads the whole list (one query) rather than their rows.
REFRESH_AT_MOST = 50


def count_line(shown: int, total: int, overdue: int) -> str:
    """The words under the table: "42 parents · 5 check-ins overdue" (and "of N" when filtered)."""
    parents = "parent" if total == 1 else "parents"
    head = f"{total} {parents}" if shown == total else f"{shown} of {total} {parents} shown"
    checkins = "check-in" if overdue == 1 else "check-ins"
    return f"{head} · {overdue} {checkins} overdue"


class CaseloadPanel(QWidget):
    """The caseload list. Emits `participant_chosen(id)` when a parent is selected or opened,
    and `participant_opened(id)` when Enter or a double-click asks to work on them."""

    participant_chosen = Signal(str)
    participant_opened = Signal(str)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self._loads = 0  # each reload(): a prefetch for an older one is dropped
        catalogue = caseload.catalogue
        self.model = CaseloadTableModel(catalogue, self, today=caseload.today)
        self.model.overdue_icon = self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        self.proxy = CaseloadFilter(self, find=self._find)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a parent by name (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a parent by name")
        self.search.setAccessibleDescription(
            "Type any part of the name; accents do not matter. Press Down to go to the list."
        )
        self.search.textChanged.connect(lambda text: self._filter(self.proxy.set_search, text))
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)
        search_label = QLabel("&Find:")
        search_label.setBuddy(self.search)

        self.stage_filter = self._combo(
            "Filter by stage", "Any stage", [(e.key, e.label) for e in catalogue.stages]
        )
        self.status_filter = self._combo(
            "Filter by status", "Any status", [(s.value, label(s)) for s in ParticipantStatus]
        )
        self.locality_filter = self._combo(
            "Filter by locality", "Any locality", [(e.key, e.label) for e in catalogue.localities]
        )
        self.overdue_filter = QCheckBox("Only check-ins &overdue")
        self.overdue_filter.setAccessibleName("Show only parents whose check-in is overdue")
        self.stage_filter.currentIndexChanged.connect(
            lambda: self._filter(self.proxy.set_stage, self.stage_filter.currentData())
        )
        self.status_filter.currentIndexChanged.connect(
            lambda: self._filter(self.proxy.set_status, self.status_filter.currentData())
        )
        self.locality_filter.currentIndexChanged.connect(
            lambda: self._filter(self.proxy.set_locality, self.locality_filter.currentData())
        )
        self.overdue_filter.toggled.connect(
            lambda on: self._filter(self.proxy.set_overdue_only, on)
        )

        self.table = QTableView()
        self.table.setAccessibleName("Caseload: one row per parent")
        self.table.setAccessibleDescription("Press Enter to open the selected parent.")
        # Until the keyworker first searches or filters, the table shows the model itself:
        # a filter in between would ask Python about each of 10,000 rows before the window
        # could appear. The first search puts the filter in place (see _filter).
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights and set column widths: measuring 10,000 rows would be slow.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The stage column takes what room is left (long stage names are elided, with the
        # full name in a tooltip), so the row fits beside the workspace without scrolling.
        header.setSectionResizeMode(Column.STAGE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        self._size_columns()
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.installEventFilter(self)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many parents are shown")

        search_row = QHBoxLayout()
        search_row.setSpacing(8)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        # One row of filters: at 200% scaling on a small laptop every line of height counts.
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.stage_filter, 1)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.locality_filter, 1)
        filters.addWidget(self.overdue_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        layout.setSpacing(8)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search, self.stage_filter)
        self.setTabOrder(self.stage_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.locality_filter)
        self.setTabOrder(self.locality_filter, self.overdue_filter)
        self.setTabOrder(self.overdue_filter, self.table)
        self.reload()

    def _combo(self, name: str, anything: str, entries: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(anything, None)
        for key, text in entries:
            combo.addItem(text, key)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def _size_columns(self) -> None:
        metrics = self.fontMetrics()
        samples = {
            Column.NAME: "Kerry-Ann S.",
            Column.PACE: "Ready to push on",
            Column.LAST_CONTACT: "Last contact",
            Column.NEXT_CHECKIN: "Overdue: 28 Nov",
            Column.STATUS: "Taking a break",
        }
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        for column, sample in samples.items():
            extra = 14 + (icon + 6 if column == Column.NEXT_CHECKIN else 0)
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + extra)
        self.table.horizontalHeader().setMinimumSectionSize(
            metrics.horizontalAdvance("Getting st…") + 14
        )

    # -- data --------------------------------------------------------------------------------

    def _filter(self, change: Callable[[Any], None], value: Any) -> None:
        """Change the filter (putting it between the model and the table the first time)."""
        if self.table.model() is not self.proxy:
            current = self.current_participant_id()
            header = self.table.horizontalHeader().saveState()
            self.table.setModel(self.proxy)
            self.table.horizontalHeader().restoreState(header)
            self.table.selectionModel().selectionChanged.connect(self._selection_changed)
            if current:
                self.select(current)
        change(value)
        self._update_count()

    def reload(self) -> None:
        """Reload the list from the caseload, keeping the selection."""
        current = self.current_participant_id()
        self._loads += 1
        with paused_gc():
            self.model.load(self.caseload.caseload_outline(), self._fetch)
            self.proxy.refresh_search()  # names may have changed
        # The rest of the rows arrive while the keyworker takes in the screen, so the first
        # search or scroll does not wait for them (if it comes sooner, it fetches them itself).
        QTimer.singleShot(PREFETCH_MS, self, self._prefetch)
        self._update_count()
        if current:
            self.select(current)

    def apply(self, changes: Changes) -> None:
        """Bring the list up to date after a committed change.

        A change to a few parents' contacts, pace, stage… fetches only their rows; a change
        to anyone's details (names, and so the order), or to many parents, reloads the list.
        """
        if not changes.touches(*LIST_KINDS):
            return
        ids = sorted(changes.participant_ids)
        if changes.touches("participants") or not ids or len(ids) > REFRESH_AT_MOST:
            self.reload()
            return
        rows = self._fetch(ids)
        if len(rows) != len(ids) or not self.model.refresh_rows(rows):
            self.reload()
            return
        self._update_count()

    def _fetch(self, ids: list[str] | None) -> list[CaseloadRow]:
        """Rows for the list: these parents, or everyone (for the model's lazy loading); none
        once the caseload is closed (the window is going, or another caseload is coming)."""
        if self.caseload.is_closed:
            return []
        return self.caseload.caseload(ids=ids)

    def _find(self, text: str) -> frozenset[str]:
        """The parents the store's one search finds (none once the caseload is closed)."""
        if self.caseload.is_closed:
            return frozenset()
        return self.caseload.found_ids(text)

    def _prefetch(self) -> None:
        """Fetch the rest of the rows on a connection of their own, off the window's thread
        (at 10,000 parents, fetching them here held the window for 100-250 ms just after it
        appeared); they go in only if the list has not been reloaded meanwhile."""
        if self.caseload.is_closed or self.model.loaded():
            return
        if self.caseload.path is None:  # an in-memory caseload (tests) has no second connection
            self.model.load_rest()
            return
        from journeyapp.ui.operations import Operation

        loads = self._loads

        def arrived(rows: list[CaseloadRow]) -> None:
            if loads == self._loads and not self.caseload.is_closed:
                self.model.take_rest(rows)

        # If it fails, nothing is lost: the first search or scroll fetches the rows itself.
        Operation(
            parent=self, caseload=self.caseload, op=lambda own, _p: own.caseload(), success=arrived
        ).failure(lambda _error: None).run_in_background()

    def _update_count(self) -> None:
        shown, overdue = self.proxy.shown_counts()
        self.count_label.setText(count_line(shown, self.model.rowCount(), overdue))

    def clear_filters(self) -> None:
        """Empty the search box and set every filter back to showing everyone."""
        self.search.clear()
        for combo in (self.stage_filter, self.status_filter, self.locality_filter):
            combo.setCurrentIndex(0)
        self.overdue_filter.setChecked(False)

    def visible_rows(self) -> list[CaseloadRow]:
        """The parents shown now, in order."""
        return self.proxy.visible_rows()

    def current_participant_id(self) -> str | None:
        """The selected parent, if any."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        value = index.data(ID_ROLE)
        return str(value) if value else None

    def select(self, participant_id: str) -> bool:
        """Select a parent's row (if shown); True when it is."""
        source_row = self.model.row_of(participant_id)
        if source_row < 0:
            return False
        index = self.model.index(source_row, 0)
        if self.table.model() is self.proxy:
            index = self.proxy.mapFromSource(index)
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    # -- interaction -------------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.participant_chosen.emit(str(indexes[0].data(ID_ROLE)))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.participant_opened.emit(str(index.data(ID_ROLE)))

    def _open_first(self) -> None:
        """Enter in the search box opens the selected parent, or the first one shown."""
        shown = self.table.model()
        if shown.rowCount() == 0:
            return
        index = self.table.currentIndex()
        if not index.isValid():
            index = shown.index(0, 0)
            self.table.setCurrentIndex(index)
            self.table.selectRow(0)
        self._open_index(index)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search and key == Qt.Key.Key_Down and self.table.model().rowCount():
                # Down from the search box goes straight into the list.
                self.table.setFocus()
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_index(self.table.currentIndex())
                return True
        return super().eventFilter(watched, event)
