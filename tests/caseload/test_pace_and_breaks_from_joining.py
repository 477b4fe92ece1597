"""A pace chosen, or a break taken, is on the parent's journey: it cannot be dated before they
joined, like a milestone or a job (core.dates.check_day, Day.JOURNEY).

Found by use: `journeyapp pace NAME --set gently --on DAY` and `break NAME --take --from DAY`
(and the window's forms, through the same use cases) accepted a day before the parent joined,
so their pace history and the report's breaks began before their journey did.

Invariant (Hypothesis over days around the day they joined, new and corrected): a pace change
or a break is accepted exactly when its day is on or after the day they joined (and by today);
a refusal says the day they joined and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.core.errors import ValidationError
from tests.clock import real_today, ticking_clock
from tests.conftest import TODAY


def _state(caseload: Caseload, pid: str) -> tuple[object, ...]:
    journey = caseload.journey(pid)
    return (journey.participant, journey.pace, journey.pauses, len(caseload.events()))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offset=st.integers(-40, 40), what=st.sampled_from(["pace", "break", "correct pace"]))
def test_a_pace_or_break_is_on_or_after_the_day_they_joined(
    tmp_path_factory: pytest.TempPathFactory, offset: int, what: str
) -> None:
    path = tmp_path_factory.mktemp("joined") / "c.db"
    caseload = Caseload.open(path, create=True, plain=True, clock=ticking_clock(TODAY))
    try:
        joined = TODAY - timedelta(days=50)
        pid = caseload.enrol_participant("Noor", "fife", joined).id
        first = caseload.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=joined)
        day = joined + timedelta(days=offset)
        before = _state(caseload, pid)
        if what == "pace":
            act = lambda: caseload.change_pace(pid, Pace.GENTLY, Rhythm.MONTHLY, on=day)  # noqa: E731
        elif what == "break":
            act = lambda: caseload.pause(pid, on=day)  # noqa: E731
        else:
            act = lambda: caseload.update_record("pace", first.id, changed_on=day)  # noqa: E731
        if day < joined:
            with pytest.raises(ValidationError) as refused:
                act()
            assert f"is before they joined ({long_date(joined)})" in refused.value.message
            assert _state(caseload, pid) == before
        else:
            act()
    finally:
        caseload.close()


@pytest.mark.parametrize(
    "args",
    [
        ["pace", "--set", "gently", "--on"],
        ["break", "--take", "--from"],
    ],
    ids=["pace", "break"],
)
def test_the_command_line_refuses_a_day_before_they_joined_in_one_line(
    db_path: Path, args: list[str]
) -> None:
    caseload = Caseload.open(db_path, create=True, plain=True)
    joined = real_today() - timedelta(days=30)  # the command reads the real clock
    try:
        pid = caseload.enrol_participant("Noor", "fife", joined).id
        before = _state(caseload, pid)
    finally:
        caseload.close()
    command, *rest = args
    day = (joined - timedelta(days=3)).isoformat()
    result = CliRunner().invoke(cli, [command, "Noor", "--db", str(db_path), *rest, day])
    assert "Traceback" not in result.output
    assert result.exit_code != 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.output
    assert f"is before they joined ({long_date(joined)})" in errors[0], result.output
    again = Caseload.open(db_path)
    try:
        assert _state(again, pid) == before
    finally:
        again.close()
    # The day they joined itself is fine.
    result = CliRunner().invoke(
        cli, [command, "Noor", "--db", str(db_path), *rest, joined.isoformat()]
    )
    assert result.exit_code == 0, result.output
