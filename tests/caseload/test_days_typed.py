"""Days typed into every kind of record (core.dates.check_day, one rule): a day something
happened is refused after today (a milestone or a job also before the parent joined), a planned
day years ahead, any day years back (2062 or 1926 for 2026); the message names the day and what
to check, and a refusal saves nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.classification import Day
from journeyapp.core.dates import YEARS_AHEAD, YEARS_BACK, long_date, years_from
from journeyapp.core.enums import Decision, Pace, Rhythm
from journeyapp.core.errors import ValidationError
from tests.clock import ticking_clock

TODAY = date(2026, 12, 4)
JOINED = TODAY - timedelta(days=200)


def fits(when: Day, value: date, today: date, joined: date | None) -> bool:
    """What a keyworker would expect to be kept, written out apart from the code."""
    if value < years_from(today, -YEARS_BACK):
        return False
    if when is Day.PLANNED:
        return value <= years_from(today, YEARS_AHEAD)
    return value <= today and (when is not Day.JOURNEY or joined is None or value >= joined)


# Days around today: yesterday, today, tomorrow, next month, a year typed wrong either way.
AROUND = st.one_of(
    st.integers(-3, 3).map(lambda n: TODAY + timedelta(days=n)),
    st.integers(-2 * 366, 2 * 366).map(lambda n: TODAY + timedelta(days=n)),
    st.sampled_from([-100, -36, -21, -20, -1, 1, 2, 3, 4, 36]).map(lambda n: years_from(TODAY, n)),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)),
)


@pytest.fixture
def pinned(tmp_path: Path) -> Iterator[Caseload]:
    c = Caseload.open(tmp_path / "days.db", create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    yield c
    c.close()


def _parent(c: Caseload) -> str:
    return c.enrol_participant("Ana", "fife", joined_on=JOINED).id


# Each use case that takes a typed day: when the day can fall, and the call with that day.
Write = Callable[[Caseload, str, date], object]
USES: dict[str, tuple[Day, Write]] = {
    "milestone": (
        Day.JOURNEY,
        lambda c, p, d: c.record_milestone(p, "first_meeting", achieved_on=d),
    ),
    "contact": (Day.HAPPENED, lambda c, p, d: c.log_contact(p, on=d)),
    "referral": (Day.HAPPENED, lambda c, p, d: c.refer(p, "Citizens Advice", on=d)),
    "assessment": (
        Day.HAPPENED,
        lambda c, p, d: c.record_assessment(p, {"confidence": 5}, taken_on=d),
    ),
    "goal": (Day.HAPPENED, lambda c, p, d: c.add_goal(p, "Drive", set_on=d)),
    "choice": (
        Day.HAPPENED,
        lambda c, p, d: c.choose_service(p, "volunteering", Decision.CHOSEN, on=d),
    ),
    # A pace chosen and a break taken are on the journey: not before the parent joined.
    "pace": (
        Day.JOURNEY,
        lambda c, p, d: c.change_pace(p, Pace.STEADY, Rhythm.WEEKLY, on=d),
    ),
    "break": (Day.JOURNEY, lambda c, p, d: c.pause(p, on=d)),
    "stage": (Day.JOURNEY, lambda c, p, d: c.set_stage(p, "getting_connected", on=d)),
    "stage corrected": (
        Day.JOURNEY,
        lambda c, p, d: c.correct_stage_move(c.journey(p).stages[0].id, on=d),
    ),
    "job": (Day.JOURNEY, lambda c, p, d: c.add_job(p, d, with_milestone=True)),
    "step done": (
        Day.HAPPENED,
        lambda c, p, d: c.complete_step(c.add_step(c.add_goal(p, "Swim").id, "Ask").id, on=d),
    ),
    "contact corrected": (
        Day.HAPPENED,
        lambda c, p, d: c.update_record("contacts", c.log_contact(p).id, on=d),
    ),
    "step due": (Day.PLANNED, lambda c, p, d: c.add_step(c.add_goal(p, "Cook").id, "Buy", due=d)),
    "meeting": (Day.PLANNED, lambda c, p, d: c.arrange_meeting(p, d)),
    "group session": (Day.PLANNED, lambda c, p, d: c.create_group_session("Walk", on=d)),
    "get in touch again": (
        Day.PLANNED,
        lambda c, p, d: c.update_record("pauses", c.pause(p).id, follow_up_on=d),
    ),
    "joined": (Day.HAPPENED, lambda c, p, d: c.enrol_participant("Bea", "fife", joined_on=d)),
    "feedback": (Day.HAPPENED, lambda c, p, d: c.add_feedback("Good", on=d)),
    "answers": (
        Day.HAPPENED,
        lambda c, p, d: c.set_circumstances(p, answered_on=d, lone_parent="yes"),
    ),
}

# Uses that first make the record the day is typed into (a goal, a contact, a break).
MADE_FIRST = {"step done", "step due", "contact corrected", "get in touch again"}


def _refusal(write: Callable[[], object]) -> str | None:
    """The message `write` was refused with, or None when it was kept."""
    try:
        write()
    except ValidationError as refused:
        return refused.message
    return None


@pytest.mark.parametrize("use", sorted(USES))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=AROUND)
def test_each_kind_keeps_a_day_that_can_be_right_and_refuses_the_rest(
    tmp_path_factory: pytest.TempPathFactory, use: str, day: date
) -> None:
    when, write = USES[use]
    c = Caseload.open(tmp_path_factory.mktemp("d") / "days.db", create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    try:
        pid = _parent(c)
        counts = c.counts()
        expected = fits(when, day, TODAY, JOINED)
        message = _refusal(lambda: write(c, pid, day))
        if expected:
            assert message is None, f"{use}: {long_date(day)} refused: {message}"
        else:
            assert message is not None, f"{use}: {long_date(day)} was kept"
            assert long_date(day) in message, message
            assert "check" in message or "record it once" in message, message
            if use not in MADE_FIRST:
                assert c.counts() == counts  # nothing saved
    finally:
        c.close()


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (
            date(2062, 12, 4),
            "is after today (4 Dec 2026): check the year (did you mean 4 Dec 2026?)",
        ),
        (date(2026, 12, 5), "is after today (4 Dec 2026)"),
        (date(1926, 12, 4), f"more than {YEARS_BACK} years ago: check the year"),
        (JOINED - timedelta(days=1), f"before they joined ({long_date(JOINED)})"),
    ],
)
def test_the_message_says_what_is_wrong_and_what_to_check(
    pinned: Caseload, typed: date, words: str
) -> None:
    pid = _parent(pinned)
    with pytest.raises(ValidationError) as refused:
        pinned.record_milestone(pid, "first_meeting", achieved_on=typed)
    assert refused.value.message.startswith(f"The day it happened, {long_date(typed)}, ")
    assert words in refused.value.message
    assert refused.value.field == "achieved_on"
    assert not pinned.journey(pid).milestones


def test_a_day_and_month_written_the_other_way_round_is_pointed_out(pinned: Caseload) -> None:
    """03/07 read as 3 July, in the spring: perhaps 7 March was meant."""
    pinned.clock = ticking_clock(date(2026, 4, 10))
    pid = pinned.enrol_participant("Ana", "fife", joined_on=date(2026, 1, 5)).id
    with pytest.raises(ValidationError, match=r"did you mean 7 Mar 2026\?"):
        pinned.log_contact(pid, on=date(2026, 7, 3))


def test_a_planned_day_a_year_typed_wrong_is_refused_but_next_month_is_kept(
    pinned: Caseload,
) -> None:
    pid = _parent(pinned)
    assert pinned.arrange_meeting(pid, TODAY + timedelta(days=30)).on > TODAY
    with pytest.raises(ValidationError, match=rf"more than {YEARS_AHEAD} years ahead"):
        pinned.arrange_meeting(pid, date(2062, 12, 10))


def test_a_day_kept_as_it_was_is_not_checked_again(pinned: Caseload) -> None:
    """Correcting a milestone's note keeps its day as it was, even when that day would be
    refused if typed now (the day they joined was corrected to a later one since)."""
    pid = _parent(pinned)
    milestone = pinned.record_milestone(pid, "first_meeting", achieved_on=JOINED)
    pinned.update_participant(pid, joined_on=JOINED + timedelta(days=10))
    assert pinned.update_record("milestones", milestone.id, note="At the school gate")
    with pytest.raises(ValidationError, match="before they joined"):
        pinned.update_record("milestones", milestone.id, achieved_on=JOINED + timedelta(days=1))


def test_outreach_before_they_joined_is_kept(pinned: Caseload) -> None:
    """A contact (outreach, a first phone call) can come before the day they joined."""
    pid = _parent(pinned)
    assert pinned.log_contact(pid, on=JOINED - timedelta(days=14)).on < JOINED
