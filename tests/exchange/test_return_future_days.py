"""A funder's return for the quarter still going counts nothing dated after today, as the
programme report does: a job, a qualification, a progression or a parent "joined" on a laptop
whose clock was ahead (then put right), dated later in this quarter, are not in it yet."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.returns import quarter_of
from journeyapp.exchange.returns import build_return
from tests.clock import ticking_clock

KEY = b"k" * 32


def _caseload(path: Path, today: date, later: date | None) -> Caseload:
    """Ann, who joined a year ago and is on the programme; with `later` (a day after today in
    this quarter), also what a clock running ahead wrote for that day."""
    c = Caseload.open(path, create=True, plain=True)
    c.clock = ticking_clock(today)
    ann = c.enrol_participant("Ann", "fife", joined_on=today - timedelta(days=365)).id
    c.log_contact(ann, on=today - timedelta(days=2))
    if later is not None:
        c.clock = ticking_clock(later + timedelta(days=1))  # the clock ahead
        c.add_job(ann, later, with_milestone=True)
        c.record_milestone(ann, "gained_qualification", achieved_on=later)
        c.enrol_participant("Bea", "fife", joined_on=later)
        c.clock = ticking_clock(today)  # put right
    return c


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(today=st.dates(date(2024, 1, 1), date(2040, 12, 31)), ahead=st.integers(1, 80))
def test_nothing_dated_after_today_is_in_this_quarters_return(
    tmp_path_factory: object, today: date, ahead: int
) -> None:
    quarter = quarter_of(today)
    later = today + timedelta(days=ahead)
    if later > quarter.end:
        later = quarter.end
    if later <= today:  # today is the quarter's last day: nothing later in it
        return
    folder = tmp_path_factory.mktemp("q")  # type: ignore[attr-defined]
    written = build_return(_caseload(folder / "ahead.db", today, later), quarter, key=KEY)
    plain = build_return(_caseload(folder / "plain.db", today, None), quarter, key=KEY)
    assert [p.measures for p in written.people] == [p.measures for p in plain.people]
    assert written.counts == plain.counts
    [ann] = written.people
    assert ann.values["job_start_date"] is None
    assert not ann.values["qualification"]
    # Once the day has come, they count.
    c = Caseload.open(folder / "ahead.db")
    c.clock = ticking_clock(later)
    counted = build_return(c, quarter, key=KEY)
    assert len(counted.people) == 2
    assert any("job_entries" in p.measures for p in counted.people)
