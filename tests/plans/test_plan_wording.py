"""The plan's words follow where the parent's journey stands, in every language: during a break no
goal says "You are working on this" (a break is a pause from the work, and that is fine), and a
parent who has moved on is not asked to bring the plan "next time we meet"."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.enums import GoalStatus, ParticipantStatus
from tests.plans.test_plan_on_a_break import LANGUAGES, on_a_break, print_plan, words

WORKING = "You are working on this."
WAITING = "Waiting for you."
NEXT_TIME = "Write it here, and bring this plan next time we meet."
KEEP = "Write it here. This plan is yours to keep."


@settings(max_examples=12, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    today=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    status=st.sampled_from(list(ParticipantStatus)),
    with_pause=st.booleans(),
    goals=st.lists(st.sampled_from(list(GoalStatus)), min_size=1, max_size=4),
)
def test_the_plan_speaks_to_where_the_journey_stands(
    language: str,
    today: date,
    status: ParticipantStatus,
    with_pause: bool,
    goals: list[GoalStatus],
) -> None:
    journey = on_a_break(
        today, [[]] * len(goals), statuses=goals, status=status, with_pause=with_pause
    )
    t = words(language)
    printed = print_plan(journey, today, language)

    def says(sentence: str) -> bool:
        # Its words in order (a right-to-left line is read back with its full stop first,
        # and may run on into the next sentence).
        return t(sentence).strip(".") in printed.flat

    taking_a_break = status is ParticipantStatus.PAUSED or with_pause
    working = GoalStatus.WORKING_ON_IT in goals
    if taking_a_break:
        assert not says(WORKING)
        assert says(WAITING) == working
    else:
        assert says(WORKING) == working
        assert not says(WAITING)
    ended = status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
    assert says(NEXT_TIME) == (not ended)
    assert says(KEEP) == ended
