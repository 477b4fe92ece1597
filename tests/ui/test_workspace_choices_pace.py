"""Choices and Pace tabs: choose and decline services; change pace; a break and picking up again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.documents import build_action_plan
from journeyapp.core.enums import Decision, Pace, ParticipantStatus, Rhythm, Voice
from journeyapp.core.records import Pause
from journeyapp.ui.dialogs.record_history import RecordHistoryDialog
from journeyapp.ui.workspace.choices import ChoiceDialog, ChoicesSection
from journeyapp.ui.workspace.pace import PaceDialog, PaceSection, PauseDialog, pause_words
from tests.ui.workspace_helpers import (
    Opened,
    choose,
    in_dialog,
    press_enter,
    type_into,
    workspace_of,
)

JUDGEMENT = ("reject", "declin", "refus", "fail", "missed", "non-engag")


@pytest.fixture
def opened(qtbot: QtBot, caseload: Caseload) -> Iterator[Opened]:
    """Zoë's workspace in a window. She joined on 1 Oct 2026: a pace or a break is on her
    journey, so the days typed here (3 Nov 2026) are on or after it."""
    pid = caseload.enrol_participant("Zoë", "glasgow", date(2026, 10, 1)).id
    with workspace_of(qtbot, caseload, pid) as o:
        yield o


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
    # Before they have chosen one there is nothing to change: the button says so.
    assert opened.caseload.journey(opened.pid).current_pace is None
    assert section.change_button.text() == "Choose a pace…"

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PaceDialog)
        assert dialog.windowTitle().startswith("Choose a pace")
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
    assert section.change_button.text() == "Change pace…"
    assert section.model.records()[0].why == "“A lot on with the move”"
    summary = opened.workspace.header.summary_label.text().replace("\u00a0", " ")
    assert "Pace: Gently, monthly" in summary


def test_a_parent_who_gets_in_touch_themselves_reads_so(qtbot: QtBot, opened: Opened) -> None:
    """'I'll get in touch' is the parent's choice in their words: the tab, its history and the
    header say "when they get in touch" (they read "checking in i'll get in touch")."""
    section = opened.tab(PaceSection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PaceDialog)
        choose(qtbot, dialog.pace, "Gently")
        choose(qtbot, dialog.rhythm, "I'll get in touch")
        press_enter(qtbot, dialog.reason)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.change_button, Qt.MouseButton.LeftButton), fill
    )
    assert section.current.text().startswith("Gently, checking in when they get in touch")
    assert section.model.records()[0].what == "Gently, check in when they get in touch"
    summary = opened.workspace.header.summary_label.text().replace("\u00a0", " ")
    assert "Pace: Gently, when they get in touch" in summary
    shown = [section.current.text(), summary, section.model.records()[0].what]
    assert not any("i'll" in text.lower() for text in shown)


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
        section.pause_label.text()
        == "Taking a break since 3 Nov 2026 — their choice: “moving house”"
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


def in_sight(dialog: PauseDialog, widget: QWidget) -> bool:
    """Whether all of `widget` shows in the dialog's form without scrolling."""
    viewport = dialog.scroll_area.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def test_who_chose_the_day_to_get_in_touch_is_asked_shown_printed_and_corrected(
    qtbot: QtBot, opened: Opened
) -> None:
    """The break's one voice said both whose words the reason is and who chose the day to get in
    touch again: a parent's own reason with a day the keyworker suggested could not be saved.
    The dialog asks "Who chose this day:" on its own, once a day is typed; the Pace tab and the
    plan say it, and correcting either leaves the other as it was."""
    section = opened.tab(PaceSection)
    offered = ["Zoë's choice", "Chosen together", "Keyworker's choice"]

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        for box in (dialog.voice, dialog.day_chosen_by):
            assert box.currentText() == "Zoë's choice"  # the parent's, unless changed
            assert [box.itemText(i) for i in range(box.count())] == offered
        assert not dialog.day_chosen_by.isVisible()  # no day yet: nothing to choose
        type_into(qtbot, dialog.reason, "moving house")
        type_into(qtbot, dialog.on, "03/11/2026")
        type_into(qtbot, dialog.follow_up, "11/01/2027")
        assert dialog.day_chosen_by.isVisible()
        choose(qtbot, dialog.day_chosen_by, "Chosen together")
        press_enter(qtbot, dialog.follow_up)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.pause_button, Qt.MouseButton.LeftButton), fill
    )
    pause = opened.caseload.journey(opened.pid).open_pause
    assert pause is not None
    assert (pause.voice, pause.follow_up_on, pause.follow_up_chosen_by) == (
        Voice.PARENT,
        date(2027, 1, 11),
        Voice.TOGETHER,
    )
    assert section.pause_label.text() == (
        "Taking a break since 3 Nov 2026 — their choice: “moving house”"
        " — get in touch again on 11 Jan 2027 (chosen together)"
    )

    def printed() -> str:
        plan = build_action_plan(
            opened.caseload.journey(opened.pid), opened.caseload.catalogue, opened.caseload.today()
        )
        return " ".join(line for s in plan.sections if s.key == "next" for line in s.intro)

    assert "You said: “moving house”" in printed()
    assert "We chose this day together." in printed()
    assert "You chose this day." not in printed()

    def correct(change: Callable[[PauseDialog], None]) -> list[str]:
        seen: list[str] = []

        def drive(dialog: QDialog) -> None:
            assert isinstance(dialog, PauseDialog)
            assert dialog.day_chosen_by.isVisible()  # the break has a day
            seen.extend((dialog.voice.currentText(), dialog.day_chosen_by.currentText()))
            change(dialog)
            press_enter(qtbot, dialog.follow_up)

        lines = section.model.records()
        row = next(
            n for n, line in enumerate(lines) if getattr(line.record, "id", None) == pause.id
        )
        section.view.selectRow(row)
        in_dialog(
            qtbot,
            lambda: qtbot.mouseClick(section.change_history_button, Qt.MouseButton.LeftButton),
            drive,
        )
        return seen

    # Who chose the day, corrected: the reason stays the parent's.
    seen = correct(lambda d: choose(qtbot, d.day_chosen_by, "Keyworker's choice"))
    assert seen == ["Zoë's choice", "Chosen together"]  # as saved
    corrected = opened.caseload.journey(opened.pid).open_pause
    assert corrected is not None
    assert (corrected.id, corrected.voice, corrected.follow_up_chosen_by) == (
        pause.id,
        Voice.PARENT,
        Voice.KEYWORKER,
    )
    assert corrected.reason == "moving house"
    assert section.pause_label.text().endswith("(keyworker's choice)")
    assert "Your keyworker chose this day." in printed()
    assert "You said: “moving house”" in printed()

    # Whose choice the break is, corrected: who chose the day stays the keyworker.
    seen = correct(lambda d: choose(qtbot, d.voice, "Chosen together"))
    assert seen == ["Zoë's choice", "Keyworker's choice"]
    corrected = opened.caseload.journey(opened.pid).open_pause
    assert corrected is not None
    assert (corrected.voice, corrected.follow_up_chosen_by) == (Voice.TOGETHER, Voice.KEYWORKER)
    assert "Your keyworker chose this day." in printed()
    assert "You said:" not in printed()

    # The break's history says who chose the day in the words of a choice, not of a note.
    history = RecordHistoryDialog(opened.caseload, corrected, "the break", section)
    qtbot.addWidget(history)
    changes = "\n".join(history.texts())
    assert "follow up chosen by: chosen together" in changes
    assert "follow up chosen by: was chosen together, now keyworker's choice" in changes
    assert "voice: was in their words, now agreed together" in changes


def test_who_chose_this_day_comes_into_sight_when_a_day_is_typed(
    qtbot: QtBot, opened: Opened
) -> None:
    """The dialog is sized for its fields at first; the box that appears with a day was below
    the fold of its scrolling form. The dialog grows for it instead."""
    dialog = PauseDialog(opened.caseload, opened.pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.day_chosen_by.isVisible()
    type_into(qtbot, dialog.follow_up, "11/01/2027")
    qtbot.waitUntil(lambda: dialog.day_chosen_by.isVisible())
    # Once laid out (the layout's requests are posted events): all of it in sight.
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert in_sight(dialog, dialog.day_chosen_by)
    press_enter(qtbot, dialog.follow_up)  # saved, so nothing typed is left to ask about
    assert not dialog.isVisible()


def test_a_day_cleared_in_the_dialog_clears_who_chose_it(qtbot: QtBot, opened: Opened) -> None:
    """ "Who chose this day:" goes when the day is emptied, and nothing is saved for it."""
    section = opened.tab(PaceSection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        type_into(qtbot, dialog.on, "03/11/2026")
        type_into(qtbot, dialog.follow_up, "11/01/2027")
        choose(qtbot, dialog.day_chosen_by, "Keyworker's choice")
        type_into(qtbot, dialog.follow_up, "")
        assert not dialog.day_chosen_by.isVisible()
        press_enter(qtbot, dialog.on)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.pause_button, Qt.MouseButton.LeftButton), fill
    )
    pause = opened.caseload.journey(opened.pid).open_pause
    assert pause is not None
    assert (pause.follow_up_on, pause.follow_up_chosen_by) == (None, None)
    assert section.pause_label.text() == "Taking a break since 3 Nov 2026 — their choice"


def test_a_breaks_reason_is_quoted_as_whose_words_it_is() -> None:
    """The Pace tab's line quotes the reason as the history table below it does: the parent's
    words in quotation marks, a keyworker's note marked as such, never passed off as theirs."""
    theirs = Pause(participant_id="p", started_on=date(2026, 11, 3), reason="Needed a break")
    note = Pause(
        participant_id="p",
        started_on=date(2026, 11, 3),
        reason="Seemed tired",
        voice=Voice.KEYWORKER,
    )
    assert pause_words(theirs) == "Taking a break since 3 Nov 2026 — their choice: “Needed a break”"
    assert pause_words(note) == (
        "Taking a break since 3 Nov 2026 — their choice: “Seemed tired” (keyworker's note)"
    )


def test_before_a_pace_is_chosen_it_is_said_once_and_no_button_does_nothing(
    qtbot: QtBot, opened: Opened
) -> None:
    """Found by use: with no pace chosen the tab said "No pace chosen yet" twice (beside the
    pace and under the empty list) and showed Change…, Remove… and History… for a list with
    no row to act on. Said once; the list's buttons come with its first row."""
    from PySide6.QtWidgets import QLabel, QPushButton

    section = opened.tab(PaceSection)

    def shown_words() -> str:
        labels = section.findChildren(QLabel)
        return " ".join(w.text() for w in labels if w.isVisibleTo(section))

    def shown_buttons() -> set[str]:
        buttons = section.findChildren(QPushButton)
        return {b.text() for b in buttons if b.isVisibleTo(section)}

    assert shown_words().count("No pace chosen yet") == 1
    assert shown_buttons() == {"Choose a pace…", "Take a break…"}
    opened.caseload.change_pace(opened.pid, Pace.STEADY, Rhythm.WEEKLY)
    qtbot.waitUntil(lambda: "Change…" in shown_buttons())
    assert {"Change…", "Remove…", "History…"} <= shown_buttons()
    assert "No pace chosen yet" not in shown_words()
