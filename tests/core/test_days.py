"""core.dates.check_day, the one rule for a day typed, on any today: what it keeps and what it
refuses, and that the message names the day typed, today and what to check."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.classification import Day, Holds
from journeyapp.core.dates import (
    OLDEST_PARENT,
    YEARS_AHEAD,
    YEARS_BACK,
    YOUNGEST_PARENT,
    age_on,
    check_day,
    long_date,
    years_from,
)
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import RECORD_TYPES, Contact, Milestone, Participant
from journeyapp.core.validation import check_typed_days

TODAYS = st.dates(date(2001, 1, 1), date(2090, 12, 31))
OFFSETS = st.one_of(
    st.integers(-3, 3),
    st.integers(-800, 800),
    st.sampled_from([-36500, -7305, -7300, 1095, 1096, 13149]),
)


def _refused(when: Day, value: date, today: date, joined: date | None = None) -> str | None:
    try:
        check_day(when, "The day", value, "on", today, joined)
    except ValidationError as refused:
        return refused.message
    return None


@given(today=TODAYS, offset=OFFSETS)
def test_a_day_that_happened_is_kept_up_to_today(today: date, offset: int) -> None:
    value = today + timedelta(days=offset)
    message = _refused(Day.HAPPENED, value, today)
    if offset > 0:
        assert message is not None
        assert message.startswith(f"The day, {long_date(value)}, is after today ")
        assert f"({long_date(today)})" in message
    elif offset > -YEARS_BACK * 365:
        assert message is None


@given(today=TODAYS, offset=OFFSETS)
def test_a_planned_day_is_kept_up_to_a_few_years_ahead(today: date, offset: int) -> None:
    value = today + timedelta(days=offset)
    message = _refused(Day.PLANNED, value, today)
    if offset > (YEARS_AHEAD * 365) + 1:
        assert message is not None
        assert f"more than {YEARS_AHEAD} years ahead: check the year" in message
    elif -YEARS_BACK * 365 < offset <= YEARS_AHEAD * 365:
        assert message is None


@given(today=TODAYS, years=st.integers(YEARS_BACK + 1, 200))
def test_any_day_years_back_is_refused(today: date, years: int) -> None:
    value = today - timedelta(days=366 * years)
    for when in (Day.HAPPENED, Day.JOURNEY, Day.PLANNED):  # a date of birth: by the age
        message = _refused(when, value, today)
        assert message is not None
        assert f"more than {YEARS_BACK} years ago: check the year" in message


@given(today=TODAYS, before=st.integers(1, 400))
def test_a_milestone_or_job_before_they_joined_is_refused(today: date, before: int) -> None:
    joined = today - timedelta(days=200)
    value = joined - timedelta(days=before)
    assert f"before they joined ({long_date(joined)})" in (
        _refused(Day.JOURNEY, value, today, joined) or ""
    )
    assert _refused(Day.HAPPENED, value, today, joined) is None  # a contact, say: outreach
    assert _refused(Day.JOURNEY, joined, today, joined) is None


def test_a_year_typed_wrong_is_named_with_the_day_meant() -> None:
    today = date(2026, 12, 4)
    assert _refused(Day.HAPPENED, date(2062, 12, 4), today) == (
        "The day, 4 Dec 2062, is after today (4 Dec 2026): check the year "
        "(did you mean 4 Dec 2026?)."
    )
    # The day meant had happened: a year typed ahead for a later day was last year's.
    assert "(did you mean 20 Dec 2025?)" in (
        _refused(Day.HAPPENED, date(2062, 12, 20), today) or ""
    )
    assert "(did you mean 4 Dec 2026?)" in (_refused(Day.HAPPENED, date(1926, 12, 4), today) or "")


def test_every_date_typed_says_when_its_day_can_fall_and_is_named() -> None:
    """The registry declares each date field's day and its name (nothing lists them by hand)."""
    for cls in RECORD_TYPES:
        for name, spec in cls.FIELDS.items():
            if spec.holds is Holds.DATE and name not in ("from_date", "to_date"):
                assert spec.day is not None, f"{cls.__name__}.{name}"
                assert spec.label.startswith("The day"), f"{cls.__name__}.{name}"


def test_only_days_typed_now_are_checked() -> None:
    today = date(2026, 12, 4)
    before = Milestone(participant_id="p", type="first_meeting", achieved_on=date(2026, 1, 1))
    later = Milestone(participant_id="p", type="joined_group", achieved_on=date(2026, 1, 1))
    check_typed_days(later, before, today, joined=date(2026, 6, 1))  # the day as it was
    with pytest.raises(ValidationError, match="before they joined"):
        check_typed_days(later, None, today, joined=date(2026, 6, 1))
    contact = Contact(participant_id="p", on=date(2027, 1, 1), kind="phone")
    with pytest.raises(ValidationError) as refused:
        check_typed_days(contact, None, today)
    assert refused.value.field == "on"


@given(
    today=TODAYS,
    joined_back=st.integers(0, 3000),
    born=st.one_of(st.integers(-120, 10), st.integers(10, 95)).flatmap(
        lambda years: st.integers(-400, 400).map(lambda days: (years, days))
    ),
)
def test_a_date_of_birth_is_kept_only_when_it_gives_a_parent_s_age(
    today: date, joined_back: int, born: tuple[int, int]
) -> None:
    """For any today, day joined and date of birth: kept exactly when it is by today, by the
    day they joined, and gives an age on that day from YOUNGEST_PARENT to under OLDEST_PARENT;
    a refusal names the day and, for an age out of bounds, the age it gives on that day."""
    joined = today - timedelta(days=joined_back)
    years, days = born
    value = years_from(joined, -years) + timedelta(days=days)
    message = _refused(Day.BIRTH, value, today, joined)
    if value > today:
        assert message is not None
        assert message.startswith(f"The day, {long_date(value)}, is after today ")
    elif value > joined:
        assert f"is after the day they joined ({long_date(joined)})" in (message or "")
    elif YOUNGEST_PARENT <= age_on(value, joined) < OLDEST_PARENT:
        assert message is None
    else:
        assert message is not None
        assert message.startswith(
            f"The day, {long_date(value)}, makes them {age_on(value, joined)} on the day "
            f"they joined ({long_date(joined)})"
        )
        assert "check the year" in message
    if message is not None and "did you mean " in message:
        # A guess is only ever a day that would be kept.
        meant = message.split("did you mean ")[1].split("?")[0]
        guessed = datetime.strptime(meant, "%d %b %Y").date()
        assert _refused(Day.BIRTH, guessed, today, joined) is None


@pytest.mark.parametrize(
    ("born", "words"),
    [
        (
            date(1926, 3, 1),
            "The date of birth, 1 Mar 1926, makes them 100 on the day they joined (1 Mar 2026), "
            f"and a parent on the programme is {YOUNGEST_PARENT} to {OLDEST_PARENT - 1}: check "
            "the year (did you mean 1 Mar 1962?), or leave it empty.",
        ),
        (
            date(2019, 3, 1),
            "The date of birth, 1 Mar 2019, makes them 7 on the day they joined (1 Mar 2026), "
            f"and a parent on the programme is {YOUNGEST_PARENT} to {OLDEST_PARENT - 1}: check "
            "the year, or leave it empty.",
        ),
        (
            date(2030, 3, 1),
            "The date of birth, 1 Mar 2030, is after today (5 Dec 2026): check the year "
            "(did you mean 1 Mar 2003?).",
        ),
        (
            date(2089, 3, 1),
            "The date of birth, 1 Mar 2089, is after today (5 Dec 2026): check the year "
            "(did you mean 1 Mar 1989?).",
        ),
        (date(1800, 3, 1), "makes them 226 on the day they joined (1 Mar 2026)"),
    ],
)
def test_a_date_of_birth_typed_wrong_says_the_age_and_the_year_perhaps_meant(
    born: date, words: str
) -> None:
    parent = Participant(
        preferred_name="Ann", locality="fife", joined_on=date(2026, 3, 1), date_of_birth=born
    )
    with pytest.raises(ValidationError) as refused:
        check_typed_days(parent, None, date(2026, 12, 5))
    assert words in refused.value.message
    assert refused.value.field == "date_of_birth"


def test_a_date_of_birth_kept_as_it_was_is_not_refused_again() -> None:
    """A parent recorded with a date of birth out of bounds (before the rule, or from another
    laptop) can still have their other details changed; the day they joined typed wrong is
    named before the date of birth it would make look wrong."""
    today = date(2026, 12, 5)
    held = Participant(
        preferred_name="Ann",
        locality="fife",
        joined_on=date(2026, 3, 1),
        date_of_birth=date(2019, 3, 1),
    )
    check_typed_days(dataclasses.replace(held, phone="07700 900123"), held, today)
    with pytest.raises(ValidationError) as refused:
        check_typed_days(
            dataclasses.replace(held, joined_on=date(2062, 3, 1), date_of_birth=date(1990, 1, 1)),
            held,
            today,
        )
    assert refused.value.field == "joined_on"
