"""Hand-built journeys for plan tests: typical, sparse, hostile text, and fifty goals."""

from __future__ import annotations

from datetime import date

from journeyapp.core.enums import (
    Decision,
    Destination,
    GoalStatus,
    Pace,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.records import (
    Assessment,
    Choice,
    Contact,
    Goal,
    Journey,
    Milestone,
    PaceChange,
    Participant,
    Referral,
    Step,
    StrengthBarrier,
)

PID = "11111111-2222-3333-4444-555555555555"
TODAY = date(2026, 11, 28)

GOAL_WORDS = "Go back to college part-time, maybe hairdressing"
STRENGTH_WORDS = "Good at organising the whole street's kids"
BARRIER_WORDS = "Buses are a nightmare with the buggy"
DECLINE_REASON = "Too much on with the kids just now"
MILESTONE_NOTE = "So proud of this"
HOSTILE = (
    "<b>bold?</b> <img src=/etc/passwd/> & Tom & Jerry <font size=40>big</font> 😀👍🏽 "
    "שלום עליכם مرحبا Zoë Siobhán Łucja ß €"
)
HOSTILE_PARTS = (
    "<b>bold?</b>",
    "<img src=/etc/passwd/>",
    "& Tom & Jerry",
    "<font size=40>big</font>",
    "Zoë Siobhán Łucja ß €",
)


def participant(**changes: object) -> Participant:
    """A parent with sensible details; override any field."""
    values: dict[str, object] = {
        "id": PID,
        "preferred_name": "Siobhán",
        "full_name": "Siobhán Kelly",
        "keyworker": "Morag",
        "locality": "fife",
        "joined_on": date(2026, 3, 2),
        "stage": "building_confidence",
        "destination": Destination.TRAINING_EDUCATION,
        "phone": "07700 900456",
    }
    values.update(changes)
    return Participant(**values)  # type: ignore[arg-type]


def typical_journey() -> Journey:
    """A parent some months in: goals, steps, choices, pace, milestones and two self-assessments."""
    goal = Goal(
        id="g1",
        participant_id=PID,
        words=GOAL_WORDS,
        area="skills_learning",
        status=GoalStatus.WORKING_ON_IT,
        by_when="after the summer",
    )
    together = Goal(
        id="g2",
        participant_id=PID,
        words="Sort out childcare for two mornings",
        voice=Voice.TOGETHER,
        status=GoalStatus.ACHIEVED,
    )
    return Journey(
        participant=participant(),
        strengths=(
            StrengthBarrier(
                participant_id=PID, kind=StrengthOrBarrier.STRENGTH, words=STRENGTH_WORDS
            ),
            StrengthBarrier(
                participant_id=PID, kind=StrengthOrBarrier.BARRIER, words=BARRIER_WORDS
            ),
        ),
        goals=(goal, together),
        steps=(
            Step(
                participant_id=PID,
                goal_id="g1",
                what="Phone the college about open days",
                who="me",
                due=date(2026, 12, 5),
            ),
            Step(
                participant_id=PID,
                goal_id="g1",
                what="Find out about help with course fees",
                who="keyworker",
            ),
            Step(
                participant_id=PID,
                goal_id="g2",
                what="Visit the nursery",
                who="me",
                done_on=date(2026, 5, 12),
            ),
        ),
        choices=(
            Choice(
                participant_id=PID,
                service="confidence_development",
                decision=Decision.CHOSEN,
                decided_on=date(2026, 3, 9),
            ),
            Choice(
                participant_id=PID,
                service="group_activities",
                decision=Decision.NOT_FOR_ME_NOW,
                decided_on=date(2026, 3, 9),
                reason=DECLINE_REASON,
            ),
        ),
        pace=(
            PaceChange(
                participant_id=PID,
                pace=Pace.GENTLY,
                rhythm=Rhythm.FORTNIGHTLY,
                changed_on=date(2026, 3, 2),
                reason="To start with",
            ),
        ),
        milestones=(
            Milestone(
                participant_id=PID,
                type="agreed_plan",
                achieved_on=date(2026, 3, 16),
                note=MILESTONE_NOTE,
            ),
        ),
        assessments=(
            Assessment(
                participant_id=PID,
                taken_on=date(2026, 3, 2),
                scores={a: 3 for a in AREAS},
            ),
            Assessment(
                participant_id=PID,
                taken_on=date(2026, 11, 2),
                scores={a: 3 + i % 4 for i, a in enumerate(AREAS)},
                comment="Feeling more like myself",
            ),
        ),
        contacts=(
            Contact(
                participant_id=PID,
                on=date(2026, 11, 20),
                kind="one_to_one",
                next_step="Bring the college leaflet",
            ),
        ),
        referrals=(
            Referral(
                participant_id=PID,
                to="Citizens Advice",
                service="money_advice",
                on=date(2026, 4, 1),
                outcome=ReferralOutcome.ATTENDED,
            ),
        ),
    )


AREAS = (
    "confidence",
    "wellbeing",
    "friends_support",
    "childcare_family",
    "money",
    "skills_learning",
    "ready_for_work",
)


def sparse_journey() -> Journey:
    """A parent just enrolled: nothing but their name and joining date."""
    return Journey(
        participant=participant(keyworker="", stage="", destination=Destination.NOT_DECIDED)
    )


def hostile_journey(long_note: str = "") -> Journey:
    """Text that tries to break the PDF: markup, a file path, emoji, right-to-left, a huge note."""
    note = long_note or ("A very long note. " * 1200)[:20_000]
    return Journey(
        participant=participant(preferred_name="Zoë <b>&amp;</b>", notes=note),
        strengths=(
            StrengthBarrier(participant_id=PID, kind=StrengthOrBarrier.STRENGTH, words=HOSTILE),
        ),
        goals=(Goal(id="g1", participant_id=PID, words=HOSTILE),),
        steps=(Step(participant_id=PID, goal_id="g1", what=HOSTILE),),
        milestones=(
            Milestone(participant_id=PID, type="first_meeting", achieved_on=TODAY, note=note),
        ),
    )


def many_goals_journey(count: int = 50) -> Journey:
    """A parent with `count` goals, each with a step, to check plans flow across pages."""
    goals = tuple(
        Goal(id=f"g{n}", participant_id=PID, words=f"Goal number {n}: learn something new")
        for n in range(1, count + 1)
    )
    steps = tuple(
        Step(participant_id=PID, goal_id=f"g{n}", what=f"Step for goal {n}")
        for n in range(1, count + 1)
    )
    return Journey(participant=participant(), goals=goals, steps=steps)
