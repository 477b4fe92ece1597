"""The plan's words follow where the parent's journey stands, in every language: during a break no
goal says "You are working on this" (a break is a pause from the work, and that is fine), and a
parent who has moved on is not asked to bring the plan "next time we meet", nor told a goal is
being worked on ("You were working on this.")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.documents import Words
from journeyapp.core.enums import (
    Destination,
    GoalStatus,
    Pace,
    ParticipantStatus,
    Rhythm,
    StrengthOrBarrier,
)
from journeyapp.core.records import Assessment, Job, PaceChange, StrengthBarrier
from tests.journeys import AREAS, PID
from tests.plans.test_plan_on_a_break import (
    LANGUAGES,
    PUNCTUATION,
    Printed,
    on_a_break,
    print_plan,
    words,
)

WORKING = "You are working on this."
WAITING = "Waiting for you."
WERE_WORKING = "You were working on this."
NOT_STARTED_YET = "Not started yet."
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
    ended = status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
    # A parent who has moved on reads where a goal had got to: not that it is being worked on,
    # waiting for them, or still to start.
    assert says(WERE_WORKING) == (working and ended)
    assert says(NOT_STARTED_YET) == (GoalStatus.NOT_STARTED in goals and not ended)
    if ended:
        assert not says(WORKING)
        assert not says(WAITING)
    elif taking_a_break:
        assert not says(WORKING)
        assert says(WAITING) == working
    else:
        assert says(WORKING) == working
        assert not says(WAITING)
    assert says(NEXT_TIME) == (not ended)
    assert says(KEEP) == ended


WORK_ON_THESE = "We will work on these together, at your pace."
NEXT_STEP = "We will choose the next step together."
FILL_IN = "We will fill in this plan together as we go."
AT_A_GLANCE = "Your plan at a glance"
NEXT_TIME_SCORES = "Next time, we will see how far you have come."


def _says(printed: Printed, sentence: str, t: Words) -> bool:
    """A fixed sentence printed: as a line of its own, or its words in order within the text
    (a right-to-left line is read back with its full stop first, and may run on)."""
    return printed.says(t(sentence), t) or t(sentence).strip(".") in printed.flat


@settings(max_examples=16, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    status=st.sampled_from(list(ParticipantStatus)),
    goals=st.lists(st.sampled_from(list(GoalStatus)), max_size=3),
    with_steps=st.booleans(),
    barrier=st.booleans(),
    scored=st.booleans(),
)
def test_a_plan_for_a_journey_that_has_ended_promises_no_work_ahead(
    language: str,
    status: ParticipantStatus,
    goals: list[GoalStatus],
    with_steps: bool,
    barrier: bool,
    scored: bool,
) -> None:
    """A parent who had moved on was told "We will work on these together, at your pace." under
    what can get in the way (and "We will choose the next step together." under a goal, or "We
    will fill in this plan together as we go." under an empty heading, or "Next time, we will
    see how far you have come." under the scores): work ahead that the records do not hold. Invariant: those promises are printed exactly when the journey is open."""
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
    if scored:
        journey = replace(
            journey,
            assessments=(
                Assessment(participant_id=PID, taken_on=today, scores=dict.fromkeys(AREAS, 4)),
            ),
        )
    t = words(language)
    printed = print_plan(journey, today, language)
    ended = status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
    assert _says(printed, NEXT_TIME_SCORES, t) == (scored and not ended)
    live = any(g in (GoalStatus.WORKING_ON_IT, GoalStatus.NOT_STARTED) for g in goals)
    assert _says(printed, WORK_ON_THESE, t) == (barrier and not ended)
    assert _says(printed, NEXT_STEP, t) == (live and not with_steps and not ended)
    assert _says(printed, FILL_IN, t) == (not goals and not ended)
    assert _says(printed, AT_A_GLANCE, t) == (bool(goals) or not ended)


GOOD_AT = "What you are good at"
IN_THE_WAY = "Things that can get in the way"
WRITE_DOWN = "We will write down what you are good at together."


@settings(max_examples=16, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    status=st.sampled_from(list(ParticipantStatus)),
    strength=st.booleans(),
    barrier=st.booleans(),
)
def test_what_gets_in_the_way_never_comes_without_what_the_parent_is_good_at(
    language: str, status: ParticipantStatus, strength: bool, barrier: bool
) -> None:
    """A plan whose keyworker had written down only barriers listed "Things that can get in
    the way" and nothing the parent is good at. Invariant (strengths before barriers): where
    what gets in the way is printed, "What you are good at" is printed before it, saying when
    the journey is open that we will write it down together if nothing is written yet."""
    today = date(2026, 11, 28)
    journey = on_a_break(today, [], status=status, with_pause=False)
    kinds = [StrengthOrBarrier.STRENGTH] * strength + [StrengthOrBarrier.BARRIER] * barrier
    journey = replace(
        journey,
        strengths=tuple(
            StrengthBarrier(participant_id=PID, kind=kind, words=f"My words {n}")
            for n, kind in enumerate(kinds)
        ),
    )
    t = words(language)
    printed = print_plan(journey, today, language)
    ended = status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
    assert _says(printed, IN_THE_WAY, t) == barrier
    assert _says(printed, GOOD_AT, t) == (strength or (barrier and not ended))
    assert _says(printed, WRITE_DOWN, t) == (barrier and not strength and not ended)
    if barrier and not ended:
        # The headings as lines of their own (right to left: read back either way round).
        headings = {t(GOOD_AT): GOOD_AT, t(IN_THE_WAY): IN_THE_WAY}
        headings |= {k[::-1]: v for k, v in headings.items()}
        order = [headings[line] for line in printed.lines if line in headings]
        assert order == [GOOD_AT, IN_THE_WAY]


IN_WORK = "You are in work now."
TOWARDS_WORK = "You are working towards work."


@settings(max_examples=16, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    started=st.one_of(st.none(), st.integers(-400, 30)),
    left=st.one_of(st.none(), st.integers(-400, 60)),
)
def test_a_parent_in_work_is_not_told_they_are_working_towards_work(
    language: str, started: int | None, left: int | None
) -> None:
    """A parent whose plan said "Started work, on 12 October 2026" was told under what happens
    next "You are working towards work.". Invariant: with work as their destination, a parent
    with a job started by today and not ended by then reads "You are in work now.", and
    otherwise (no job, one ended, one not started yet) that they are working towards work."""
    today = date(2026, 11, 28)
    journey = on_a_break(today, [], status=ParticipantStatus.ACTIVE, with_pause=False)
    journey = replace(
        journey, participant=replace(journey.participant, destination=Destination.WORK)
    )
    if started is not None:
        begun = today + timedelta(days=started)
        ended = None if left is None else begun + timedelta(days=abs(left))
        journey = replace(journey, jobs=(Job(participant_id=PID, started_on=begun, left_on=ended),))
    working = (
        started is not None
        and started <= 0
        and (left is None or today + timedelta(days=started + abs(left)) > today)
    )
    t = words(language)
    printed = print_plan(journey, today, language)
    assert _says(printed, IN_WORK, t) == working
    assert _says(printed, TOWARDS_WORK, t) == (not working)


@pytest.mark.parametrize("rhythm", list(Rhythm))
@pytest.mark.parametrize("language", LANGUAGES)
def test_getting_in_touch_when_ready_is_said_once(language: str, rhythm: Rhythm) -> None:
    """A parent who gets in touch when they want to meet read it twice under what happens next:
    "Get in touch when you want to meet." and then "… You get in touch when you want to
    meet.". Invariant: said once with their pace, and not at all for another rhythm."""
    today = date(2026, 11, 28)
    journey = on_a_break(today, [], status=ParticipantStatus.ACTIVE, with_pause=False)
    journey = replace(
        journey,
        pace=(PaceChange(participant_id=PID, pace=Pace.STEADY, rhythm=rhythm, changed_on=today),),
    )
    t = words(language)
    printed = print_plan(journey, today, language)
    ready = rhythm is Rhythm.WHEN_I_GET_IN_TOUCH

    def in_words(sentence: str) -> bool:
        # Whole words in order, either way round (one sentence may hold the other's letters:
        # Arabic "تتواصل" holds "تواصل").
        wanted = tuple(w.strip(PUNCTUATION) for w in t(sentence).split())
        n = len(wanted)
        runs = {printed.tokens[i : i + n] for i in range(len(printed.tokens) - n + 1)}
        return wanted in runs or wanted[::-1] in runs

    assert in_words("You get in touch when you want to meet.") == ready
    assert not in_words("Get in touch when you want to meet.")


@settings(max_examples=10, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    status=st.sampled_from(list(ParticipantStatus)),
    goals=st.lists(st.sampled_from(list(GoalStatus)), min_size=1, max_size=3),
)
def test_what_we_hold_says_where_a_goal_had_got_to_for_a_journey_that_has_ended(
    language: str, status: ParticipantStatus, goals: list[GoalStatus]
) -> None:
    """ "What we hold about you" lists each goal with where it stands; for a parent who has
    moved on it read "You are working on this." Invariant: the present-tense words are printed
    exactly when the journey is open and a goal is being worked on."""
    from journeyapp.core.documents import build_document
    from journeyapp.plans.documents import pdf_with_pages
    from tests.plans.test_plan_on_a_break import catalogue

    today = date(2026, 11, 28)
    journey = on_a_break(today, [[]] * len(goals), statuses=goals, status=status, with_pause=False)
    t = words(language)
    held = build_document(journey, catalogue(), today, what_we_hold=True, words=t)
    data, _ = pdf_with_pages([held], False)
    printed = Printed.of(data)
    ended = status in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
    working = GoalStatus.WORKING_ON_IT in goals
    assert _says(printed, WORKING, t) == (working and not ended)
    assert _says(printed, WERE_WORKING, t) == (working and ended)
    assert _says(printed, NOT_STARTED_YET, t) == (GoalStatus.NOT_STARTED in goals and not ended)
