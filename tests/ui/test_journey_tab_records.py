"""Recording from a parent's Journey tab, by keys: a move to a stage is recorded there, beside
the moves it joins (it was only on the About tab), with the same form that corrects one and
the same undo; and a milestone corrected into "started work" there asks for its job, as
recording one does (it got none)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.background import JobDialog
from journeyapp.ui.workspace.journey import JourneySection, MilestoneDialog, StageMoveDialog
from tests.conftest import TODAY
from tests.ui.shell_helpers import make_window, shortcut, with_modal
from tests.ui.test_record_corrections import _widget_for
from tests.ui.workspace_helpers import choose, press_enter, type_into


def _journey_tab(qtbot: QtBot, caseload: Caseload, pid: str) -> tuple[QWidget, JourneySection]:
    window = make_window(qtbot, caseload)
    window.open_participant(pid)
    section = window.workspace.section(JourneySection)
    window.workspace.tabs.setCurrentWidget(section)
    if not section.isVisible():  # a narrow screen: the list and the parent take turns
        window.switch_pane()
    qtbot.waitUntil(section.isVisible)
    return window, section


def test_a_stage_move_is_recorded_from_the_journey_tab_by_keys_with_undo(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=TODAY - timedelta(days=60)).id
    caseload.set_stage(pid, "getting_connected", on=TODAY - timedelta(days=30))
    window, section = _journey_tab(qtbot, caseload, pid)
    moved_on = TODAY - timedelta(days=3)
    seen: dict[str, str] = {}

    def move(dialog: QDialog) -> None:
        assert isinstance(dialog, StageMoveDialog)
        seen["title"] = dialog.windowTitle()
        seen["starts at"] = dialog.stage.currentText()  # the stage after theirs
        assert dialog.on.text() == TODAY.strftime("%d/%m/%Y")
        # The stage they are at already is no move: said beside it, nothing saved.
        choose(qtbot, dialog.stage, "Getting connected")
        press_enter(qtbot, dialog.note)
        assert dialog.isVisible()
        seen["refused"] = dialog.errors["stage"].text()
        # Whole beneath the stage list, not cut off at the height of a shorter line.
        said = dialog.errors["stage"]
        qtbot.waitUntil(lambda: said.height() >= said.heightForWidth(said.width()))
        assert said.width() >= dialog.on.width()
        choose(qtbot, dialog.stage, "Looking for work")
        type_into(qtbot, dialog.on, moved_on.strftime("%d/%m/%Y"))
        type_into(qtbot, dialog.note, "Ready to look")
        press_enter(qtbot, dialog.note)

    button = section.stage_button
    assert button.isVisible()
    assert button.text() == "Move to a stage…"
    button.setFocus()
    with_modal(qtbot, lambda: qtbot.keyClick(button, Qt.Key.Key_Space), move)
    assert seen["title"] == "Move to a stage"
    assert seen["starts at"] == "Building confidence"
    assert "already at that stage" in seen["refused"]
    latest = max(caseload.journey(pid).stages, key=lambda s: s.on)
    assert (latest.stage, latest.on, latest.note) == ("looking_for_work", moved_on, "Ready to look")
    assert caseload.participant(pid).stage == "looking_for_work"
    assert window.statusBar().currentMessage() == "Saved: stage changed"
    qtbot.waitUntil(lambda: "Stage: Looking for work" in [m.what for m in section.model.records()])
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    qtbot.waitUntil(lambda: about.stage_label.text().startswith("Now: Looking for work, since"))
    window.workspace.tabs.setCurrentWidget(section)

    # Ctrl+Z (the keyboard back on the list) takes the move away again.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    section.view.setFocus()
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert [s.stage for s in caseload.journey(pid).stages] == [
        "getting_started",
        "getting_connected",
    ]
    assert caseload.participant(pid).stage == "getting_connected"


def test_a_milestone_corrected_into_started_work_asks_for_its_job(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=TODAY - timedelta(days=60)).id
    day = TODAY - timedelta(days=5)
    plan = caseload.record_milestone(pid, "applied_for_job", achieved_on=day)
    _window, section = _journey_tab(qtbot, caseload, pid)
    jobs: list[str] = []

    def job_form() -> None:
        """The job form that opens once the milestone's form has closed: saved as it opens."""
        modal = QApplication.activeModalWidget()
        if isinstance(modal, JobDialog) and modal.isVisible():
            jobs.append(modal.windowTitle())
            modal._try_save()
            return
        if len(jobs) < 1 and not section.property("gave_up"):
            QTimer.singleShot(20, job_form)

    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, MilestoneDialog)
        choose(qtbot, dialog.type, "Started work")
        QTimer.singleShot(0, job_form)
        press_enter(qtbot, dialog.note)

    row = _widget_for(section, plan)
    row.setFocus()
    with_modal(qtbot, lambda: qtbot.keyClick(row, Qt.Key.Key_Return), correct)
    qtbot.waitUntil(lambda: bool(jobs))
    section.setProperty("gave_up", True)
    assert caseload.record("milestones", plan.id).type == "started_work"
    job = caseload.job_for_milestone(plan.id)
    assert job is not None
    assert job.started_on == day
    # Corrected again (its note), it keeps its one job and asks nothing more.
    asked = len(jobs)

    def note(dialog: QDialog) -> None:
        assert isinstance(dialog, MilestoneDialog)
        type_into(qtbot, dialog.note, "At the care home")
        press_enter(qtbot, dialog.type)

    row = _widget_for(section, caseload.record("milestones", plan.id))
    row.setFocus()
    with_modal(qtbot, lambda: qtbot.keyClick(row, Qt.Key.Key_Return), note)
    assert len(jobs) == asked
    assert len(caseload.jobs(pid)) == 1


def test_a_started_work_milestone_corrected_away_asks_about_its_job_by_keys_with_undo(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Found by use: "started work" corrected into another type kept its job, so the parent
    still counted as in work. The window asks, naming the job: Go back saves nothing; Remove
    the job too takes it with the correction, one change that Ctrl+Z puts back whole."""
    from tests.ui.shell_helpers import answer_question

    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=TODAY - timedelta(days=60)).id
    day = TODAY - timedelta(days=5)
    job = caseload.add_job(pid, day, with_milestone=True, job_title="Care assistant")
    assert job.milestone_id is not None
    started = caseload.record("milestones", job.milestone_id)
    window, section = _journey_tab(qtbot, caseload, pid)
    seen: dict[str, object] = {}

    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, MilestoneDialog)
        choose(qtbot, dialog.type, "Had an interview")
        back = answer_question(qtbot, "Go back")
        press_enter(qtbot, dialog.note)
        qtbot.waitUntil(lambda: bool(back))
        seen["asked"] = back[0]
        assert dialog.isVisible()
        seen["still typed"] = dialog.type.currentText()
        assert caseload.record("milestones", started.id) == started
        seen["job after go back"] = caseload.job_for_milestone(started.id)
        remove = answer_question(qtbot, "Remove the job too")
        press_enter(qtbot, dialog.note)
        qtbot.waitUntil(lambda: bool(remove))

    row = _widget_for(section, started)
    row.setFocus()
    with_modal(qtbot, lambda: qtbot.keyClick(row, Qt.Key.Key_Return), correct)
    assert "Zoë's job as Care assistant, starting" in str(seen["asked"])
    assert seen["still typed"] == "Had an interview"
    assert seen["job after go back"] == job
    assert caseload.record("milestones", started.id).type == "had_interview"
    assert caseload.jobs(pid) == []

    # Ctrl+Z puts back both: the milestone as "started work" and its job.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    section.view.setFocus()
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert caseload.record("milestones", started.id).type == "started_work"
    assert [j.id for j in caseload.jobs(pid)] == [job.id]
