"""A record removed on the command line is named in its line with any pasted control character
shown harmless ('\\x1b'), never sent to the terminal, as the listings show it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import StrengthOrBarrier
from tests.clock import real_days_ago, real_today, ticking_clock
from tests.held_words import written_elsewhere

PASTED = "Bus\x1b[2J\x1b[31m fares\x07"
Made = Callable[[Caseload, str], str]


# Typed now, such words are refused (core.typed); held from another laptop, they are kept.
def _goal(c: Caseload, pid: str) -> str:
    return written_elsewhere(c, "goals", c.add_goal(pid, "x").id, words=PASTED).id


def _step(c: Caseload, pid: str) -> str:
    made = c.add_step(c.add_goal(pid, "A goal").id, "x").id
    return written_elsewhere(c, "steps", made, what=PASTED).id


def _strength(c: Caseload, pid: str) -> str:
    made = c.add_strength(pid, "x", kind=StrengthOrBarrier.BARRIER).id
    return written_elsewhere(c, "strengths", made, words=PASTED).id


def _referral(c: Caseload, pid: str) -> str:
    return written_elsewhere(
        c, "referrals", c.refer(pid, "x", on=real_days_ago(1)).id, to=PASTED
    ).id


def _feedback(c: Caseload, pid: str) -> str:
    made = c.add_feedback("x", on=real_days_ago(1), participant_id=pid).id
    return written_elsewhere(c, "feedback", made, said=PASTED).id


RECORDS: dict[str, Made] = {
    "feedback": _feedback,
    "goal": _goal,
    "step": _step,
    "strength": _strength,
    "referral": _referral,
}


@pytest.mark.parametrize("command", list(RECORDS))
def test_a_removed_records_words_reach_the_terminal_harmless(tmp_path: Path, command: str) -> None:
    """`strength NAME --id ID --remove` of words pasted with an escape sequence used to send
    it to the terminal in "Removed the thing in the way “Bus…”" (clearing the screen and
    turning it red), where the listing beneath showed it as '\\x1b'."""
    path = tmp_path / "caseload.db"
    c = Caseload.open(path, create=True, plain=True)
    c.clock = ticking_clock(real_today())
    try:
        pid = c.enrol_participant("Siobhán", "fife", joined_on=real_days_ago(100)).id
        made = RECORDS[command](c, pid)
    finally:
        c.close()
    # color=True: as on a terminal (click leaves escape sequences in only there).
    done = CliRunner().invoke(
        cli, [command, "Siob", "--db", str(path), "--id", made, "--remove"], color=True
    )
    assert done.exit_code == 0, done.output
    first = done.stdout.splitlines()[0]
    assert first.startswith("Removed the "), first
    assert "\x1b" not in done.stdout
    assert "\x07" not in done.stdout
    assert "Bus\\x1b[2J\\x1b[31m fares\\x07" in first
