"""A read-only table over a list of records (one row per record; RECORD_ROLE gives the record)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from journeyapp.ui.models import column_header
from journeyapp.ui.overrides import override

_ROOT = QModelIndex()
RECORD_ROLE = Qt.ItemDataRole.UserRole

# A word this long (a web or email address, a run of letters) is given places to wrap: the
# table wraps at spaces only, and cut a longer word off at the column's edge with "…".
LONG_WORD = 24
_BREAK_EVERY = 12
_ZERO_WIDTH_SPACE = "\u200b"


def _joined_script(word: str) -> bool:
    """True for a word in a script whose letters join (Arabic): a break inside would change
    how its letters are drawn."""
    return any(
        "\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufeff"
        for c in word
    )


def breakable(text: str) -> str:
    """`text` with invisible places to wrap inside very long words, so a wrapped table shows
    them whole over several lines (what a person reads is unchanged)."""
    if len(text) < LONG_WORD:
        return text
    words = text.split(" ")
    for n, word in enumerate(words):
        if len(word) >= LONG_WORD and not _joined_script(word):
            words[n] = _ZERO_WIDTH_SPACE.join(
                word[i : i + _BREAK_EVERY] for i in range(0, len(word), _BREAK_EVERY)
            )
    return " ".join(words)


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
        if role == Qt.ItemDataRole.DisplayRole:
            return breakable(column.text(record))
        if role == Qt.ItemDataRole.AccessibleTextRole:
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
    """Make a short table only as tall as its rows (up to `most` rows; then it scrolls); kept
    so when its columns are shared out again (a wider or narrower window)."""
    view.setProperty("fit_rows_most", most)
    _fit_height(view, most)


def _fit_height(view: QTableView, most: int) -> None:
    rows = min(view.model().rowCount(), most)
    height = view.horizontalHeader().height() + 2 * view.frameWidth()
    height += (
        sum(view.rowHeight(r) for r in range(rows)) if rows else view.fontMetrics().height() * 2
    )
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().height()
    # A fixed height: the section's own scroll area scrolls, not a small window inside it.
    view.setFixedHeight(height)


def shared_widths(
    natural: Sequence[int], least: Sequence[int], words: int, room: int, share: int = 2
) -> list[int]:
    """Column widths sharing `room` pixels: each column as wide as its `natural` width (its
    text on one line) when all fit, the words column `words` taking what is left over; when
    they do not, long columns share the room (the words column `share` times the share of
    any other) and wrap, short ones keep their width, and none is narrower than its `least`."""
    weight = [share if c == words else 1 for c in range(len(natural))]
    if sum(natural) <= room:
        widths = list(natural)
        widths[words] += room - sum(natural)
        return widths

    # The share s for which the columns, each weight * s kept between its least and natural
    # widths, fill the room ("water filling"), found by halving.
    def total(share: float) -> int:
        return sum(
            max(low, min(n, int(w * share)))
            for n, low, w in zip(natural, least, weight, strict=True)
        )

    low_share, high_share = 0.0, float(max(natural))
    for _ in range(40):
        middle = (low_share + high_share) / 2
        if total(middle) <= room:
            low_share = middle
        else:
            high_share = middle
    return [
        max(low, min(n, int(w * low_share)))
        for n, low, w in zip(natural, least, weight, strict=True)
    ]


class _ColumnSharer(QObject):
    """Shares a table's width among its columns whenever the rows or the width change."""

    def __init__(self, view: QTableView, words: int) -> None:
        super().__init__(view)
        self.view = view
        self.words = words
        self.width = -1
        self.busy = False
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
            signal.connect(self.share)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        shown_or_sized = event.type() in (QEvent.Type.Resize, QEvent.Type.Show)
        # Not while the table is being taken apart (its viewport goes before this does).
        view = getattr(self, "view", None)
        if not shown_or_sized or view is None or not shiboken6.isValid(view):
            return False
        if self.view.viewport().width() != self.width:
            self.share()
        return False

    # A slot Qt knows by name (not a bound method found when the signal comes): a model's
    # signal arriving while the table is taken apart failed once in 4,000 tests with
    # "Slot '_ColumnSharer::' not found" (PySide looking up a Python method on an object going).
    @Slot()
    def share(self, *_: object) -> None:
        # A signal arriving while the table is taken apart can reach a new wrapper of this
        # object without its attributes (PySide makes one for a C++ object it no longer holds
        # a Python object for): nothing to share then (seen once in the whole suite).
        if getattr(self, "busy", True):
            return
        view = self.view
        if not shiboken6.isValid(view):
            return  # the table is being taken apart (a QTableWidget's rows go with it)
        if not view.isVisible():
            # A tab not in sight: shared when it is shown (switching parents refreshes every
            # tab; measuring the hidden ones' words slowed opening a parent).
            self.width = -1
            return
        self.busy = True
        try:
            header = view.horizontalHeader()
            self.width = room = view.viewport().width()
            columns = view.model().columnCount()
            if not columns or room <= 0:
                return
            chars = view.fontMetrics().averageCharWidth()
            # One line of each column's text (the first rows, as header.resizeContentsPrecision
            # says: a busy parent's hundreds of contacts are not all measured).
            natural = [
                max(header.sectionSizeHint(c), view.sizeHintForColumn(c)) for c in range(columns)
            ]
            least = [
                max(chars * 8, min(natural[c], header.sectionSizeHint(c))) for c in range(columns)
            ]
            # Wrapped, the words take twice the share; on one line (a long list, the selected
            # row shown whole beneath it) a cut-off line loses as much in any column.
            share = 2 if view.wordWrap() else 1
            widths = shared_widths(natural, least, self.words, room, share)
            for column, width in enumerate(widths):
                header.resizeSection(column, width)
            if view.wordWrap():
                # Rows as tall as their wrapped words, so nothing is cut off.
                view.resizeRowsToContents()
            most = view.property("fit_rows_most")
            if isinstance(most, int):
                _fit_height(view, most)
        finally:
            self.busy = False


def share_width(view: QTableView, words_column: int) -> None:
    """Size `view`'s columns to their words, capped so that the `words_column` (the parent's
    words, a note) always has a fair share of the width: long text wraps (row heights fit it)
    and the tooltip holds the whole of it. A date marked "after today" no longer pushes the
    words out of sight."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    # Rows fitted to their words still breathe (STYLE.md: the font's height + 12).
    view.verticalHeader().setMinimumSectionSize(view.fontMetrics().height() + 12)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    _ColumnSharer(view, words_column).share()


def record_table(model: RecordTableModel, name: str, stretch_column: int) -> QTableView:
    """A keyboard-friendly read-only table over `model`, one row per record, words wrapped;
    `stretch_column` (the words) has the widest share of the width (share_width)."""
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
    # Columns are sized from the first rows only: measuring hundreds of contacts would make
    # opening a busy parent slow, and dates and kinds are all about as wide.
    header.setResizeContentsPrecision(40)
    share_width(view, stretch_column)
    return view
