"""A journey's turning points (each day it ended, moved on and where to or closed; each welcome
back; each break from – to, or since) in day order beside its stage moves and milestones, in the
same words in the window's Journey tab and the `journey` command (core.turning_points). Before,
the Journey tab had no ending or welcome back at all, and the command no stage move, milestone
or break."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.core.enums import Destination, ParticipantStatus
from journeyapp.core.turning_points import BACK, BREAK, ENDED, moments, turning_points
from tests.clock import past_on_both
from tests.conftest import TODAY


def build_comeback(c: Caseload) -> tuple[str, date]:
    """Noor: joined 200 days ago (J); a break from J+20 to J+40; moved on to work on J+60 (said
    again as to volunteering while moved on); welcomed back on J+100, then working towards
    training; closed on J+150, welcomed back on J+170; taking a break since J+180. Every day no
    later than today on the pinned clock and the real one (a command reads the real)."""
    joined = past_on_both(TODAY) - timedelta(days=200)
    d = lambda n: joined + timedelta(days=n)  # noqa: E731
    pid = c.enrol_participant("Noor", "fife", joined, full_name="Noor Haddad").id
    c.record_milestone(pid, "first_meeting", achieved_on=d(1))
    c.set_stage(pid, "getting_connected", on=d(10))
    c.pause(pid, on=d(20), reason="moving house")
    c.resume(pid, on=d(40))
    c.end_journey(pid, ParticipantStatus.MOVED_ON, on=d(60), destination=Destination.WORK)
    c.end_journey(pid, ParticipantStatus.MOVED_ON, destination=Destination.VOLUNTEERING)
    c.reopen_journey(pid, on=d(100))
    c.update_participant(pid, destination=Destination.TRAINING_EDUCATION)
    c.end_journey(pid, ParticipantStatus.CLOSED, on=d(150))
    c.reopen_journey(pid, on=d(170))
    c.pause(pid, on=d(180))
    return pid, joined


def expected_turns(joined: date) -> list[str]:
    """Noor's turning points as listed, oldest first ("day: what — note")."""
    d = lambda n: long_date(joined + timedelta(days=n))  # noqa: E731
    return [
        f"{d(20)}: Took a break (their choice): {d(20)} – {d(40)} — “moving house”",
        f"{d(60)}: Moved on (to volunteering)",
        f"{d(100)}: Welcomed back",
        f"{d(150)}: Journey closed",
        f"{d(170)}: Welcomed back",
        f"{d(180)}: Taking a break (their choice) since {d(180)}",
    ]


def test_the_turning_points_are_told_from_the_journey_log(caseload: Caseload) -> None:
    pid, joined = build_comeback(caseload)
    turns = caseload.status_turns(pid)
    # Where to, as corrected while it stood; not as changed after the welcome back.
    assert [(t.status, t.destination) for t in turns if t.status is not ParticipantStatus.ACTIVE][
        1:3
    ] == [
        (ParticipantStatus.MOVED_ON, Destination.VOLUNTEERING),
        (ParticipantStatus.CLOSED, None),
    ]
    points = turning_points(caseload.journey(pid), turns)
    d = lambda n: joined + timedelta(days=n)  # noqa: E731
    assert [(m.on, m.kind, m.until) for m in points] == [
        (d(20), BREAK, d(40)),
        (d(60), ENDED, d(100)),
        (d(100), BACK, None),
        (d(150), ENDED, d(170)),
        (d(170), BACK, None),
        (d(180), BREAK, None),
    ]
    # Beside the stage moves and milestones, in day order.
    every = moments(caseload.journey(pid), caseload.catalogue, turns)
    assert [m.on for m in every] == sorted(m.on for m in every)
    assert [m.what for m in every][:3] == [
        "Stage: Getting started",
        "First meeting",
        "Stage: Getting connected",
    ]


def test_without_the_log_the_parents_record_tells_the_days(caseload: Caseload) -> None:
    """A journey told with no status changes (turns): the day it ended and the day they were
    last welcomed back, as the parent's record holds them."""
    pid, joined = build_comeback(caseload)
    caseload.resume(pid)
    caseload.end_journey(pid, ParticipantStatus.MOVED_ON, destination=Destination.WORK)
    points = turning_points(caseload.journey(pid), [])
    assert [(m.on, m.what) for m in points if m.kind in (ENDED, BACK)] == [
        (joined + timedelta(days=170), "Welcomed back"),
        (caseload.today(), "Moved on (to work)"),
    ]


def test_the_journey_command_lists_them_day_by_day(caseload: Caseload, db_path: Path) -> None:
    _pid, joined = build_comeback(caseload)
    caseload.close()
    result = CliRunner().invoke(cli, ["journey", "Noor", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    listed = [line[2:] for line in lines[lines.index("The journey so far, day by day:") + 1 :]]
    turned = [line for line in listed if "Stage:" not in line and "First meeting" not in line]
    assert turned == expected_turns(joined), result.output
    # The stage moves and milestones beside them, in day order.
    assert listed[:3] == [
        f"{long_date(joined)}: Stage: Getting started",
        f"{long_date(joined + timedelta(days=1))}: First meeting",
        f"{long_date(joined + timedelta(days=10))}: Stage: Getting connected",
    ]
