"""SectionList: the workspace's ten sections as a list down the side (all visible at a glance),
with the chosen section's page beside it; QTabWidget's interface, so callers need not care."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from journeyapp.ui import theme
from journeyapp.ui.overrides import override

# A name longer than this goes onto two lines, so the list stays narrow.
LONGEST = 20


def _two_lines(text: str) -> str:
    """A long section name broken at the space nearest its middle."""
    if len(text) <= LONGEST or " " not in text:
        return text
    middle = len(text) // 2
    spaces = [n for n, ch in enumerate(text) if ch == " "]
    at = min(spaces, key=lambda n: abs(n - middle))
    return f"{text[:at]}\n{text[at + 1 :]}"


class _Names(QListWidget):
    """The list of section names; Left/Right move through it too (as a tab bar's keys do)."""

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        step = moves.get(Qt.Key(event.key()))
        if step is not None and not event.modifiers():
            row = self.currentRow() + step
            if 0 <= row < self.count():
                self.setCurrentRow(row)
            event.accept()
            return
        super().keyPressEvent(event)

    @override
    def sizeHint(self) -> QSize:
        # As wide as the longest name (a long one is on two lines): no clipping, and the
        # section's page keeps the room it needs.
        width = max(self.sizeHintForColumn(0), 0)
        return QSize(width + 2 * self.frameWidth() + 8, super().sizeHint().height())

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())


class _Room(QScrollArea):
    """Holds one section's page: the page fills the room it is given, and only when that is
    less than the page's smallest (200% on a laptop with a task bar: Contacts' list, buttons
    and the contact in full) does the page scroll, under the parent's header and beside the
    section names, which stay where they are. Without it the smallest page of all ten set the
    workspace's least height, and the whole workspace scrolled, header and all."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a stop for Tab (a scroll area is, and shows no sign of it): Tab goes from the
        # section names to the page's first field, which the room scrolls into sight.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Sized here, not by QScrollArea: given a page whose words wrap, it makes the page as
        # tall as it would like to be, so pages that fit scrolled.
        self.setWidgetResizable(False)
        self.setWidget(page)
        page.installEventFilter(self)

    def _fit(self) -> None:
        page = self.widget()
        if page is None:
            return
        room = self.viewport().size()
        least = page.minimumSizeHint().expandedTo(page.minimumSize())
        page.resize(room.width(), max(room.height(), least.height()))

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit()
        super().resizeEvent(event)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit()
        return False

    @override
    def sizeHint(self) -> QSize:
        page = self.widget()
        return page.sizeHint() if page is not None else super().sizeHint()

    @override
    def minimumSizeHint(self) -> QSize:
        page = self.widget()
        width = page.minimumSizeHint().width() if page is not None else 0
        # Room for a few lines: less, and the page scrolls.
        return QSize(width, self.fontMetrics().height() * 4)


class SectionList(QWidget):
    """A side list of section names and a stack of their pages.

    Signals:
        currentChanged(int): another section was chosen.
    """

    currentChanged = Signal(int)  # noqa: N815 (QTabWidget's name)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = _Names()
        theme.style(self.names, "sectionList")
        self.names.setAccessibleName("Sections of the parent's journey")
        self.names.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names.setFrameShape(QFrame.Shape.NoFrame)
        self.names.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.names.setUniformItemSizes(False)
        self.names.setSpacing(1)
        self.pages = QStackedWidget()
        # The sections' pages, in order (each in the stack inside a _Room).
        self._sections: list[QWidget] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.names)
        layout.addWidget(self.pages, 1)
        self.names.currentRowChanged.connect(self._chosen)

    def _chosen(self, row: int) -> None:
        if 0 <= row < self.pages.count() and row != self.pages.currentIndex():
            self.pages.setCurrentIndex(row)
            self.currentChanged.emit(row)

    def set_compact(self, compact: bool) -> None:
        """Closer-set names (a short window: 200% on a laptop), so more of them are in sight."""
        self.names.setProperty("compact", compact)
        # A property a style sheet's rule reads is read again only when the sheet is set.
        self.names.setStyleSheet(self.names.styleSheet())
        self.names.updateGeometry()

    # -- QTabWidget's interface -------------------------------------------------------------------

    def addTab(self, page: QWidget, text: str, icon: QIcon | None = None) -> int:  # noqa: N802
        """Add a section (QTabWidget.addTab's shape)."""
        item = QListWidgetItem(_two_lines(text))
        if icon is not None:
            item.setIcon(icon)
        item.setToolTip(text)
        self.names.addItem(item)
        self._sections.append(page)
        index = self.pages.addWidget(_Room(page))
        if self.names.currentRow() < 0:
            self.names.setCurrentRow(0)
        self.names.updateGeometry()
        return index

    def count(self) -> int:
        """How many sections."""
        return self.pages.count()

    def widget(self, index: int) -> QWidget | None:
        """The page of a section."""
        return self._sections[index] if 0 <= index < len(self._sections) else None

    def indexOf(self, page: QWidget) -> int:  # noqa: N802
        """The position of a section's page, or -1."""
        return next((n for n, shown in enumerate(self._sections) if shown is page), -1)

    def tabText(self, index: int) -> str:  # noqa: N802
        """A section's name."""
        item = self.names.item(index) if 0 <= index < self.names.count() else None
        return item.text().replace("\n", " ") if item is not None else ""

    def currentIndex(self) -> int:  # noqa: N802
        """The section shown."""
        return self.pages.currentIndex()

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        """The page shown."""
        return self.widget(self.pages.currentIndex())

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        """Show a section."""
        if 0 <= index < self.count():
            self.names.setCurrentRow(index)

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802
        """Show the section of this page."""
        self.setCurrentIndex(self.indexOf(page))

    def tabBar(self) -> QListWidget:  # noqa: N802
        """The list of names (what a tab bar is to a QTabWidget)."""
        return self.names

    def step(self, by: int) -> None:
        """Ctrl+Page Down / Up: the next or previous section, round from the end to the start."""
        if self.count():
            self.setCurrentIndex((self.currentIndex() + by) % self.count())

    @override
    def setFocus(self, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
        self.names.setFocus(reason)
