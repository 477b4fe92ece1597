"""Removing a record that another grew from says what goes with it: a "started work" milestone
takes its job's details (hours, contract, how it went) with it, and Undo brings both back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.workspace.journey import JourneySection
from tests.ui.shell_helpers import answer_question
from tests.ui.test_record_corrections import _widget_for
from tests.ui.workspace_helpers import opened_workspace


def test_removing_a_started_work_milestone_says_its_job_goes_too(
    qtbot: QtBot, caseload: Caseload
) -> None:
    with opened_workspace(qtbot, caseload) as o:
        c = o.caseload
        c.update_participant(o.pid, joined_on=date(2026, 1, 5))
        job = c.add_job(
            o.pid,
            date(2026, 3, 2),
            job_title="Care assistant",
            hours_per_week=16,
            with_milestone=True,
        )
        assert job.milestone_id is not None
        milestone = c.record("milestones", job.milestone_id)
        section = o.tab(JourneySection)
        o.workspace.show_participant(o.pid)
        widget = _widget_for(section, milestone)
        widget.setFocus()
        asked = answer_question(qtbot, "Remove")
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: bool(asked))
        assert asked[0].startswith("Remove the milestone “Started work” on 2 Mar")
        assert "and its job's details (hours, contract, how it went)" in asked[0]
        assert c.journey(o.pid).jobs == ()
        c.undo()
        assert c.journey(o.pid).jobs == (c.record("jobs", job.id),)
        assert c.record("jobs", job.id).hours_per_week == 16  # type: ignore[attr-defined]

        # A milestone with no job says nothing of one.
        other = c.record_milestone(o.pid, "joined_group", achieved_on=date(2026, 2, 3))
        widget = _widget_for(o.tab(JourneySection), other)
        widget.setFocus()
        asked = answer_question(qtbot, "Keep it")
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
        qtbot.waitUntil(lambda: bool(asked))
        assert asked[0] == "Remove the milestone “Joined a group” on 3 Feb?"


def test_delete_on_a_parents_only_stage_move_says_how_to_put_it_right(
    qtbot: QtBot, caseload: Caseload
) -> None:
    with opened_workspace(qtbot, caseload) as o:
        c = o.caseload
        (move,) = c.journey(o.pid).stages
        section = o.tab(JourneySection)
        o.workspace.show_participant(o.pid)
        said: list[str] = []
        section.status_message.connect(said.append)
        widget = _widget_for(section, move)
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
        assert said == [
            "Their only stage move is not removed: press Enter on it to correct its stage or day."
        ]
        assert not section.remove_button.isEnabled()
        assert c.record("stages", move.id) == move
