"""How dates are shown and typed on every screen: one place for the words and the field format."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from journeyapp.core.classification import Day
from journeyapp.core.errors import ValidationError

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


# A day typed that is further from today than these is most often a year typed wrong (2062 or
# 1926 for 2026): refused where a person types it, with the year to check.
YEARS_AHEAD = 3  # a planned day (a meeting, a step's date, a day to get in touch again)
YEARS_BACK = 20  # any day: no journey on the programme began that long ago
# A date of birth gives an age on the day the parent joined from YOUNGEST_PARENT up to (not
# including) OLDEST_PARENT. Wide on purpose: the bounds catch a year typed wrong (2019 or 1926
# for 1962), not who the programme is for, which is the partnership's to decide. A young
# parents' service can support a parent of 13 or 14; a grandparent bringing up a grandchild
# alone can be in their seventies or eighties; no one of 90 or more, or under 13, is a parent
# on an employability journey, and a date of birth can always be left empty.
YOUNGEST_PARENT = 13
OLDEST_PARENT = 90


def check_day(
    when: Day, label: str, value: date, field: str, today: date, joined: date | None = None
) -> None:
    """Refuse a day someone typed that cannot be right for `when` (core.classification.Day):
    a day that happened after `today`, a planned one years ahead, any day years back, a
    milestone or a job before the parent `joined`. The message says which day, why, and what to
    check; `label` names the date ("The day it happened"), `field` the field to correct.
    A date of birth (Day.BIRTH) is checked by the age it gives on the day they `joined`
    (`today` when not given): see check_birth."""
    if when is Day.BIRTH:
        check_birth(label, value, field, today, joined)
        return
    if when is not Day.PLANNED and value > today:
        raise ValidationError(
            f"{label}, {long_date(value)}, is after today ({long_date(today)}): "
            f"{_after_today_hint(value, today)}",
            field,
        )
    if when is Day.PLANNED and value > years_from(today, YEARS_AHEAD):
        raise ValidationError(
            f"{label}, {long_date(value)}, is more than {YEARS_AHEAD} years ahead: "
            f"check the year{_guess(value, today, happened=False)}.",
            field,
        )
    if value < years_from(today, -YEARS_BACK):
        raise ValidationError(
            f"{label}, {long_date(value)}, is more than {YEARS_BACK} years ago: "
            f"check the year{_guess(value, today, happened=when is not Day.PLANNED)}.",
            field,
        )
    if when is Day.JOURNEY and joined is not None and value < joined:
        raise ValidationError(
            f"{label}, {long_date(value)}, is before they joined ({long_date(joined)}): "
            "check the date, or the day they joined (in About).",
            field,
        )


def age_on(born: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_birth(label: str, value: date, field: str, today: date, joined: date | None) -> None:
    """Refuse a date of birth typed that cannot be a parent's on the programme: after today,
    after the day they `joined`, or giving an age on that day under YOUNGEST_PARENT or of
    OLDEST_PARENT or more. The message names the day, the age it gives and the year to check,
    with the year perhaps meant when one typing slip explains it (see _birth_guess)."""
    on = joined if joined is not None else today
    guess = _birth_guess(value, today, on)
    if value > today:
        raise ValidationError(
            f"{label}, {long_date(value)}, is after today ({long_date(today)}): "
            f"check the year{guess}.",
            field,
        )
    if value > on:
        raise ValidationError(
            f"{label}, {long_date(value)}, is after the day they joined ({long_date(on)}): "
            f"check the year{guess}, or the day they joined.",
            field,
        )
    age = age_on(value, on)
    if YOUNGEST_PARENT <= age < OLDEST_PARENT:
        return
    when = "on the day they joined" if joined is not None else "today"
    raise ValidationError(
        f"{label}, {long_date(value)}, makes them {age} {when} ({long_date(on)}), and a "
        f"parent on the programme is {YOUNGEST_PARENT} to {OLDEST_PARENT - 1}: "
        f"check the year{guess}, or leave it empty.",
        field,
    )


def _birth_guess(value: date, today: date, on: date) -> str:
    """ " (did you mean 1 Mar 1962?)": the date of birth meant, when exactly one typing slip
    in its year gives an age a parent can be on `on` (by `today`): two next digits typed the
    other way round (1926 for 1962, 2030 for 2003) or the century's (2089 for 1989)."""
    year = f"{value.year:04d}"
    years = {year[:i] + year[i + 1] + year[i] + year[i + 2 :] for i in range(len(year) - 1)}
    if year[:2] in ("19", "20"):
        years.add(("20" if year[:2] == "19" else "19") + year[2:])
    found = set()
    for text in years - {year}:
        try:
            meant = value.replace(year=int(text))
        except ValueError:  # year 0, or 29 February
            continue
        if meant <= min(today, on) and YOUNGEST_PARENT <= age_on(meant, on) < OLDEST_PARENT:
            found.add(meant)
    return f" (did you mean {long_date(found.pop())}?)" if len(found) == 1 else ""


def _after_today_hint(value: date, today: date) -> str:
    """What to check in a day typed after today: the year, or day and month written the other
    way round (07/03 for 03/07) when that is months ahead, or else that it has not happened."""
    if value.year != today.year:
        return f"check the year{_guess(value, today, happened=True)}."
    # Months ahead (not next week, most often a slip of a day): perhaps written month first.
    if (
        value.day <= 12
        and (value - today).days > 31
        and date(value.year, value.day, value.month) <= today
    ):
        swapped = date(value.year, value.day, value.month)
        return (
            f"a date is day/month/year: did you mean {long_date(swapped)}? "
            "Otherwise record it once it has happened."
        )
    return "record it once it has happened, or check the date."


def _guess(value: date, today: date, *, happened: bool) -> str:
    """ " (did you mean 4 Dec 2026?)": the same day and month in this year or the one next to
    it, by today for a day that happened, from today for one planned ("" when none fits)."""
    years = (today.year, today.year - 1) if happened else (today.year, today.year + 1)
    for year in years:
        try:
            guess = value.replace(year=year)
        except ValueError:  # 29 February
            continue
        if guess != value and (guess <= today if happened else guess >= today):
            return f" (did you mean {long_date(guess)}?)"
    return ""


def years_from(today: date, years: int) -> date:
    """The same day `years` years from `today` (28 February for 29 February)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


# How far behind the last save on this laptop its clock may be before it is said: more than a
# clock set right by the network moves it, less than any real mistake (a year, a day, an hour).
CLOCK_SLACK = timedelta(minutes=10)


def clock_behind_words(now: datetime, last_saved: datetime) -> str | None:
    """What to say when this laptop's clock (`now`) is behind the moment it last saved to the
    caseload (`last_saved`, both timezone-aware): it was put back or has lost its time, so
    today's records would be dated wrongly and "today" counted from the wrong day. None when
    it is not behind by more than CLOCK_SLACK."""
    if last_saved - now <= CLOCK_SLACK:
        return None
    said, saved = now.astimezone(), last_saved.astimezone()
    return (
        f"This laptop's clock says {said.strftime('%A')} {long_date(said.date())}, "
        f"{said.strftime('%H:%M')}, but this caseload was last saved on it on "
        f"{saved.strftime('%A')} {long_date(saved.date())}, {saved.strftime('%H:%M')}. "
        "Check the laptop's date and time: until it is right, what you save is dated by it, "
        "and check-ins due and This week are counted from it. (If it is right now, it was "
        "ahead then: check the days of what was saved before.)"
    )
