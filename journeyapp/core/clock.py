"""The real clock and the timestamp text every record carries (a module of their own, so a
caseload opens without loading validation: issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime


def wall_clock() -> datetime:
    """The real time, timezone-aware (the default clock of a caseload)."""
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """`moment` as ISO-8601 UTC text (what every record's timestamps use)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
