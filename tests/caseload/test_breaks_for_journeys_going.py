"""A break is for a journey still going: taking one and picking up again from one, by the
caseload, the command line and the window, never makes a journey that moved on or closed
active again, and a refusal changes nothing.

Found by use: `journeyapp break NOOR --pick-up-again` on a parent who had moved on said "Noor has
picked up again after the break", then "No breaks recorded", and her journey was active again.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import ValidationError
from journeyapp.ui.workspace.pace import PaceSection
from tests.clock import past_on_both
from tests.conftest import TODAY
from tests.ui.workspace_helpers import opened_workspace

STATUSES = list(ParticipantStatus)
# What each status becomes when a break is taken / ended; None: refused.
TAKEN = {ParticipantStatus.ACTIVE: ParticipantStatus.PAUSED}
ENDED = {ParticipantStatus.PAUSED: ParticipantStatus.ACTIVE}


def _parent_in(caseload: Caseload, status: ParticipantStatus) -> str:
    """A parent whose journey has `status`, reached as a keyworker reaches it."""
    joined = past_on_both(TODAY) - timedelta(days=60)
    pid = caseload.enrol_participant("Noor", "fife", joined, full_name="Noor Haddad").id
    if status is ParticipantStatus.PAUSED:
        caseload.pause(pid, on=joined + timedelta(days=10), reason="Moving house")
    elif status is not ParticipantStatus.ACTIVE:
        caseload.set_status(pid, status)
    return pid


def _state(caseload: Caseload, pid: str) -> tuple[object, ...]:
    """Everything a refusal must leave as it was: the parent, their breaks, the journey log."""
    journey = caseload.journey(pid)
    return (journey.participant, tuple(journey.pauses), len(caseload.events()))


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ["take", "end"])
def test_a_break_is_taken_or_ended_only_where_it_makes_sense(
    caseload: Caseload, status: ParticipantStatus, action: str
) -> None:
    pid = _parent_in(caseload, status)
    before = _state(caseload, pid)
    becomes = (TAKEN if action == "take" else ENDED).get(status)
    act = caseload.pause if action == "take" else caseload.resume
    if becomes is None:
        with pytest.raises(ValidationError) as refused:
            act(pid)
        assert "Noor" in refused.value.message
        assert _state(caseload, pid) == before
    else:
        act(pid)
        assert caseload.participant(pid).status is becomes
        # Edit > Undo names it in the same words: "Undo take a break", not "Undo pause".
        assert caseload.undo_description == (
            "take a break" if action == "take" else "pick up again"
        )


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ["--take", "--pick-up-again"])
def test_the_command_line_says_so_in_one_line_and_changes_nothing(
    caseload: Caseload, db_path: Path, status: ParticipantStatus, action: str
) -> None:
    pid = _parent_in(caseload, status)
    before = _state(caseload, pid)
    becomes = (TAKEN if action == "--take" else ENDED).get(status)
    caseload.close()
    result = CliRunner().invoke(cli, ["break", pid, "--db", str(db_path), action])
    again = Caseload.open(db_path)
    try:
        if becomes is None:
            assert result.exit_code == 1, result.output
            assert "Traceback" not in result.output
            assert "Nothing was changed." in result.output
            assert "has picked up again" not in result.output
            assert _state(again, pid) == before
        else:
            assert result.exit_code == 0, result.output
            assert again.participant(pid).status is becomes
    finally:
        again.close()


def test_picking_up_again_before_the_break_began_is_refused(caseload: Caseload) -> None:
    """The day typed is not quietly moved to the break's first day: it is refused."""
    pid = _parent_in(caseload, ParticipantStatus.PAUSED)
    started = caseload.journey(pid).pauses[0].started_on
    before = _state(caseload, pid)
    with pytest.raises(ValidationError) as refused:
        caseload.resume(pid, on=started - timedelta(days=1))
    assert "before Noor's break started" in refused.value.message
    assert _state(caseload, pid) == before
    caseload.resume(pid, on=started)
    assert caseload.journey(pid).pauses[0].ended_on == started


@pytest.mark.parametrize("status", [ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED])
def test_the_pace_tab_offers_no_break_for_a_journey_that_has_ended(
    qtbot: QtBot, caseload: Caseload, status: ParticipantStatus
) -> None:
    with opened_workspace(qtbot, caseload, "Amira") as opened:
        section = opened.tab(PaceSection)
        assert section.pause_button.isVisibleTo(section)
        caseload.set_status(opened.pid, status)
        opened.workspace.show_participant(opened.pid)
        section = opened.tab(PaceSection)
        assert not section.pause_button.isVisibleTo(section)
        assert not section.resume_button.isVisibleTo(section)
        assert caseload.participant(opened.pid).status is status
