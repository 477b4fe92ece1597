"""A printed plan as the journey stood on the day it is printed, read back from real PDFs: a
milestone, a step done or a contact dated after today (merged from a laptop whose clock was
ahead; typed here such a day is refused) is not printed as done, nor as the last time we met,
and the check-in it would have put off is still due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.enums import GoalStatus, Pace, Rhythm
from journeyapp.core.records import Contact, Goal, Journey, Milestone, PaceChange, Step
from tests.journeys import PID, participant
from tests.plans.test_plan_on_a_break import Printed, catalogue, print_plan, words

# Milestone types whose labels no other line of the plan prints.
TYPES = ("started_work", "gained_qualification", "had_interview", "started_volunteering")


def _journey(today: date, milestones: list[tuple[str, int]], contacts: list[int]) -> Journey:
    """A parent who joined a year before `today`, checking in weekly, with milestones
    (type, days from today) and contacts (days from today) recorded, each with what was agreed."""
    joined = today - timedelta(days=365)
    return Journey(
        participant=participant(joined_on=joined),
        pace=(
            PaceChange(
                participant_id=PID, changed_on=joined, pace=Pace.STEADY, rhythm=Rhythm.WEEKLY
            ),
        ),
        milestones=tuple(
            Milestone(participant_id=PID, type=kind, achieved_on=today + timedelta(days=offset))
            for kind, offset in milestones
        ),
        contacts=tuple(
            Contact(
                participant_id=PID,
                on=today + timedelta(days=offset),
                kind="one_to_one",
                next_step=f"Agreed step {n}",
            )
            for n, offset in enumerate(contacts)
        ),
    )


def test_a_milestone_dated_after_today_is_not_printed_as_done() -> None:
    today = date(2026, 12, 5)
    journey = _journey(today, [("had_interview", -20), ("started_work", 40)], [-3])
    printed = print_plan(journey, today, "en")
    assert "Had an interview" in printed.flat
    assert "Started work" not in printed.flat
    assert not printed.shows_date(today + timedelta(days=40), words("en"))


def test_a_contact_dated_after_today_does_not_put_off_a_check_in_that_is_due() -> None:
    """The last contact by today was three weeks ago, weekly: the check-in is due. A contact
    dated next week (a clock ahead) is not the last time we met, nor what we last agreed."""
    today = date(2026, 12, 5)
    journey = _journey(today, [], [-21, 7])
    printed = print_plan(journey, today, "en")
    assert "It is time for our next meeting" in printed.flat
    assert "Last time we agreed: Agreed step 0" in printed.flat
    assert "Agreed step 1" not in printed.flat


def test_a_step_done_after_today_is_still_a_step_to_take() -> None:
    today = date(2026, 12, 5)
    goal = Goal(id="g", participant_id=PID, words="Find a course", status=GoalStatus.WORKING_ON_IT)
    step = Step(
        participant_id=PID, goal_id="g", what="Phone the college", done_on=today.replace(year=2027)
    )
    journey = replace(_journey(today, [], [-3]), goals=(goal,), steps=(step,))
    printed = print_plan(journey, today, "en")
    assert "Phone the college" in printed.flat
    assert "done on" not in printed.flat


@settings(max_examples=12, deadline=None)
@given(
    today=st.dates(date(2024, 1, 1), date(2040, 12, 31)),
    offsets=st.lists(st.integers(-300, 300), min_size=1, max_size=4),
)
def test_for_any_today_nothing_dated_after_it_is_printed_as_achieved(
    today: date, offsets: list[int]
) -> None:
    milestones = list(zip(TYPES, offsets, strict=False))
    journey = _journey(today, milestones, [-1])
    printed = print_plan(journey, today, "en")
    for kind, offset in milestones:
        shown = catalogue().label("milestone_types", kind)
        shown = shown[0].upper() + shown[1:]
        if offset > 0:
            assert shown not in printed.flat, (kind, offset)
        else:
            assert shown in printed.flat, (kind, offset)


@settings(max_examples=15, deadline=None)
@given(ahead=st.integers(min_value=1, max_value=60), ago=st.integers(min_value=1, max_value=300))
def test_what_we_hold_says_where_they_are_today_and_lists_the_later_move_with_its_day(
    ahead: int, ago: int
) -> None:
    """ "What we hold about you": a move to a stage dated after today (a laptop's clock ahead)
    is listed among the moves with its day, but "Where you are now" is the stage they are in
    today, as the window and the report say (Journey.stage_by)."""
    from journeyapp.core.documents import build_document
    from journeyapp.core.records import StageChange
    from journeyapp.plans.documents import pdf_with_pages

    today = date(2026, 12, 5)
    joined = today - timedelta(days=365)
    later = today + timedelta(days=ahead)
    journey = Journey(
        participant=participant(joined_on=joined, stage="looking_for_work"),
        stages=(
            StageChange(
                participant_id=PID, stage="building_confidence", on=today - timedelta(days=ago)
            ),
            StageChange(participant_id=PID, stage="looking_for_work", on=later),
        ),
    )
    held = build_document(journey, catalogue(), today, what_we_hold=True, words=words("en"))
    data, _ = pdf_with_pages([held], False)
    printed = Printed.of(data)
    assert "Where you are now: Building confidence" in printed.flat
    assert "Looking for work" in printed.flat  # the later move is listed, with its day
    assert printed.shows_date(later, words("en"))
