"""The lock through every dialog the window opens: Escape, close and unlock in different orders,
and the lock must lock again afterwards (issue 17: no half-locked state, ever)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.lock import LOCKED_TITLE, LockController
from journeyapp.ui.main_window import RECORD_MENU, MainWindow
from tests.ui.shell_helpers import make_window, new_windows

# Actions that open no dialog of their own, or end the session: not part of this walk.
# RECORD_MENU opens a menu where the keyboard is, not a dialog.
_SKIP = {"&Quit", "&Undo", "&Lock", "&Find a parent", "&Clear search and filters", RECORD_MENU}


def _check_locked(lock: LockController, dialog: QWidget, problems: list[str], step: str) -> None:
    if not lock.is_locked:
        problems.append(f"{step}: not locked")
    if shiboken6.isValid(dialog) and dialog.isVisible():
        if dialog not in lock._covers:
            problems.append(f"{step}: {type(dialog).__name__} not covered")
        if dialog.windowTitle() != LOCKED_TITLE:
            problems.append(f"{step}: title {dialog.windowTitle()!r} shows through")
    if lock.window.windowTitle() != LOCKED_TITLE:
        problems.append(f"{step}: main window title {lock.window.windowTitle()!r}")


def _escape(dialog: QWidget) -> None:
    target = QApplication.focusWidget() if dialog.isActiveWindow() else None
    QTest.keyClick(
        target if target is not None and target.window() is dialog else dialog, Qt.Key.Key_Escape
    )


def _ctrl_shift_l(dialog: QWidget) -> None:
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(dialog, Qt.Key.Key_L, mods)


# Each order is a sequence a person (or a timer) might produce with a dialog open.
def _escape_under_lock_then_unlock(
    lock: LockController, dialog: QWidget, problems: list[str]
) -> None:
    lock.lock()
    _check_locked(lock, dialog, problems, "locked")
    _escape(dialog)
    if not (shiboken6.isValid(dialog) and dialog.isVisible()):
        problems.append("Escape under the lock closed the dialog (typing would be lost)")
    lock.try_unlock("")


def _close_under_lock_then_unlock(
    lock: LockController, dialog: QWidget, problems: list[str]
) -> None:
    _ctrl_shift_l(dialog)  # the shortcut, with the (often modal) dialog focused
    _check_locked(lock, dialog, problems, "Ctrl+Shift+L")
    dialog.close()
    if not (shiboken6.isValid(dialog) and dialog.isVisible()):
        problems.append("close() under the lock closed the dialog")
    lock.try_unlock("")


def _deleted_under_lock_then_unlock(
    lock: LockController, dialog: QWidget, problems: list[str]
) -> None:
    lock.lock()
    # The dialog's owner ends it while locked (a background task finishing, a timer).
    if isinstance(dialog, QDialog):
        dialog.done(QDialog.DialogCode.Rejected)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.deleteLater()
    QApplication.processEvents()
    lock.try_unlock("")


def _unlock_then_escape(lock: LockController, dialog: QWidget, problems: list[str]) -> None:
    lock.lock()
    lock.try_unlock("")
    if shiboken6.isValid(dialog) and dialog.isVisible():
        _escape(dialog)


ORDERS: list[Callable[[LockController, QWidget, list[str]], None]] = [
    _escape_under_lock_then_unlock,
    _close_under_lock_then_unlock,
    _deleted_under_lock_then_unlock,
    _unlock_then_escape,
]


def _drive(
    qtbot: QtBot, window: MainWindow, action: QAction, order: Callable[..., None]
) -> tuple[list[str], list[str]]:
    """Trigger `action`; on each window it opens run `order`, then lock again and check."""
    lock = window.lock
    assert lock is not None
    # Holding the wrappers keeps their ids from being reused by a new dialog's wrapper.
    before = {id(w): w for w in QApplication.topLevelWidgets()}
    seen: list[str] = []
    problems: list[str] = []
    done: list[bool] = []
    tries: list[int] = []

    def probe() -> None:
        found = new_windows(before)
        if not found:
            tries.append(1)
            if len(tries) > 30:
                done.append(True)
            else:
                QTimer.singleShot(15, probe)
            return
        dialog = found[-1]
        before[id(dialog)] = dialog
        title = dialog.windowTitle()
        seen.append(f"{type(dialog).__name__}: {title}")
        try:
            order(lock, dialog, problems)
            if lock.is_locked:
                problems.append(f"{title}: still locked after unlock")
            if window.windowTitle() == LOCKED_TITLE:
                problems.append(f"{title}: main title not given back")
            lock.lock()  # the lock must lock again, whatever happened before
            _check_locked(lock, dialog, problems, f"{title}: locked again")
            lock.try_unlock("")
            if shiboken6.isValid(dialog) and dialog.isVisible() and dialog.windowTitle() != title:
                problems.append(f"{title}: title not given back ({dialog.windowTitle()!r})")
        except Exception as exc:  # reported below; the dialog must still be closed
            problems.append(f"{title}: {type(exc).__name__}: {exc}")
        finally:
            if lock.is_locked:
                lock.unlock()
            for widget in new_windows({}):
                if isinstance(widget, QDialog):
                    widget.reject()
                else:
                    widget.close()
            tries.clear()
            QTimer.singleShot(15, probe)  # the action may open a second dialog next

    QTimer.singleShot(0, probe)
    action.trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    return seen, problems


def _actions(window: MainWindow) -> list[QAction]:
    found = []
    for action in window.findChildren(QAction):
        text = action.text()
        if text and text not in _SKIP and action.isEnabled() and not action.menu():
            if action.shortcut().toString() == "Ctrl+Shift+L":
                continue
            found.append(action)
    return sorted(found, key=lambda a: a.text())


@pytest.fixture
def protected(qtbot: QtBot, demo_caseload: Caseload) -> MainWindow:
    window = make_window(qtbot, demo_caseload)
    window.protect(backups=False)
    window.panel.table.selectRow(0)
    window.open_participant(demo_caseload.participants()[0].id)
    return window


def test_the_lock_locks_again_after_every_dialog_in_every_order(
    qtbot: QtBot, protected: MainWindow
) -> None:
    window = protected
    actions = _actions(window)
    assert len(actions) >= 15, [a.text() for a in actions]
    opened: dict[str, list[str]] = {}
    failures: dict[str, list[str]] = {}
    for index, action in enumerate(actions):
        if window.workspace.current_participant_id() is None:
            window.open_participant(window.caseload.participants()[0].id)
        for order in (ORDERS[index % len(ORDERS)], ORDERS[(index + 1) % len(ORDERS)]):
            seen, problems = _drive(qtbot, window, action, order)
            opened.setdefault(action.text(), []).extend(seen)
            if problems:
                failures[f"{action.text()} / {order.__name__}"] = problems
    assert not failures, failures
    # The walk reached the dialogs of every kind (modal exec() and window-modal open()).
    reached = {d for names in opened.values() for d in names}
    kinds = {entry.split(":")[0] for entry in reached}
    assert {"PlanPreviewDialog", "ExportDialog", "EnrolDialog"} <= kinds, sorted(kinds)
    assert sum(1 for names in opened.values() if names) >= 15, opened
    # And afterwards the ordinary lock still works end to end.
    lock = window.lock
    assert lock is not None
    _ctrl_shift_l(window)
    assert lock.is_locked
    assert window.windowTitle() == LOCKED_TITLE
    lock.try_unlock("")
    assert not lock.is_locked


def test_lock_clears_the_primary_selection_when_the_platform_has_one(
    qtbot: QtBot, protected: MainWindow
) -> None:
    clipboard = QGuiApplication.clipboard()
    lock = protected.lock
    assert lock is not None
    protected.panel.search.setFocus()
    clipboard.setText("Zebedee's note")
    if clipboard.supportsSelection():
        clipboard.setText("Zebedee's note", clipboard.Mode.Selection)
    lock.lock()
    assert clipboard.text() == ""
    if clipboard.supportsSelection():
        assert clipboard.text(clipboard.Mode.Selection) == ""
    lock.try_unlock("")
