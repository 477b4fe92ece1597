"""The plan's words follow where the parent's journey stands, in every language: during a break no
goal says "You are working on this" (a break is a pause from the work, and that is fine), and a
parent who has moved on is not asked to bring the plan "next time we meet"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.enums import GoalStatus, ParticipantStatus, StrengthOrBarrier
from journeyapp.core.records import StrengthBarrier
from tests.journeys import PID
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


WORK_ON_THESE = "We will work on these together, at your pace."
NEXT_STEP = "We will choose the next step together."
FILL_IN = "We will fill in this plan together as we go."
AT_A_GLANCE = "Your plan at a glance"


@settings(max_examples=16, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    status=st.sampled_from(list(ParticipantStatus)),
    goals=st.lists(st.sampled_from(list(GoalStatus)), max_size=3),
    with_steps=st.booleans(),
    barrier=st.booleans(),
)
def test_a_plan_for_a_journey_that_has_ended_promises_no_work_ahead(
    language: str,
    status: ParticipantStatus,
    goals: list[GoalStatus],
    with_steps: bool,
    barrier: bool,
) -> None:
    """A parent who had moved on was told "We will work on these together, at your pace." under
    what can get in the way (and "We will choose the next step together." under a goal, or "We
    will fill in this plan together as we go." under an empty heading): work ahead that the
    records do not hold. Invariant: those promises are printed exactly when the journey is open."""
    today = date(2026, 11, 28)
    journey = on_a_break(
        today,
        [[None] if with_steps else [] for _ in goals],
        statuses=goals,
        status=status,
        with_pause=False,
    )
    if barrier:
        journey = replace(
            journey,
            strengths=(
                StrengthBarrier(
                    participant_id=PID, kind=StrengthOrBarrier.BARRIER, words="The buses"
                ),
            ),
        )
    t = words(language)
    printed = print_plan(journey, today, language)
    ended = status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
    live = any(g in (GoalStatus.WORKING_ON_IT, GoalStatus.NOT_STARTED) for g in goals)
    assert printed.says(t(WORK_ON_THESE), t) == (barrier and not ended)
    assert printed.says(t(NEXT_STEP), t) == (live and not with_steps and not ended)
    assert printed.says(t(FILL_IN), t) == (not goals and not ended)
    assert printed.says(t(AT_A_GLANCE), t) == (bool(goals) or not ended)
