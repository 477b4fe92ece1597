"""Every window and dialog, walked with the Tab key as a keyworker who uses no mouse would:
each control a screen reader can name, every enabled input reached in the order it is seen
(top to bottom, left to right), none skipped, none a trap."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QAccessible, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.about import TextViewer
from journeyapp.ui.dialogs.backup import RestoreDialog
from journeyapp.ui.dialogs.first_run import FirstRunDialog
from journeyapp.ui.dialogs.passphrase import UnlockDialog
from journeyapp.ui.dialogs.record_history import RecordHistoryDialog
from journeyapp.ui.main_window import RECORD_MENU, MainWindow
from journeyapp.ui.operations import running, stop_all
from journeyapp.ui.workspace.contacts import ContactsSection
from tests.ui.shell_helpers import make_window, new_windows, with_modal

INTERACTIVE = (
    QLineEdit,
    QComboBox,
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
)
# Actions that open nothing, or end the session, or a menu where the keyboard is.
_SKIP = {"&Quit", "&Lock", "&Undo", RECORD_MENU}


def reachable(root: QWidget) -> list[QWidget]:
    """The enabled, visible controls under `root` the Tab key should stop on."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or widget.window() is not root:
            continue
        if not (widget.isVisibleTo(root) and widget.isEnabled()):
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if isinstance(widget.parentWidget(), INTERACTIVE):
            continue  # a combo's line edit, a spin box's: the outer control is the stop
        found.append(widget)
    return found


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says the control is."""
    face = QAccessible.queryAccessibleInterface(widget)
    return face.text(QAccessible.Text.Name).strip() if face is not None else ""


def _where(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _label(widget: QWidget) -> str:
    return f"{type(widget).__name__}({spoken_name(widget) or widget.objectName()!r})"


def tab_walk(qtbot: QtBot, root: QWidget) -> list[QWidget]:
    """The controls the Tab key stops on, from the first one round to it again."""
    first = QApplication.focusWidget()
    if first is None or first.window() is not root:
        root.focusNextChild()
        first = QApplication.focusWidget()
    assert first is not None
    seen: list[QWidget] = []
    widget = first
    for _ in range(200):
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is None or widget is first or widget in seen:
            break
    return seen


# Fields whose edge shows the keyboard is on them (a teal line round a one-line field).
FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit)


def _edge(image: QImage) -> list[QImage]:
    """The four two-pixel strips along the edges of `image`."""
    width, height = image.width(), image.height()
    return [
        image.copy(QRect(0, 0, width, 2)),
        image.copy(QRect(0, height - 2, width, 2)),
        image.copy(QRect(0, 0, 2, height)),
        image.copy(QRect(width - 2, 0, 2, height)),
    ]


def shows_focus(widget: QWidget) -> bool:
    """Whether `widget`'s edge looks different with the keyboard on it (once the keyboard has
    moved in its window: Fusion shows a combo box's focus only then)."""
    widget.clearFocus()
    QApplication.processEvents()
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    without = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    QApplication.processEvents()
    with_focus = widget.grab().toImage()
    return _edge(without) != _edge(with_focus)


def wheel_problems(controls: list[QWidget]) -> list[str]:
    """Drop-downs and number boxes that would take a passing mouse wheel (and change a
    choice): each must be one of journeyapp.ui.widgets.wheel's, which take it only with the
    keyboard in them."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    from journeyapp.ui.widgets.wheel import ChoiceBox, DayBox, NumberBox

    return [
        f"the wheel passing over {_label(w)} would change it"
        for w in controls
        if isinstance(w, (QComboBox, QAbstractSpinBox))
        and not isinstance(w, (ChoiceBox, NumberBox, DayBox))
    ]


def keyboard_problems(qtbot: QtBot, root: QWidget) -> list[str]:
    """Controls without a spoken name, skipped by Tab, or reached out of the order seen."""
    name = f"{type(root).__name__} {root.windowTitle()!r}"
    problems = []
    controls = reachable(root)
    for widget in controls:
        if not spoken_name(widget):
            problems.append(f"{name}: no name a screen reader can say for {_label(widget)}")
    if isinstance(root, QFileDialog):
        return problems  # Qt's own file chooser: its order is Qt's (a desktop shows its own)
    if not isinstance(root, QInputDialog):  # Qt's own one-box question: the box has the keys
        problems += [f"{name}: {p}" for p in wheel_problems(controls)]
    for widget in controls:
        if isinstance(widget, FIELDS) and not shows_focus(widget):
            problems.append(f"{name}: nothing shows the keyboard is on {_label(widget)}")
    walked = [w for w in tab_walk(qtbot, root) if w.window() is root]
    stops = [w for w in walked if w in controls]
    for widget in controls:
        if widget not in walked:
            problems.append(f"{name}: Tab never reaches {_label(widget)}")
    for widget in walked:
        if widget not in controls and not spoken_name(widget):
            problems.append(f"{name}: a Tab stop with nothing to say: {_label(widget)}")
        if isinstance(widget, QScrollArea) and not shows_focus(widget):
            problems.append(f"{name}: nothing shows the keyboard is on {_label(widget)}")
    # In the order seen: each stop below the one before it, or beside it and to its right;
    # one turn back to the top is the walk going round.
    turns = 0
    for before, after in itertools.pairwise(stops):
        a, b = _where(before, root), _where(after, root)
        same_row = b.top() < a.bottom() and a.top() < b.bottom()
        below = b.top() >= a.center().y() and not same_row
        onward = below or (same_row and b.left() >= a.left())
        if not onward:
            turns += 1
            if turns > 1:
                problems.append(f"{name}: Tab goes back from {_label(before)} to {_label(after)}")
    return problems


def open_each(
    qtbot: QtBot, trigger: Callable[[], object], check: Callable[[QWidget], None]
) -> None:
    """Trigger something that opens windows (modal or not); check each one and close it."""
    held = list(QApplication.topLevelWidgets())
    before = {id(w): w for w in held if w.isVisible()}
    done: list[bool] = []
    tries: list[int] = []

    def probe() -> None:
        found = new_windows(before)
        if not found:
            tries.append(1)
            if len(tries) > 12:
                done.append(True)
            else:
                QTimer.singleShot(15, probe)
            return
        tries.clear()
        window = found[-1]
        before[id(window)] = window
        held.extend(found)
        window.activateWindow()
        for _ in range(20):
            if window.isActiveWindow():
                break
            QApplication.processEvents()
        QApplication.processEvents()
        try:
            check(window)
        finally:
            if isinstance(window, QDialog):
                window.reject()
            else:
                window.close()
        QTimer.singleShot(15, probe)

    QTimer.singleShot(0, probe)
    trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=30000)


@pytest.fixture
def shown(qtbot: QtBot, demo_caseload: Caseload) -> Iterator[MainWindow]:
    window = make_window(qtbot, demo_caseload)
    window.protect(backups=False, check=False)
    yield window
    stop_all(demo_caseload)
    qtbot.waitUntil(lambda: not running(demo_caseload), timeout=30_000)
    window.bus.detach()


def test_every_dialog_is_named_and_walked_in_order(
    qtbot: QtBot, shown: MainWindow, demo_caseload: Caseload, tmp_path: Path
) -> None:
    window = shown
    problems: list[str] = []

    checked: set[str] = set()

    def check(dialog: QWidget) -> None:
        checked.add(type(dialog).__name__)
        problems.extend(keyboard_problems(qtbot, dialog))

    first = demo_caseload.participants()[0].id
    actions = sorted(
        (
            a
            for a in window.findChildren(type(window.new_parent_action))
            if a.text() and a.text() not in _SKIP and not a.menu()
        ),
        key=lambda a: a.text(),
    )
    for action in actions:
        if window.caseload.is_closed:
            break
        window.panel.select(first)
        window.open_participant(first)
        if action.isEnabled():
            open_each(qtbot, action.trigger, check)
    window.open_participant(first)
    for section in window.workspace.sections:
        window.workspace.tabs.setCurrentWidget(section)
        QApplication.processEvents()
        clicked: set[str] = set()
        for button in section.findChildren(QPushButton):
            if not (shiboken6.isValid(button) and button.isVisible() and button.isEnabled()):
                continue
            if button.text() not in clicked:
                clicked.add(button.text())
                open_each(qtbot, button.click, check)
    for button in window.workspace.header.findChildren(QPushButton):
        if shiboken6.isValid(button) and button.isVisible() and button.isEnabled():
            open_each(qtbot, button.click, check)
    # The windows that come before the main one, and a licence opened from About.
    assert demo_caseload.path is not None
    made: list[QDialog] = []
    for make in (
        lambda: FirstRunDialog(tmp_path / "new.db"),
        lambda: UnlockDialog(demo_caseload.path),  # type: ignore[arg-type]
        lambda: RestoreDialog(demo_caseload.path, None),  # type: ignore[arg-type]
        lambda: TextViewer(None, "Licence", "A line of the licence. " * 400),
    ):
        dialog = make()
        made.append(dialog)  # qtbot closes these
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        check(dialog)
        dialog.hide()
    # The dialogs the walk closed go now, inside this test, not in a later one's time.
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget not in made:
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert problems == [], "\n".join(problems)
    assert {"EnrolDialog", "LogContactDialog", "PastSessionsDialog", "AboutDialog"} <= checked


def test_every_control_of_the_window_and_each_section_is_named_and_reached(
    qtbot: QtBot, shown: MainWindow, demo_caseload: Caseload
) -> None:
    """Each section of a parent's workspace in turn: every control in the window has a name
    a screen reader says, and the Tab key reaches each one (no table keeps it in its cells)."""
    window = shown
    window.resize(1366, 740)  # both sides in sight
    qtbot.waitUntil(window.workspace_area.isVisible)
    first = demo_caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    problems: list[str] = []
    for section in window.workspace.sections:
        window.workspace.tabs.setCurrentWidget(section)
        QApplication.processEvents()
        controls = reachable(window)
        where = type(section).__name__
        problems += [f"{where}: {p}" for p in wheel_problems(controls)]
        for widget in controls:
            if not spoken_name(widget):
                problems.append(f"{where}: no name a screen reader can say for {_label(widget)}")
            if isinstance(widget, FIELDS) and not shows_focus(widget):
                problems.append(f"{where}: nothing shows the keyboard is on {_label(widget)}")
        window.panel.search.setFocus()
        walked = tab_walk(qtbot, window)
        for widget in controls:
            if widget not in walked:
                problems.append(f"{where}: Tab never reaches {_label(widget)}")
        # The cards and lines that stand for records are stops too: each says what it is.
        for widget in walked:
            if widget not in controls and not spoken_name(widget):
                problems.append(f"{where}: no name a screen reader can say for {_label(widget)}")
    assert problems == [], "\n".join(problems)


def _press_in_next_menu(qtbot: QtBot, key: Qt.Key) -> None:
    """Press `key` in the next menu that pops up (a mnemonic: H for History…)."""

    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, poll)
            return
        qtbot.keyClick(menu, key)

    QTimer.singleShot(0, poll)


@pytest.mark.qt_log_ignore("^This plugin does not support grabbing the keyboard")  # the menu
@pytest.mark.parametrize("row", [0, 1, 2])
def test_shift_f10_opens_the_menu_of_the_row_the_keyboard_is_on(
    qtbot: QtBot, caseload: Caseload, today: date, row: int
) -> None:
    """On a laptop with no Menu key, Shift+F10 opens a record's menu (Change, Remove,
    History) from the keyboard; and it is the menu of the row chosen, not the one below it
    (the Menu key's point was read as the viewport's, a header's height lower)."""
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    contacts = [
        caseload.log_contact(pid, "phone_text", on=today - timedelta(days=days), minutes=10)
        for days in (3, 10, 20)
    ]
    window = make_window(qtbot, caseload)
    window.resize(1366, 740)
    qtbot.waitUntil(window.workspace_area.isVisible)
    window.panel.select(pid)
    window.open_participant(pid)
    section = window.workspace.section(ContactsSection)
    window.workspace.tabs.setCurrentWidget(section)
    view = section.findChild(QTableView)
    assert isinstance(view, QTableView)
    qtbot.waitUntil(lambda: view.model().rowCount() == 3)
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, 0))
    chosen = contacts[row]  # most recent first
    seen: list[str] = []
    _press_in_next_menu(qtbot, Qt.Key.Key_H)
    with_modal(
        qtbot,
        lambda: qtbot.keyClick(view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
        lambda dialog: (seen.append(dialog.accessibleName()), dialog.reject()),
        kind=RecordHistoryDialog,
    )
    assert seen == [f"History of {section.record_actions.describe(chosen)}"]
    window.bus.detach()


def test_where_the_window_puts_the_keyboard_shows(qtbot: QtBot, window: MainWindow) -> None:
    """Fusion draws a button's focus only once Tab has moved in its window, and a window forgets
    that when a dialog over it closes: the keyboard put back on "Add a step…" after Save had
    nothing to show where it was. Wherever the keyboard goes, its place shows."""
    window.resize(1366, 740)  # both sides in sight: This week's buttons
    qtbot.waitUntil(window.workspace_area.isVisible)
    button = next(b for b in window.findChildren(QPushButton) if b.isVisible() and b.isEnabled())
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, False)  # a dialog closed
    window.panel.search.setFocus()
    qtbot.waitUntil(window.panel.search.hasFocus)
    unfocused = button.grab().toImage()
    button.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(button.hasFocus)
    assert button.grab().toImage() != unfocused


def _said(widget: QWidget) -> str:
    face = QAccessible.queryAccessibleInterface(widget)
    assert face is not None
    return face.text(QAccessible.Text.Description)


def _shown(qtbot: QtBot, dialog: QDialog) -> None:
    # Closed at the end without the question about words typed (a failing test never hangs).
    qtbot.addWidget(dialog, before_close_func=QDialog.reject)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def test_a_screen_reader_hears_what_is_wrong_with_the_field_it_lands_on(
    qtbot: QtBot, caseload: Caseload, today: date
) -> None:
    """A refused save puts the keyboard on the field with the problem, and the sentence beside
    it is what the eye sees; a screen reader said only the field's name. Now it says the
    problem after the name, and stops once the problem is put right."""
    from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
    from journeyapp.ui.workspace.contacts import LogContactDialog
    from tests.ui.workspace_helpers import press_enter, type_into

    pid = caseload.enrol_participant("Zoë", "glasgow").id
    contact = LogContactDialog(caseload, pid)
    _shown(qtbot, contact)
    type_into(qtbot, contact.on.edit, "31/02/2026")
    press_enter(qtbot, contact.on.edit)
    assert contact.isVisible(), "refused"
    problem = contact.form.errors["on"].text().removeprefix("⚠ ")
    assert problem
    assert QApplication.focusWidget() is contact.on.edit
    assert problem in _said(contact.on.edit)
    contact.clear_errors()
    assert problem not in _said(contact.on.edit)
    QDialog.reject(contact)  # no question about the words typed

    enrol = EnrolDialog(caseload)
    _shown(qtbot, enrol)
    press_enter(qtbot, enrol.preferred_name)  # no name typed
    assert enrol.isVisible()
    assert QApplication.focusWidget() is enrol.preferred_name
    assert "Problem:" in _said(enrol.preferred_name)
    type_into(qtbot, enrol.preferred_name, "Amy")
    press_enter(qtbot, enrol.preferred_name)
    assert "Problem:" not in _said(enrol.preferred_name)
    QDialog.reject(enrol)
