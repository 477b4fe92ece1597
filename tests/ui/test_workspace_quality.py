"""Workspace-wide checks: Qt models pass qtmodeltester; every control is named; no judging words;
tabs are built only when opened; keyboard focus survives a rebuild."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.widgets.layout import is_removed
from journeyapp.ui.widgets.record_table import RecordTableModel
from journeyapp.ui.workspace import ParticipantWorkspace
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.goals import GoalsSection
from tests.ui.shell_helpers import wrapped_line_starts
from tests.ui.workspace_helpers import opened_workspace

JUDGEMENT = (
    "missed",
    "failed",
    "non-engag",
    "reject",
    "drop-out",
    "dropped out",
    "complian",
    "sanction",
)
INTERACTIVE = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractItemView)


@pytest.fixture
def demo_workspace(
    qtbot: QtBot, demo_caseload: Caseload
) -> Iterator[tuple[Caseload, ParticipantWorkspace]]:
    bus = ChangeBus(demo_caseload)
    workspace = ParticipantWorkspace(demo_caseload, bus)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 700)
    workspace.show()
    yield demo_caseload, workspace
    bus.detach()


def busiest(caseload: Caseload) -> str:
    """The demo parent with the most records (every tab has something to show: one who
    started work, so the Background tab lists a job)."""
    return max(
        (r.id for r in caseload.caseload()),
        key=lambda pid: (
            bool(caseload.journey(pid).jobs),
            sum(len(v) for v in vars(caseload.journey(pid)).values() if isinstance(v, tuple)),
        ),
    )


def visible_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if w.isVisibleTo(root) and not is_removed(w)]


def test_models_pass_the_model_tester(qtmodeltester, demo_workspace) -> None:  # type: ignore[no-untyped-def]
    caseload, workspace = demo_workspace
    workspace.show_participant(busiest(caseload))
    models = []
    for index in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(index)
        models += workspace.tabs.widget(index).findChildren(RecordTableModel)
    assert len(models) >= 4
    for model in models:
        assert model.rowCount() > 0, model
        qtmodeltester.check(model, force_py=True)
    empty = RecordTableModel([])
    qtmodeltester.check(empty, force_py=True)


def test_every_control_has_an_accessible_name_and_no_words_judge(demo_workspace) -> None:  # type: ignore[no-untyped-def]
    caseload, workspace = demo_workspace
    for pid in [busiest(caseload), *(r.id for r in caseload.caseload() if r.status == "paused")][
        :3
    ]:
        workspace.show_participant(pid)
        for index in range(workspace.tabs.count()):
            workspace.tabs.setCurrentIndex(index)
            tab = workspace.tabs.widget(index)
            unnamed = [
                f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
                for w in visible_widgets(tab)
                if isinstance(w, INTERACTIVE)
                and not w.accessibleName()
                and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))
            ]
            assert unnamed == [], workspace.tabs.tabText(index)
            words = " ".join(
                w.text()
                for w in visible_widgets(workspace)
                if isinstance(w, (QLabel, QAbstractButton))
            ).lower()
            assert not [j for j in JUDGEMENT if j in words], workspace.tabs.tabText(index)


def test_tabs_are_built_when_opened(demo_workspace) -> None:  # type: ignore[no-untyped-def]
    caseload, workspace = demo_workspace
    workspace.tabs.setCurrentIndex(0)
    workspace.show_participant(busiest(caseload))
    contacts = workspace.section(ContactsSection)
    assert contacts.journey is None  # not built while another tab is on screen
    workspace.tabs.setCurrentWidget(contacts)
    assert contacts.model.rowCount() == len(
        caseload.journey(workspace.current_participant_id() or "").contacts
    )
    workspace.show_participant(None)
    assert workspace.current_participant_id() is None
    assert workspace.this_week.isVisibleTo(workspace)


def test_changes_for_another_parent_do_not_reload(demo_workspace) -> None:  # type: ignore[no-untyped-def]
    caseload, workspace = demo_workspace
    first, second = (r.id for r in caseload.caseload()[:2])
    workspace.show_participant(first)
    shown = workspace.journey()
    caseload.log_contact(second)
    assert workspace.journey() is shown
    caseload.log_contact(first)
    assert workspace.journey() is not shown


def test_keyboard_focus_stays_on_a_step_after_ticking_it(qtbot: QtBot, caseload: Caseload) -> None:
    with opened_workspace(qtbot, caseload) as opened:
        goal = caseload.add_goal(opened.pid, "Make some pals")
        caseload.add_step(goal.id, "Visit the group")
        caseload.add_step(goal.id, "Ask about the crèche")
        section = opened.tab(GoalsSection)
        opened.workspace.activateWindow()
        box = section.goal_cards[0].step_boxes[1]
        box.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
        qtbot.keyClick(box, Qt.Key.Key_Space)
        assert caseload.journey(opened.pid).steps[1].done_on is not None
        qtbot.waitUntil(lambda: QApplication.focusWidget() is section.goal_cards[0].step_boxes[1])
        assert section.goal_cards[0].step_boxes[1].isChecked()


def test_an_overdue_check_in_has_an_icon_and_words(qtbot: QtBot, caseload: Caseload) -> None:
    from datetime import date

    from journeyapp.core.enums import Pace, Rhythm

    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=date(2026, 10, 1)).id
    caseload.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=date(2026, 10, 1))
    caseload.log_contact(pid, on=date(2026, 11, 10))
    bus = ChangeBus(caseload)
    workspace = ParticipantWorkspace(caseload, bus)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_participant(pid)
    header = workspace.header
    assert header.overdue_icon.isVisibleTo(workspace)
    assert header.checkin_label.text() == "Check-in due since 17 Nov 2026"
    # (Spaces that do not break keep the parts whole when the line wraps.)
    assert header.summary_label.text().replace("\u00a0", " ") == (
        "Glasgow  ·  Getting started  ·  Pace: Steady, weekly  ·  Active"
    )
    caseload.log_contact(pid)  # today: the next check-in moves a week on
    assert not header.overdue_icon.isVisibleTo(workspace)
    assert header.checkin_label.text() == "Next check-in: due 5 Dec 2026"
    bus.detach()


def test_one_vocabulary_no_screen_says_overdue() -> None:
    """The list, header, tabs and plan share words from core.enums ("check-in due", "taking a
    break", "things in the way"); no text a person reads in the window says "overdue"."""
    import ast
    from pathlib import Path

    import journeyapp

    root = Path(journeyapp.__file__).parent
    found = []
    for folder in ("ui", "core/documents"):
        for path in (root / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(
                    node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
                )
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and "overdue" in node.value.lower()
                    and " " in node.value  # words, not a key like "overdue"
                ):
                    found.append(f"{path.name}:{node.lineno}: {node.value}")
    assert found == []


def test_the_header_tells_apart_parents_who_share_a_preferred_name(
    qtbot: QtBot, caseload: Caseload
) -> None:
    with opened_workspace(qtbot, caseload, "Jolene") as o:
        other = caseload.enrol_participant("Jolene", "fife", full_name="Jolene Reid").id
        caseload.update_participant(o.pid, full_name="Jolene Quillan")
        shown = {}
        for pid in (o.pid, other):
            o.workspace.show_participant(pid)
            shown[pid] = o.workspace.header.name_label.text()
        assert shown == {o.pid: "Jolene Q.", other: "Jolene R."}


def test_two_parents_with_the_same_name_are_told_apart_in_the_header(
    qtbot: QtBot, caseload: Caseload
) -> None:
    first = caseload.enrol_participant("Jolene", "fife", full_name="Jolene Quillan").id
    second = caseload.enrol_participant("Jolene", "glasgow", full_name="Jolene Quillan").id
    bus = ChangeBus(caseload)
    workspace = ParticipantWorkspace(caseload, bus)
    qtbot.addWidget(workspace)
    workspace.show()
    seen = []
    for pid in (first, second):
        workspace.show_participant(pid)
        header = workspace.header
        seen.append((header.name_label.text(), header.summary_label.text().replace("\u00a0", " ")))
    assert seen[0][0] == seen[1][0] == "Jolene Q."
    assert seen[0][1].startswith("Fife  ·  ")
    assert seen[1][1].startswith("Glasgow  ·  ")
    bus.detach()


def test_the_line_under_the_name_wraps_between_its_parts_only(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """At 200% the line under the parent's name wraps; it broke anywhere, so "Taking a break"
    read as "… · Taking a" and "break" on the next line. It now wraps only between parts, at
    any width that holds its longest part."""
    from PySide6.QtGui import QFontMetrics

    from journeyapp.core.enums import Pace, Rhythm
    from journeyapp.ui.workspace.header import NBSP, SEPARATOR, WorkspaceHeader

    pid = caseload.enrol_participant("Zoë", "south_lanarkshire").id
    caseload.change_pace(pid, Pace.READY_TO_PUSH_ON, Rhythm.FORTNIGHTLY)
    caseload.pause(pid, reason="Moving house")
    header = WorkspaceHeader(caseload.catalogue)
    qtbot.addWidget(header)
    header.show_journey(caseload.journey(pid), caseload.today())
    text = header.summary_label.text()
    parts = [part.replace(NBSP, " ") for part in text.split(SEPARATOR)]
    assert parts[-1] == "Taking a break"
    assert "Pace: Ready to push on, fortnightly" in parts
    metrics = QFontMetrics(header.summary_label.font())
    widest = max(metrics.horizontalAdvance(part) for part in parts)
    for width, starts in wrapped_line_starts(text, header.summary_label.font(), widest + 4):
        part_starts = {0} | {
            n + len(SEPARATOR) for n in range(len(text)) if text.startswith(SEPARATOR, n)
        }
        # A line after a break begins at a part (the separator's spaces end the line above).
        for start in starts:
            assert start in part_starts, (width, text[start:])
