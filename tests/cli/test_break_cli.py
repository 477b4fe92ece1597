"""`journeyapp break` on a real caseload file: a break taken with the day to get in touch again
and who chose it (apart from whose words the reason is), corrected, ended; the plan printed
from the same file says who chose the day and whose the reason is."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.core.describe import AFTER_TODAY
from journeyapp.core.enums import ParticipantStatus, Voice
from tests.clock import real_today, ticking_clock
from tests.journeys import TODAY


def joined() -> date:
    """A day both calendars have passed: the fixture's fixed one, and the command's real one
    (taking a break changes the parent's record, which is checked against the command's)."""
    return min(date.today(), TODAY) - timedelta(days=30)


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args[:2], "--db", str(db_path), *args[2:]])
    return result.exit_code, result.output


def plan_text(db_path: Path, out: Path) -> str:
    code, said = run(db_path, "plan", "Siob", "--out", str(out))
    assert code == 0, said
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_a_break_with_who_chose_the_day_taken_corrected_and_ended(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    # The command's caseload keeps the real calendar: the day is some weeks after its today.
    day = (date.today() + timedelta(days=40)).isoformat()
    code, out = run(
        db_path,
        "break",
        "Siob",
        "--take",
        "--reason",
        "moving house",
        "--get-in-touch-on",
        day,
        "--day-chosen-by",
        "together",
    )
    assert code == 0, out
    assert "Siobhán is taking a break (their choice)." in out
    [pause] = caseload.journey(pid).pauses
    # The break and its reason are the parent's; the day was agreed together.
    assert (pause.voice, pause.follow_up_chosen_by, pause.follow_up_on, pause.reason) == (
        Voice.PARENT,
        Voice.TOGETHER,
        date.fromisoformat(day),
        "moving house",
    )
    assert f"get in touch again on {day} (chosen together), reason: “moving house”\n" in out
    text = plan_text(db_path, tmp_path / "plan.pdf")
    assert "You said: “moving house”" in text
    assert "We chose this day together." in text
    assert "You chose this day." not in text

    # Corrected: only what is given changes.
    code, out = run(db_path, "break", "Siob", "--id", pause.id, "--day-chosen-by", "keyworker")
    assert code == 0, out
    [corrected] = caseload.journey(pid).pauses
    assert (corrected.voice, corrected.follow_up_chosen_by, corrected.follow_up_on) == (
        Voice.PARENT,
        Voice.KEYWORKER,
        pause.follow_up_on,
    )
    assert corrected.reason == "moving house"
    assert "(keyworker's choice), reason: “moving house”\n" in out
    text = plan_text(db_path, tmp_path / "again.pdf")
    assert "Your keyworker chose this day." in text
    assert "You said: “moving house”" in text

    # Whose words the reason is, corrected: who chose the day stays as it was.
    code, out = run(db_path, "break", "Siob", "--id", pause.id, "--chosen-by", "together")
    assert code == 0, out
    [corrected] = caseload.journey(pid).pauses
    assert (corrected.voice, corrected.follow_up_chosen_by) == (Voice.TOGETHER, Voice.KEYWORKER)
    assert "(keyworker's choice), reason: “moving house” (agreed together)\n" in out
    text = plan_text(db_path, tmp_path / "third.pdf")
    assert "Your keyworker chose this day." in text
    assert "Why: moving house" in text  # not in quotation marks: not the parent's words
    assert "You said:" not in text

    earlier = (pause.started_on - timedelta(days=30)).isoformat()
    code, out = run(db_path, "break", "Siob", "--id", pause.id, "--get-in-touch-on", earlier)
    assert code == 1
    assert "before the break starts" in out
    assert caseload.journey(pid).pauses[0].follow_up_on == pause.follow_up_on

    code, out = run(db_path, "break", "Siob", "--pick-up-again")
    assert code == 0, out
    assert caseload.participant(pid).status is ParticipantStatus.ACTIVE
    assert caseload.journey(pid).pauses[0].ended_on is not None


def test_clearing_the_day_clears_who_chose_it_and_a_new_day_is_the_breaks_choice(
    caseload: Caseload, db_path: Path
) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    day = (date.today() + timedelta(days=10)).isoformat()
    code, out = run(
        db_path, "break", "Siob", "--take", "--get-in-touch-on", day, "--day-chosen-by", "keyworker"
    )
    assert code == 0, out
    [pause] = caseload.journey(pid).pauses
    code, out = run(db_path, "break", "Siob", "--id", pause.id, "--get-in-touch-on", "")
    assert code == 0, out
    [cleared] = caseload.journey(pid).pauses
    assert (cleared.follow_up_on, cleared.follow_up_chosen_by) == (None, None)
    assert "get in touch again" not in out
    # Who chose a day needs a day: refused, and nothing changes.
    code, out = run(db_path, "break", "Siob", "--id", pause.id, "--day-chosen-by", "together")
    assert code == 1
    assert "give --get-in-touch-on DATE too" in out
    assert caseload.journey(pid).pauses[0] == cleared
    # A day given again without saying who chose it: the break's own voice (the parent's).
    code, out = run(db_path, "break", "Siob", "--id", pause.id, "--get-in-touch-on", day)
    assert code == 0, out
    assert caseload.journey(pid).pauses[0].follow_up_chosen_by is Voice.PARENT
    assert f"get in touch again on {day} (Siobhán's choice)" in out


def test_an_older_script_saying_only_chosen_by_still_says_who_chose_the_day(
    caseload: Caseload, db_path: Path
) -> None:
    """Before --day-chosen-by, --chosen-by said who chose the day: a new break's day follows it
    unless --day-chosen-by is given."""
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    day = (date.today() + timedelta(days=10)).isoformat()
    code, out = run(
        db_path, "break", "Siob", "--take", "--get-in-touch-on", day, "--chosen-by", "together"
    )
    assert code == 0, out
    [pause] = caseload.journey(pid).pauses
    assert (pause.voice, pause.follow_up_chosen_by) == (Voice.TOGETHER, Voice.TOGETHER)


def test_a_break_taken_without_saying_who_chose_the_day_is_the_parents_choice(
    caseload: Caseload, db_path: Path
) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    day = (date.today() + timedelta(days=10)).isoformat()
    code, out = run(db_path, "break", "Siob", "--take", "--get-in-touch-on", day)
    assert code == 0, out
    assert "(Siobhán's choice)" in out
    assert caseload.journey(pid).pauses[0].voice is Voice.PARENT


def test_bad_input_is_one_line_and_records_nothing(caseload: Caseload, db_path: Path) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    before = (date.today() - timedelta(days=400)).isoformat()
    for args, said in (
        (("--take", "--chosen-by", "nobody"), "'nobody' is not one of"),
        (("--take", "--day-chosen-by", "nobody"), "'nobody' is not one of"),
        (("--take", "--day-chosen-by", "keyworker"), "give --get-in-touch-on DATE too"),
        (("--day-chosen-by", "keyworker"), "Say what to do"),
        (("--pick-up-again", "--day-chosen-by", "keyworker"), "does not go with"),
        (("--take", "--get-in-touch-on", before), "before the break starts"),
        (("--take", "--get-in-touch-on", "next tuesday"), "--get-in-touch-on"),
        (("--take", "--pick-up-again"), "Give one of --take"),
        (("--chosen-by", "keyworker"), "Say what to do"),
    ):
        code, out = run(db_path, "break", "Siob", *args)
        assert code != 0, args
        assert said in out, (args, out)
        assert "Traceback" not in out
        assert caseload.journey(pid).pauses == ()
        assert caseload.participant(pid).status is ParticipantStatus.ACTIVE
    code, out = run(db_path, "break", "Siob", "--id", "no-such-break", "--reason", "x")
    assert code == 1
    assert "No break of Siobhán's has the id 'no-such-break'" in out
    assert "journeyapp break 'Siobhán' lists them" in out


@pytest.mark.parametrize(
    ("chosen_by", "shown"),
    [
        ("parent", "reason: “moving house”"),
        ("together", "reason: “moving house” (agreed together)"),
        ("keyworker", "reason: “moving house” (keyworker's note)"),
    ],
)
def test_the_list_quotes_the_reason_as_the_window_does(
    caseload: Caseload, db_path: Path, chosen_by: str, shown: str
) -> None:
    """The list put every reason in quotation marks as the parent's words, whoever's they were;
    now as the Pace tab shows them: a keyworker's note is marked as theirs."""
    caseload.enrol_participant("Siobhán", "fife", joined_on=joined())
    code, out = run(
        db_path, "break", "Siob", "--take", "--reason", "moving house", "--chosen-by", chosen_by
    )
    assert code == 0, out
    code, listed = run(db_path, "break", "Siob")
    assert code == 0, listed
    [line] = [line for line in listed.splitlines() if "reason:" in line]
    assert line.endswith(shown), line
    if chosen_by != "parent":
        assert not line.endswith("“moving house”"), line


def test_another_parents_break_is_not_corrected(caseload: Caseload, db_path: Path) -> None:
    """A break is found by its id alone now (the journey is read once, for the list): one
    that belongs to someone else is still refused, and left as it was."""
    other = caseload.enrol_participant("Morven", "fife", joined_on=joined()).id
    theirs = caseload.pause(other, on=joined(), reason="family first")
    caseload.enrol_participant("Siobhán", "fife", joined_on=joined())
    code, out = run(db_path, "break", "Siob", "--id", theirs.id, "--reason", "x")
    assert code == 1
    assert f"No break of Siobhán's has the id '{theirs.id}'" in out
    assert caseload.journey(other).pauses[0].reason == "family first"


def test_a_break_starting_after_today_is_listed_to_check_and_not_printed_as_taken(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    """A break written on a laptop whose clock was ahead, starting after today (the command's
    real one): `break` lists it with its day marked to check, not started yet, and the plan
    does not tell the parent they are taking one."""
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    starts = real_today() + timedelta(days=30)
    caseload.clock = ticking_clock(real_today() + timedelta(days=365))
    [pause] = [caseload.pause(pid, on=starts, reason="moving house")]
    caseload.clock = ticking_clock(min(real_today(), TODAY))
    code, out = run(db_path, "break", "Siob")
    assert code == 0, out
    assert (
        f"{pause.id}  from {starts.isoformat()} ({AFTER_TODAY}), not started yet, "
        "reason: “moving house”\n"
    ) in out
    text = plan_text(db_path, tmp_path / "plan.pdf")
    assert "taking a break" not in text


@pytest.mark.parametrize("action", ["--take", "--pick-up-again"])
def test_a_break_starting_after_today_is_neither_ended_nor_doubled_from_the_command_line(
    caseload: Caseload, db_path: Path, action: str
) -> None:
    """As the window's Parent menu says it: a break that has not started yet (written on a
    laptop whose clock was ahead) is not picked up again from "today" (which would end it
    before it began) nor has another taken beside it; its day is put right first."""
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=joined()).id
    starts = real_today() + timedelta(days=30)
    caseload.clock = ticking_clock(real_today() + timedelta(days=365))
    [pause] = [caseload.pause(pid, on=starts, reason="moving house")]
    caseload.clock = ticking_clock(min(real_today(), TODAY))
    before = [(p.id, p.started_on, p.ended_on) for p in caseload.journey(pid).pauses]
    code, out = run(db_path, "break", "Siob", action)
    assert code == 1, out
    assert "Traceback" not in out
    assert f"starts on {long_date(starts)}, after today" in out, out
    assert f"--id {pause.id} --from DATE" in out, out
    assert "Nothing was changed" in out
    assert [(p.id, p.started_on, p.ended_on) for p in caseload.journey(pid).pauses] == before
