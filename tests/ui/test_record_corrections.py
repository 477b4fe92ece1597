"""Every record kind the workspace shows can be corrected (the form it was made with, filled in)
and removed (after a question that names it): both undoable, both in the journey log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    Pace,
    Rhythm,
    StrengthOrBarrier,
)
from journeyapp.core.errors import NotFound
from journeyapp.core.records import Record
from journeyapp.ui.dialogs.record_history import RecordHistoryDialog
from journeyapp.ui.widgets.layout import is_removed
from journeyapp.ui.widgets.record_table import RECORD_ROLE
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.assessment import AssessmentSection
from journeyapp.ui.workspace.choices import ChoicesSection
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.feedback import FeedbackSection
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY, record_of, selected_record
from journeyapp.ui.workspace.referrals import ReferralsSection
from journeyapp.ui.workspace.section import Section
from journeyapp.ui.workspace.strengths import StrengthsSection
from tests.ui.shell_helpers import answer_question
from tests.ui.workspace_helpers import Opened, in_dialog, press_enter, type_into

ON = date(2026, 11, 3)


@dataclass(frozen=True)
class Kind:
    """How to make one record kind, where it shows, and which typed field to correct."""

    name: str
    tab: type[Section]
    make: Callable[[Caseload, str], Record]
    field: str  # the dialog attribute typed into
    typed: str
    check: Callable[[Record], Any]  # what the corrected record says
    expected: Any
    removal_words: str  # part of the question before it goes


def _goal(c: Caseload, pid: str) -> Record:
    return c.add_goal(pid, "Get back into work")


def _step(c: Caseload, pid: str) -> Record:
    goal = c.add_goal(pid, "Get back into work")
    return c.add_step(goal.id, "Phone the college")


def _milestone(c: Caseload, pid: str) -> Record:
    c.update_participant(pid, joined_on=date(2026, 10, 1))  # a milestone comes after joining
    return c.record_milestone(pid, "joined_group", achieved_on=ON, note="First time")


def _stage_move(c: Caseload, pid: str) -> Record:
    c.update_participant(pid, joined_on=date(2026, 10, 1))  # a move comes after joining
    c.set_stage(pid, "building_confidence", on=ON, note="Came to the grup")
    (move,) = [s for s in c.journey(pid).stages if s.on == ON]
    return move


def _pace_change(c: Caseload, pid: str) -> Record:
    c.update_participant(pid, joined_on=date(2026, 10, 1))  # a pace comes after joining
    return c.change_pace(pid, Pace.GENTLY, Rhythm.WEEKLY, on=ON)


def _pause(c: Caseload, pid: str) -> Record:
    c.update_participant(pid, joined_on=date(2026, 10, 1))  # a break comes after joining
    return c.pause(pid, on=ON, reason="Moving hose")


def _attendance_contact(c: Caseload, pid: str) -> Record:
    c.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True, on=ON)
    c.record_group_session("Cook and chat", on=ON, venue="Hall", attendees=[pid], minutes=60)
    (contact,) = [x for x in c.journey(pid).contacts if x.group_session_id]
    return contact


KINDS = [
    Kind(
        "contact",
        ContactsSection,
        lambda c, p: c.log_contact(p, "phone_text", on=ON, minutes=10, note="Talked about money"),
        "note",
        "Talked about the college",
        lambda r: r.note,
        "Talked about the college",
        "the contact on 3 Nov (phone or text, 10 min)",
    ),
    Kind(
        "strength",
        StrengthsSection,
        lambda c, p: c.add_strength(p, "Good with peple"),
        "words",
        "Good with people",
        lambda r: r.words,
        "Good with people",
        "the strength “Good with peple”",
    ),
    Kind(
        "thing in the way",
        StrengthsSection,
        lambda c, p: c.add_strength(p, "Buses", kind=StrengthOrBarrier.BARRIER),
        "words",
        "Buses are hard with the pram",
        lambda r: r.words,
        "Buses are hard with the pram",
        "the thing in the way “Buses”",
    ),
    Kind(
        "child",
        AboutSection,
        lambda c, p: c.add_child(p, 2012, "After school"),
        "birth_year",
        "3",
        lambda r: r.birth_year,
        2023,
        "the child born in 2012",
    ),
    Kind(
        "consent",
        AboutSection,
        lambda c, p: c.record_consent(p, ConsentPurpose.REFERRALS, True, on=ON, how_recorded="x"),
        "how",
        "Signed form",
        lambda r: r.how_recorded,
        "Signed form",
        "the consent for referrals to other services (given on 3 Nov)",
    ),
    Kind(
        "milestone",
        JourneySection,
        _milestone,
        "note",
        "Came twice",
        lambda r: r.note,
        "Came twice",
        "the milestone “Joined a group” on 3 Nov",
    ),
    Kind(
        "stage move",
        JourneySection,
        _stage_move,
        "note",
        "Came to the group twice",
        lambda r: r.note,
        "Came to the group twice",
        "the move to Building confidence on 3 Nov",
    ),
    Kind(
        "referral",
        ReferralsSection,
        lambda c, p: c.refer(p, "Citizens Advice", on=ON, reason="Debts"),
        "reason",
        "Help with forms",
        lambda r: r.reason,
        "Help with forms",
        "the referral to Citizens Advice on 3 Nov",
    ),
    Kind(
        "self-assessment",
        AssessmentSection,
        lambda c, p: c.record_assessment(p, {"confidence": 3}, taken_on=ON),
        "comment",
        "Feeling brighter",
        lambda r: r.comment,
        "Feeling brighter",
        "the self-assessment on 3 Nov",
    ),
    Kind(
        "group attendance",
        ContactsSection,
        _attendance_contact,
        "note",
        "Cook and chat, made soup",
        lambda r: r.note,
        "Cook and chat, made soup",
        "the contact on 3 Nov (group",
    ),
    Kind(
        "goal",
        GoalsSection,
        _goal,
        "words",
        "Get a job in a nursery",
        lambda r: r.words,
        "Get a job in a nursery",
        "the goal “Get back into work”",
    ),
    Kind(
        "step",
        GoalsSection,
        _step,
        "what",
        "Phone the college on Monday",
        lambda r: r.what,
        "Phone the college on Monday",
        "the step “Phone the college”",
    ),
    Kind(
        "choice",
        ChoicesSection,
        lambda c, p: c.choose_service(p, "volunteering", Decision.MAYBE_LATER, on=ON),
        "reason",
        "After the summer",
        lambda r: r.reason,
        "After the summer",
        "the choice about volunteering (maybe later)",
    ),
    Kind(
        "pace change",
        PaceSection,
        _pace_change,
        "reason",
        "New baby",
        lambda r: r.reason,
        "New baby",
        "the pace change on 3 Nov (gently, check in weekly)",
    ),
    Kind(
        "pause",
        PaceSection,
        _pause,
        "reason",
        "Moving house",
        lambda r: r.reason,
        "Moving house",
        "the break from 3 Nov",
    ),
    Kind(
        "feedback",
        FeedbackSection,
        lambda c, p: c.add_feedback("The group was too early", on=ON, participant_id=p),
        "we_did",
        "Moved it to 10am",
        lambda r: r.we_did,
        "Moved it to 10am",
        "the feedback on 3 Nov",
    ),
]


def _widget_for(section: Section, record: Record) -> QWidget:
    """Where the record is on screen: its table row (selected) or the widget standing for it."""
    for view in section.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            if record_of(model.index(row, 0).data(RECORD_ROLE)) == record:
                view.setCurrentIndex(model.index(row, 0))
                return view
    for widget in section.findChildren(QWidget):
        if widget.property(RECORD_PROPERTY) == record.id and not is_removed(widget):
            return widget
    raise AssertionError(f"{record.KIND} {record.id} is not on the {section.title} tab")


def _current(c: Caseload, record: Record) -> Record:
    return c.record(record.KIND, record.id)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_correct_then_remove_with_undo_and_journey_log(
    qtbot: QtBot, opened: Opened, kind: Kind
) -> None:
    c = opened.caseload
    record = kind.make(c, opened.pid)
    section = opened.tab(kind.tab)
    opened.workspace.show_participant(opened.pid)
    qtbot.waitUntil(lambda: section.journey is not None)

    # Correct: Enter on the record opens its form, filled in; typing and Enter saves.
    seen: dict[str, Any] = {}

    def correct(dialog: QDialog) -> None:
        field = getattr(dialog, kind.field)
        seen["filled"] = field.text()
        type_into(qtbot, field, kind.typed)
        press_enter(qtbot, field)
        if dialog.isVisible():  # a problem: say which, and close so the test cannot hang
            seen["problem"] = [e.text() for e in dialog.findChildren(QLabel) if e.text()[:1] == "⚠"]
            QDialog.reject(dialog)

    widget = _widget_for(section, record)
    widget.setFocus()
    in_dialog(qtbot, lambda: qtbot.keyClick(widget, Qt.Key.Key_Return), correct)
    assert "problem" not in seen, seen
    corrected = _current(c, record)
    assert kind.check(corrected) == kind.expected
    updates = [e for e in c.record_history(record.id) if e.action == "update"]
    assert updates, "the correction is a journey-log event"
    assert c.can_undo

    # The history names what it said before.
    history = RecordHistoryDialog(c, corrected, "it", section)
    qtbot.addWidget(history)
    assert history.texts()[0].startswith("Made")
    assert history.texts()[-1].startswith("Changed")

    # Undo puts the old words back; the undo is in the log too.
    c.undo()
    assert _current(c, record) == _current(c, record)  # still there
    assert kind.check(_current(c, record)) == kind.check(record)

    # Remove: Delete on the record asks a question that names it; Remove removes it.
    section = opened.tab(kind.tab)
    widget = _widget_for(section, _current(c, record))
    widget.setFocus()
    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    assert kind.removal_words in asked[0], asked[0]
    assert asked[0].startswith("Remove ")
    with pytest.raises(NotFound):
        _current(c, record)
    assert c.record_history(record.id)[-1].action == "delete"

    # Undo brings it back, as it was before the removal.
    c.undo()
    assert kind.check(_current(c, record)) == kind.check(record)


def test_keep_it_removes_nothing(qtbot: QtBot, opened: Opened) -> None:
    c = opened.caseload
    contact = c.log_contact(opened.pid, "phone_text", on=ON, minutes=10)
    section = opened.tab(ContactsSection)
    widget = _widget_for(section, contact)
    asked = answer_question(qtbot, "Keep it")
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0] == "Remove the contact on 3 Nov (phone or text, 10 min)?"
    assert c.record("contacts", contact.id) == contact


def test_removing_a_group_contact_takes_the_register_entry_with_it(
    qtbot: QtBot, opened: Opened
) -> None:
    c = opened.caseload
    contact = _attendance_contact(c, opened.pid)
    assert c.journey(opened.pid).attendance
    c.delete_record("contacts", contact.id)
    assert c.journey(opened.pid).attendance == ()
    c.undo()
    assert len(c.journey(opened.pid).attendance) == 1


def test_the_plan_shows_the_corrected_words(opened: Opened) -> None:
    c = opened.caseload
    goal = c.add_goal(opened.pid, "Get back into wrok")
    c.update_goal(goal.id, words="Get back into work")
    text = repr(c.document(opened.pid))
    assert "Get back into work" in text
    assert "wrok" not in text
    c.delete_record("goals", goal.id)
    assert "Get back into work" not in repr(c.document(opened.pid))


def _keyboard_on(section: Section) -> QWidget | None:
    """The widget the keyboard is on in the section's window (once it is active again)."""
    return section.window().focusWidget()


def _stands_for(widget: QWidget | None, record: Record) -> bool:
    """Whether `widget` is the record's card or line (or inside it), or its table's row."""
    if isinstance(widget, QAbstractItemView):
        return selected_record(widget) == record
    while widget is not None:
        if widget.property(RECORD_PROPERTY) == record.id:
            return True
        widget = widget.parentWidget()
    return False


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_the_keyboard_stays_on_the_record_it_corrected_or_removed(
    qtbot: QtBot, opened: Opened, kind: Kind
) -> None:
    """Enter on a record, its words put right, Enter again: the keyboard is back on that record
    (built again with the new words), not on the search box at the top of the window; and after
    Delete it is still in the section (the next record, or its first button)."""
    c = opened.caseload
    record = kind.make(c, opened.pid)
    section = opened.tab(kind.tab)
    opened.workspace.show_participant(opened.pid)
    qtbot.waitUntil(lambda: section.journey is not None)

    def correct(dialog: QDialog) -> None:
        type_into(qtbot, getattr(dialog, kind.field), kind.typed)
        press_enter(qtbot, getattr(dialog, kind.field))

    widget = _widget_for(section, record)
    widget.setFocus()
    in_dialog(qtbot, lambda: qtbot.keyClick(widget, Qt.Key.Key_Return), correct)
    qtbot.waitUntil(lambda: _stands_for(_keyboard_on(section), _current(c, record)))

    widget = _widget_for(section, _current(c, record))
    widget.setFocus()
    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))

    def in_section() -> bool:
        now = _keyboard_on(section)
        return now is not None and section.isAncestorOf(now) and not is_removed(now)

    qtbot.waitUntil(in_section)


def test_after_a_removal_the_keyboard_is_on_the_next_record(qtbot: QtBot, opened: Opened) -> None:
    c = opened.caseload
    newest, middle, oldest = (
        c.log_contact(opened.pid, "phone_text", on=date(2026, 11, day), minutes=10)
        for day in (20, 10, 3)
    )
    section = opened.tab(ContactsSection)
    opened.workspace.show_participant(opened.pid)
    view = _widget_for(section, middle)
    view.setFocus()
    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(lambda: _stands_for(_keyboard_on(section), oldest))
    view = _widget_for(section, oldest)
    asked = answer_question(qtbot, "Remove")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(lambda: _stands_for(_keyboard_on(section), newest))
