"""How dates are shown and typed on every screen: one place for the words and the field format."""

from __future__ import annotations

from datetime import date

# The hint on every date field: the form people type (parse_date also reads ISO dates).
DATE_HINT = "A date such as 03/11/2026 (day/month/year)"
# The one format a date field shows (dd/mm/yyyy); validation.parse_date reads it and ISO back.
INPUT_FORMAT = "%d/%m/%Y"


def long_date(value: date | None, empty: str = "—") -> str:
    """A date as people write it on this screen: "3 Nov 2026"."""
    if value is None:
        return empty
    return f"{value.day} {value.strftime('%b %Y')}"


def short_date(value: date, today: date | None = None) -> str:
    """A date as a keyworker reads it in a list: "3 Nov" this year, "3 Nov 2025" otherwise."""
    if today is not None and value.year == today.year:
        return f"{value.day} {value.strftime('%b')}"
    return long_date(value)


def input_date(value: date | None) -> str:
    """A date as typed into a field (dd/mm/yyyy, which parse_date reads back)."""
    return value.strftime(INPUT_FORMAT) if value is not None else ""
