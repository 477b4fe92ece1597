"""`journeyapp week`: what needs the keyworker this week, in the window's This week words, group
by group (a parent welcomed back counted from that day), whose week it is, and a name no parent
has refused in one line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import this_week
from journeyapp.cli import cli
from journeyapp.core.dates import short_date
from journeyapp.core.enums import ParticipantStatus
from tests.caseload.week_caseload import build
from tests.clock import real_today, ticking_clock


def _run(db_path: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["week", "--db", str(db_path), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout.splitlines()


def test_the_week_lists_what_the_window_lists(caseload: Caseload, db_path: Path) -> None:
    # The command reads the real clock: the caseload is made around the real today.
    today = real_today()
    caseload.clock = ticking_clock(today)
    made = build(caseload, today)
    eve = made.parents["Eve"]  # a month and a half without contact
    caseload.end_journey(eve, ParticipantStatus.MOVED_ON, on=today - timedelta(days=44))
    back = today - timedelta(days=40)
    caseload.reopen_journey(eve, on=back)
    shown = this_week(caseload, keyworker="")
    caseload.close()
    code, lines = _run(db_path, "--keyworker", "")
    assert code == 0, lines
    assert lines[0].startswith("This week: ")
    assert lines[0].endswith(" · everyone in this caseload")
    listed = [line.removeprefix("  ").removeprefix("⚠ ") for line in lines if line.startswith("  ")]
    assert [text for text in listed if text in {line.text for line in shown.lines}] == [
        line.text for line in shown.lines
    ]
    # Headings with their counts, in the window's order.
    heads = [line for line in lines[1:] if not line.startswith("  ")]
    assert heads[0] == "Meetings today (1)"
    assert heads[-1] == "No contact for 30 days or more (1)"
    assert lines[-1] == f"  Eve · welcomed back on {short_date(back, today)} (40 days)"
    # Past its day: marked, not only in the words.
    overdue = [line for line in lines if line.startswith("  ⚠ ")]
    assert len(overdue) == sum(line.overdue for line in shown.lines) == 3


def test_whose_week_and_a_name_no_parent_has(caseload: Caseload, db_path: Path) -> None:
    today = real_today()
    caseload.clock = ticking_clock(today)
    made = build(caseload, today)
    caseload.update_participant(made.parents["Amira"], keyworker="Morag")
    caseload.close()
    code, lines = _run(db_path, "--keyworker", "morag")
    assert code == 0, lines
    assert lines[0].endswith(" · Morag's parents (and any with no keyworker noted)")
    result = CliRunner().invoke(cli, ["week", "--db", str(db_path), "--keyworker", "Nobody Atall"])
    assert result.exit_code != 0
    [error] = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert "No parent in this caseload has the keyworker" in error
    assert "'Morag'" in error


def test_an_empty_caseload_says_how_to_begin(caseload: Caseload, db_path: Path) -> None:
    caseload.close()
    code, lines = _run(db_path)
    assert code == 0, lines
    assert lines[-1].startswith("No parents in this caseload yet: enrol the first with")
