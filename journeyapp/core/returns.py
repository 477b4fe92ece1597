"""The funder's quarterly return, in terms of dates: quarters, and the weeks in work reached in one.

Stdlib only; every function takes the dates it needs (no "today" of its own). A quarter is a
calendar quarter ("2026Q3": July to September 2026) or a financial-year one ("2026-27 Q1":
April to June 2026), as the council's template counts them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from journeyapp.core.errors import ValidationError

SUSTAINMENT_WEEKS = (13, 26, 52)

_CALENDAR = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_FINANCIAL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """Three months of the return: first and last day (both counted)."""

    start: date
    end: date
    name: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def previous(self) -> Quarter:
        """The quarter before this one (named the same way)."""
        return _quarter_starting(_add_months(self.start, -3), financial="-" in self.name)

    def next(self) -> Quarter:
        """The quarter after this one."""
        return _quarter_starting(_add_months(self.start, 3), financial="-" in self.name)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _quarter_starting(start: date, *, financial: bool) -> Quarter:
    end = _add_months(start, 3) - timedelta(days=1)
    if financial:
        first_year = start.year if start.month >= 4 else start.year - 1
        number = (start.month - 4) % 12 // 3 + 1
        name = f"{first_year}-{(first_year + 1) % 100:02d} Q{number}"
    else:
        name = f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return Quarter(start, end, name)


def parse_quarter(text: str) -> Quarter:
    """A quarter from "2026Q3" (calendar: July to September) or "2026-27 Q1" (financial year:
    April to June 2026); anything else is refused saying how to write one."""
    match = _CALENDAR.match(text or "")
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        return _quarter_starting(date(year, 3 * number - 2, 1), financial=False)
    match = _FINANCIAL.match(text or "")
    if match:
        year, second, number = int(match.group(1)), match.group(2), int(match.group(3))
        if int(second) % 100 != (year + 1) % 100:
            raise ValidationError(
                f"{text!r}: a financial year runs over two years in a row, like 2026-27."
            )
        month = 3 * number + 1  # Q1 April, Q2 July, Q3 October, Q4 January
        start = date(year + (month > 12), (month - 1) % 12 + 1, 1)
        return _quarter_starting(start, financial=True)
    raise ValidationError(
        f"{text!r} is not a quarter; write 2026Q3 (July to September 2026) or 2026-27 Q1 "
        "(the financial year's first quarter, April to June 2026)."
    )


def quarter_of(day: date, *, financial: bool = False) -> Quarter:
    """The quarter a day falls in (calendar, or the financial year's from April)."""
    if financial:
        april = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
        return _quarter_starting(_add_months(april, (day.month - 4) % 12 // 3 * 3), financial=True)
    return _quarter_starting(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), financial=False)


class JobDates(Protocol):
    """What sustainment needs of a job: when it started and (if it has) when it ended."""

    @property
    def started_on(self) -> date: ...

    @property
    def left_on(self) -> date | None: ...


T = TypeVar("T", bound=JobDates)


def weeks_reached_on(job: JobDates, weeks: int) -> date:
    """The day a job has lasted `weeks` whole weeks (13 weeks after a Monday start: a Monday)."""
    return job.started_on + timedelta(weeks=weeks)


def sustained(job: JobDates, weeks: int, on: date) -> bool | None:
    """Still in this job `weeks` weeks after starting, as known on `on`: True (reached, not left
    before), False (left before), None (not yet reached by `on`)."""
    reached = weeks_reached_on(job, weeks)
    if job.left_on is not None and job.left_on < reached:
        return False if job.left_on <= on else None
    return True if reached <= on else None


def sustained_in(job: JobDates, weeks: int, quarter: Quarter) -> bool:
    """True when the job reached `weeks` weeks within the quarter (and had not ended before)."""
    return weeks_reached_on(job, weeks) in quarter and sustained(job, weeks, quarter.end) is True


def latest_job(jobs: Iterable[T], on: date) -> T | None:
    """The job started most recently by `on` (the one the individual return describes)."""
    started = [j for j in jobs if j.started_on <= on]
    return max(started, key=lambda j: j.started_on) if started else None
