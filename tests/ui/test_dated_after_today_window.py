"""The window shows records dated after today (written on a laptop whose clock was ahead, kept as
written by a merge) as not happened yet, and marks them so the keyworker can put the date right:
the header's check-in is due from the last contact by today and names the later records; the
Contacts and Journey lists mark each one in words; the plan preview says what the plan leaves
out. Real widgets, offscreen; the caseload's own clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.dates import short_date
from journeyapp.core.enums import DUE_SINCE, Pace, ParticipantStatus, Rhythm, check_in_due_since
from journeyapp.ui.dialogs.plan_preview import PlanPreviewDialog
from journeyapp.ui.formatting import AFTER_TODAY, fmt_date
from journeyapp.ui.main_window import PICK_UP, TAKE_BREAK
from journeyapp.ui.models.caseload_table_model import Column
from journeyapp.ui.workspace import ParticipantWorkspace
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.assessment import AssessmentSection
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.feedback import FeedbackSection
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.referrals import ReferralsSection
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.shell_helpers import make_window, with_modal
from tests.ui.workspace_helpers import choose, press_enter, type_into, workspace_of

LAST = TODAY - timedelta(days=21)
AHEAD = TODAY + timedelta(days=10)


@dataclass
class Shown:
    caseload: Caseload
    workspace: ParticipantWorkspace
    pid: str


@pytest.fixture
def shown(qtbot: QtBot, caseload: Caseload) -> Iterator[Shown]:
    """Dan checks in weekly and was last seen three weeks ago; a contact and a "started work"
    milestone are dated ten days on (written while the clock was a year ahead)."""
    pid = caseload.enrol_participant("Dan", "fife", TODAY - timedelta(days=100)).id
    caseload.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=100))
    caseload.log_contact(pid, on=LAST)
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.log_contact(pid, on=AHEAD)
    caseload.record_milestone(pid, "started_work", achieved_on=AHEAD)
    caseload.clock = ticking_clock(TODAY)
    with workspace_of(qtbot, caseload, pid) as opened:
        yield Shown(caseload, opened.workspace, pid)


def test_the_header_says_the_check_in_is_due_and_names_what_is_dated_ahead(
    shown: Shown,
) -> None:
    header = shown.workspace.header
    assert header.checkin_label.text() == check_in_due_since(fmt_date(LAST + timedelta(days=7)))
    assert header.overdue_icon.isVisibleTo(shown.workspace)
    assert header.ahead_label.isVisibleTo(shown.workspace)
    words = header.ahead_label.text()
    assert words.startswith(f"⚠ Dated after today ({fmt_date(TODAY)}), so not counted as happened")
    assert f"the contact on {fmt_date(AHEAD)}" in words
    assert f"the milestone “Started work” on {fmt_date(AHEAD)}" in words
    assert "Check the date" in words


def test_the_lists_mark_each_record_dated_ahead_in_words(shown: Shown) -> None:
    contacts = shown.workspace.section(ContactsSection)
    shown.workspace.tabs.setCurrentWidget(contacts)
    summary = contacts.summary.text()
    assert f"the last on {fmt_date(LAST)}." in summary
    assert "1 is dated after today: check the date" in summary
    model = contacts.model
    days = [model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]
    assert days == [f"{fmt_date(AHEAD)} ({AFTER_TODAY})", fmt_date(LAST)]
    journey = shown.workspace.section(JourneySection)
    shown.workspace.tabs.setCurrentWidget(journey)
    rows = [
        (journey.model.index(r, 0).data(), journey.model.index(r, 1).data())
        for r in range(journey.model.rowCount())
    ]
    assert (f"{fmt_date(AHEAD)} ({AFTER_TODAY})", "Started work") in rows


def test_a_parent_with_nothing_dated_ahead_shows_no_mark(qtbot: QtBot, caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Amy", "fife", TODAY - timedelta(days=10)).id
    caseload.log_contact(pid, on=TODAY)
    with workspace_of(qtbot, caseload, pid) as opened:
        workspace = opened.workspace
        assert not workspace.header.ahead_label.isVisibleTo(workspace)
        contacts = workspace.section(ContactsSection)
        workspace.tabs.setCurrentWidget(contacts)
        assert AFTER_TODAY not in contacts.model.index(0, 0).data()
        assert "dated after today" not in contacts.summary.text()


def test_the_plan_preview_says_what_the_plan_leaves_out(qtbot: QtBot, shown: Shown) -> None:
    dialog = PlanPreviewDialog(shown.caseload, shown.pid)
    qtbot.addWidget(dialog)
    status = dialog.status.text()
    assert "This is exactly what will print." in status
    assert f"⚠ Dated after today ({fmt_date(TODAY)})" in status
    assert "the milestone “Started work”" in status
    dialog.kind.setCurrentIndex(1)  # "What we hold about them" holds everything, as written
    assert "Dated after today" not in dialog.status.text()


def test_the_timeline_and_the_chart_stop_at_today(qtbot: QtBot, shown: Shown) -> None:
    """The timeline runs from joining to today: a milestone dated after it is not drawn on it
    (the list marks it). A self-assessment dated after today is not the chart's latest."""
    journey = shown.workspace.section(JourneySection)
    shown.workspace.tabs.setCurrentWidget(journey)
    assert "Started work" not in [what for _day, _kind, what in journey.timeline.points()]
    caseload = shown.caseload
    caseload.record_assessment(shown.pid, {"confidence": 3}, taken_on=LAST)
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.record_assessment(shown.pid, {"confidence": 9}, taken_on=AHEAD)
    caseload.clock = ticking_clock(TODAY)
    section = shown.workspace.section(AssessmentSection)
    shown.workspace.tabs.setCurrentWidget(section)
    section.refresh()
    assert section.chart.series() == {"latest": {"confidence": 3}}
    assert section.changes.text().startswith("One self-assessment so far")


def test_a_step_done_and_a_pace_chosen_after_today_are_marked(qtbot: QtBot, shown: Shown) -> None:
    """A step ticked done on a day after today, and a pace chosen on one, are marked in the
    Goals and Pace tabs; the header's pace is the one chosen by today."""
    caseload = shown.caseload
    goal = caseload.add_goal(shown.pid, "Find a course")
    step = caseload.add_step(goal.id, "Phone the college")
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.complete_step(step.id, on=AHEAD)
    caseload.change_pace(shown.pid, Pace.READY_TO_PUSH_ON, Rhythm.MONTHLY, on=AHEAD)
    caseload.clock = ticking_clock(TODAY)
    shown.workspace.show_participant(shown.pid)
    goals = shown.workspace.section(GoalsSection)
    shown.workspace.tabs.setCurrentWidget(goals)
    words = " ".join(label.text() for label in goals.findChildren(QLabel))
    assert f"done {fmt_date(AHEAD)} ({AFTER_TODAY})" in words
    pace = shown.workspace.section(PaceSection)
    shown.workspace.tabs.setCurrentWidget(pace)
    days = [pace.model.index(r, 0).data() for r in range(pace.model.rowCount())]
    assert f"{fmt_date(AHEAD)} ({AFTER_TODAY})" in days
    assert pace.current.text().startswith("Steady, checking in weekly")
    summary = shown.workspace.header.summary_label.text().replace("\u00a0", " ")
    assert "Pace: Steady, weekly" in summary


def _words(section: QWidget) -> str:
    """Every label's words in a tab (line breaks as spaces)."""
    return " ".join(label.text().replace("\n", " ") for label in section.findChildren(QLabel))


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(-40, 40))
def test_referrals_feedback_and_the_stage_mark_a_day_after_today(
    qtbot: QtBot, caseload: Caseload, offset: int
) -> None:
    """A referral, feedback and a move to a stage on a day after today (written while the
    clock was ahead) are marked in the Referrals, Feedback and About tabs in the words the
    other tabs use; on or before today they are not. A move after today has not happened:
    the About tab says the stage she is in today, then names the move with its day marked."""
    on = TODAY + timedelta(days=offset)
    joined = TODAY - timedelta(days=60)
    pid = caseload.enrol_participant("Rae", "fife", joined).id
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.refer(pid, "The college", on=on)
    caseload.add_feedback("The group helped", participant_id=pid, on=on)
    caseload.set_stage(pid, "looking_for_work", on=on)
    caseload.clock = ticking_clock(TODAY)
    marked = f"{fmt_date(on)} ({AFTER_TODAY})" if offset > 0 else fmt_date(on)
    with workspace_of(qtbot, caseload, pid) as opened:
        referrals = opened.tab(ReferralsSection)
        assert f"On {marked}" in _words(referrals)
        feedback = opened.tab(FeedbackSection)
        assert f"The parent, {marked}" in _words(feedback)
        about = opened.tab(AboutSection)
        assert about.stage_label.text() == (
            f"Now: Getting started, since {fmt_date(joined)} · a move to Looking for work "
            f"dated {marked}"
            if offset > 0
            else f"Now: Looking for work, since {marked}"
        )
        for section in (referrals, feedback, about):
            assert (AFTER_TODAY in _words(section)) == (offset > 0)
    caseload.set_status(pid, ParticipantStatus.CLOSED)


def test_a_break_that_starts_later_leaves_the_check_in_due_in_the_window(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Dan checks in weekly and was last seen ten days ago. A monthly rhythm from in 20 days
    and a break from in 30 (written while the clock was ahead) have not happened yet: the
    caseload list, This week, the header and the Pace tab all show him active, checking in
    weekly, with his check-in due; the Pace tab names the break with its day to check."""
    pid = caseload.enrol_participant("Dan", "fife", TODAY - timedelta(days=100)).id
    caseload.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=100))
    caseload.log_contact(pid, on=TODAY - timedelta(days=10))
    starts = TODAY + timedelta(days=30)
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.change_pace(pid, Pace.GENTLY, Rhythm.MONTHLY, on=TODAY + timedelta(days=20))
    caseload.pause(pid, on=starts, reason="Moving house")
    caseload.clock = ticking_clock(TODAY)
    due = TODAY - timedelta(days=3)
    window = make_window(qtbot, caseload)
    (line,) = [line for line in window.workspace.this_week.lines() if line.group == "checkins"]
    assert line.text.startswith(f"Dan · check-in due since {short_date(due, TODAY)} · ")
    assert f"a break from {short_date(starts, TODAY)}, after today: check its date" in line.text
    model = window.panel.model
    row = model.row_of(pid)
    cells = {
        column: model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
        for column in (Column.PACE, Column.NEXT_CHECKIN, Column.STATUS)
    }
    assert cells == {
        Column.PACE: "Steady",
        Column.NEXT_CHECKIN: f"{DUE_SINCE} {short_date(due, TODAY)}",
        Column.STATUS: "Active",
    }
    window.panel.select(pid)
    header = window.workspace.header
    qtbot.waitUntil(lambda: header.name_label.text() == "Dan")
    summary = header.summary_label.text().replace("\u00a0", " ")
    assert summary.endswith("Pace: Steady, weekly  ·  Active")
    assert header.checkin_label.text() == check_in_due_since(fmt_date(due))
    assert header.overdue_icon.isVisibleTo(header)
    assert f"the break from {fmt_date(starts)}" in header.ahead_label.text()
    pace = window.workspace.section(PaceSection)
    window.workspace.tabs.setCurrentWidget(pace)
    assert pace.current.text().startswith("Steady, checking in weekly")
    assert pace.pause_label.text() == (
        f"A break from {fmt_date(starts)} ({AFTER_TODAY}) — their choice: “Moving house”"
    )
    # Not started: nothing to pick up again from, and no other break to take, until the day
    # is put right (or comes).
    assert pace.change_button.isVisibleTo(pace)
    assert not pace.resume_button.isVisibleTo(pace)
    assert not pace.pause_button.isVisibleTo(pace)
    # The Parent menu's "Take a break…" (he is Active) says the break is there, to be put right:
    # picking up again "today" would end it before it began. Nothing is changed.
    assert window.pause_action.text() == TAKE_BREAK
    said: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    with_modal(qtbot, window.pause_action.trigger, read, kind=QMessageBox)
    assert said == [
        f"Dan's break starts on {fmt_date(starts)}, after today ({fmt_date(TODAY)}), so it has "
        "not started yet: correct the day it starts (the Pace tab, under “Changes along the "
        "way”). Nothing was changed."
    ]
    [pause] = caseload.journey(pid).pauses
    assert pause.ended_on is None


def test_a_later_move_and_a_break_ending_later_are_not_done_in_the_window(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Sam is Building confidence and took a break ten days ago. On a laptop whose clock was
    ahead, she was moved to Looking for work in 12 days and picked up again in 20: neither
    day has come. The caseload list, the header and the About tab show her stage today and
    her taking a break until it ends (no check-in meanwhile); the later move is named with its
    day to check, and the list's Stage and Status filters find her as she is today."""
    pid = caseload.enrol_participant("Sam", "fife", TODAY - timedelta(days=100)).id
    caseload.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=100))
    caseload.set_stage(pid, "building_confidence", on=TODAY - timedelta(days=50))
    since = TODAY - timedelta(days=10)
    caseload.pause(pid, on=since, reason="Exams")
    moved, back = TODAY + timedelta(days=12), TODAY + timedelta(days=20)
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.set_stage(pid, "looking_for_work", on=moved)
    caseload.resume(pid, on=back)
    caseload.clock = ticking_clock(TODAY)
    window = make_window(qtbot, caseload)
    model = window.panel.model
    row = model.row_of(pid)
    cells = {
        column: model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
        for column in (Column.STAGE, Column.STATUS)
    }
    assert cells == {Column.STAGE: "Building confidence", Column.STATUS: "Taking a break"}
    assert [r.id for r in caseload.caseload(stage="building_confidence")] == [pid]
    assert caseload.caseload(stage="looking_for_work") == []
    assert [r.id for r in caseload.caseload(status=ParticipantStatus.PAUSED.value)] == [pid]
    window.panel.select(pid)
    header = window.workspace.header
    qtbot.waitUntil(lambda: header.name_label.text() == "Sam")
    summary = header.summary_label.text().replace("\u00a0", " ")
    assert "Building confidence" in summary
    assert "Looking for work" not in summary
    assert summary.endswith("Taking a break")
    assert (
        header.checkin_label.text() == f"No check-in while taking a break since {fmt_date(since)}"
    )
    assert f"the move to Looking for work on {fmt_date(moved)}" in header.ahead_label.text()
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    assert about.stage_label.text() == (
        f"Now: Building confidence, since {fmt_date(TODAY - timedelta(days=50))} · a move to "
        f"Looking for work dated {fmt_date(moved)} ({AFTER_TODAY})"
    )
    # Held as written, to be put right: the caseload itself is not changed by reading it.
    assert caseload.participant(pid).stage == "looking_for_work"
    assert caseload.participant(pid).status is ParticipantStatus.ACTIVE
    # She is taking a break: the Parent menu and the Pace tab offer to pick up again, and
    # picking up again today puts the break's end right (today), instead of saying she is
    # not on a break.
    assert window.pause_action.text() == PICK_UP
    pace = window.workspace.section(PaceSection)
    window.workspace.tabs.setCurrentWidget(pace)
    assert pace.resume_button.isVisibleTo(pace)
    said: list[str] = []

    def close_a_message() -> None:  # one would be a refusal: noted and closed, not waited on
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append(box.text())
            box.done(0)

    timer = QTimer()
    timer.timeout.connect(close_a_message)
    timer.start(10)
    qtbot.mouseClick(pace.resume_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert said == []
    [pause] = caseload.journey(pid).pauses
    assert (pause.started_on, pause.ended_on) == (since, TODAY)
    qtbot.waitUntil(lambda: model.index(model.row_of(pid), Column.STATUS).data() == "Active")
    assert window.pause_action.text() == TAKE_BREAK


def test_moving_today_to_the_stage_a_later_move_names(qtbot: QtBot, caseload: Caseload) -> None:
    """A move to Looking for work dated after today (a laptop's clock ahead) has not happened:
    moving Rae there today is a move, not "already at that stage", and from today she is
    there in the tab, the header and the list."""
    pid = caseload.enrol_participant("Rae", "fife", TODAY - timedelta(days=60)).id
    later = TODAY + timedelta(days=9)
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.set_stage(pid, "looking_for_work", on=later)
    caseload.clock = ticking_clock(TODAY)
    with workspace_of(qtbot, caseload, pid) as opened:
        about = opened.tab(AboutSection)
        assert about.stage_combo.currentData() == "getting_started"
        choose(qtbot, about.stage_combo, "Looking for work")
        type_into(qtbot, about.stage_note, "Ready to apply")
        press_enter(qtbot, about.stage_note)
        assert not about.stage_error.isVisibleTo(about)
        moves = caseload.journey(pid).stages
        assert sorted((s.on, s.stage) for s in moves)[-2:] == [
            (TODAY, "looking_for_work"),
            (later, "looking_for_work"),
        ]
        assert about.stage_label.text().startswith(
            f"Now: Looking for work, since {fmt_date(TODAY)} · a move to Looking for work dated"
        )
        summary = opened.workspace.header.summary_label.text().replace("\u00a0", " ")
        assert "Looking for work" in summary
    (row,) = caseload.caseload()
    assert row.stage == "looking_for_work"
