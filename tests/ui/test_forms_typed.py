"""Forms a keyworker can type into (#13): an out-of-range score is refused where it was typed
(never silently another number), and after adding a step the keyboard is back on that goal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from journeyapp.ui.workspace.assessment import AssessmentDialog, AssessmentSection
from journeyapp.ui.workspace.goals import GoalsSection
from tests.ui.test_workspace_goals import add_step
from tests.ui.workspace_helpers import Opened, in_dialog, press_enter, type_into


def test_a_score_of_11_is_refused_beside_it_and_nothing_is_saved(
    qtbot: QtBot, opened: Opened
) -> None:
    section = opened.tab(AssessmentSection)
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AssessmentDialog)
        box = next(iter(dialog.parent_scores.values()))
        type_into(qtbot, box, "11")
        press_enter(qtbot, box)
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.general_error.text()
        seen["typed"] = box.text()
        seen["focus"] = QApplication.focusWidget() is box
        QDialog.reject(dialog)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.record_button, Qt.MouseButton.LeftButton), fill
    )
    assert seen["open"]
    assert "'11' is not a score" in str(seen["message"])
    assert seen["typed"] == "11"  # as typed, not turned into 1
    assert seen["focus"]
    assert opened.caseload.journey(opened.pid).assessments == ()


def test_after_adding_a_step_the_keyboard_is_back_on_that_goal(
    qtbot: QtBot, opened: Opened
) -> None:
    opened.caseload.add_goal(opened.pid, "Get back into work")
    opened.caseload.add_goal(opened.pid, "Learn to drive")
    section = opened.tab(GoalsSection)
    opened.workspace.show_participant(opened.pid)
    qtbot.waitUntil(lambda: len(section.goal_cards) == 2)
    opened.workspace.activateWindow()
    add_step(qtbot, section, "Phone the college", "Keyworker")

    def on_first_goal() -> bool:
        # The widget that has the keyboard in the workspace's window (offscreen, the window
        # may not be the active one once the dialog has gone).
        focus = opened.workspace.window().focusWidget()
        card = next(c for c in section.goal_cards if c.goal.words == "Get back into work")
        return focus is card.add_step_button

    qtbot.waitUntil(on_first_goal)
    assert [s.what for s in opened.caseload.journey(opened.pid).steps] == ["Phone the college"]
