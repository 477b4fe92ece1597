"""Quarters and weeks in work for the funder's return: exact days, no calendar of the run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.errors import ValidationError
from journeyapp.core.returns import (
    latest_job,
    parse_quarter,
    quarter_of,
    sustained,
    sustained_in,
    weeks_reached_on,
)


@dataclass(frozen=True)
class Job:
    started_on: date
    left_on: date | None = None


def test_calendar_and_financial_quarters() -> None:
    q = parse_quarter("2026Q3")
    assert (q.start, q.end, q.name) == (date(2026, 7, 1), date(2026, 9, 30), "2026Q3")
    assert parse_quarter(" 2026-q4 ").end == date(2026, 12, 31)
    f = parse_quarter("2026-27 Q1")
    assert (f.start, f.end, f.name) == (date(2026, 4, 1), date(2026, 6, 30), "2026-27 Q1")
    last = parse_quarter("2026/2027Q4")
    assert (last.start, last.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert q.next().name == "2026Q4"
    assert q.previous().name == "2026Q2"
    assert last.next().name == "2027-28 Q1"
    assert date(2026, 9, 30) in q
    assert date(2026, 10, 1) not in q


@pytest.mark.parametrize("text", ["2026Q5", "Q3 2026", "2026-28 Q1", "", "autumn"])
def test_a_quarter_that_is_not_one_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ValidationError, match=r"2026Q3|two years in a row"):
        parse_quarter(text)


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.booleans())
def test_every_day_is_in_exactly_its_quarter(day: date, financial: bool) -> None:
    q = quarter_of(day, financial=financial)
    assert day in q
    assert q.previous().end + timedelta(days=1) == q.start
    assert q.next().start - timedelta(days=1) == q.end
    assert parse_quarter(q.name) == q


def test_thirteen_weeks_in_work_falls_in_the_next_quarter() -> None:
    job = Job(date(2026, 9, 7))  # started in 2026Q3
    assert weeks_reached_on(job, 13) == date(2026, 12, 7)
    q3, q4 = parse_quarter("2026Q3"), parse_quarter("2026Q4")
    assert sustained(job, 13, q3.end) is None  # not yet
    assert not sustained_in(job, 13, q3)
    assert sustained_in(job, 13, q4)
    assert sustained(job, 13, q4.end) is True
    assert sustained(job, 26, q4.end) is None


def test_leaving_before_the_weeks_are_reached() -> None:
    job = Job(date(2026, 9, 7), left_on=date(2026, 12, 6))  # a day short of 13 weeks
    assert sustained(job, 13, date(2026, 11, 30)) is None  # not known to have left yet
    assert sustained(job, 13, date(2026, 12, 6)) is False
    assert not sustained_in(job, 13, parse_quarter("2026Q4"))
    stayed = Job(date(2026, 9, 7), left_on=date(2026, 12, 7))  # left on the day: reached
    assert sustained(stayed, 13, date(2026, 12, 31)) is True


def test_the_latest_job_started_by_a_day() -> None:
    first, second = Job(date(2026, 1, 5), date(2026, 3, 1)), Job(date(2026, 5, 4))
    assert latest_job([second, first], date(2026, 4, 30)) == first
    assert latest_job([first, second], date(2026, 5, 4)) == second
    assert latest_job([first], date(2025, 12, 31)) is None
