"""A report or a funder's return for a period that starts after today is refused, saying so:
none of it has happened (a report "from 2099-01-01 to today" counted the 26 parents on a break
as reached in it, and a return for 2099Q1 listed every parent on the programme today)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.core.errors import ValidationError
from journeyapp.core.returns import quarter_of
from journeyapp.demo import build_demo
from journeyapp.exchange.report import refuse_period_to_come
from tests.clock import real_today
from tests.conftest import TODAY


@given(ahead=st.integers(-40_000, 40_000))
def test_a_period_is_refused_exactly_when_it_starts_after_today(ahead: int) -> None:
    since = TODAY + timedelta(days=ahead)
    if ahead <= 0:
        refuse_period_to_come(since, TODAY)  # today or earlier: asked for, reported
        return
    with pytest.raises(ValidationError) as refused:
        refuse_period_to_come(since, TODAY)
    said = refused.value.message
    assert said.startswith(
        f"The period starts on {long_date(since)}, after today ({long_date(TODAY)})"
    ), said
    assert "Nothing was done." in said


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """A laptop's caseload made on the real clock, for commands that run on it."""
    path = tmp_path / "laptop.db"
    c = Caseload.open(path, create=True, plain=True)
    build_demo(c, participants=6, seed=3)
    c.close()
    return path


def _one_error(argv: list[str]) -> str:
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    return errors[0]


def test_the_commands_refuse_a_period_to_come_and_write_nothing(
    laptop: Path, tmp_path: Path
) -> None:
    tomorrow = real_today() + timedelta(days=1)
    out = tmp_path / "report.pdf"
    said = _one_error(
        ["report", "--db", str(laptop), "--from", tomorrow.isoformat(), "--out", str(out)]
    )
    assert f"The period starts on {long_date(tomorrow)}, after today" in said
    assert not out.exists()
    coming = quarter_of(real_today()).next()
    written = tmp_path / "return.xlsx"
    for extra in (["--check"], ["--out", str(written)]):
        said = _one_error(["return", "--db", str(laptop), "--quarter", coming.name, *extra])
        assert said.startswith(
            f"Error: The quarter {coming.name} starts on {long_date(coming.start)}, after today"
        ), said
    assert not written.exists()
    # The quarter going on is returned as ever.
    going = quarter_of(real_today())
    done = CliRunner().invoke(
        cli, ["return", "--db", str(laptop), "--quarter", going.name, "--out", str(written)]
    )
    assert done.exit_code == 0, done.output
