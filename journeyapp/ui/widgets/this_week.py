"""ThisWeekView: the home view when no parent is open (View > This week, Ctrl+1).

The view half of This week: the state (what is listed, where each line opens) is
caseload.this_week's ThisWeek, built below the window; this widget lays it out as headed
groups in one tree, says what to do next where a group is empty, and asks the window to open
a line's parent at its place (Enter or double-click).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.ui import theme
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.layout import SPACING, muted, wrapping_label

if TYPE_CHECKING:
    # What This week lists is worked out once the window has painted (after_first_paint):
    # its modules load then, not with the window (#18).
    from journeyapp.caseload.this_week import ThisWeek, WeekLine

LINE_ROLE = Qt.ItemDataRole.UserRole


class ThisWeekView(QWidget):
    """What needs the keyworker this week, group by group; each line opens its parent.

    Signals:
        line_opened(WeekLine): open this line's parent (or group session) at its place.
        arrange_requested(): the Arrange a meeting… button.
        calendar_requested(): the Save my calendar… button.
        enrol_requested(): the Enrol your first parent… button (an empty caseload).
    """

    line_opened = Signal(object)
    arrange_requested = Signal()
    calendar_requested = Signal()
    enrol_requested = Signal()

    def __init__(self, caseload: Caseload, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.week: ThisWeek | None = None
        self._stale = True
        # Set by the main window: nothing is asked of the caseload until it has painted.
        self._waiting = False
        self.setAccessibleName("This week")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING // 2)
        self.heading = wrapping_label("This week", selectable=False)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * theme.TITLE)  # the type scale (STYLE.md)
        self.heading.setFont(font)
        self.heading.setAccessibleName("This week")
        layout.addWidget(self.heading)
        self.dates = muted(wrapping_label(selectable=False))
        self.dates.setAccessibleName("The days shown")
        layout.addWidget(self.dates)
        buttons = QHBoxLayout()
        buttons.setSpacing(SPACING // 2)
        self.arrange_button = QPushButton("Arrange a meeting…")
        self.arrange_button.setAccessibleName("Arrange a meeting")
        self.arrange_button.clicked.connect(self.arrange_requested)
        self.calendar_button = QPushButton("Save my calendar (.ics)…")
        self.calendar_button.setAccessibleName("Save my meetings as a calendar file")
        self.calendar_button.setToolTip(
            "Your meetings and group sessions from today on, for your phone or Outlook "
            "(parents' first names only)"
        )
        self.calendar_button.clicked.connect(self.calendar_requested)
        self.enrol_button = QPushButton("Enrol your first parent…")
        self.enrol_button.setAccessibleName("Enrol your first parent")
        self.enrol_button.setToolTip("Enrol a parent (Ctrl+N)")
        self.enrol_button.clicked.connect(self.enrol_requested)
        self.enrol_button.hide()
        buttons.addWidget(self.enrol_button)
        buttons.addWidget(self.arrange_button)
        buttons.addWidget(self.calendar_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("This week's meetings and things due")
        self.tree.setAccessibleDescription("Enter or double-click a line to open the parent there.")
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.hint = muted(
            wrapping_label("Enter or double-click a line to open it.", selectable=False)
        )
        layout.addWidget(self.hint)
        layout.addStretch(0)  # takes the room only when the list is hidden
        # The icon the caseload list and the header use for a check-in due (STYLE.md).
        self._overdue_icon = theme.icon("due")
        bus.changed.connect(self._on_changed)

    # -- showing ---------------------------------------------------------------------------------

    def wait_for_first_paint(self) -> None:
        """Show nothing yet, even when shown: the window calls `after_first_paint()` once it
        has painted, so the window comes up before This week is worked out (issue 18)."""
        self._waiting = True

    def after_first_paint(self) -> ThisWeek:
        """The window has painted: work This week out now, unless it has been already (a
        change or Ctrl+1 came first). Returns what is shown."""
        self._waiting = False
        if self._stale or self.week is None:
            return self.refresh()
        return self.week

    def _settings_first(self) -> str:
        """On a new laptop whose File > Settings are still empty, the step before the first
        parent ("" once a name, phone or email is there)."""
        sender = self.caseload.settings.sender()
        if sender.keyworker.strip() or sender.reachable:
            return ""
        return (
            "Before you enrol anyone, put your name, phone and organisation in File > "
            "Settings: each parent you enrol then has you as their keyworker, and their "
            "printed plan says how to reach you (it says “Ask your keyworker for a number to "
            "call.” until then).\n\n"
        )

    def refresh(self) -> ThisWeek:
        """Ask the caseload again and show the answer (returns it)."""
        from journeyapp.caseload.this_week import this_week

        week = this_week(self.caseload)
        self.week = week
        self._stale = False
        self._waiting = False
        whose = (
            f"{week.keyworker}'s parents (and any with no keyworker noted)"
            if week.keyworker
            else "everyone in this caseload"
        )
        if week.nobody_theirs:
            # "Your name" in Settings not as the parents' records spell it: said, so an empty
            # week is not taken for a week with nothing due.
            like = " or ".join(f"“{name}”" for name in week.spelled)
            whose = (
                f"no parent has “{week.keyworker}” as keyworker"
                + (f" (the records say {like})" if like else "")
                + ": set Your name in File > Settings as the parents' records spell it. "
                "Shown: parents with no keyworker noted"
            )
        self.dates.setText(
            f"Today, {week.today.strftime('%A')} {fmt_date(week.today)}, to "
            f"{week.last.strftime('%A')} {fmt_date(week.last)} · {whose}"
        )
        self.tree.setUpdatesEnabled(False)  # one repaint for the whole list, not one a line
        self.tree.clear()
        # An empty caseload has one thing to do first, not eight empty lists.
        self.enrol_button.setVisible(not week.has_parents)
        self.arrange_button.setEnabled(week.has_parents)
        self.calendar_button.setEnabled(week.has_parents)
        self.tree.setVisible(week.has_parents)
        self.hint.setText(
            "Enter or double-click a line to open it."
            if week.has_parents
            # The one place the first days say to enrol (the button above it): the list
            # and the status bar say something else, not the same words twice more.
            else self._settings_first() + "Once parents are enrolled (the button above, or "
            "Ctrl+N anywhere), This week lists their meetings, check-ins and steps as they "
            "come due."
        )
        bold = QFont(self.tree.font())
        bold.setBold(True)
        italic = QFont(self.tree.font())
        italic.setItalic(True)
        # Each group's items are made whole before they go into the tree, and all of them go
        # in at once: an item added to an item already in the tree is announced to the view
        # one by one (600 lines over a whole caseload).
        heads = []
        first: QTreeWidgetItem | None = None  # the first line, made current below
        for group in week.groups:
            count = f" ({group.count:,})" if group.count else ""
            head = QTreeWidgetItem([group.title + count])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setData(0, Qt.ItemDataRole.AccessibleTextRole, group.title + count)
            children = []
            if not group.lines:
                empty = QTreeWidgetItem([group.empty])
                empty.setFont(0, italic)
                empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
                children.append(empty)
            for line in group.lines:
                item = QTreeWidgetItem([line.text])
                item.setData(0, LINE_ROLE, line)
                # The whole line too: a long name or note is cut off at the list's edge.
                item.setToolTip(0, f"{line.text}\n{self._where(line)}")
                if line.overdue:
                    item.setIcon(0, self._overdue_icon)
                children.append(item)
                if first is None:
                    first = item
            if group.more:
                more = QTreeWidgetItem(
                    [f"…and {group.more:,} more (the caseload list's filters find them all)"]
                )
                more.setFont(0, italic)
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
                children.append(more)
            head.addChildren(children)
            heads.append(head)
        self.tree.addTopLevelItems(heads)
        for head in heads:
            head.setExpanded(True)
        if first is not None:
            self.tree.setCurrentItem(first)
        self.tree.setUpdatesEnabled(True)
        return week

    def _line_items(self) -> list[QTreeWidgetItem]:
        items = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            if head is None:
                continue
            for j in range(head.childCount()):
                child = head.child(j)
                if child is not None and child.data(0, LINE_ROLE) is not None:
                    items.append(child)
        return items

    @staticmethod
    def _where(line: WeekLine) -> str:
        if line.participant_id is None:
            return "Opens the group sessions"
        if line.section is None:
            return f"Opens {line.name}'s journey"
        return f"Opens {line.name}'s journey at {line.section.value}"

    def lines(self) -> list[WeekLine]:
        """The lines shown, top to bottom (for tests)."""
        return [item.data(0, LINE_ROLE) for item in self._line_items()]

    def item_for(self, line: WeekLine) -> QTreeWidgetItem | None:
        """The tree item showing `line`."""
        return next((i for i in self._line_items() if i.data(0, LINE_ROLE) == line), None)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        from journeyapp.caseload.this_week import WeekLine

        line = item.data(0, LINE_ROLE)
        if isinstance(line, WeekLine):
            self.line_opened.emit(line)

    # -- keeping current -------------------------------------------------------------------------

    def follow_settings(self) -> None:
        """Settings were saved (Your name says whose parents this is): asked again, now if
        shown, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _on_changed(self, _changes: Changes) -> None:
        # Asked again only when on screen: while a parent is open, a change only marks it.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not self._waiting:
            self.refresh()
