"""When a tab is built again under the keyboard (Ctrl+Z, a change saved, a button that did its
job), the keyboard stays on the same record, whatever its words now say, or on what stands
where it stood. It went to the search box at the top of the window (or nowhere): a correction
undone changes a card's words and so its name, and "Pick up again" is gone once pressed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.core.records import Record
from journeyapp.ui.widgets.layout import is_removed
from journeyapp.ui.widgets.record_table import RECORD_ROLE
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY, record_of, selected_record
from journeyapp.ui.workspace.referrals import ReferralsSection
from journeyapp.ui.workspace.section import Section
from tests.ui.workspace_helpers import ON, Opened, joined_before


def _milestone(c: Caseload, pid: str) -> Record:
    return joined_before(c, pid).record_milestone(
        pid, "joined_group", achieved_on=ON, note="First time"
    )


# (name, tab, make, a correction of its words)
CASES: list[tuple[str, type[Section], Callable[[Caseload, str], Record], dict[str, object]]] = [
    ("goal", GoalsSection, lambda c, p: c.add_goal(p, "Get back into wrok"),
     {"words": "Get back into work"}),
    ("step", GoalsSection, lambda c, p: c.add_step(c.add_goal(p, "Work").id, "Ring the colege"),
     {"what": "Ring the college"}),
    ("referral", ReferralsSection, lambda c, p: c.refer(p, "Citizens Advise", on=ON),
     {"to": "Citizens Advice"}),
    ("contact", ContactsSection, lambda c, p: c.log_contact(p, "one_to_one", on=ON, note="Mony"),
     {"note": "Money"}),
    ("milestone", JourneySection, _milestone, {"note": "First time there"}),
    ("pace", PaceSection, lambda c, p: joined_before(c, p).change_pace(p, Pace.GENTLY, Rhythm.WEEKLY, on=ON,
     reason="Smal steps"), {"reason": "Small steps"}),
]  # fmt: skip


def _widget_for(section: Section, record_id: str) -> QWidget | None:
    """The record's card or line, or its table with the keyboard put on its row."""
    for view in section.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            found = record_of(model.index(row, 0).data(RECORD_ROLE))
            if found is not None and found.id == record_id and not is_removed(view):
                view.setCurrentIndex(model.index(row, 0))
                return view
    for widget in section.findChildren(QWidget):
        if widget.property(RECORD_PROPERTY) == record_id and not is_removed(widget):
            return widget
    return None


def _keyboard_on(section: Section, record_id: str) -> bool:
    widget = QApplication.focusWidget()
    if widget is None or is_removed(widget) or not section.isAncestorOf(widget):
        return False
    if isinstance(widget, QAbstractItemView):
        record = selected_record(widget)
        return record is not None and record.id == record_id
    return bool(widget.property(RECORD_PROPERTY) == record_id)


def _open(qtbot: QtBot, opened: Opened, tab: type[Section]) -> Section:
    section = opened.tab(tab)
    opened.workspace.show_participant(opened.pid)
    qtbot.waitUntil(lambda: section.journey is not None)
    opened.workspace.activateWindow()
    return section


@pytest.mark.parametrize(("name", "tab", "make", "words"), CASES, ids=[c[0] for c in CASES])
def test_the_keyboard_stays_on_a_record_whose_correction_is_undone(
    qtbot: QtBot,
    opened: Opened,
    name: str,
    tab: type[Section],
    make: Callable[[Caseload, str], Record],
    words: dict[str, object],
) -> None:
    c = opened.caseload
    record = make(c, opened.pid)
    section = _open(qtbot, opened, tab)
    qtbot.waitUntil(lambda: _widget_for(section, record.id) is not None)
    widget = _widget_for(section, record.id)
    assert widget is not None
    widget.setFocus()
    qtbot.waitUntil(lambda: _keyboard_on(section, record.id))

    c.update_record(record.KIND, record.id, **words)  # saved: the tab is built again
    qtbot.waitUntil(lambda: section.journey is not None and _keyboard_on(section, record.id))
    assert c.can_undo
    c.undo()  # Ctrl+Z: built again, with the words as they were
    back = c.record(record.KIND, record.id)
    assert all(getattr(back, key) == getattr(record, key) for key in words)
    qtbot.waitUntil(lambda: _keyboard_on(section, record.id))


def test_after_pick_up_again_the_keyboard_is_on_what_took_its_place(
    qtbot: QtBot, opened: Opened
) -> None:
    c = opened.caseload
    joined_before(c, opened.pid).pause(opened.pid, on=ON, reason="Moving house")
    section = _open(qtbot, opened, PaceSection)
    resume = next(
        b
        for b in section.findChildren(QPushButton)
        if b.text() == "Pick up again" and b.isVisible()
    )
    resume.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is resume)
    resume.click()
    qtbot.waitUntil(lambda: c.journey(opened.pid).participant.status.value != "paused")

    def on_take_a_break() -> bool:
        now = QApplication.focusWidget()
        return isinstance(now, QPushButton) and now.text() == "Take a break…"

    qtbot.waitUntil(on_take_a_break)
