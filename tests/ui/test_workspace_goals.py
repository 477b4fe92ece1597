"""Goals tab: a goal in the parent's words, two steps, one ticked done in one click."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialog, QScrollArea
from pytestqt.qtbot import QtBot

from journeyapp.core.enums import GoalStatus, Voice
from journeyapp.ui.workspace.goals import GoalDialog, GoalsSection, StepDialog
from tests.ui.workspace_helpers import (
    Opened,
    choose,
    in_dialog,
    press_enter,
    type_into,
)


def add_step(qtbot: QtBot, section: GoalsSection, what: str, who: str) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StepDialog)
        type_into(qtbot, dialog.what, what)
        choose(qtbot, dialog.who, who)
        type_into(qtbot, dialog.due, "12/12/2026")
        press_enter(qtbot, dialog.due)

    in_dialog(
        qtbot,
        lambda: qtbot.mouseClick(section.goal_cards[0].add_step_button, Qt.MouseButton.LeftButton),
        fill,
    )


def test_add_goal_with_two_steps_and_tick_one_done(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(GoalsSection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, GoalDialog)
        type_into(qtbot, dialog.words, "Get back into baking, maybe as a job")
        choose(qtbot, dialog.area, "Getting ready for work")
        type_into(qtbot, dialog.by_when, "by the summer")
        press_enter(qtbot, dialog.by_when)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.add_goal_button, Qt.MouseButton.LeftButton), fill
    )
    add_step(qtbot, section, "Phone the college about the course", "Zoë (me)")
    add_step(qtbot, section, "Find out about help with course costs", "Keyworker")

    card = section.goal_cards[0]
    texts = [label.text() for label in card.step_labels]
    assert texts[0].startswith("Phone the college about the course — Zoë")
    assert "keyworker" in texts[1]
    qtbot.waitUntil(card.step_boxes[0].isVisible)  # the rebuilt card is shown by the event loop
    qtbot.mouseClick(card.step_boxes[0], Qt.MouseButton.LeftButton)

    journey = opened.caseload.journey(opened.pid)
    (goal,) = journey.goals
    assert goal.words == "Get back into baking, maybe as a job"
    assert goal.voice is Voice.PARENT
    assert goal.area == "ready_for_work"
    assert goal.by_when == "by the summer"
    steps = journey.steps_for(goal.id)
    assert [(s.what, s.who) for s in steps] == [
        ("Phone the college about the course", "me"),
        ("Find out about help with course costs", "keyworker"),
    ]
    assert steps[0].done_on == opened.caseload.today()
    assert steps[1].done_on is None
    # The tab was rebuilt from the database: the quote says whose words, the step shows done.
    card = section.goal_cards[0]
    assert card.step_boxes[0].isChecked()
    assert not card.step_boxes[1].isChecked()
    # A click on a step's words ticks it as well.
    qtbot.waitUntil(card.step_labels[1].isVisible)
    qtbot.mouseClick(card.step_labels[1], Qt.MouseButton.LeftButton)
    assert opened.caseload.journey(opened.pid).steps_for(goal.id)[1].done_on is not None
    assert card.words_label.text() == "“Get back into baking, maybe as a job”"
    assert card.meta_label.text().startswith("in Zoë's words")


def test_goal_shows_as_a_quote_with_whose_words(qtbot: QtBot, opened: Opened) -> None:
    opened.caseload.add_goal(opened.pid, "Make some pals", voice=Voice.PARENT)
    opened.caseload.add_goal(opened.pid, "Sort out the budget", voice=Voice.TOGETHER)
    section = opened.tab(GoalsSection)
    words = [card.accessibleName() for card in section.goal_cards]
    assert words == ["Goal: Make some pals", "Goal: Sort out the budget"]
    metas = [card.meta_label.text() for card in section.goal_cards]
    assert metas == ["in Zoë's words", "agreed together"]


def test_goal_status_changes_with_the_keyboard(qtbot: QtBot, opened: Opened) -> None:
    goal = opened.caseload.add_goal(opened.pid, "Make some pals")
    section = opened.tab(GoalsSection)
    choose(qtbot, section.goal_cards[0].status, "Working on it")
    assert opened.caseload.journey(opened.pid).goals[0].status is GoalStatus.WORKING_ON_IT
    assert goal.status is GoalStatus.NOT_STARTED


def test_unticking_a_step_reopens_it(qtbot: QtBot, opened: Opened) -> None:
    goal = opened.caseload.add_goal(opened.pid, "Make some pals")
    step = opened.caseload.add_step(goal.id, "Visit the group")
    opened.caseload.complete_step(step.id)
    section = opened.tab(GoalsSection)
    box = section.goal_cards[0].step_boxes[0]
    assert box.isChecked()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert opened.caseload.journey(opened.pid).steps[0].done_on is None


def test_a_goal_just_added_is_in_sight_with_the_keyboard_on_it(
    qtbot: QtBot, opened: Opened
) -> None:
    """A goal was added below the goals already on screen and often out of sight: the
    status bar said "Saved: goal added" but the words just typed could not be seen."""
    for words in (
        "Sleep better",
        "Go back to college",
        "Sort out the school run",
        "Learn to drive",
    ):
        opened.caseload.add_goal(opened.pid, words)
    opened.workspace.resize(900, 420)
    section = opened.tab(GoalsSection)
    qtbot.waitUntil(lambda: len(section.goal_cards) == 4)

    def fill(dialog: QDialog) -> None:
        type_into(qtbot, dialog.words, "Work in a café, part-time")
        press_enter(qtbot, dialog.by_when)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.add_goal_button, Qt.MouseButton.LeftButton), fill
    )
    (card,) = [c for c in section.goal_cards if c.goal.words == "Work in a café, part-time"]
    qtbot.waitUntil(lambda: card.window().focusWidget() is card)  # the keyboard on it
    area = card.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert isinstance(area, QScrollArea)
    viewport = area.viewport()
    qtbot.waitUntil(
        lambda: (
            viewport.rect().contains(QRect(card.mapTo(viewport, QPoint(0, 0)), card.size()))
            or card.height() > viewport.height()
        )
    )
    top = card.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= top < viewport.height(), "the new goal's words are in sight"


def test_an_empty_goal_is_refused_in_a_sentence_that_reads_right(
    qtbot: QtBot, opened: Opened
) -> None:
    """It read "The goal, in the parent's words is needed" (the aside's comma missing)."""
    section = opened.tab(GoalsSection)
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, GoalDialog)
        press_enter(qtbot, dialog.by_when)
        error = dialog.form.errors["words"]
        seen.append(error.text() if error.isVisibleTo(dialog) else "")
        dialog.done(QDialog.DialogCode.Rejected)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.add_goal_button, Qt.MouseButton.LeftButton), fill
    )
    assert seen == ["⚠ The goal, in the parent's words, is needed; it cannot be left empty."]
    assert not opened.caseload.journey(opened.pid).goals
