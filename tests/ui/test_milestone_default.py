"""Record a milestone starts on the next milestone the parent has not reached, in the
partnership's own order: it always started on "First meeting", so a keyworker recording a
parent's second milestone in a hurry recorded a second first meeting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.widgets.forms import combo_key
from journeyapp.ui.workspace.journey import MilestoneDialog
from tests.clock import ticking_clock
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Caseload:
    c = Caseload.open(tmp_path_factory.mktemp("m") / "c.db", create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    yield c  # type: ignore[misc]
    c.close()


TYPES = [
    "first_meeting",
    "agreed_plan",
    "joined_group",
    "childcare_sorted",
    "started_course",
    "started_work",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reached=st.lists(st.sampled_from(TYPES), max_size=8))
def test_a_new_milestone_starts_on_the_first_one_not_reached(
    qtbot: QtBot, shared: Caseload, reached: list[str]
) -> None:
    order = [e.key for e in shared.catalogue.milestone_types]
    assert set(TYPES) <= set(order)
    joined = TODAY - timedelta(days=400)
    pid = shared.enrol_participant("Zoë", shared.catalogue.localities[0].key, joined).id
    for n, kind in enumerate(reached):
        shared.record_milestone(pid, kind, achieved_on=TODAY - timedelta(days=30 - n))
    dialog = MilestoneDialog(shared, pid)
    qtbot.addWidget(dialog)
    expected = next((key for key in order if key not in reached), order[0])
    assert combo_key(dialog.type) == expected
    assert dialog.windowTitle() == "Record a milestone"


def test_every_type_reached_starts_on_the_first_and_a_change_keeps_its_own(
    qtbot: QtBot, caseload: Caseload
) -> None:
    order = [e.key for e in caseload.catalogue.milestone_types]
    pid = caseload.enrol_participant(
        "Ana", caseload.catalogue.localities[0].key, date(2025, 6, 1)
    ).id
    made = [
        caseload.record_milestone(pid, key, achieved_on=date(2026, 1, 1) + timedelta(days=n))
        for n, key in enumerate(order)
    ]
    fresh = MilestoneDialog(caseload, pid)
    qtbot.addWidget(fresh)
    assert combo_key(fresh.type) == order[0]
    changing = MilestoneDialog(caseload, pid, existing=made[3])
    qtbot.addWidget(changing)
    assert combo_key(changing.type) == order[3]
