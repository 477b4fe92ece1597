"""Journey and Self-assessment tabs: a milestone on the timeline; two self-assessments change the chart."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.assessment import AssessmentDialog, AssessmentSection, score_problem
from journeyapp.ui.workspace.journey import MILESTONE, STAGE, JourneySection, MilestoneDialog
from tests.ui.shell_helpers import wrapped_line_starts
from tests.ui.workspace_helpers import (
    Opened,
    choose,
    in_dialog,
    painted_timeline,
    press_enter,
    type_into,
)


def test_record_a_milestone_shows_on_the_timeline_and_list(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(JourneySection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MilestoneDialog)
        choose(qtbot, dialog.type, "Joined a group")
        type_into(qtbot, dialog.note, "Loved it")
        press_enter(qtbot, dialog.note)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.milestone_button, Qt.MouseButton.LeftButton), fill
    )
    (milestone,) = opened.caseload.journey(opened.pid).milestones
    assert (milestone.type, milestone.note) == ("joined_group", "Loved it")
    today = opened.caseload.today()
    assert (today, MILESTONE, "Joined a group") in section.timeline.points()
    assert (today, STAGE, "Stage: Getting started") in section.timeline.points()
    assert section.model.records()[0].what in {"Joined a group", "Stage: Getting started"}
    assert "1 stage changes and 1 milestones" in section.timeline.accessibleDescription()
    assert not section.timeline.grab().isNull()


def test_moving_back_a_stage_is_allowed(qtbot: QtBot, opened: Opened) -> None:
    opened.caseload.update_participant(opened.pid, joined_on=date(2026, 10, 1))
    opened.caseload.set_stage(opened.pid, "building_confidence", on=date(2026, 11, 1))
    about = opened.tab(AboutSection)
    choose(qtbot, about.stage_combo, "Getting connected")
    type_into(qtbot, about.stage_note, "Wants to take it slower")
    press_enter(qtbot, about.stage_note)
    journey = opened.caseload.journey(opened.pid)
    assert journey.participant.stage == "getting_connected"
    assert [s.stage for s in sorted(journey.stages, key=lambda s: s.created_at)] == [
        "getting_started",
        "building_confidence",
        "getting_connected",
    ]
    assert about.stage_label.text().startswith("Now: Getting connected")
    summary = opened.workspace.header.summary_label.text().replace("\u00a0", " ")
    assert "Getting connected" in summary


def record_assessment(
    qtbot: QtBot, section: AssessmentSection, on: str, scores: dict[str, int]
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AssessmentDialog)
        type_into(qtbot, dialog.on, on)
        for area, score in scores.items():
            type_into(qtbot, dialog.parent_scores[area], str(score))
        type_into(qtbot, dialog.keyworker_scores["confidence"], "4")
        press_enter(qtbot, dialog.on)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.record_button, Qt.MouseButton.LeftButton), fill
    )


@given(text=st.text(max_size=4))
def test_a_score_box_either_reads_as_1_to_10_or_says_why(text: str) -> None:
    """Whatever is typed in a score box is refused in words or read as a score from 1 to 10,
    never a failure ('²' is a digit that int() cannot read: the form raised ValueError)."""
    problem = score_problem("Confidence", text)
    if problem is None and text.strip():
        assert 1 <= int(text.strip()) <= 10  # as the form reads it: spaces either side left out
    for typed in ("²", "⁷", "①", "7.5"):
        assert score_problem("Confidence", typed) is not None


def test_a_superscript_score_is_refused_beside_the_scores(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(AssessmentSection)
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AssessmentDialog)
        type_into(qtbot, dialog.parent_scores["confidence"], "²")
        press_enter(qtbot, dialog.comment)
        assert dialog.isVisible()
        seen.append(dialog.general_error.text())
        QDialog.reject(dialog)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.record_button, Qt.MouseButton.LeftButton), fill
    )
    assert "is not a score" in seen[0]
    assert opened.caseload.journey(opened.pid).assessments == ()


def test_two_self_assessments_change_the_chart(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(AssessmentSection)
    assert section.chart.series() == {}
    record_assessment(qtbot, section, "01/06/2026", {"confidence": 3, "wellbeing": 4})
    assert section.chart.series() == {"latest": {"confidence": 3, "wellbeing": 4}}
    assert "One self-assessment so far" in section.changes.text()
    record_assessment(qtbot, section, "20/11/2026", {"confidence": 7, "wellbeing": 4})

    first, latest = sorted(
        opened.caseload.journey(opened.pid).assessments, key=lambda a: a.taken_on
    )
    assert first.scores == {"confidence": 3, "wellbeing": 4}
    assert first.keyworker_scores == {"confidence": 4}
    assert latest.scores == {"confidence": 7, "wellbeing": 4}
    assert section.chart.series() == {
        "first": {"confidence": 3, "wellbeing": 4},
        "latest": {"confidence": 7, "wellbeing": 4},
    }
    assert section.changes.text().splitlines() == [
        "Confidence: up 4 points, from 3 to 7.",
        "Wellbeing: the same, at 4.",
    ]
    assert "(dashed line)" in section.chart.accessibleDescription()
    assert "(solid line)" in section.chart.accessibleDescription()
    assert not section.chart.grab().isNull()


def test_a_self_assessment_needs_a_score_and_keeps_what_was_typed(
    qtbot: QtBot, opened: Opened
) -> None:
    section = opened.tab(AssessmentSection)
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AssessmentDialog)
        type_into(qtbot, dialog.comment, "Feeling brighter")
        press_enter(qtbot, dialog.comment)
        assert dialog.isVisible()
        seen.append(dialog.general_error.text())
        assert dialog.comment.text() == "Feeling brighter"
        QDialog.reject(dialog)  # close without the unsaved-changes question

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.record_button, Qt.MouseButton.LeftButton), fill
    )
    assert "at least one score" in seen[0]
    assert opened.caseload.journey(opened.pid).assessments == ()


def test_the_milestone_just_recorded_has_its_name_on_a_crowded_timeline(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """The timeline has room for three rows of names under the line; a name with no room is
    left out. It was the newest that went: a parent a year in, with three milestones in the
    last fortnight, saw the one just recorded as a bare diamond."""
    today = caseload.today()
    pid = caseload.enrol_participant("Zoë", "glasgow", today - timedelta(days=365)).id
    for days_ago, kind in ((12, "joined_group"), (9, "childcare_sorted"), (5, "agreed_plan")):
        caseload.record_milestone(pid, kind, achieved_on=today - timedelta(days=days_ago))
    caseload.record_milestone(pid, "started_course", achieved_on=today)
    with painted_timeline(qtbot, caseload, pid, 1000, 700) as timeline:
        assert "Started a course" in timeline.labelled
        assert timeline.labelled[0] == "Started a course", "the newest placed first"


def test_the_timeline_legend_wraps_between_its_keys(qtbot: QtBot, opened: Opened) -> None:
    """The legend under the timeline wrapped anywhere: at 200% it read "… - - -" with
    "a break" alone on the next line. It now wraps only between its keys, at any width."""
    from PySide6.QtGui import QFontMetrics

    section = opened.tab(JourneySection)
    text = section.legend.text()
    keys = text.split("    ")
    plain = [key.replace("\u00a0", " ").replace("\u2011", "-") for key in keys]
    assert plain[-2:] == ["- - - a break", "· · · moved on or closed"]
    key_starts = {text.index(key) for key in keys}
    metrics = QFontMetrics(section.legend.font())
    widest = max(metrics.horizontalAdvance(key) for key in keys)
    for width, starts in wrapped_line_starts(text, section.legend.font(), widest + 4):
        for start in starts:
            assert start in key_starts, (width, text[start:])
