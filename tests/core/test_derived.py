"""Derived facts: next check-in, overdue, days since contact, distance travelled, age bands."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.derived import (
    AreaChange,
    age_band,
    days_since,
    describe_change,
    distance_travelled,
    is_overdue,
    next_checkin_due,
)
from journeyapp.core.enums import ParticipantStatus, Rhythm
from journeyapp.core.records import Assessment

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


def test_next_checkin_counts_from_last_contact() -> None:
    assert next_checkin_due(Rhythm.WEEKLY, date(2026, 11, 1), date(2026, 1, 1)) == date(2026, 11, 8)
    assert next_checkin_due(Rhythm.FORTNIGHTLY, None, date(2026, 11, 1)) == date(2026, 11, 15)


def test_no_checkin_due_while_paused_or_when_parent_gets_in_touch() -> None:
    joined = date(2026, 1, 1)
    assert next_checkin_due(Rhythm.WEEKLY, joined, joined, ParticipantStatus.PAUSED) is None
    assert next_checkin_due(Rhythm.WHEN_I_GET_IN_TOUCH, joined, joined) is None


@given(
    rhythm=st.sampled_from([Rhythm.WEEKLY, Rhythm.FORTNIGHTLY, Rhythm.MONTHLY]),
    last=dates,
    today=dates,
)
def test_overdue_exactly_when_due_date_has_passed(rhythm: Rhythm, last: date, today: date) -> None:
    due = next_checkin_due(rhythm, last, last)
    assert due is not None
    assert due > last
    assert is_overdue(due, today) == (today > due)


@given(last=dates, gap=st.integers(0, 3000))
def test_days_since_is_the_gap(last: date, gap: int) -> None:
    assert days_since(last + timedelta(days=0), last + timedelta(days=gap)) == gap
    assert days_since(None, last) is None


def _assessment(on: date, scores: dict[str, int]) -> Assessment:
    return Assessment(participant_id="p", taken_on=on, scores=scores)


scores = st.dictionaries(
    st.sampled_from(["confidence", "wellbeing", "money"]), st.integers(1, 10), min_size=1
)


@given(first=scores, latest=scores, middle=scores)
def test_distance_travelled_is_latest_minus_first(
    first: dict[str, int], latest: dict[str, int], middle: dict[str, int]
) -> None:
    changes = distance_travelled(
        [
            _assessment(date(2026, 6, 1), latest),
            _assessment(date(2026, 1, 1), first),
            _assessment(date(2026, 3, 1), middle),
        ]
    )
    assert {c.area for c in changes} == set(first) & set(latest)
    for change in changes:
        assert change.change == latest[change.area] - first[change.area]


def test_distance_needs_two_assessments() -> None:
    assert distance_travelled([_assessment(date(2026, 1, 1), {"confidence": 3})]) == []


def test_change_described_in_plain_words() -> None:
    assert describe_change("Confidence", AreaChange("confidence", 3, 7)) == (
        "Confidence: up 4 points, from 3 to 7."
    )
    assert "down 1 point," in describe_change("Money", AreaChange("money", 5, 4))
    assert (
        describe_change("Wellbeing", AreaChange("wellbeing", 5, 5)) == "Wellbeing: the same, at 5."
    )


def test_age_band() -> None:
    today = date(2026, 11, 28)
    assert age_band(date(2000, 11, 29), today) == "25-34"
    assert age_band(date(2001, 11, 28), today) == "25-34"
    assert age_band(None, today) == "unknown"
