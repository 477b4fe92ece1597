"""Quick filters on the caseload list: by keyworker, no contact in N days, where their goals
stand; each combines with the search and the other filters, and follows changes (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import GoalStatus, ParticipantStatus
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.models.caseload_table_model import CaseloadFilter, CaseloadTableModel
from journeyapp.ui.widgets.caseload_panel import CaseloadPanel
from tests.conftest import TODAY

# name: (keyworker, days since the last contact or None, goal statuses)
PEOPLE = {
    "Ada": ("Morag", 3, [GoalStatus.WORKING_ON_IT]),
    "Bea": ("Morag", 29, [GoalStatus.ACHIEVED, GoalStatus.ON_HOLD]),
    "Cat": ("Morag", 30, []),
    "Dot": ("Priya", 45, [GoalStatus.WORKING_ON_IT]),
    "Eve": ("Priya", None, [GoalStatus.NOT_STARTED]),
    "Fay": ("", 100, [GoalStatus.ACHIEVED]),
}


@pytest.fixture
def people(caseload: Caseload) -> dict[str, str]:
    ids = {}
    for name, (keyworker, days, goals) in PEOPLE.items():
        p = caseload.enrol_participant(
            name,
            "fife" if name in ("Ada", "Dot") else "glasgow",
            joined_on=TODAY - timedelta(days=200),
            keyworker=keyworker,
        )
        ids[name] = p.id
        if days is not None:
            caseload.log_contact(p.id, on=TODAY - timedelta(days=days + 10))
            caseload.log_contact(p.id, on=TODAY - timedelta(days=days))
        for status in goals:
            caseload.add_goal(p.id, f"{name}'s goal", status=status)
    return ids


@pytest.fixture
def panel(qtbot: QtBot, caseload: Caseload, people: dict[str, str]) -> CaseloadPanel:
    widget = CaseloadPanel(caseload)
    qtbot.addWidget(widget)
    widget.show()
    # The keyworker filter is filled once the list has painted (the window comes up first).
    qtbot.waitUntil(lambda: widget.keyworker_filter.count() > 1)
    return widget


def shown(panel: CaseloadPanel) -> list[str]:
    return [row.preferred_name for row in panel.visible_rows()]


def test_by_keyworker(panel: CaseloadPanel) -> None:
    combo = panel.keyworker_filter
    assert [combo.itemText(n) for n in range(combo.count())] == [
        "Any keyworker",
        "Morag",
        "Priya",
    ]
    combo.setCurrentIndex(combo.findData("Priya"))
    assert shown(panel) == ["Dot", "Eve"]
    assert panel.count_label.text().startswith("2 of 6 parents shown")


def test_no_contact_in_n_days_counts_never_met(panel: CaseloadPanel) -> None:
    combo = panel.quiet_filter
    combo.setCurrentIndex(combo.findData("30"))
    # 30 days ago or longer, or never: Bea (29 days) is not included, Cat (30) is.
    assert shown(panel) == ["Cat", "Dot", "Eve", "Fay"]
    combo.setCurrentIndex(combo.findData("90"))
    assert shown(panel) == ["Eve", "Fay"]
    combo.setCurrentIndex(0)
    assert len(shown(panel)) == 6


def test_goal_status(panel: CaseloadPanel) -> None:
    combo = panel.goal_filter
    combo.setCurrentIndex(combo.findData(GoalStatus.ACHIEVED.value))
    assert shown(panel) == ["Bea", "Fay"]
    combo.setCurrentIndex(combo.findData(GoalStatus.WORKING_ON_IT.value))
    assert shown(panel) == ["Ada", "Dot"]


def test_they_combine_with_each_other_the_search_and_the_old_filters(
    qtbot: QtBot, panel: CaseloadPanel, caseload: Caseload, people: dict[str, str]
) -> None:
    panel.keyworker_filter.setCurrentIndex(panel.keyworker_filter.findData("Morag"))
    panel.quiet_filter.setCurrentIndex(panel.quiet_filter.findData("14"))
    assert shown(panel) == ["Bea", "Cat"]
    panel.goal_filter.setCurrentIndex(panel.goal_filter.findData(GoalStatus.ON_HOLD.value))
    assert shown(panel) == ["Bea"]
    qtbot.keyClicks(panel.search, "ada")
    assert shown(panel) == []
    panel.search.clear()
    panel.goal_filter.setCurrentIndex(0)
    panel.locality_filter.setCurrentIndex(panel.locality_filter.findData("fife"))
    assert shown(panel) == []  # Ada is Morag's and in Fife, but was in touch 3 days ago
    panel.quiet_filter.setCurrentIndex(0)
    assert shown(panel) == ["Ada"]
    panel.clear_filters()
    assert len(shown(panel)) == 6
    assert panel.count_label.text().startswith("6 parents")


def test_the_filters_follow_changes_in_the_window(
    qtbot: QtBot, window: MainWindow, caseload: Caseload, people: dict[str, str]
) -> None:
    panel = window.panel
    panel.goal_filter.setCurrentIndex(panel.goal_filter.findData(GoalStatus.ON_HOLD.value))
    assert shown(panel) == ["Bea"]
    goal = caseload.add_goal(people["Cat"], "Cat's first goal", status=GoalStatus.ON_HOLD)
    qtbot.waitUntil(lambda: shown(panel) == ["Bea", "Cat"])
    caseload.set_goal_status(goal.id, GoalStatus.ACHIEVED)
    qtbot.waitUntil(lambda: shown(panel) == ["Bea"])
    panel.goal_filter.setCurrentIndex(0)
    panel.quiet_filter.setCurrentIndex(panel.quiet_filter.findData("30"))
    assert "Dot" in shown(panel)
    caseload.log_contact(people["Dot"], on=TODAY)
    qtbot.waitUntil(lambda: "Dot" not in shown(panel))
    caseload.update_record("participants", people["Fay"], keyworker="Priya")
    qtbot.waitUntil(lambda: panel.keyworker_filter.count() == 3)
    panel.keyworker_filter.setCurrentIndex(panel.keyworker_filter.findData("Priya"))
    assert shown(panel) == ["Eve", "Fay"]


def _model(rows_from: Caseload) -> CaseloadFilter:
    model = CaseloadTableModel(rows_from.catalogue, today=lambda: TODAY)
    model.set_rows(rows_from.caseload())
    proxy = CaseloadFilter(
        find=rows_from.found_ids,
        pick=lambda k, g: rows_from.picked_ids(keyworker=k, goal_status=g),
    )
    proxy.setSourceModel(model)
    return proxy


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    keyworker=st.sampled_from([None, "Morag", "Priya"]),
    days=st.sampled_from([None, 14, 30, 60, 90]),
    goal=st.sampled_from([None, *GoalStatus]),
    status=st.sampled_from([None, ParticipantStatus.ACTIVE.value]),
)
def test_the_list_shows_exactly_what_the_filters_say(
    caseload: Caseload,
    people: dict[str, str],
    keyworker: str | None,
    days: int | None,
    goal: GoalStatus | None,
    status: str | None,
) -> None:
    proxy = _model(caseload)
    proxy.set_keyworker(keyworker)
    proxy.set_no_contact_days(days)
    proxy.set_goal_status(goal.value if goal else None)
    proxy.set_status(status)
    expected = []
    for name, (who, since, goals) in PEOPLE.items():
        if keyworker and who != keyworker:
            continue
        if days and since is not None and since < days:
            continue
        if goal and goal not in goals:
            continue
        expected.append(name)
    assert [r.preferred_name for r in proxy.visible_rows()] == expected
    assert proxy.rowCount() == len(expected)


def test_no_contact_is_counted_from_the_caseload_clock_not_the_calendar(
    caseload: Caseload, people: dict[str, str]
) -> None:
    later = TODAY + timedelta(days=20)
    model = CaseloadTableModel(caseload.catalogue, today=lambda: later)
    model.set_rows(caseload.caseload())
    proxy = CaseloadFilter(find=caseload.found_ids)
    proxy.setSourceModel(model)
    proxy.set_no_contact_days(30)
    # Ada's contact was 3 + 20 days before that day: still within 30.
    assert "Ada" not in [r.preferred_name for r in proxy.visible_rows()]
    assert "Bea" in [r.preferred_name for r in proxy.visible_rows()]
