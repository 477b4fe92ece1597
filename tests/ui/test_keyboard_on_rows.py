"""A record table's Change… / Remove… / History… buttons act on the row the keyboard is on: Tab
into the table puts it on a row, shown chosen, and the buttons are ready for it. They stayed
greyed out (and Tab passed them by) until an arrow key or a click chose a row, while Enter on
that same row already changed it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.core.records import Record
from journeyapp.ui.workspace.assessment import AssessmentSection
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.record_actions import selected_record
from journeyapp.ui.workspace.section import Section
from tests.ui.workspace_helpers import ON, Opened, joined_before


def _milestone(c: Caseload, pid: str) -> Record:
    return joined_before(c, pid).record_milestone(pid, "joined_group", achieved_on=ON)


TABLES: list[tuple[str, type[Section], Callable[[Caseload, str], Record]]] = [
    ("pace", PaceSection, lambda c, p: joined_before(c, p).change_pace(p, Pace.GENTLY, Rhythm.WEEKLY, on=ON)),
    ("contacts", ContactsSection, lambda c, p: c.log_contact(p, "one_to_one", on=ON)),
    ("journey", JourneySection, _milestone),
    ("self-assessment", AssessmentSection, lambda c, p: c.record_assessment(
        p, {"confidence": 3}, taken_on=ON)),
]  # fmt: skip


def _buttons(section: Section, view: QTableView) -> list[QPushButton]:
    """The row of Change… / Remove… / History… under `view`."""
    names = {"Change…", "Remove…", "History…"}
    found = [b for b in section.findChildren(QPushButton) if b.text() in names]
    below = [b for b in found if b.isVisible() and b.y() > view.y()]
    return sorted(below, key=lambda b: b.x())[:3]


@pytest.mark.parametrize(("name", "tab", "make"), TABLES, ids=[t[0] for t in TABLES])
def test_tab_into_a_record_table_readies_its_buttons_for_the_row_it_lands_on(
    qtbot: QtBot, opened: Opened, name: str, tab: type[Section], make: Callable[..., Record]
) -> None:
    make(opened.caseload, opened.pid)
    section = opened.tab(tab)
    opened.workspace.show_participant(opened.pid)
    qtbot.waitUntil(lambda: section.journey is not None)
    view = next(v for v in section.findChildren(QTableView) if v.isVisible())
    qtbot.waitUntil(lambda: view.model().rowCount() > 0)
    view.selectionModel().clearCurrentIndex()
    view.clearSelection()
    buttons = _buttons(section, view)
    assert [b.text() for b in buttons] == ["Change…", "Remove…", "History…"]
    assert not any(b.isEnabled() for b in buttons), "nothing chosen yet"

    # What Tab does as it arrives: the keyboard on the first row, nothing chosen by Qt itself.
    opened.workspace.activateWindow()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    if not view.currentIndex().isValid():  # a platform that does not move it on focus
        view.selectionModel().setCurrentIndex(
            view.model().index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
        )
    qtbot.waitUntil(lambda: view.currentIndex().isValid())
    landed = selected_record(view)
    assert landed is not None
    qtbot.waitUntil(lambda: buttons[2].isEnabled())
    assert view.selectionModel().isRowSelected(view.currentIndex().row(), view.rootIndex())
    assert buttons[0].isEnabled() or name == "journey", "Change… is ready for the row"
    # And Tab from the table goes on to them, not past them to the top of the window.
    enabled = [b for b in buttons if b.isEnabled()]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is enabled[0])
