"""Issue 3's "Must show": one parent's journey from enrolment to undo, driven by keys and clicks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Decision, Pace, ParticipantStatus, Rhythm
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.workspace.assessment import AssessmentDialog, AssessmentSection
from journeyapp.ui.workspace.choices import ChoiceDialog, ChoicesSection
from journeyapp.ui.workspace.contacts import ContactsSection, LogContactDialog
from journeyapp.ui.workspace.goals import GoalDialog, GoalsSection, StepDialog
from journeyapp.ui.workspace.journey import JourneySection, MilestoneDialog
from journeyapp.ui.workspace.pace import PaceDialog, PaceSection, PauseDialog
from journeyapp.ui.workspace.referrals import ReferDialog, ReferralsSection
from journeyapp.ui.workspace.section import Section
from tests.ui.shell_helpers import shortcut, with_modal
from tests.ui.test_main_window import enrol_by_keyboard
from tests.ui.workspace_helpers import choose, type_into

LEFT = Qt.MouseButton.LeftButton


def open_tab(qtbot: QtBot, window: MainWindow, cls: type[Section]) -> Section:
    """Go to the section in the side list by keyboard, as a keyworker would."""
    section = window.workspace.section(cls)
    tabs = window.workspace.tabs
    index = tabs.indexOf(section)
    bar = tabs.tabBar()
    tabs.setCurrentIndex(index - 1 if index else index + 1)
    bar.setFocus()
    key = Qt.Key.Key_Down if index else Qt.Key.Key_Up
    qtbot.keyClick(bar, key)
    assert tabs.currentWidget() is section
    return section


def save(qtbot: QtBot, dialog: QDialog) -> None:
    """Click the dialog's Save button.

    (Enter does not save the workspace's dialogs once they are really active: see
    test_enter_saves_an_active_workspace_dialog.)
    """
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)  # type: ignore[attr-defined]
    qtbot.mouseClick(button, LEFT)


def saved(window: MainWindow) -> bool:
    return window.statusBar().currentMessage().startswith("Saved")


def test_a_keyworker_walks_one_parent_through_their_journey(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    window.resize(1366, 740)
    # Someone else already on the caseload, so finding the parent means something.
    caseload.enrol_participant("Grace", "fife", full_name="Grace Heatherbrae")

    # Enrol (Ctrl+N).
    enrol_by_keyboard(qtbot, window, "Siobhán", "Siobhán Ó Fictíosa")
    (pid,) = [p.id for p in caseload.participants() if p.preferred_name == "Siobhán"]
    assert window.workspace.current_participant_id() == pid
    assert saved(window)

    # A goal in her words, with two steps.
    goals = open_tab(qtbot, window, GoalsSection)

    def goal(dialog: QDialog) -> None:
        assert isinstance(dialog, GoalDialog)
        type_into(qtbot, dialog.words, "Get my confidence back and find a part-time job")
        choose(qtbot, dialog.area, "Getting ready for work")
        save(qtbot, dialog)

    with_modal(qtbot, lambda: qtbot.mouseClick(goals.add_goal_button, LEFT), goal)
    for what, who in (
        ("Go to the confidence group", "Siobhán (me)"),
        ("Book the CV session", "Keyworker"),
    ):

        def step(dialog: QDialog, what: str = what, who: str = who) -> None:
            assert isinstance(dialog, StepDialog)
            type_into(qtbot, dialog.what, what)
            choose(qtbot, dialog.who, who)
            save(qtbot, dialog)

        button = goals.goal_cards[0].add_step_button
        with_modal(qtbot, lambda button=button: qtbot.mouseClick(button, LEFT), step)
    journey = caseload.journey(pid)
    assert [g.words for g in journey.goals] == ["Get my confidence back and find a part-time job"]
    assert [s.what for s in journey.steps] == ["Go to the confidence group", "Book the CV session"]
    assert len(goals.goal_cards[0].step_boxes) == 2

    # Choose one service and decline another (a valid choice).
    choices = open_tab(qtbot, window, ChoicesSection)
    for service, decision, reason in (
        ("group_activities", "Chosen", ""),
        ("work_experience", "Not for me now", "Not until the wee one starts nursery"),
    ):

        def decide(dialog: QDialog, decision: str = decision, reason: str = reason) -> None:
            assert isinstance(dialog, ChoiceDialog)
            choose(qtbot, dialog.decision, decision)
            type_into(qtbot, dialog.reason, reason)
            save(qtbot, dialog)

        button = choices.buttons[service]
        with_modal(qtbot, lambda button=button: qtbot.mouseClick(button, LEFT), decide)
    decisions = {c.service: c.decision for c in caseload.journey(pid).choices}
    assert decisions == {
        "group_activities": Decision.CHOSEN,
        "work_experience": Decision.NOT_FOR_ME_NOW,
    }
    assert choices.states["work_experience"].text().startswith("Not for me now")

    # Change pace.
    pace = open_tab(qtbot, window, PaceSection)

    def change_pace(dialog: QDialog) -> None:
        assert isinstance(dialog, PaceDialog)
        choose(qtbot, dialog.pace, "Gently")
        choose(qtbot, dialog.rhythm, "Fortnightly")
        type_into(qtbot, dialog.reason, "A lot on at home just now")
        save(qtbot, dialog)

    with_modal(qtbot, lambda: qtbot.mouseClick(pace.change_button, LEFT), change_pace)
    current = caseload.journey(pid).current_pace
    assert current is not None
    assert (current.pace, current.rhythm) == (Pace.GENTLY, Rhythm.FORTNIGHTLY)
    row = next(r for r in window.panel.model.rows() if r.id == pid)
    assert row.pace is Pace.GENTLY

    # Pause (from the Parent menu's action) and resume (from the Pace tab).
    assert window.pause_action.isEnabled()

    def take_break(dialog: QDialog) -> None:
        assert isinstance(dialog, PauseDialog)
        type_into(qtbot, dialog.reason, "moving house")
        save(qtbot, dialog)

    with_modal(qtbot, window.pause_action.trigger, take_break)
    assert caseload.participant(pid).status is ParticipantStatus.PAUSED
    row = next(r for r in window.panel.model.rows() if r.id == pid)
    assert row.status is ParticipantStatus.PAUSED
    assert "Pick" in window.pause_action.text()
    pace.resume_button.setFocus()
    qtbot.keyClick(pace.resume_button, Qt.Key.Key_Space)
    assert caseload.participant(pid).status is ParticipantStatus.ACTIVE
    assert "break" in window.pause_action.text()

    # A milestone.
    journey_tab = open_tab(qtbot, window, JourneySection)

    def milestone(dialog: QDialog) -> None:
        assert isinstance(dialog, MilestoneDialog)
        choose(qtbot, dialog.type, "Joined a group")
        type_into(qtbot, dialog.note, "Loved the first session")
        save(qtbot, dialog)

    with_modal(qtbot, lambda: qtbot.mouseClick(journey_tab.milestone_button, LEFT), milestone)
    assert [m.type for m in caseload.journey(pid).milestones] == ["joined_group"]

    # Two self-assessments, and the chart changes.
    assessment = open_tab(qtbot, window, AssessmentSection)
    for on, confidence in (("01/10/2026", 3), ("27/11/2026", 6)):

        def assess(dialog: QDialog, on: str = on, confidence: int = confidence) -> None:
            assert isinstance(dialog, AssessmentDialog)
            type_into(qtbot, dialog.on, on)
            type_into(qtbot, dialog.parent_scores["confidence"], str(confidence))
            type_into(qtbot, dialog.parent_scores["wellbeing"], "5")
            save(qtbot, dialog)

        before = assessment.chart.series()
        with_modal(qtbot, lambda: qtbot.mouseClick(assessment.record_button, LEFT), assess)
        assert assessment.chart.series() != before
    assert assessment.chart.series() == {
        "first": {"confidence": 3, "wellbeing": 5},
        "latest": {"confidence": 6, "wellbeing": 5},
    }
    assert "Confidence: up 3 points" in assessment.changes.text()

    # Log a contact with Ctrl+L (the main window's shortcut).
    contacts = open_tab(qtbot, window, ContactsSection)

    def contact(dialog: QDialog) -> None:
        assert isinstance(dialog, LogContactDialog)
        type_into(qtbot, dialog.note, "Talked through the group and the CV session")
        save(qtbot, dialog)

    with_modal(qtbot, lambda: shortcut(qtbot, window, Qt.Key.Key_L), contact)
    (logged,) = caseload.journey(pid).contacts
    assert (logged.on, logged.minutes) == (date(2026, 11, 28), 30)
    assert contacts.model.records()[0].id == logged.id
    row = next(r for r in window.panel.model.rows() if r.id == pid)
    assert row.last_contact_on == date(2026, 11, 28)

    # Refer.
    referrals = open_tab(qtbot, window, ReferralsSection)

    def refer(dialog: QDialog) -> None:
        assert isinstance(dialog, ReferDialog)
        type_into(qtbot, dialog.to.lineEdit(), "Citizens Advice")
        choose(qtbot, dialog.service, "Money and debt advice")
        type_into(qtbot, dialog.reason, "Help with the council tax")
        save(qtbot, dialog)

    with_modal(qtbot, lambda: qtbot.mouseClick(referrals.refer_button, LEFT), refer)
    assert [r.to for r in caseload.journey(pid).referrals] == ["Citizens Advice"]
    assert saved(window)

    # Find her by typing part of the name without accents, and open her with Enter.
    window.panel.table.setFocus()
    window.open_participant(None)
    shortcut(qtbot, window, Qt.Key.Key_F)
    qtbot.keyClicks(window.panel.search, "iobhan")
    shown = window.panel.visible_rows()
    assert [r.id for r in shown] == [pid]
    qtbot.keyClick(window.panel.search, Qt.Key.Key_Return)
    assert window.workspace.current_participant_id() == pid

    # Undo the last change (the referral) with Ctrl+Z; Edit menu says what it undoes.
    assert window.undo_action.text() == "&Undo refer"
    shortcut(qtbot, window, Qt.Key.Key_Z)
    assert caseload.journey(pid).referrals == ()
    assert window.statusBar().currentMessage() == "Undone: refer. Saved."
    assert referrals.rows == []
    # Everything before it is still there.
    journey = caseload.journey(pid)
    assert len(journey.contacts) == 1
    assert len(journey.assessments) == 2


def test_enter_saves_an_active_workspace_dialog(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    participant = caseload.enrol_participant("Zoë", "fife")
    window.open_participant(participant.id)
    goals = open_tab(qtbot, window, GoalsSection)
    first_focus: list[object] = []

    def goal(dialog: QDialog) -> None:
        assert isinstance(dialog, GoalDialog)
        first_focus.append(QApplication.focusWidget())
        type_into(qtbot, dialog.words, "Make some pals")
        qtbot.keyClick(dialog.words, Qt.Key.Key_Return)

    with_modal(qtbot, lambda: qtbot.mouseClick(goals.add_goal_button, LEFT), goal)
    assert [g.words for g in caseload.journey(participant.id).goals] == ["Make some pals"]


def test_tab_from_the_section_names_goes_straight_into_the_page(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    """A section's page scrolls in a scroll area, which took the keyboard on the way in and
    showed no sign of it: Tab from the section names seemed to go nowhere once. Now the first
    Tab lands on the page's first field or button (scrolled into sight as Tab goes on)."""
    from PySide6.QtWidgets import QScrollArea

    window = demo_window
    first = window.caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    window.switch_pane()  # the workspace, in whatever layout this width has
    tabs = window.workspace.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        tabs.setFocus()
        qtbot.keyClick(tabs.names, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        page = tabs.widget(index)
        assert page is not None
        assert focus is not None
        assert page.isAncestorOf(focus), (tabs.tabText(index), focus.accessibleName())
        assert not isinstance(focus, QScrollArea), f"{tabs.tabText(index)}: an invisible stop"


def test_the_keyboard_on_the_section_names_or_the_way_back_shows(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    """Tab stopped on the section names and on "Caseload list" (one pane at a time, as at
    200%) with no sign of it: the names' chosen line looked the same with or without the
    keyboard, and the flat button drew nothing. Both now show a frame when they have it."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QLineEdit, QWidget

    window = demo_window
    first = window.caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    window.resize(800, 600)  # one pane at a time: the way back is shown
    window.switch_pane()
    workspace = window.workspace
    names = workspace.tabs.names
    back = workspace.back_button
    qtbot.waitUntil(back.isVisible)
    about = workspace.tabs.widget(0)
    assert about is not None
    field = about.findChild(QLineEdit)
    assert field is not None

    def looks(widget: QWidget, focused: bool) -> QImage:
        (widget if focused else field).setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda: widget.hasFocus() is focused)
        return widget.grab().toImage()

    for widget in (names, back):
        assert looks(widget, True) != looks(widget, False), widget.accessibleName()


def test_enter_on_a_button_presses_it_and_is_not_taken_by_its_card(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    """Enter on "Add a step…" (a button on a goal's card) opened "Change a goal": the card
    took the key its button passed on. Enter on "Add a goal…" did nothing at all (a button
    outside a dialog passes Enter on). Enter now presses the button it is on, as Space does."""
    window = demo_window
    caseload = window.caseload
    pid = next(p.id for p in caseload.participants() if caseload.journey(p.id).goals)
    window.panel.select(pid)
    window.open_participant(pid)
    window.switch_pane()
    section = window.workspace.section(GoalsSection)
    window.workspace.tabs.setCurrentWidget(section)
    qtbot.waitUntil(lambda: bool(section.goal_cards) and section.add_goal_button.isVisible())
    titles: list[str] = []

    def note(dialog: QDialog) -> None:
        titles.append(dialog.windowTitle())
        dialog.reject()

    for button in (section.goal_cards[0].add_step_button, section.add_goal_button):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus)
        with_modal(qtbot, lambda b=button: qtbot.keyClick(b, Qt.Key.Key_Return), note)
    assert titles == ["Add a step", "Add a goal"]
