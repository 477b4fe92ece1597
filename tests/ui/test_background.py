"""The Background tab (issue 19): the return's questions in one calm form, equalities asked only
with that consent, saved and shown again; a job grown from the "started work" milestone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.workspace import ParticipantWorkspace
from journeyapp.ui.workspace.background import BackgroundSection, JobDialog
from journeyapp.ui.workspace.journey import NO_JOB_YET, JourneySection
from tests.ui.workspace_helpers import Opened, choose, in_dialog, type_into

EQ = ConsentPurpose.EQUALITIES_MONITORING


def test_without_the_consent_the_questions_are_not_asked(qtbot: QtBot, opened: Opened) -> None:
    section: BackgroundSection = opened.tab(BackgroundSection)
    assert section.no_consent.isVisible()
    assert "agrees to equalities monitoring" in section.no_consent.text()
    assert not section.equalities_box.isVisible()
    assert "Every answer is optional" in section.intro.text()
    # Each question says why it is asked, beside it.
    why = [label.text() for label in section.findChildren(type(section.intro))]
    assert any("never how much" in w for w in why)

    type_into(qtbot, section.postcode, "g42 8qs")
    choose(qtbot, section.answers["lone_parent"], "Yes")
    section.benefits.boxes["universal_credit"].setChecked(True)
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    saved = opened.caseload.circumstances(opened.pid)
    assert saved is not None
    assert (saved.postcode, saved.lone_parent, saved.benefits) == (
        "G42 8QS",
        "yes",
        ["universal_credit"],
    )
    assert opened.caseload.equalities(opened.pid) is None
    assert section.postcode.text() == "G42 8QS"  # shown as kept


def test_fill_save_reopen_and_withdraw(qtbot: QtBot, opened: Opened, caseload: Caseload) -> None:
    caseload.record_consent(opened.pid, EQ, True)
    section: BackgroundSection = opened.tab(BackgroundSection)
    assert section.equalities_box.isVisible()
    assert not section.no_consent.isVisible()
    # No date of birth: the age group is asked; with one it would not be.
    assert section.equalities["age_band"].isVisible()
    choose(qtbot, section.equalities["sex"], "Female")
    choose(qtbot, section.equalities["ethnicity"], "Prefer not to say")
    choose(qtbot, section.answers["employment_status"], "Not working, looking for work")
    assert opened.workspace.has_unsaved_details()  # leaving would ask first
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    held = caseload.equalities(opened.pid)
    assert held is not None
    assert (held.sex, held.ethnicity, held.disability) == ("female", "prefer_not_to_say", "")
    assert not opened.workspace.has_unsaved_details()

    # Reopened in a new window, the form shows what was kept.
    bus = ChangeBus(caseload)
    again = ParticipantWorkspace(caseload, bus)
    qtbot.addWidget(again)
    again.show()
    again.show_participant(opened.pid)
    shown = again.section(BackgroundSection)
    again.tabs.setCurrentWidget(shown)
    assert shown.equalities["sex"].currentText() == "Female"
    assert shown.equalities["ethnicity"].currentText() == "Prefer not to say"
    assert shown.answers["employment_status"].currentData() == "unemployed_looking"
    bus.detach()

    # Undo (the window's Ctrl+Z) takes the save back as one change.
    caseload.undo()
    assert caseload.equalities(opened.pid) is None
    caseload.undo()  # and the consent
    assert not section.equalities_box.isVisible()

    caseload.record_consent(opened.pid, EQ, True)
    caseload.set_equalities(opened.pid, sex="male")
    caseload.record_consent(opened.pid, EQ, False)
    assert caseload.equalities(opened.pid) is None
    assert not section.equalities_box.isVisible()
    assert section.equalities["sex"].currentData() == ""


def test_a_bad_postcode_is_shown_beside_it_and_nothing_is_lost(
    qtbot: QtBot, opened: Opened
) -> None:
    section: BackgroundSection = opened.tab(BackgroundSection)
    choose(qtbot, section.answers["lone_parent"], "No")
    type_into(qtbot, section.postcode, "nowhere")
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    error = section.start_form.errors["postcode"]
    assert error.isVisible()
    assert "UK postcode" in error.text()
    assert opened.caseload.circumstances(opened.pid) is None
    assert section.answers["lone_parent"].currentData() == "no"  # still as chosen


def test_a_job_from_the_started_work_milestone(qtbot: QtBot, opened: Opened) -> None:
    caseload = opened.caseload
    joined = caseload.participant(opened.pid).joined_on
    started = caseload.record_milestone(opened.pid, "started_work", achieved_on=joined)
    journey: JourneySection = opened.tab(JourneySection)
    row = next(
        n
        for n, moment in enumerate(journey.model.records())
        if getattr(moment.record, "id", None) == started.id
    )
    journey.view.setCurrentIndex(journey.model.index(row, 0))
    assert journey.job_button.isEnabled()
    # Recorded with no job (before milestones came with one, or imported): it says so there.
    assert NO_JOB_YET in str(journey.model.index(row, 2).data())

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, JobDialog)
        assert dialog.started.text()  # from the milestone's day
        type_into(qtbot, dialog.title_edit, "Care assistant")
        dialog.hours.setValue(22)
        choose(qtbot, dialog.combos["living_wage"], "Yes")
        save = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Record job")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    in_dialog(qtbot, journey.job_details, fill)
    [job] = caseload.jobs(opened.pid)
    assert (job.milestone_id, job.job_title, job.hours_per_week, job.living_wage) == (
        started.id,
        "Care assistant",
        22,
        "yes",
    )
    notes = [str(journey.model.index(n, 2).data()) for n in range(journey.model.rowCount())]
    assert not any(NO_JOB_YET in note for note in notes), notes
    background: BackgroundSection = opened.tab(BackgroundSection)
    assert [j.id for j in background.jobs_model.records()] == [job.id]
    assert background.jobs_model.index(0, 4).data() == "Still in work"

    # Changed afterwards from the Background tab; the end date before the start is refused.
    dialog = background.edit_dialog(job)
    assert isinstance(dialog, JobDialog)
    qtbot.addWidget(dialog)
    dialog.left.setText("01/01/2020")
    dialog._try_save()
    assert "ends before it starts" in dialog.errors["left_on"].text() or (
        "before" in dialog.general_error.text()
    )
    assert caseload.jobs(opened.pid)[0].left_on is None
    dialog.left.setText(joined.strftime("%d/%m/%Y"))
    dialog._try_save()
    assert caseload.jobs(opened.pid)[0].left_on == joined


def test_recording_started_work_offers_the_job_form(qtbot: QtBot, opened: Opened) -> None:
    """A "started work" milestone is saved with its job from its day, as the command line
    records it: the job form that follows asks for the rest and says that Cancel keeps the
    job with its start day; cancelled, the parent is never "in work" with no job (it read
    "Record a job" and, cancelled, left the milestone with none). One change: undone whole."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    journey: JourneySection = opened.tab(JourneySection)
    seen: list[tuple[str, str]] = []

    def close_the_job_form() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, JobDialog):
            QTimer.singleShot(20, close_the_job_form)
            return
        said = " ".join(label.text() for label in dialog.findChildren(QLabel))
        seen.append((dialog.windowTitle(), said))
        assert dialog.milestone is not None
        dialog.reject()  # nothing typed: it closes without asking; the job stays as it was

    def fill(dialog: QDialog) -> None:
        choose(qtbot, dialog.type, "Started work")  # type: ignore[attr-defined]
        QTimer.singleShot(20, close_the_job_form)
        save = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Record milestone")
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    in_dialog(qtbot, journey.record_milestone, fill)
    qtbot.waitUntil(lambda: len(seen) == 1)
    title, said = seen[0]
    assert title == "The job they started"
    assert "Cancel keeps it with its start day only" in said
    caseload = opened.caseload
    [milestone] = caseload.journey(opened.pid).milestones
    assert milestone.type == "started_work"
    [job] = caseload.jobs(opened.pid)
    assert (job.milestone_id, job.started_on) == (milestone.id, milestone.achieved_on)
    caseload.undo()  # the milestone and its job were one change
    assert caseload.journey(opened.pid).milestones == ()
    assert caseload.jobs(opened.pid) == []


@pytest.mark.parametrize("answer", ["Save", "Discard changes"])
def test_switching_parent_with_changed_answers_asks(
    qtbot: QtBot, caseload: Caseload, answer: str
) -> None:
    from tests.ui.shell_helpers import answer_question, two_parents_open

    window, zoe, amy = two_parents_open(qtbot, caseload)
    section = window.workspace.section(BackgroundSection)
    window.workspace.tabs.setCurrentWidget(section)
    choose(qtbot, section.answers["lone_parent"], "Yes")
    asked = answer_question(qtbot, answer)
    window.open_participant(amy)
    assert asked == ["The Background tab has changes that are not saved yet."]
    assert window.workspace.current_participant_id() == amy
    saved = caseload.circumstances(zoe)
    if answer == "Save":
        assert saved is not None
        assert saved.lone_parent == "yes"
    else:
        assert saved is None
    assert section.answers["lone_parent"].currentData() == ""  # Amy's (none yet)
    window.bus.detach()


def test_answers_saved_after_the_consent_was_withdrawn_elsewhere_keep_no_equalities(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """The keyworker chose equalities answers, then went to About and recorded that the parent
    withdrew the consent: Save on leaving keeps the other answers, drops the equalities ones
    (as the withdrawal asks) and is not refused on a tab out of sight."""
    from journeyapp.ui.workspace.about import AboutSection
    from tests.ui.shell_helpers import answer_question, two_parents_open

    window, zoe, amy = two_parents_open(qtbot, caseload)
    caseload.record_consent(zoe, EQ, True)
    section = window.workspace.section(BackgroundSection)
    window.workspace.tabs.setCurrentWidget(section)
    choose(qtbot, section.equalities["sex"], "Female")
    choose(qtbot, section.answers["lone_parent"], "Yes")
    window.workspace.tabs.setCurrentWidget(window.workspace.section(AboutSection))
    caseload.record_consent(zoe, EQ, False)  # as the About tab records it
    asked = answer_question(qtbot, "Save")
    window.open_participant(amy)
    assert asked == ["The Background tab has changes that are not saved yet."]
    assert window.workspace.current_participant_id() == amy
    saved = caseload.circumstances(zoe)
    assert saved is not None
    assert saved.lone_parent == "yes"
    assert caseload.equalities(zoe) is None
    assert not section.error.isVisibleTo(section)
    window.bus.detach()
