"""A laptop whose clock was put back (or lost its time) after saving to the caseload: nothing
said so, and the contact logged "today" was dated a year ago, This week counted from the wrong
day and every record listed as "after today". Now the caseload says what is odd: the window in
a line above the caseload, `check` in a line of its own; a clock that is only ahead, or behind
by less than a network correction, says nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import CLOCK_SLACK
from tests.clock import real_today, ticking_clock
from tests.conftest import TODAY

SAVED = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)


def _saved_at_noon(path: Path) -> Caseload:
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.clock = ticking_clock(SAVED)
    caseload.enrol_participant("Morag", "fife")
    return caseload


@settings(max_examples=60, deadline=None)
@given(minutes=st.integers(min_value=-2 * 366 * 24 * 60, max_value=2 * 366 * 24 * 60))
def test_said_exactly_when_the_clock_is_behind_the_last_save_here(minutes: int) -> None:
    caseload = Caseload.open(None)
    try:
        caseload.clock = ticking_clock(SAVED)
        caseload.enrol_participant("Morag", "fife")
        saved = caseload.clock()
        now = saved + timedelta(minutes=minutes)
        caseload.clock = lambda: now
        words = caseload.clock_behind()
        if saved - now > CLOCK_SLACK + timedelta(seconds=1):
            assert words is not None
            assert words.startswith("This laptop's clock says ")
            assert f"{now.astimezone().day} " in words
            assert "Check the laptop's date and time" in words
        elif saved - now < CLOCK_SLACK - timedelta(seconds=1):
            assert words is None
    finally:
        caseload.close()


def test_a_caseload_of_merged_events_only_says_nothing(tmp_path: Path) -> None:
    """A coordinator's caseload of other laptops' events: their clocks are not this one's."""
    caseload = _saved_at_noon(tmp_path / "c.db")
    try:
        caseload.device_id = "another-laptop"
        caseload.clock = lambda: SAVED - timedelta(days=365)
        assert caseload.clock_behind() is None
    finally:
        caseload.close()


def test_a_clock_set_right_after_running_ahead_is_said_only_until_the_next_save(
    tmp_path: Path,
) -> None:
    """Saved while a year ahead, then set right: said once (the words cover both: wrong now,
    or ahead then), and not for the year until that day comes round."""
    caseload = Caseload.open(tmp_path / "c.db", create=True, plain=True)
    try:
        caseload.clock = ticking_clock(SAVED + timedelta(days=365))
        caseload.enrol_participant("Morag", "fife")
        caseload.clock = ticking_clock(SAVED)
        words = caseload.clock_behind()
        assert words is not None
        assert "If it is right now, it was ahead then" in words
        caseload.enrol_participant("Ailsa", "fife")
        assert caseload.clock_behind() is None
    finally:
        caseload.close()


def test_check_says_so_in_a_line_of_its_own(tmp_path: Path) -> None:
    """`check` reads the real clock: the caseload was last saved a year ahead of it."""
    path = tmp_path / "c.db"
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.clock = ticking_clock(real_today() + timedelta(days=365))
    caseload.enrol_participant("Morag", "fife")
    caseload.close()
    result = CliRunner().invoke(cli, ["check", "--db", str(path)])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("Clock: ")]
    assert "This laptop's clock says" in line
    assert "Integrity: ok" in result.output


def test_backups_go_on_and_stay_while_the_clock_is_behind(tmp_path: Path) -> None:
    """Backups are named by the clock: put back, the automatic backup waited for the newest
    one's day to come round again (a year without one), and a backup made was deleted by the
    rotation the moment it was made, as the oldest ("Backed up to …": not there)."""
    caseload = Caseload.open(tmp_path / "c.db", create=True, plain=True)
    try:
        for day in range(10):
            caseload.clock = ticking_clock(SAVED + timedelta(days=day))
            caseload.enrol_participant(f"Parent {day}", "fife")
            caseload.safety.backup()
        behind = SAVED - timedelta(days=365)
        for hours in (0, 4, 8, 12):
            caseload.clock = ticking_clock(behind + timedelta(hours=hours))
            caseload.enrol_participant(f"Behind {hours}", "fife")
            made = caseload.safety.backup_if_due()
            assert made is not None, "no backup made while the clock is behind"
            assert made.path.exists(), "the backup just made was deleted"
            assert made.parents == 11 + hours // 4
            assert made.path in [b.path for b in caseload.safety.backups()]
            assert caseload.safety.backup_if_due() is None  # not again within the hours
    finally:
        caseload.close()
