"""A fixed clock for tests: starts at noon on a given day and ticks with real time, so order holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta


def ticking_clock(day: date | datetime, hour: int = 12) -> Callable[[], datetime]:
    """A clock that reads `day` at `hour`:00 UTC now and moves on as real time passes."""
    start = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day, hour)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)
