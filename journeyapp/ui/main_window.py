"""MainWindow: the caseload on the left; the selected parent's workspace comes on the right."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.core.text import fold
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.models.caseload_table_model import SEARCH_ROLE, SORT_ROLE, CaseloadTableModel


class MainWindow(QMainWindow):
    """The keyworker's window."""

    def __init__(self, caseload: Caseload, bus: ChangeBus) -> None:
        super().__init__()
        self.caseload = caseload
        self.bus = bus
        demo = " — DEMO (fictional people)" if caseload.is_demo else ""
        self.setWindowTitle(f"JourneyApp{demo}")
        self.model = CaseloadTableModel(caseload.catalogue, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.search = QLineEdit(placeholderText="Search by name…")
        self.search.setAccessibleName("Search the caseload by name")
        self.search.textChanged.connect(self._filter)
        self.table = QTableView()
        self.table.setAccessibleName("Caseload")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.count_label = QLabel()
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self.setCentralWidget(panel)
        bus.changed.connect(self._on_changed)
        self.reload()
        self.resize(1200, 760)

    def reload(self) -> None:
        """Reload the caseload list from the façade."""
        rows = self.caseload.caseload()
        self.model.set_rows(rows)
        overdue = sum(r.overdue for r in rows)
        parents = "parent" if len(rows) == 1 else "parents"
        checkins = "check-in" if overdue == 1 else "check-ins"
        self.count_label.setText(f"{len(rows)} {parents} · {overdue} {checkins} overdue")

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(fold(text.strip()))

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("participants", "contacts", "pace", "pauses", "stages"):
            self.reload()
