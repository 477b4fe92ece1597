"""Days typed on the command line that cannot be right (a year typed 2062 or 1926 for 2026, a
job started next month, a day to get in touch again decades ahead): one `Error:` line naming the
day and what to check, no traceback, nothing saved. The commands run on the real clock, so the
days are worked out from it (tests.clock)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date, years_from
from journeyapp.core.records import Participant
from tests.cli.refusals import refused
from tests.clock import real_days_ago, real_today, ticking_clock


def _caseload(folder: Path) -> Path:
    path = folder / "caseload.db"
    c = Caseload.open(path, create=True, plain=True)
    try:
        c.enrol_participant("Siobhán", "fife", joined_on=real_days_ago(60))
    finally:
        c.close()
    return path


def _counts(path: Path) -> dict[str, int]:
    c = Caseload.open(path)
    try:
        return c.counts()
    finally:
        c.close()


def _run(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args[:2], "--db", str(path), *args[2:]])
    return result.exit_code, result.output, result.stderr


# Days no job can have started on: after today (two days on, so no time zone makes it today),
# a year typed decades ahead or back, a day before they joined.
NOT_STARTED = st.one_of(
    st.integers(2, 700).map(lambda n: real_today() + timedelta(days=n)),
    st.integers(1, 60).map(lambda n: years_from(real_today(), n)),
    st.integers(21, 100).map(lambda n: years_from(real_today(), -n)),
    st.integers(61 + 2, 400).map(lambda n: real_today() - timedelta(days=n)),
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=NOT_STARTED, typed_as=st.sampled_from(["%d/%m/%Y", "%Y-%m-%d"]))
def test_a_job_on_a_day_it_cannot_have_started_is_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, day: date, typed_as: str
) -> None:
    path = _caseload(tmp_path_factory.mktemp("job"))
    before = _counts(path)
    result = CliRunner().invoke(
        cli, ["job", "Siob", "--db", str(path), "--started-on", day.strftime(typed_as)]
    )
    line = refused(result, f"The day the job started, {long_date(day)}, ")
    assert "check" in line or "record it once" in line, line
    assert _counts(path) == before


# Days to get in touch again that are a year typed wrong: more than three years ahead (one
# before the break starts has its own rule, core.validation.check_follow_up).
YEARS_OFF = st.integers(4, 60).map(lambda n: years_from(real_today(), n) + timedelta(days=2))


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=YEARS_OFF)
def test_a_break_with_a_day_years_off_is_refused_and_not_taken(
    tmp_path_factory: pytest.TempPathFactory, day: date
) -> None:
    path = _caseload(tmp_path_factory.mktemp("break"))
    before = _counts(path)
    result = CliRunner().invoke(
        cli,
        ["break", "Siob", "--db", str(path), "--take", "--get-in-touch-on", day.isoformat()],
    )
    refused(result, f"Error: The day to get in touch again, {long_date(day)}, ", "check the year")
    assert _counts(path) == before


def test_next_month_is_a_day_to_get_in_touch_and_this_week_a_job(tmp_path: Path) -> None:
    """What can be right is kept: a break with a day next month; a job started last week."""
    path = _caseload(tmp_path)
    ahead = (real_today() + timedelta(days=30)).isoformat()
    code, out, _ = _run(path, "break", "Siob", "--take", "--get-in-touch-on", ahead)
    assert code == 0, out
    code, out, _ = _run(path, "job", "Siob", "--started-on", real_days_ago(7).isoformat())
    assert code == 0, out


def test_import_refuses_parents_aged_100_or_7_in_the_about_tab_s_words(tmp_path: Path) -> None:
    """`journeyapp import` of parents: a date of birth that makes a parent 100 or 7 on the day
    they joined names each row, the age and the year to check; nothing is imported."""
    path = _caseload(tmp_path)
    before = _counts(path)
    joined = real_days_ago(30)
    rows = [
        "ref,preferred_name,locality,joined_on,date_of_birth",
        f"R1,Ann,fife,{joined.isoformat()},{years_from(joined, -100).isoformat()}",
        f"R2,Bea,fife,{joined.isoformat()},{years_from(joined, -7).isoformat()}",
    ]
    sheet = tmp_path / "p.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "--db", str(path), str(sheet)])
    refused(result, "2 of 2 rows cannot be imported, so nothing was imported")
    said = result.output
    assert (
        f"Line 2: The date of birth, {long_date(years_from(joined, -100))}, makes them 100 on "
        f"the day they joined ({long_date(joined)})"
    ) in said
    assert "Line 3: The date of birth" in said
    assert "makes them 7 on the day they joined" in said
    assert "check the year" in said
    assert _counts(path) == before


def test_check_lists_the_days_to_check_and_changes_nothing(tmp_path: Path) -> None:
    """`journeyapp check` lists a contact dated after today (written while a laptop's clock was
    ahead) and a date of birth held from before the rule, each with its parent's name; they are
    not integrity problems (exit 0) and stay as they are."""
    path = tmp_path / "caseload.db"
    joined = real_days_ago(60)
    ahead = real_today() + timedelta(days=9)
    c = Caseload.open(path, create=True, plain=True)
    try:
        c.add_records(
            [
                Participant(
                    preferred_name="Aggie",
                    locality="fife",
                    joined_on=joined,
                    date_of_birth=years_from(joined, -7),
                )
            ]
        )
        dan = c.enrol_participant("Dan", "fife", joined_on=joined).id
        c.clock = ticking_clock(real_today() + timedelta(days=365))
        c.log_contact(dan, on=ahead, kind="phone_text")
    finally:
        c.close()
    before = _counts(path)
    code, out, _ = _run(path, "check")
    assert code == 0, out
    assert "Integrity: ok" in out
    assert "Days to check: 2 (kept as they are; correct them in the parent's workspace)" in out
    assert (
        f"  Aggie: The date of birth, {long_date(years_from(joined, -7))}, makes them 7 on the "
        f"day they joined ({long_date(joined)})"
    ) in out
    assert f"  Dan: the contact on {long_date(ahead)} (" in out
    assert f"is dated after today ({long_date(real_today())}): check the date." in out
    assert _counts(path) == before
