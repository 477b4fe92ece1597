"""Clocks for tests: a pinned day that ticks with real time, and the real day for real commands."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import cache

from journeyapp.core.validation import wall_clock


def ticking_clock(day: date | datetime, hour: int = 12) -> Callable[[], datetime]:
    """A clock that reads `day` at `hour`:00 UTC now and moves on as real time passes."""
    start = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day, hour)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


# Commands run for real (click's CliRunner, a subprocess) read the real clock, wall_clock, not a
# test's pinned one: the dates a test hands them, or puts in a bundle or caseload they read, are
# worked out from the real day, so the test means the same thing whatever day it runs.


def real_today() -> date:
    """Today on the real clock (wall_clock), the one commands run for real use."""
    return wall_clock().date()


def real_days_ago(days: int) -> date:
    """The real day `days` days before today."""
    return real_today() - timedelta(days=days)


def real_quarter(back: int = 1) -> str:
    """The quarter `back` quarters before the real one, as the command line writes it: 2026Q3."""
    today = real_today()
    index = today.year * 4 + (today.month - 1) // 3 - back
    return f"{index // 4}Q{index % 4 + 1}"


def past_on_both(pinned: date) -> date:
    """`pinned`, or the real today when that is earlier: a day no later than today on a test's
    pinned clock and on the real one, for a record a pinned caseload makes and a command run for
    real then reads (a bundle it merges)."""
    return min(pinned, real_today())


# The day a test's pinned caseload calls today (tests.conftest.TODAY).
PINNED_TODAY = date(2026, 11, 28)


@cache
def _leap_cycles_back() -> int:
    """How many 4-year cycles PINNED_TODAY must go back to be no later than the real today."""
    cycles, today = 0, real_today()
    while PINNED_TODAY.replace(year=PINNED_TODAY.year - 4 * cycles) > today:
        cycles += 1
    return cycles


def in_real_past(day: date) -> date:
    """`day`, written by a test against PINNED_TODAY's calendar, moved back by whole 4-year
    cycles (none while the real today is on or after PINNED_TODAY) so that PINNED_TODAY would be
    no later than the real today: same month and day, so the same quarter and month edges, and
    the same leap years. A caseload built with these days, then read by a command run for real,
    means the same thing whatever day the test runs."""
    return day.replace(year=day.year - 4 * _leap_cycles_back())


def past(year: int, month: int, day: int) -> date:
    """in_real_past(date(year, month, day)): a test's calendar day moved into the real past."""
    return in_real_past(date(year, month, day))


def past_quarter(text: str) -> str:
    """A quarter written as on the command line (2026Q3) moved as in_real_past moves its days."""
    year, quarter = text.split("Q")
    return f"{in_real_past(date(int(year), 1, 1)).year}Q{quarter}"
