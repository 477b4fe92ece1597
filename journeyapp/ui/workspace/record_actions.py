"""Correcting and removing any record the workspace shows, the way desktop apps do it:
double-click or Enter opens it in the form it was made with, Delete (or the context menu, or a
button) removes it after a question that says what goes, and History… lists its journey-log
events. Both changes are undoable (Ctrl+Z) and travel to other laptops in the journey log."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QWidget,
)

from journeyapp.core.describe import describe
from journeyapp.core.records import Attendance, Goal, Milestone, Record, StageChange
from journeyapp.ui.errors import attempt
from journeyapp.ui.widgets.layout import is_removed
from journeyapp.ui.widgets.record_table import RECORD_ROLE

if TYPE_CHECKING:
    from journeyapp.ui.workspace.section import Section

# Set on a widget that stands for a record (a card, a line).
RECORD_PROPERTY = "journeyapp_record"
_EDIT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2}
_REMOVE_KEYS = {Qt.Key.Key_Delete}
# How long a record just opened is followed while its section settles (milliseconds).
SETTLE_MS = 1500


def record_of(item: object) -> Record | None:
    """The record a table row's object stands for (a record itself, or a line holding one)."""
    if isinstance(item, Record):
        return item
    found = getattr(item, "record", None)
    return found if isinstance(found, Record) else None


def confirm_removal(parent: QWidget, what: str) -> bool:
    """Ask "Remove <what>?"; True when the keyworker says Remove (Keep it is the default)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Remove")
    text = f"Remove {what}?"
    box.setText(text)
    box.setAccessibleName(text)
    box.setInformativeText("It goes from their journey and their plan. Ctrl+Z puts it back.")
    remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is remove


class RecordActions:
    """Edit, remove and history for the records one section shows."""

    def __init__(self, section: Section) -> None:
        self.section = section
        self._hooks: list[QObject] = []

    def describe(self, record: Record) -> str:
        """The record in a few words, as the removal question says it."""
        caseload = self.section.caseload
        session = None
        steps = 0
        if isinstance(record, Attendance):
            session = next(
                (s for s in caseload.group_sessions() if s.id == record.session_id), None
            )
        journey = self.section.journey
        if isinstance(record, Goal) and journey is not None:
            steps = len(journey.steps_for(record.id))
        # Removing a "started work" milestone removes the job that grew from it: say so.
        with_job = (
            isinstance(record, Milestone)
            and journey is not None
            and any(job.milestone_id == record.id for job in journey.jobs)
        )
        return describe(
            record,
            caseload.catalogue,
            caseload.today(),
            session=session,
            steps=steps,
            with_job=with_job,
        )

    def edit(self, record: Record) -> None:
        """Open `record` in the form it was made with; Save changes it."""
        offered = self.section.edit_dialog_offered(record)
        dialog = self.section.edit_dialog(record) if offered else None
        if dialog is None:
            self.section.status_message.emit(self._why_not(record, "changed"))
            return
        if dialog.exec():
            self.section.corrected(record, dialog)
            self.keyboard_back(record.id)

    def remove(self, record: Record) -> None:
        """Remove `record` after the question."""
        if not self.section.can_remove(record):
            self.section.status_message.emit(self._why_not(record, "removed"))
            return
        what = self.describe(record)
        if not confirm_removal(self.section, what):
            return
        caseload = self.section.caseload
        neighbour = self._neighbour(record.id)

        def remove() -> bool:
            caseload.delete_record(record.KIND, record.id)
            return True

        if attempt(self.section, remove):
            self.section.status_message.emit(f"Removed {what}. Saved (Ctrl+Z puts it back).")
            self.keyboard_back(neighbour)

    def keyboard_back(self, record_id: str | None) -> None:
        """After a change from a record's form or menu, the keyboard goes back to that record
        (its card or row, built again with the new words), or to its neighbour when it was
        removed, or to the section's first button: it jumped to the search box at the top of
        the window, and a keyworker working down a list lost their place."""
        if record_id is not None and self.show(record_id):
            return
        for button in self.section.findChildren(QPushButton):
            if button.isVisible() and button.isEnabled():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _neighbour(self, record_id: str) -> str | None:
        """The record shown after `record_id` (or else before it) in this section."""
        shown: list[str] = []
        for hook in self._hooks:
            if not shiboken6.isValid(hook):
                continue
            if isinstance(hook, _ItemHook) and not is_removed(hook.widget):
                shown.append(hook.record.id)
            elif isinstance(hook, _TableHook) and not is_removed(hook.view):
                model = hook.view.model()
                for row in range(model.rowCount()):
                    found = record_of(model.index(row, 0).data(RECORD_ROLE))
                    if found is not None:
                        shown.append(found.id)
        if record_id not in shown:
            return None
        at = shown.index(record_id)
        others = [i for i in (*shown[at + 1 :], *reversed(shown[:at])) if i != record_id]
        return others[0] if others else None

    def _why_not(self, record: Record, done: str) -> str:
        """Why `record` cannot be changed or removed (`done`) here, and what to do instead."""
        if isinstance(record, StageChange) and done == "removed":
            # A parent always has a stage: a wrong stage or day in their only move is corrected.
            return (
                "Their only stage move is not removed: press Enter on it to correct its stage "
                "or day."
            )
        return f"This one cannot be {done} here."

    def history(self, record: Record) -> None:
        """List the record's journey-log events."""
        from journeyapp.ui.dialogs.record_history import RecordHistoryDialog

        RecordHistoryDialog(
            self.section.caseload, record, self.describe(record), self.section
        ).exec()

    def menu(self, record: Record, parent: QWidget) -> QMenu:
        """Change…, Remove…, History… for `record`."""
        menu = QMenu(parent)
        edit = menu.addAction("&Change…", lambda: self.edit(record))
        edit.setEnabled(self.section.edit_dialog_offered(record))
        remove = menu.addAction("&Remove…", lambda: self.remove(record))
        remove.setEnabled(self.section.can_remove(record))
        menu.addSeparator()
        menu.addAction("&History…", lambda: self.history(record))
        return menu

    def show_menu(self, record: Record, widget: QWidget, at: QPoint) -> None:
        """Pop the menu up at `at` (in `widget`'s coordinates)."""
        self.menu(record, widget).exec(widget.mapToGlobal(at))

    # -- hooking widgets up ------------------------------------------------------------------

    def hook_item(self, widget: QWidget, record: Record, *, also: tuple[QWidget, ...] = ()) -> None:
        """Make `widget` (a card or a line) stand for `record`: focusable, double-click or Enter
        changes it, Delete removes it, right-click (or the Menu key) offers all three. `also`:
        widgets inside it (its labels) that answer the same."""
        hook = _ItemHook(self, record, widget)
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.setProperty(RECORD_PROPERTY, record.id)
        if not widget.accessibleName():
            # A screen reader says what the card is, not just "frame" (a referral's row).
            what = self.describe(record)
            widget.setAccessibleName(what[:1].upper() + what[1:])
        widget.setAccessibleDescription(
            "Enter or double-click to change it; Delete to remove it; the menu key or "
            "Shift+F10 for history."
        )
        for target in (widget, *also):
            target.installEventFilter(hook)
        self._hooks.append(hook)

    def show(self, record_id: str) -> bool:
        """Bring the card or row of a record into view with the keyboard on it (a search
        result opened); False when this section does not show it."""
        for hook in reversed(self._hooks):
            if not shiboken6.isValid(hook):
                continue
            if isinstance(hook, _ItemHook) and hook.record.id == record_id:
                widget = hook.widget
                if is_removed(widget):
                    continue
                # A card just built is shown by the event loop: go to it once it is.
                QTimer.singleShot(0, widget, functools.partial(_bring_into_view, widget))
                return True
            if isinstance(hook, _TableHook) and not is_removed(hook.view):
                view = hook.view
                model = view.model()
                for row in range(model.rowCount()):
                    index = model.index(row, 0)
                    record = record_of(index.data(RECORD_ROLE))
                    if record is not None and record.id == record_id:
                        view.setCurrentIndex(index)
                        view.scrollTo(index)
                        view.setFocus(Qt.FocusReason.OtherFocusReason)
                        return True
        return False

    def record_of_widget(self, widget: QWidget | None) -> str | None:
        """The id of the record `widget` stands for: a card or line of this section, or a
        record table's row the keyboard is on; None for anything else (a button, a box in a
        card)."""
        if widget is None or not self.section.isAncestorOf(widget):
            return None
        if isinstance(widget, QAbstractItemView):
            record = selected_record(widget)
            return record.id if record is not None else None
        found = widget.property(RECORD_PROPERTY)
        return found if isinstance(found, str) and found else None

    def hook_table(self, view: QAbstractItemView) -> None:
        """The same for each row of a record table (the row's RECORD_ROLE object)."""
        hook = _TableHook(self, view)
        view.installEventFilter(hook)
        view.doubleClicked.connect(hook.double_clicked)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(hook.context_menu)
        self._hooks.append(hook)

    def table_buttons(
        self, view: QAbstractItemView, what: str
    ) -> tuple[QHBoxLayout, QPushButton, QPushButton, QPushButton]:
        """Change… / Remove… / History… buttons for the selected row of `view` (`what`: "contact")."""
        row = QHBoxLayout()
        buttons = []
        for text, name, act in (
            ("Change…", f"Change the selected {what}", self.edit),
            ("Remove…", f"Remove the selected {what}", self.remove),
            ("History…", f"History of the selected {what}", self.history),
        ):
            button = QPushButton(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.clicked.connect(lambda _=False, act=act: self._on_selected(view, act))
            row.addWidget(button)
            buttons.append(button)
        row.addStretch(1)

        def update() -> None:
            record = selected_record(view)
            buttons[0].setEnabled(record is not None and self.section.edit_dialog_offered(record))
            buttons[1].setEnabled(record is not None and self.section.can_remove(record))
            buttons[2].setEnabled(record is not None)

        def follow_keyboard(current: QModelIndex, _previous: QModelIndex) -> None:
            # Tab into the table puts the keyboard on its first row without choosing it: the
            # buttons stayed greyed out (Tab then skipped them) while Enter on that row changed
            # it. The row the keyboard is on is the one they act on, shown chosen.
            chosen = view.selectionModel()
            if current.isValid() and not chosen.isRowSelected(current.row(), current.parent()):
                chosen.select(
                    current,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            update()

        view.selectionModel().selectionChanged.connect(lambda *_: update())
        view.selectionModel().currentChanged.connect(follow_keyboard)
        model = view.model()
        model.modelReset.connect(update)
        update()
        return row, buttons[0], buttons[1], buttons[2]

    def _on_selected(self, view: QAbstractItemView, act: Callable[[Record], None]) -> None:
        record = selected_record(view)
        if record is not None:
            act(record)


def selected_record(view: QAbstractItemView) -> Record | None:
    """The record of the row selected (or current) in `view`."""
    index = view.currentIndex()
    if not index.isValid():
        return None
    return record_of(index.siblingAtColumn(0).data(RECORD_ROLE))


def _bring_into_view(widget: QWidget) -> None:
    """Scroll the area holding `widget` to it and put the keyboard on it."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if not isinstance(area, QScrollArea):
        return
    area.ensureWidgetVisible(widget)
    # Cards just built take their real height (words wrapped to the width) a moment later,
    # which moves the card down, often out of sight: follow it while the list settles, as
    # long as it keeps the keyboard.
    bar = area.verticalScrollBar()

    def follow(_low: int, _high: int) -> None:
        # Still the one with the keyboard in its window (the window may not be active yet:
        # a dialog that just closed hands it back a moment later).
        if (
            shiboken6.isValid(widget)
            and not is_removed(widget)
            and widget.window().focusWidget() is widget
        ):
            area.ensureWidgetVisible(widget)

    bar.rangeChanged.connect(follow)
    QTimer.singleShot(SETTLE_MS, bar, functools.partial(bar.rangeChanged.disconnect, follow))


class _ItemHook(QObject):
    def __init__(self, actions: RecordActions, record: Record, widget: QWidget) -> None:
        super().__init__(widget)
        self.actions = actions
        self.record = record
        self.widget = widget
        self._shape: tuple[QFrame.Shape, int] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton:
                self.actions.edit(self.record)
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            # Only a key pressed on the card itself: a key a control inside it passed on
            # (Enter on "Add a step…", Delete on its status) is not meant for the card.
            if watched is not self.widget or self.widget.focusWidget() not in (
                None,
                self.widget,
            ):
                return False
            if event.key() in _EDIT_KEYS:
                self.actions.edit(self.record)
                return True
            if event.key() in _REMOVE_KEYS:
                self.actions.remove(self.record)
                return True
        elif kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            assert isinstance(watched, QWidget)
            self.actions.show_menu(self.record, watched, event.pos())
            return True
        elif watched is self.widget and isinstance(self.widget, QFrame):
            # The card with the keyboard on it shows it (Enter and Delete act on it).
            if kind == QEvent.Type.FocusIn:
                self._shape = (self.widget.frameShape(), self.widget.lineWidth())
                self.widget.setFrameShape(QFrame.Shape.Box)
                self.widget.setLineWidth(2)
            elif kind == QEvent.Type.FocusOut and self._shape is not None:
                self.widget.setFrameShape(self._shape[0])
                self.widget.setLineWidth(self._shape[1])
                self._shape = None
        return False


class _TableHook(QObject):
    def __init__(self, actions: RecordActions, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.actions = actions
        self.view = view

    def double_clicked(self, index: QModelIndex) -> None:
        record = record_of(index.siblingAtColumn(0).data(RECORD_ROLE))
        if record is not None:
            self.actions.edit(record)  # one that is not changed here says why, and what to do

    def context_menu(self, at: QPoint) -> None:
        index = self.view.indexAt(at)
        if index.isValid():
            self.view.setCurrentIndex(index)
        record = selected_record(self.view)
        if record is not None:
            self.actions.show_menu(record, self.view.viewport(), at)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.ContextMenu
            and isinstance(event, QContextMenuEvent)
            and event.reason() == QContextMenuEvent.Reason.Keyboard
        ):
            # The Menu key (or Shift+F10): the menu of the row the keyboard is on. Qt hands the
            # view a point in its own coordinates, not its viewport's as a click does, and the
            # row found there was the one below (the header's height lower).
            record = selected_record(self.view)
            if record is not None:
                at = self.view.visualRect(self.view.currentIndex()).center()
                self.actions.show_menu(record, self.view.viewport(), at)
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            record = selected_record(self.view)
            if record is None:
                return False
            if event.key() in _EDIT_KEYS:
                self.actions.edit(record)  # or says why not, and what to do instead
                return True
            if event.key() in _REMOVE_KEYS:
                self.actions.remove(record)
                return True
        return False
