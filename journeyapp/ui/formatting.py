"""How the window words things it shows often: the parent's words in quotes and whose words they
are (from core.describe, which the command line shares), and dates (from core.dates, the one
place dates are formatted)."""

from __future__ import annotations

from datetime import date

from journeyapp.core.dates import DATE_HINT, input_date, long_date, short_date
from journeyapp.core.describe import AFTER_TODAY, marked_day, quote, said
from journeyapp.core.enums import Voice, label

# The workspace's name for a date as written on screen ("3 Nov 2026").
fmt_date = long_date


def happened_date(value: date, today: date) -> str:
    """A day something happened on, as fmt_date, marked when it is after `today`
    (core.describe.marked_day: the command line marks it alike)."""
    return marked_day(fmt_date(value), value, today)


def voice_words(voice: Voice, name: str) -> str:
    """Whose words: "in Zoë's words", "agreed together" or "keyworker's note"."""
    if voice is Voice.PARENT:
        return f"in {name}'s words" if name else "in their words"
    return label(voice)


__all__ = [
    "AFTER_TODAY",
    "DATE_HINT",
    "fmt_date",
    "happened_date",
    "input_date",
    "long_date",
    "quote",
    "said",
    "short_date",
    "voice_words",
]
