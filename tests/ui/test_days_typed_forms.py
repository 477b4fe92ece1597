"""Days typed into the window's forms, by the one rule the caseload keeps (core.dates.check_day):
a milestone "achieved" after today, a year typed 2062 or 1926, a meeting decades ahead is said
beside the date, what was typed stays, and nothing is saved; a day that can be right is saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.dates import YEARS_AHEAD, YEARS_BACK, long_date, years_from
from journeyapp.ui.widgets.forms import FormDialog
from journeyapp.ui.workspace.journey import MilestoneDialog
from journeyapp.ui.workspace.meetings import MeetingDialog
from tests.conftest import TODAY
from tests.ui.workspace_helpers import press_enter, type_into

JOINED = TODAY - timedelta(days=200)


AROUND = st.one_of(
    st.integers(-3, 3).map(lambda n: TODAY + timedelta(days=n)),
    st.integers(-400, 400).map(lambda n: TODAY + timedelta(days=n)),
    st.sampled_from([-100, -21, 1, 4, 36]).map(lambda n: years_from(TODAY, n)),
)
SETTINGS = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _typed(qtbot: QtBot, dialog: FormDialog, field: str, day: date) -> str | None:
    """Type `day` into the dialog's date field and press Enter: the message beside `field`
    when it stays open, None when it saved and closed."""
    dialog.show()
    type_into(qtbot, dialog.on, day.strftime("%d/%m/%Y"))
    press_enter(qtbot, dialog.on)
    if not dialog.isVisible():
        return None
    assert dialog.errors[field].isVisibleTo(dialog)
    assert dialog.on.text() == day.strftime("%d/%m/%Y")  # what was typed is kept
    message = dialog.errors[field].text().removeprefix("⚠ ")
    dialog.forget_draft()
    QDialog.reject(dialog)
    return message


@SETTINGS
@given(day=AROUND)
def test_a_milestone_form_keeps_a_day_it_can_have_happened_on(
    qtbot: QtBot, caseload: Caseload, day: date
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=JOINED).id
    dialog = MilestoneDialog(caseload, pid)
    qtbot.addWidget(dialog)
    message = _typed(qtbot, dialog, "achieved_on", day)
    milestones = caseload.journey(pid).milestones
    if JOINED <= day <= TODAY:
        assert message is None
        assert [m.achieved_on for m in milestones] == [day]
    else:
        assert message is not None
        assert message.startswith(f"The day it happened, {long_date(day)}, "), message
        assert "check" in message or "record it once" in message, message
        assert not milestones


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (date(2062, 11, 28), "is after today (28 Nov 2026): check the year (did you mean 28 Nov"),
        (date(1926, 11, 28), f"is more than {YEARS_BACK} years ago: check the year"),
    ],
)
def test_a_year_typed_wrong_in_a_milestone_says_which_year(
    qtbot: QtBot, caseload: Caseload, typed: date, words: str
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=JOINED).id
    dialog = MilestoneDialog(caseload, pid)
    qtbot.addWidget(dialog)
    assert words in (_typed(qtbot, dialog, "achieved_on", typed) or "")
    assert not caseload.journey(pid).milestones


@SETTINGS
@given(day=AROUND)
def test_a_meeting_can_be_arranged_ahead_but_not_years_ahead(
    qtbot: QtBot, caseload: Caseload, day: date
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=JOINED).id
    dialog = MeetingDialog(caseload, pid)
    qtbot.addWidget(dialog)
    message = _typed(qtbot, dialog, "on", day)
    meetings = caseload.appointments_for(pid)
    if years_from(TODAY, -YEARS_BACK) <= day <= years_from(TODAY, YEARS_AHEAD):
        assert message is None, message
        assert [m.on for m in meetings] == [day]
    else:
        assert message is not None
        assert message.startswith(f"The day of the meeting, {long_date(day)}, is more than ")
        assert "check the year" in message
        assert not meetings
