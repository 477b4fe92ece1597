"""A stage move in the Journey tab, by keys: Enter opens it in a small form (stage, day, what
changed) and saving moves the parent's stage with it; Delete asks, naming the move, and
removes it; Ctrl+Z puts each back; the list, the header and the About tab follow."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.records import Record
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.journey import JourneySection, StageMoveDialog
from tests.ui.shell_helpers import answer_question, make_window, shortcut, with_modal
from tests.ui.test_record_corrections import _widget_for
from tests.ui.workspace_helpers import choose, press_enter, type_into


def _as_made(record: Record) -> Record:
    return replace(record, updated_at="")


def _undo(qtbot: QtBot, window: QWidget, section: JourneySection) -> None:
    """Ctrl+Z with the keyboard on the list of moments (the window active again after the
    dialog or question that was over it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    section.view.setFocus()
    shortcut(qtbot, window, Qt.Key.Key_Z)


def _listed_stage(window: object, pid: str) -> str:
    rows = window.panel.visible_rows()  # type: ignore[attr-defined]
    return next(r.stage for r in rows if r.id == pid)


def test_correct_and_remove_a_stage_move_by_keys_with_undo(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=date(2026, 10, 1)).id
    caseload.set_stage(pid, "building_confidence", on=date(2026, 11, 3), note="Came to the grup")
    move = next(s for s in caseload.journey(pid).stages if s.on == date(2026, 11, 3))
    window = make_window(qtbot, caseload)
    window.open_participant(pid)
    section = window.workspace.section(JourneySection)
    window.workspace.tabs.setCurrentWidget(section)

    # Enter on the move: the form, filled in; another stage and day, then Enter saves.
    seen: dict[str, str] = {}

    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, StageMoveDialog)
        seen["title"] = dialog.windowTitle()
        seen["filled"] = f"{dialog.stage.currentText()} {dialog.note.text()}"
        choose(qtbot, dialog.stage, "Looking for work")
        type_into(qtbot, dialog.on, "10/11/2026")
        type_into(qtbot, dialog.note, "Came to the group")
        press_enter(qtbot, dialog.note)

    row = _widget_for(section, move)
    row.setFocus()
    with_modal(qtbot, lambda: qtbot.keyClick(row, Qt.Key.Key_Return), correct)
    assert seen == {
        "title": "Correct a stage move",
        "filled": "Building confidence Came to the grup",
    }
    corrected = caseload.record("stages", move.id)
    assert (corrected.stage, corrected.on, corrected.note) == (
        "looking_for_work",
        date(2026, 11, 10),
        "Came to the group",
    )
    assert caseload.participant(pid).stage == "looking_for_work"
    qtbot.waitUntil(lambda: _listed_stage(window, pid) == "looking_for_work")
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    qtbot.waitUntil(lambda: about.stage_label.text().startswith("Now: Looking for work, since"))
    window.workspace.tabs.setCurrentWidget(section)

    # Ctrl+Z (on the list of moments) puts the move and the parent's stage back as they were.
    _undo(qtbot, window, section)
    assert _as_made(caseload.record("stages", move.id)) == _as_made(move)
    assert caseload.participant(pid).stage == "building_confidence"
    qtbot.waitUntil(lambda: _listed_stage(window, pid) == "building_confidence")

    # Delete asks, naming the move; Remove takes it away and the stage goes back a move.
    row = _widget_for(section, caseload.record("stages", move.id))
    row.setFocus()
    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(row, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0] == "Remove the move to Building confidence on 3 Nov?"
    assert [s.stage for s in caseload.journey(pid).stages] == ["getting_started"]
    assert caseload.participant(pid).stage == "getting_started"
    qtbot.waitUntil(lambda: _listed_stage(window, pid) == "getting_started")

    _undo(qtbot, window, section)
    assert _as_made(caseload.record("stages", move.id)) == _as_made(move)
    assert caseload.participant(pid).stage == "building_confidence"


def test_a_day_after_today_in_the_form_is_refused_beside_it_and_nothing_changes(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=date(2026, 10, 1)).id
    (move,) = caseload.journey(pid).stages
    events = caseload.events()
    dialog = StageMoveDialog(caseload, pid, existing=move)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.on, "29/12/2026")
    press_enter(qtbot, dialog.on)
    assert dialog.isVisible()
    assert "after today" in dialog.errors["on"].text()
    assert caseload.events() == events
    dialog.forget_draft()


@pytest.mark.qt_log_ignore("^This plugin does not support (grabbing the keyboard|raise)")
def test_the_menu_key_offers_history_of_the_selected_move_not_another(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """The menu key on a selected row of the journey opened the menu of the row below it:
    History… showed another record's history."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMenu

    from journeyapp.ui.dialogs.record_history import RecordHistoryDialog

    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=date(2026, 10, 1)).id
    caseload.record_milestone(pid, "joined_group", achieved_on=date(2026, 11, 2))
    caseload.set_stage(pid, "building_confidence", on=date(2026, 11, 3))
    move = next(s for s in caseload.journey(pid).stages if s.on == date(2026, 11, 3))
    move = caseload.correct_stage_move(move.id, note="Came to the group")
    window = make_window(qtbot, caseload)
    window.open_participant(pid)
    section = window.workspace.section(JourneySection)
    window.workspace.tabs.setCurrentWidget(section)
    view = _widget_for(section, move)  # the row of the move, selected (the milestone below)
    view.setFocus()
    seen: list[str] = []

    def poll() -> None:
        popup = QApplication.activePopupWidget()
        modal = QApplication.activeModalWidget()
        if isinstance(popup, QMenu):
            seen.append("menu")
            QTimer.singleShot(20, poll)  # History… opens its dialog inside the key press
            qtbot.keyClick(popup, Qt.Key.Key_H)
            return
        elif isinstance(modal, RecordHistoryDialog):
            seen.extend(label.text() for label in modal.findChildren(QLabel) if label.text())
            seen.extend(modal.texts())
            modal.reject()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    # What the menu key sends: a menu asked for by the keyboard, at the selected row's middle in
    # the table's own coordinates (above its rows' by the header's height).
    assert isinstance(view, QAbstractItemView)
    at = view.viewport().mapTo(view, view.visualRect(view.currentIndex()).center())
    asked = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, at, view.mapToGlobal(at))
    QApplication.sendEvent(view, asked)
    qtbot.waitUntil(lambda: len(seen) > 1)
    assert seen[0] == "menu"
    assert "History of the move to Building confidence on 3 Nov" in seen
    assert any(text.startswith("Changed") and "Came to the group" in text for text in seen)
