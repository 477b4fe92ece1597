"""CaseloadPanel: search box, filters, the caseload table and its count line."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.bulk import paused_gc
from journeyapp.core.changes import Changes
from journeyapp.core.dates import long_date
from journeyapp.core.describe import KIND_WORDS
from journeyapp.core.enums import DUE_SINCE, GoalStatus, ParticipantStatus, check_ins_due, label
from journeyapp.core.records import CaseloadRow
from journeyapp.core.search import Hit, indexed_words, marked, too_many_words
from journeyapp.ui import theme
from journeyapp.ui.first_paint import AfterFirstPaint
from journeyapp.ui.models.caseload_table_model import (
    ID_ROLE,
    CaseloadFilter,
    CaseloadTableModel,
    Column,
)
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.wheel import ChoiceBox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

# How long after the list appears the rest of its rows are fetched.
PREFETCH_MS = 300
# Record kinds the list shows something of (names, stage, pace, last contact, check-ins, status).
LIST_KINDS = ("participants", "contacts", "pace", "pauses", "stages", "attendance", "groups")
# A change to more parents than this reloads the whole list (one query) rather than their rows.
REFRESH_AT_MOST = 50
# How many places found in what was written the list under the search box shows.
HITS_SHOWN = 30
HIT_LINES = 9  # the places found, above the list of names
HIT_LINES_ALONE = 40  # when no name matches: the list's room is theirs
# The "no contact in N days" choices.
QUIET_DAYS = (14, 30, 60, 90)
HIT_ROLE = Qt.ItemDataRole.UserRole
MARKED_ROLE = Qt.ItemDataRole.UserRole + 1


def widest_text(texts: list[str], font: QFont) -> int:
    """The widest of `texts` as QFontMetrics(font).horizontalAdvance measures each, measuring
    few of them (1,700 names measured one by one took 20-30 ms of the window's start, #18).

    A text in Latin letters is first reckoned as the sum of its letters' exact (fractional)
    widths: kerning and ligatures only ever make it a little narrower (a kerned pair pulls
    letters together), and rounding the whole to a pixel adds at most one, so it can measure
    at most `_overshoot` wider than reckoned. Texts are measured whole from the widest
    reckoned down, until no text left could be wider than the widest measured. Any other
    text (combining accents, Arabic, whose letters change shape within a word) is measured
    whole.
    """
    metrics = QFontMetrics(font)
    texts = [text for text in texts if text]
    # One scan for letters beyond Latin (a name in Arabic, say), usually finding none.
    if _BEYOND_LATIN.search("".join(texts)) is None:
        latin, others = texts, []
    else:
        latin = [text for text in texts if _BEYOND_LATIN.search(text) is None]
        others = [text for text in texts if _BEYOND_LATIN.search(text) is not None]
    widest = max(map(metrics.horizontalAdvance, others), default=0)
    if not latin:
        return widest
    exact = QFontMetricsF(font)
    # Reckoned word by word: the same few words ("Agnieszka", "M.,", "Lanarkshire") make up
    # thousands of names, so each word's letters are added up once.
    split = [text.split(" ") for text in latin]
    words = set().union(*split)
    letter = {ch: exact.horizontalAdvance(ch) for ch in set("".join(words)) | {" "}}
    word = {w: sum(map(letter.__getitem__, w)) for w in words}.__getitem__
    space = letter[" "]
    reckoned = [sum(map(word, parts)) + space * (len(parts) - 1) for parts in split]
    # The text reckoned widest, measured, bounds the rest: only those that could still be
    # wider than it are sorted and measured (a few dozen of 2,500 names, #18).
    top = max(range(len(latin)), key=reckoned.__getitem__)
    widest = max(widest, metrics.horizontalAdvance(latin[top]))
    least = _could_reach(widest)  # (the loop below applies _overshoot exactly)
    candidates = [
        (width, text) for width, text in zip(reckoned, latin, strict=True) if width >= least
    ]
    for width, text in sorted(candidates, reverse=True):
        if width + _overshoot(width) < widest:
            break  # neither this text nor any narrower one can be the widest
        widest = max(widest, metrics.horizontalAdvance(text))
    return widest


# Latin letters, with their accents built in (é, ł, ș), end at U+024F; after come IPA, spacing
# and combining marks, and the scripts whose letters join and change shape.
_BEYOND_LATIN = re.compile("[^\x00-\u024f]")


def _overshoot(reckoned: float) -> float:
    """How much wider than the sum of its letters a plain text may measure: a pixel of
    rounding, and room for the rare pair a font spaces out a little (1%)."""
    return _ROUNDING + reckoned / _SPACED_OUT


_ROUNDING = 2  # pixels
_SPACED_OUT = 100  # a text may measure 1/100 wider than its letters' sum


def _could_reach(widest: float) -> float:
    """A pixel below the narrowest reckoned width whose text could still measure `widest`
    (the inverse of _overshoot), so texts below it are not looked at one by one."""
    return (widest - _ROUNDING) / (1 + 1 / _SPACED_OUT) - 1


def wrap_viewport(area: QTableView) -> None:
    """Give the table's viewport its Python wrapper as a plain QWidget, found by the name Qt
    gives it; `area.viewport()` then returns that wrapper.

    Asked for first through viewport() (declared to return a QWidget), PySide works out which
    QWidget subclass the viewport is by setting up the Python type of every one it knows, with
    their enums (wizards, file and font dialogs, message boxes, dock widgets: 7 ms before the
    first paint, #18). Found by name with the type given, it sets up none. Should a Qt name it
    otherwise, nothing is found and viewport() works as before, only slower."""
    area.findChild(QWidget, "qt_scrollarea_viewport", Qt.FindChildOption.FindDirectChildrenOnly)


def count_line(shown: int, total: int, overdue: int) -> str:
    """The words under the table: "42 parents · 5 check-ins due" (and "of N" when filtered)."""
    parents = "parent" if total == 1 else "parents"
    head = f"{total} {parents}" if shown == total else f"{shown} of {total} {parents} shown"
    return f"{head} · {check_ins_due(overdue)}"


class _MarkedWords(QStyledItemDelegate):
    """Draws a found place with the words that matched in bold (MARKED_ROLE: its pieces)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view

    def pieces(self, index: QModelIndex | QPersistentModelIndex, text: str) -> object:
        """The pieces of `text` to draw, each in bold or not; anything else: drawn as usual."""
        return index.data(MARKED_ROLE)

    @override
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Loaded with the first place found, not with the window (html.entities: 4 ms, #18;
        # QTextDocument: PySide sets up its type and five enums when first imported; so it
        # does QStyle's, with its hundreds of named values).
        if not self.pieces(index, ""):
            super().paint(painter, option, index)
            return
        from html import escape

        from PySide6.QtGui import QTextDocument
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = self._view.style()
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, self._view)
        # Set in from the cell's edges as the plain text is (the style's text margin).
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        area.adjust(margin, 0, -margin, 0)
        # Cut short as the plain text would be ("Ana-María Q., E…"), then marked.
        shown = opt.fontMetrics.elidedText(opt.text, opt.textElideMode, area.width())
        pieces = self.pieces(index, shown)
        if not isinstance(pieces, list):
            super().paint(painter, option, index)
            return
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, self._view)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role).name()
        body = "".join(f"<b>{escape(text)}</b>" if on else escape(text) for text, on in pieces)
        document = QTextDocument()
        document.setDefaultFont(opt.font)
        document.setDocumentMargin(0)
        document.setHtml(f'<span style="color:{colour}; white-space:pre">{body}</span>')
        painter.save()
        try:
            painter.setClipRect(area)
            top = area.top() + max(0, (area.height() - int(document.size().height())) // 2)
            painter.translate(area.left(), top)
            document.drawContents(painter)
        finally:
            painter.restore()


class _MarkedNames(_MarkedWords):
    """Draws a name in the caseload list with the letters the search box's words matched in
    bold (core.search.marked: matched as the search finds them, "oneil" in "O'Neil")."""

    def __init__(self, view: QAbstractItemView, typed: Callable[[], str]) -> None:
        super().__init__(view)
        self._typed = typed

    @override
    def pieces(self, index: QModelIndex | QPersistentModelIndex, text: str) -> object:
        typed = self._typed().strip()
        if not typed:
            return None
        if not text:
            return True  # something may be marked: worked out with the text as shown
        found = marked(text, typed)
        return found if any(on for _text, on in found) else None


class CaseloadPanel(QWidget):
    """The caseload list. Emits `participant_chosen(id)` when a parent is selected or opened,
    and `participant_opened(id)` when Enter or a double-click asks to work on them;
    `record_opened(participant id, kind, record id, field)` when a search result found in what was
    written about a parent is opened."""

    participant_chosen = Signal(str)
    participant_opened = Signal(str)
    record_opened = Signal(str, str, str, str)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self._loads = 0  # each reload(): a prefetch for an older one is dropped
        self._fetching = -1  # the reload whose rows are being fetched (one fetch each)
        catalogue = caseload.catalogue
        self.model = CaseloadTableModel(catalogue, self, today=caseload.today)
        self.model.overdue_icon = theme.icon("due")
        self.proxy = CaseloadFilter(self, find=self._find, pick=self._pick)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a parent, or words in notes, goals, steps… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName("Find a parent by name or by what was written")
        self.search.setAccessibleDescription(
            "Type any part of a name, or words from notes, goals, steps, strengths or "
            "referrals; accents do not matter. Press Down to go to the list."
        )
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)
        # Alt+D: Alt+F opens the File menu.
        search_label = QLabel("Fin&d:")
        search_label.setBuddy(self.search)

        self.stage_filter = self._combo(
            "Filter by stage", "Any stage", [(e.key, e.label) for e in catalogue.stages]
        )
        self.status_filter = self._combo(
            "Filter by status", "Any status", [(s.value, label(s)) for s in ParticipantStatus]
        )
        # The catalogue's localities now; with those parents are recorded in that it does not
        # list added once the list has painted (_fill_choices), as the report offers them.
        self.locality_filter = self._combo(
            "Filter by locality", "Any locality", catalogue.choices("localities")
        )
        # Quick filters: whose parents, no contact for a while, where their goals stand.
        self.keyworker_filter = self._combo("Filter by keyworker", "Any keyworker", [])
        self.quiet_filter = self._combo(
            "Filter by time since the last contact",
            "Any last contact",
            [(str(days), f"No contact in {days} days") for days in QUIET_DAYS],
        )
        self.goal_filter = self._combo(
            "Filter by where their goals stand",
            "Any goals",
            [(s.value, f"A goal: {label(s).lower()}") for s in GoalStatus],
        )
        self.keyworker_filter.currentIndexChanged.connect(
            lambda: self._filter(self.proxy.set_keyworker, self.keyworker_filter.currentData())
        )
        self.quiet_filter.currentIndexChanged.connect(
            lambda: self._filter(
                self.proxy.set_no_contact_days,
                int(self.quiet_filter.currentData() or 0) or None,
            )
        )
        self.goal_filter.currentIndexChanged.connect(
            lambda: self._filter(self.proxy.set_goal_status, self.goal_filter.currentData())
        )
        self.overdue_filter = QCheckBox("Only check-ins &due")
        self.overdue_filter.setAccessibleName("Show only parents whose check-in is due")
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
        wrap_viewport(self.table)
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
        self.table.setShowGrid(False)
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
        self._name_width: int | None = None  # the name column's width as last fitted
        # The longest names as last measured: (the model's list of them, font key, width).
        self._widest: tuple[list[str], str, int] | None = None
        self._size_columns()
        self.table.setItemDelegateForColumn(Column.NAME, _MarkedNames(self.table, self.search.text))
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.installEventFilter(self)
        # The viewport too: the scroll bar down the side coming back (a search cleared) takes
        # room from the columns without the table itself changing size.
        self.table.viewport().installEventFilter(self)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many parents are shown")

        # What was written about parents that the search box's words find (beside the names).
        self.hits_label = QLabel()
        self.hits_label.setObjectName("searchHint")
        self.hits_label.setWordWrap(True)
        self.hits_label.setAccessibleName("Found in what was written")
        self.hits = QListWidget()
        theme.style(self.hits, "searchResults")
        self.hits.setAccessibleName("Found in what was written about parents")
        self.hits.setAccessibleDescription("Press Enter to open the parent at this record.")
        self.hits.setWordWrap(True)
        self.hits.setUniformItemSizes(False)
        self.hits.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.hits.setMaximumHeight(self.fontMetrics().height() * HIT_LINES)
        self.hits.setItemDelegate(_MarkedWords(self.hits))
        self.hits.itemActivated.connect(self._open_hit)
        self.hits.installEventFilter(self)
        self.hits_label.hide()
        self.hits.hide()
        # The table when nothing is there to show: what to do next, in words.
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName("Nothing to show")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        search_row = QHBoxLayout()
        search_row.setSpacing(8)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        # On a short screen (200% scaling) the filters fold away behind this button.
        self.filters_button = QToolButton()
        self.filters_button.setText("Filters")
        self.filters_button.setIcon(theme.icon("filter"))
        self.filters_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.filters_button.setCheckable(True)
        self.filters_button.setAccessibleName("Show the filters")
        self.filters_button.hide()
        search_row.addWidget(self.filters_button)
        # Two rows of filters: at 200% scaling on a small laptop every line of height counts.
        self.filters_box = QWidget()
        filters = QGridLayout(self.filters_box)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setHorizontalSpacing(8)
        filters.setVerticalSpacing(6)
        filters.addWidget(self.stage_filter, 0, 0)
        filters.addWidget(self.status_filter, 0, 1)
        filters.addWidget(self.locality_filter, 0, 2)
        filters.addWidget(self.overdue_filter, 0, 3)
        filters.addWidget(self.keyworker_filter, 1, 0)
        filters.addWidget(self.quiet_filter, 1, 1)
        filters.addWidget(self.goal_filter, 1, 2)
        for column in range(3):
            filters.setColumnStretch(column, 1)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        layout.setSpacing(8)
        layout.addLayout(search_row)
        layout.addWidget(self.hits_label)
        layout.addWidget(self.hits)
        layout.addWidget(self.filters_box)
        self.filters_button.toggled.connect(self.filters_box.setVisible)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search, self.hits)
        self.setTabOrder(self.hits, self.stage_filter)
        self.setTabOrder(self.stage_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.locality_filter)
        self.setTabOrder(self.locality_filter, self.overdue_filter)
        self.setTabOrder(self.overdue_filter, self.keyworker_filter)
        self.setTabOrder(self.keyworker_filter, self.quiet_filter)
        self.setTabOrder(self.quiet_filter, self.goal_filter)
        self.setTabOrder(self.goal_filter, self.table)
        self.reload()

    def set_compact(self, compact: bool) -> None:
        """On a short screen, fold the filters away behind the Filters button (shown again
        with it, and whenever one is in use)."""
        self.filters_button.setVisible(compact)
        in_use = self.proxy.criteria().active and self.table.model() is self.proxy
        self.filters_button.setChecked(not compact or in_use)
        self.filters_box.setVisible(not compact or in_use)

    def _combo(self, name: str, anything: str, entries: list[tuple[str, str]]) -> QComboBox:
        combo = ChoiceBox()
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
            Column.NEXT_CHECKIN: f"{DUE_SINCE} 28 Nov",
            Column.STATUS: "Taking a break",
        }
        # The style's small icon size (what the table draws the check-in icon at), as a
        # combo box reports it: asking the style itself has PySide set up QStyle's type.
        icon = self.stage_filter.iconSize().width()
        for column, sample in samples.items():
            extra = 14 + (icon + 6 if column == Column.NEXT_CHECKIN else 0)
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + extra)
        self.table.horizontalHeader().setMinimumSectionSize(
            metrics.horizontalAdvance("Getting st…") + 14
        )
        self._fit_names()

    def _fit_names(self) -> None:
        """Widen the name column towards names told apart by their locality ("Jolene Q.,
        South Lanarkshire"), with the room the stage column can spare (the list never needs
        scrolling sideways); a width the keyworker set by hand is left alone."""
        header = self.table.horizontalHeader()
        now = header.sectionSize(Column.NAME)
        if self._name_width is not None and now != self._name_width:
            return  # dragged by hand
        metrics = self.fontMetrics()
        usual = metrics.horizontalAdvance("Kerry-Ann S.") + 14
        # Measured once per list of names and font (this runs on every resize; at 10,000
        # parents measuring each name took 100 ms, several times before the first paint).
        names, font = self.model.longest_names(), self.font().key()
        if self._widest is None or self._widest[0] is not names or self._widest[1] != font:
            width = widest_text(names, self.font())
            self._widest = (names, font, width)
        widest = self._widest[2]
        spare = max(0, header.sectionSize(Column.STAGE) - header.minimumSectionSize())
        # Wider than the list's room (the stage column already at its least): give it back.
        over = max(0, header.length() - self.table.viewport().width())
        wanted = max(usual, min(widest + 14, now + spare - over))
        if wanted != now:
            self.table.setColumnWidth(Column.NAME, wanted)
        self._name_width = wanted

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

    def _search_changed(self, text: str) -> None:
        self.refresh_hits()
        self._filter(self.proxy.set_search, text)

    def refresh_hits(self) -> None:
        """Look for the search box's words in what was written about parents (the store's one
        search) and list where they were found, with the words around them."""
        text = self.search.text().strip()
        self.hits.clear()
        found: list[Hit] = []
        refused = too_many_words(text)
        if refused is not None:
            # A page pasted into the box: said beside it, no parent listed, nothing looked for.
            self.hits_label.setText(refused)
            self.hits_label.setVisible(True)
            self.hits.setVisible(False)
            return
        if text and not self.caseload.is_closed and indexed_words(text):
            found = self.caseload.search_everything(text, limit=HITS_SHOWN + 1, names=False)
        # Two parents called Liam are told apart here as in the list ("Liam D.", "Liam I.").
        names = self.model.distinct_names(hit.participant_id for hit in found[:HITS_SHOWN])
        # The same words written again for the same parent (a note used often) are one line,
        # with how many times, so other parents' lines are not pushed out of sight.
        lines: dict[tuple[str, str, str], list[Hit]] = {}
        for hit in found[:HITS_SHOWN]:
            lines.setdefault((hit.participant_id, hit.kind, hit.snippet), []).append(hit)
        for (pid, kind, snippet), same in lines.items():
            what = KIND_WORDS.get(kind, kind)
            times = f" (×{len(same)})" if len(same) > 1 else ""
            head = f"{names.get(pid, '')} · {what}{times}: "
            item = QListWidgetItem(head + snippet)
            item.setData(HIT_ROLE, same[-1])
            # The words that matched, in bold (the accessible text stays the plain line).
            item.setData(MARKED_ROLE, [(head, False), *marked(snippet, text)])
            item.setToolTip(f"Open {names.get(pid, '')}'s {what} (Enter)")
            self.hits.addItem(item)
        shown = bool(found)
        more = "+" if len(found) > HITS_SHOWN else ""
        self.hits_label.setText(
            f"Found in what was written: {min(len(found), HITS_SHOWN)}{more} "
            "(Enter opens the first; Down to choose)"
        )
        self.hits_label.setVisible(shown)
        self.hits.setVisible(shown)
        if shown:
            self.hits.setCurrentRow(0)

    def _open_hit(self, item: QListWidgetItem | None = None) -> None:
        if item is None:
            item = self.hits.currentItem() or self.hits.item(0)
        hit = item.data(HIT_ROLE) if item is not None else None
        if isinstance(hit, Hit):
            self.select(hit.participant_id)
            self.record_opened.emit(hit.participant_id, hit.kind, hit.record_id, hit.field)

    def reload(self) -> None:
        """Reload the list from the caseload, keeping the selection."""
        current = self.current_participant_id()
        if self._loads:
            self._fill_choices()
        else:
            # The first time, once the list has painted: only the filters' drop-downs show
            # them, and reading every parent's keyworker took 2% of the window's start at
            # 10,000 parents (#18). A filter's width does not depend on its entries.
            AfterFirstPaint(self, self._fill_choices)
        self._loads += 1
        with paused_gc():
            self.model.load(self.caseload.caseload_outline(), self._fetch)
            self.proxy.refresh_search()  # names may have changed
            self.proxy.refresh_picks()  # keyworkers, goals and contacts may have changed
        # The rest of the rows arrive while the keyworker takes in the screen, so the first
        # search or scroll does not wait for them (if it comes sooner, it fetches them itself).
        QTimer.singleShot(PREFETCH_MS, self, self._prefetch)
        self._fit_names()
        self._update_count()
        if current:
            self.select(current)
        if self.search.text().strip():
            self.refresh_hits()

    def apply(self, changes: Changes) -> None:
        """Bring the list up to date after a committed change.

        A change to a few parents' contacts, pace, stage… fetches only their rows; a change
        to anyone's details (names, and so the order), or to many parents, reloads the list.
        """
        if self.proxy.criteria().picked is not None and changes.touches("goals", "participants"):
            # A goal's status (or a keyworker) changed: ask the store again who is picked.
            self.proxy.refresh_picks()
            self._update_count()
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
        if self.search.text().strip():
            self.refresh_hits()

    def _fetch(self, ids: list[str] | None) -> list[CaseloadRow]:
        """Rows for the list: these parents, or everyone (for the model's lazy loading); none
        once the caseload is closed (the window is going, or another caseload is coming)."""
        if self.caseload.is_closed:
            return []
        return self.caseload.caseload(ids=ids)

    def _find(self, text: str) -> frozenset[str]:
        """The parents the store's one search finds (none once the caseload is closed)."""
        if self.caseload.is_closed or too_many_words(text):
            return frozenset()  # (refused in words beside the box: refresh_hits)
        return self.caseload.found_ids(text)

    def _pick(self, keyworker: str | None, goal_status: str | None) -> frozenset[str] | None:
        """The parents the store picks for the quick filters (none once it is closed)."""
        if self.caseload.is_closed:
            return frozenset()
        return self.caseload.picked_ids(keyworker=keyworker, goal_status=goal_status)

    def _fill_choices(self) -> None:
        """The keyworker filter offers the keyworkers named in the caseload now; the locality
        (and stage) filter the catalogue's entries and then every other one parents are in
        ("Dundee (not in this partnership's list)": one it no longer lists, or another laptop's), as the
        programme report and the export offer them, so every parent can be found by theirs."""
        if self.caseload.is_closed:
            return
        names = self.caseload.keyworkers()
        self._refill(self.keyworker_filter, [(n, n) for n in names], self.proxy.set_keyworker)
        places = self.caseload.catalogue.choices("localities", self.caseload.localities())
        self._refill(self.locality_filter, places, self.proxy.set_locality)
        # Likewise every stage parents are at, so a parent at a retired stage can be found.
        stages = self.caseload.catalogue.choices("stages", self.caseload.stages())
        self._refill(self.stage_filter, stages, self.proxy.set_stage)

    def _refill(
        self, combo: QComboBox, entries: list[tuple[str, str]], change: Callable[[Any], None]
    ) -> None:
        """Put (key, text) `entries` after the combo's first ("Any …") entry, keeping what was
        chosen; if it is gone, the filter goes back to any."""
        if [(combo.itemData(n), combo.itemText(n)) for n in range(1, combo.count())] == entries:
            return
        chosen = combo.currentData()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for key, text in entries:
                combo.addItem(text, key)
            at = combo.findData(chosen) if chosen else 0
            combo.setCurrentIndex(max(at, 0))
        finally:
            combo.blockSignals(False)
        if chosen and at < 0:
            self._filter(change, None)

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
        if self._fetching == loads:  # the window's first load and a reload both ask once
            return
        self._fetching = loads

        def arrived(rows: list[CaseloadRow]) -> None:
            if loads == self._loads and not self.caseload.is_closed:
                self.model.take_rest(rows)

        # If it fails, nothing is lost: the first search or scroll fetches the rows itself.
        Operation(
            parent=self, caseload=self.caseload, op=lambda own, _p: own.caseload(), success=arrived
        ).failure(lambda _error: None).run_in_background()

    def _update_count(self) -> None:
        shown, overdue = self.proxy.shown_counts()
        total = self.model.rowCount()
        self.count_label.setText(count_line(shown, total, overdue))
        # An empty list says what it will hold (This week, beside it, says how to begin).
        if total == 0:
            self.empty_label.setText(
                "No parents yet. Each parent you enrol is listed here with their stage, pace "
                "and next check-in."
            )
        elif shown == 0 and (erased := self._erased_searched()):
            self.empty_label.setText(erased)
        elif shown == 0 and self.hits.count():
            self.empty_label.setText(
                "No name matches. The places listed above were found in what was written: "
                "Enter opens the first."
            )
        elif shown == 0:
            self.empty_label.setText(
                "No one here matches the search and filters. "
                "View > Filters > Clear search and filters shows everyone."
            )
        self.empty_label.setVisible(shown == 0)
        # No name matches but the search found words: the places found take the list's room
        # (the empty list under them would leave room for five lines only).
        only_hits = shown == 0 and total > 0 and self.hits.count() > 0
        self.table.setVisible(not only_hits)
        lines = HIT_LINES_ALONE if only_hits else HIT_LINES
        self.hits.setMaximumHeight(self.fontMetrics().height() * lines)
        self._layout.setStretchFactor(self.hits, 1 if only_hits else 0)

    def _erased_searched(self) -> str:
        """What to say when the search is an erased parent's id (or its start, as listed):
        that they were erased, not that no one matches; "" otherwise."""
        text = self.search.text()
        erased = None if self.caseload.is_closed else self.caseload.erased_named(text)
        if erased is None:
            return ""
        pid, day = erased
        when = f" on {long_date(day)}" if day is not None else ""
        return (
            f"The parent with the id {pid} was erased{when}: nothing about them is held "
            "here any more, only a note that they were erased."
        )

    def clear_filters(self) -> None:
        """Empty the search box and set every filter back to showing everyone."""
        self.search.clear()
        for combo in (
            self.stage_filter,
            self.status_filter,
            self.locality_filter,
            self.keyworker_filter,
            self.quiet_filter,
            self.goal_filter,
        ):
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
        """Enter in the search box opens the selected parent, or the first one shown; when no
        name matches, the parent of the first thing found in what was written, at that record."""
        shown = self.table.model()
        if shown.rowCount() == 0:
            if self.hits.count():
                self._open_hit(self.hits.item(0))
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
            if watched is self.search and key == Qt.Key.Key_Down and self.hits.count():
                # Down from the search box goes to what was found in the records first.
                self.hits.setFocus()
                return True
            if watched is self.search and key == Qt.Key.Key_Down and self.table.model().rowCount():
                # Down from the search box goes straight into the list.
                self.table.setFocus()
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if watched is self.hits and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_hit(self.hits.currentItem())
                return True
            if watched is self.hits and key == Qt.Key.Key_Up and self.hits.currentRow() <= 0:
                self.search.setFocus()
                return True
            at_end = watched is self.hits and self.hits.currentRow() >= self.hits.count() - 1
            if at_end and key == Qt.Key.Key_Down and self.table.model().rowCount():
                # Down from the last place found goes on into the list of parents.
                self.table.setFocus()
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_index(self.table.currentIndex())
                return True
        if event.type() == QEvent.Type.Resize and watched in (self.table, self.table.viewport()):
            QTimer.singleShot(0, self, self._fit_names)  # once the stage column has its room
        return super().eventFilter(watched, event)
