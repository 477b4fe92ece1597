"""`journeyapp stage` on a real caseload file: lists a parent's stage moves, records one (the
stage by its key or its name), corrects one by the start of its id, removes one; the same
journey-log events as the window. Bad input is one line naming what is wrong, and changes
nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.describe import AFTER_TODAY
from tests.clock import real_today, ticking_clock
from tests.journeys import TODAY


def joined() -> date:
    """A day both calendars have passed: the fixture's pinned one and the command's real one."""
    return min(real_today(), TODAY) - timedelta(days=30)


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["stage", args[0], "--db", str(db_path), *args[1:]])
    return result.exit_code, result.output


def test_a_move_recorded_corrected_and_removed(caseload: Caseload, db_path: Path) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    (first,) = caseload.journey(pid).stages
    on = joined() + timedelta(days=10)

    code, out = run(db_path, "Siob", "--to", "building CONFIDENCE", "--on", on.isoformat())
    assert code == 0, out
    assert "Recorded that Siobhán moved to Building confidence.\n" in out
    (move,) = [s for s in caseload.journey(pid).stages if s.id != first.id]
    assert (move.stage, move.on, move.note) == ("building_confidence", on, "")
    assert caseload.participant(pid).stage == "building_confidence"
    assert f"{move.id}  {on.isoformat()}  Building confidence\n" in out
    assert "Siobhán is now at: Building confidence\n" in out

    # Corrected by the start of its id: the stage (by its key), the day and what changed.
    earlier = joined() + timedelta(days=5)
    code, out = run(
        db_path,
        "Siob",
        "--id",
        move.id[:8],
        "--to",
        "looking_for_work",
        "--on",
        earlier.isoformat(),
        "--note",
        "Came to the group twice",
    )
    assert code == 0, out
    assert f"Corrected the stage move {move.id} for Siobhán." in out
    assert (
        f"{move.id}  {earlier.isoformat()}  Looking for work  (what changed: Came to the group "
        "twice)\n"
    ) in out
    assert caseload.participant(pid).stage == "looking_for_work"
    assert [e.action for e in caseload.record_history(move.id)] == ["create", "update"]

    # Listing changes nothing.
    events = caseload.events()
    code, listed = run(db_path, "Siob")
    assert code == 0, listed
    assert "\nSiobhán is now at: Looking for work\n" in f"\n{listed}"
    assert caseload.events() == events

    code, out = run(db_path, "Siob", "--id", move.id, "--remove")
    assert code == 0, out
    assert "\nRemoved the move to Looking for work on " in f"\n{out}"
    assert [s.id for s in caseload.journey(pid).stages] == [first.id]
    assert caseload.participant(pid).stage == "getting_started"
    assert caseload.record_history(move.id)[-1].action == "delete"


def test_bad_input_is_one_line_and_changes_nothing(caseload: Caseload, db_path: Path) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    (first,) = caseload.journey(pid).stages
    after = (real_today() + timedelta(days=1)).isoformat()
    before = (joined() - timedelta(days=1)).isoformat()
    events = caseload.events()
    for args, said in (
        (("--to", "Flying high"), "--to 'Flying high' is not a stage in this caseload's"),
        (("--to", "in_work", "--on", after), "is after today"),
        (("--to", "in_work", "--on", before), "is before they joined"),
        (("--to", "in_work", "--on", "next tuesday"), "--on"),
        (("--id", first.id, "--remove"), "is their only stage move, so it cannot be removed"),
        (("--id", first.id, "--on", before), "is before they joined"),
        (("--id", first.id, "--to", "nowhere"), "getting_started (Getting started);"),
        (("--id", first.id), "Say what to correct: --to, --on or --note"),
        (("--id", "no-such-move", "--note", "x"), "No stage move of Siobhán's has the id"),
        (("--id", "", "--note", "x"), "No id was given"),
        (("--remove",), "--remove needs --id MOVE_ID"),
        (("--id", first.id, "--remove", "--to", "in_work"), "--to does not go with --remove"),
        (("--note", "x"), "--note needs --to STAGE"),
        (("--to", "Getting started"), "Siobhán is already at Getting started: give the stage"),
        (("--on", joined().isoformat()), "--on needs --to STAGE"),
    ):
        code, out = run(db_path, "Siob", *args)
        assert code != 0, args
        assert said in out, (args, out)
        assert "Traceback" not in out
        said_lines = [x for x in out.splitlines() if not x.startswith("Warning: ")]
        assert len(said_lines) == 1, out
        assert caseload.events() == events, args
    assert caseload.journey(pid).stages == (first,)
    assert caseload.participant(pid).stage == "getting_started"


def test_another_parents_move_is_not_touched(caseload: Caseload, db_path: Path) -> None:
    other = caseload.enrol_participant("Morven", "fife", joined_on=joined()).id
    caseload.set_stage(other, "in_work", on=joined() + timedelta(days=3))
    theirs = next(s for s in caseload.journey(other).stages if s.stage == "in_work")
    caseload.enrol_participant("Siobhán", "fife", joined_on=joined())
    code, out = run(db_path, "Siob", "--id", theirs.id, "--remove")
    assert code == 1
    assert f"No stage move of Siobhán's has the id '{theirs.id}'" in out
    assert caseload.record("stages", theirs.id) == theirs


def test_a_move_dated_after_today_is_marked_in_the_list(caseload: Caseload, db_path: Path) -> None:
    """A move written on a laptop whose clock was ahead: listed with its day marked to check;
    the parent is where their latest move by today put them."""
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    later = real_today() + timedelta(days=30)
    caseload.clock = ticking_clock(real_today() + timedelta(days=365))
    caseload.set_stage(pid, "in_work", on=later)
    caseload.clock = ticking_clock(min(real_today(), TODAY))
    code, out = run(db_path, "Siob")
    assert code == 0, out
    assert "\nSiobhán is now at: Getting started\n" in f"\n{out}"
    assert f"  {later.isoformat()} ({AFTER_TODAY})  In work\n" in out
