"""Choices and Pace tabs: choose and decline services; change pace; a break and picking up again."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.core.documents import build_action_plan
from journeyapp.core.enums import Decision, Pace, ParticipantStatus, Rhythm, Voice
from journeyapp.ui.workspace.choices import ChoiceDialog, ChoicesSection
from journeyapp.ui.workspace.pace import PaceDialog, PaceSection, PauseDialog
from tests.ui.workspace_helpers import (
    Opened,
    choose,
    in_dialog,
    press_enter,
    type_into,
)

JUDGEMENT = ("reject", "declin", "refus", "fail", "missed", "non-engag")


def record_choice(
    qtbot: QtBot, section: ChoicesSection, service: str, decision: str, reason: str
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ChoiceDialog)
        choose(qtbot, dialog.decision, decision)
        type_into(qtbot, dialog.reason, reason)
        press_enter(qtbot, dialog.reason)

    button = section.buttons[service]
    in_dialog(qtbot, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton), fill)


def test_choose_one_service_and_decline_another(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(ChoicesSection)
    assert len(section.states) == len(opened.caseload.catalogue.services)
    record_choice(qtbot, section, "group_activities", "Chosen", "")
    record_choice(
        qtbot, section, "work_experience", "Not for me now", "Not until the wee one is at school"
    )

    choices = {c.service: c for c in opened.caseload.journey(opened.pid).choices}
    assert choices["group_activities"].decision is Decision.CHOSEN
    assert choices["work_experience"].decision is Decision.NOT_FOR_ME_NOW
    assert choices["work_experience"].reason == "Not until the wee one is at school"
    declined = section.states["work_experience"].text()
    assert declined.startswith("Not for me now")
    # The parent's words in quotation marks, as every table shows them.
    assert declined.endswith("\n“Not until the wee one is at school”")
    assert section.states["group_activities"].text().startswith("Chosen")
    # Declining looks like any other choice: same words style, same palette, no judgement.
    assert (
        section.states["work_experience"].palette() == section.states["group_activities"].palette()
    )
    assert not any(word in declined.lower() for word in JUDGEMENT)
    assert section.states["volunteering"].text() == "Not talked about yet"


def test_change_pace(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(PaceSection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PaceDialog)
        choose(qtbot, dialog.pace, "Gently")
        choose(qtbot, dialog.rhythm, "Monthly")
        type_into(qtbot, dialog.reason, "A lot on with the move")
        press_enter(qtbot, dialog.reason)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.change_button, Qt.MouseButton.LeftButton), fill
    )
    pace = opened.caseload.journey(opened.pid).current_pace
    assert pace is not None
    assert (pace.pace, pace.rhythm, pace.reason) == (
        Pace.GENTLY,
        Rhythm.MONTHLY,
        "A lot on with the move",
    )
    assert section.current.text().startswith("Gently, checking in monthly")
    assert section.model.records()[0].why == "“A lot on with the move”"
    summary = opened.workspace.header.summary_label.text().replace("\u00a0", " ")
    assert "Pace: Gently, monthly" in summary


def test_pause_reads_as_their_choice_and_resume(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(PaceSection)
    assert section.resume_button.isHidden()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        type_into(qtbot, dialog.reason, "moving house")
        type_into(qtbot, dialog.on, "03/11/2026")
        press_enter(qtbot, dialog.on)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.pause_button, Qt.MouseButton.LeftButton), fill
    )
    journey = opened.caseload.journey(opened.pid)
    assert journey.participant.status is ParticipantStatus.PAUSED
    assert journey.open_pause is not None
    assert journey.open_pause.reason == "moving house"
    assert (
        section.pause_label.text() == "Taking a break since 3 Nov 2026 — their choice: moving house"
    )
    assert "No check-in while taking a break" in opened.workspace.header.checkin_label.text()
    assert not any(w in section.pause_label.text().lower() for w in JUDGEMENT)

    section.resume_button.setFocus()
    qtbot.keyClick(section.resume_button, Qt.Key.Key_Space)
    journey = opened.caseload.journey(opened.pid)
    assert journey.participant.status is ParticipantStatus.ACTIVE
    assert journey.pauses[0].ended_on == opened.caseload.today()
    assert section.resume_button.isHidden()
    assert [line.what for line in section.model.records()][:2] == [
        "Picked up again after a break",
        "Took a break (their choice)",
    ]


def test_a_day_to_get_in_touch_before_the_break_starts_is_put_right_first(
    qtbot: QtBot, opened: Opened
) -> None:
    """A year typed wrong ("back in January"): the break would wait in This week as due since
    months before it began. Said beside the field, everything typed kept, nothing saved until
    the year is put right."""
    section = opened.tab(PaceSection)
    said: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        type_into(qtbot, dialog.reason, "moving house")
        type_into(qtbot, dialog.on, "03/11/2026")
        type_into(qtbot, dialog.follow_up, "05/01/2026")
        press_enter(qtbot, dialog.follow_up)
        qtbot.waitUntil(lambda: dialog.form.errors["follow_up_on"].isVisible())
        said.append(dialog.form.errors["follow_up_on"].text())
        assert dialog.isVisible()
        assert dialog.reason.text() == "moving house"
        assert dialog.focusWidget() is dialog.follow_up.edit
        type_into(qtbot, dialog.follow_up, "05/01/2027")
        press_enter(qtbot, dialog.follow_up)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.pause_button, Qt.MouseButton.LeftButton), fill
    )
    assert said == [
        "⚠ The day to get in touch again is before the break starts (3 Nov 2026); check the "
        "year, or leave it empty."
    ]
    pause = opened.caseload.journey(opened.pid).open_pause
    assert pause is not None
    assert pause.follow_up_on == date(2027, 1, 5)


def test_who_chose_the_day_to_get_in_touch_is_asked_shown_printed_and_corrected(
    qtbot: QtBot, opened: Opened
) -> None:
    """The break's day to get in touch again was always saved as the parent's choice (the
    dialog never asked), so the plan said "You chose this day." even when the keyworker had
    picked it. The dialog asks whose choice it was (the break's voice, as "Whose words"
    keeps it elsewhere); the Pace tab and the plan say it, and correcting the break keeps or changes it."""
    section = opened.tab(PaceSection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        assert dialog.voice.currentText() == "Zoë's choice"  # the parent's, unless changed
        assert [dialog.voice.itemText(i) for i in range(dialog.voice.count())] == [
            "Zoë's choice",
            "Chosen together",
            "Keyworker's choice",
        ]
        type_into(qtbot, dialog.reason, "moving house")
        type_into(qtbot, dialog.on, "03/11/2026")
        type_into(qtbot, dialog.follow_up, "11/01/2027")
        choose(qtbot, dialog.voice, "Chosen together")
        press_enter(qtbot, dialog.follow_up)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.pause_button, Qt.MouseButton.LeftButton), fill
    )
    pause = opened.caseload.journey(opened.pid).open_pause
    assert pause is not None
    assert (pause.voice, pause.follow_up_on) == (Voice.TOGETHER, date(2027, 1, 11))
    assert section.pause_label.text() == (
        "Taking a break since 3 Nov 2026 — their choice: moving house"
        " — get in touch again on 11 Jan 2027 (chosen together)"
    )
    plan = build_action_plan(
        opened.caseload.journey(opened.pid), opened.caseload.catalogue, opened.caseload.today()
    )
    printed = " ".join(line for s in plan.sections if s.key == "next" for line in s.intro)
    assert "We chose this day together." in printed
    assert "You chose this day." not in printed

    # Correcting the break: the choice comes back as saved, and can be changed.
    view = section.view
    row = next(n for n, line in enumerate(section.model.records()) if line.record == pause)
    view.selectRow(row)
    seen: list[str] = []

    def correct(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        seen.append(dialog.voice.currentText())
        choose(qtbot, dialog.voice, "Keyworker's choice")
        press_enter(qtbot, dialog.follow_up)

    in_dialog(
        qtbot,
        lambda: qtbot.mouseClick(section.change_history_button, Qt.MouseButton.LeftButton),
        correct,
    )
    assert seen == ["Chosen together"]
    corrected = opened.caseload.journey(opened.pid).open_pause
    assert corrected is not None
    assert (corrected.id, corrected.voice) == (pause.id, Voice.KEYWORKER)
    assert corrected.reason == "moving house"
    assert section.pause_label.text().endswith("(keyworker's choice)")
