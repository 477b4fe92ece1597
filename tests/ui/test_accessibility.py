"""Accessibility of the window shell: names for every control, keyboard order, no mouse needed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.about import AboutDialog
from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
from journeyapp.ui.dialogs.first_run import FirstRunDialog
from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog
from journeyapp.ui.dialogs.help import ShortcutsDialog
from journeyapp.ui.main_window import MainWindow

INTERACTIVE = (QLineEdit, QComboBox, QAbstractButton, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """Focusable controls under `root` that a screen reader could not name."""
    controls = [
        widget
        for kind in INTERACTIVE
        for widget in root.findChildren(kind)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(root)
    ]
    assert controls
    return [
        w
        for w in controls
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())
    ]


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def test_dialogs_name_every_control(qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path) -> None:
    for dialog in (
        EnrolDialog(demo_caseload),
        GroupSessionDialog(demo_caseload),
        FirstRunDialog(tmp_path / "caseload.db"),
        ShortcutsDialog(),
        AboutDialog(),
    ):
        show(qtbot, dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__
        dialog.close()


def test_window_menus_say_what_they_do(window: MainWindow) -> None:
    for menu in window.menus.values():
        for action in menu.actions():
            assert action.isSeparator() or action.text().strip("&")


def test_enrol_dialog_tab_order_follows_the_form(qtbot: QtBot, caseload: Caseload) -> None:
    dialog = EnrolDialog(caseload)
    show(qtbot, dialog)
    order = []
    for _ in range(9):
        order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert order[:8] == [
        dialog.preferred_name,
        dialog.full_name,
        dialog.locality,
        dialog.joined_on.edit,  # the one date field: typed, or the calendar beside it
        dialog.joined_on.button,
        dialog.keyworker,
        dialog.referral_source,
        dialog.language,
    ]
    assert order[8] is dialog.enrol_button


def test_caseload_tab_order(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.panel
    panel.search.setFocus()
    order = []
    for _ in range(9):
        order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    # The list of what was found in the records is skipped while hidden (nothing searched).
    assert order == [
        panel.search,
        panel.stage_filter,
        panel.status_filter,
        panel.locality_filter,
        panel.overdue_filter,
        panel.keyworker_filter,
        panel.quiet_filter,
        panel.goal_filter,
        panel.table,
    ]


def test_f6_moves_between_caseload_and_workspace(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.panel.table.setFocus()
    qtbot.keyClick(demo_window.panel.table, Qt.Key.Key_F6)
    assert demo_window.workspace.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert QApplication.focusWidget() is demo_window.panel.table


def test_narrow_window_shows_one_side_at_a_time(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.resize(680, 380)  # 1366x768 at 200%
    qtbot.waitUntil(lambda: not demo_window.workspace_area.isVisible())
    assert demo_window.panel.isVisible()
    qtbot.keyClicks(demo_window.panel.search, "a")
    qtbot.keyClick(demo_window.panel.search, Qt.Key.Key_Return)
    assert demo_window.workspace_area.isVisible()
    assert not demo_window.panel.isVisible()
    assert demo_window.workspace.current_participant_id() is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.panel.isVisible()
    assert demo_window.panel.search.hasFocus()
    demo_window.resize(1366, 740)
    qtbot.waitUntil(demo_window.workspace_area.isVisible)
    assert demo_window.panel.isVisible()
