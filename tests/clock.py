"""Clocks for tests: a pinned day that ticks with real time, and the real day for real commands."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

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
