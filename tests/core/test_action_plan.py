"""What a printed plan says: sections, the parent's words, plain language, and any text at all."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.documents import build_action_plan, build_subject_access, long_date
from journeyapp.core.enums import GoalStatus, ParticipantStatus
from journeyapp.core.records import Assessment, Event, Goal, Journey, Pause, Step
from journeyapp.paths import resource
from tests.journeys import (
    BARRIER_WORDS,
    DECLINE_REASON,
    GOAL_WORDS,
    MILESTONE_NOTE,
    PID,
    STRENGTH_WORDS,
    TODAY,
    many_goals_journey,
    participant,
    sparse_journey,
    typical_journey,
)

FORBIDDEN = re.compile(r"\b(client|barrier|compliance|referral|missed|failed)s?\b", re.I)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


def test_typical_plan_has_a_front_page_then_the_detail(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY, "07700 900123")
    assert plan.title == "Your plan"
    assert plan.keys == (
        "call",
        "glance",
        "done",
        "next",
        "write",
        "progress",
        "goals",
        "strengths",
        "in_the_way",
        "chosen",
        "not_for_now",
        "in_touch",
    )
    assert [s.key for s in plan.sections if s.front] == ["call", "glance", "done", "next", "write"]
    call = plan.section("call")
    assert call is not None
    assert "Your keyworker: Morag" in call.intro
    assert "Contact: 07700 900123" in call.intro


def test_parents_words_are_quoted_and_in_your_words_said_once(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    text = plan.text()
    assert f"“{GOAL_WORDS}” (in your words)" in text
    assert text.count("(in your words)") == 1
    for words in (STRENGTH_WORDS, BARRIER_WORDS, DECLINE_REASON, MILESTONE_NOTE):
        assert f"“{words}”" in text
    # Goals agreed together are not presented as the parent's own words.
    assert "“Sort out childcare" not in text
    assert "Sort out childcare for two mornings" in text


def test_steps_sit_under_their_goal_with_true_dates(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    glance = plan.section("glance")
    assert glance is not None
    texts = [i.text for i in glance.items]
    # The open steps follow their own goal, soonest first, on the front page.
    assert texts[1:3] == [
        "Phone the college about open days",
        "Find out about help with course fees",
    ]
    assert [i.mark for i in glance.items] == ["", "sub", "sub"]
    assert glance.items[1].details == ("Who: you.", "Aiming for 5 December 2026.")
    assert glance.items[2].details == ("Who: your keyworker, Morag.",)
    # The done goal is listed with the other goals, with no steps under it.
    goals = plan.section("goals")
    assert goals is not None
    assert [i.mark for i in goals.items] == ["done"]
    later = build_action_plan(typical_journey(), catalogue, date(2026, 12, 20)).section("glance")
    assert later is not None
    assert later.items[1].details == (
        "Who: you.",
        "Still to do. We can pick a new date together.",
    )
    progress = plan.section("progress")
    assert progress is not None
    assert progress.chart is not None
    assert progress.table is not None
    assert progress.chart.areas[0] == "Confidence"
    assert [s.dashed for s in progress.chart.series] == [True, False]
    assert progress.table.rows[0] == (
        "Confidence",
        "was\u00a03, now\u00a03",  # each number kept on the line of its word
        "I do not feel sure of myself at all.",
        "I feel sure of myself most days.",
    )
    nxt = plan.section("next")
    assert nxt is not None
    # Last contact 20 November, fortnightly: next meeting 4 December.
    assert "We plan to meet again around 4 December 2026." in nxt.intro
    assert "Last time we agreed: Bring the college leaflet" in nxt.intro
    assert "You want to take things gently. We meet every two weeks." in nxt.intro


def test_sparse_plan_is_one_front_page(catalogue: Catalogue) -> None:
    plan = build_action_plan(sparse_journey(), catalogue, TODAY)
    assert plan.keys == ("call", "glance", "next", "write")
    assert all(s.front for s in plan.sections)
    assert all(s.intro or s.items or s.write_space for s in plan.sections)


def test_a_break_replaces_the_pace(catalogue: Catalogue) -> None:
    journey = replace(
        typical_journey(),
        participant=participant(status=ParticipantStatus.PAUSED),
        pauses=(Pause(participant_id=PID, started_on=date(2026, 11, 1), reason="Family first"),),
    )
    plan = build_action_plan(journey, catalogue, TODAY)
    nxt = plan.section("next")
    assert nxt is not None
    assert nxt.heading == "Your break"
    assert nxt.intro[0] == "You are taking a break, since 1 November 2026."
    assert "That is your choice, and that is fine." in nxt.intro
    text = plan.text()
    assert "You want to take things gently." not in text
    assert "We meet every" not in text
    assert "plan to meet" not in text


def test_goals_on_hold_or_done_show_no_steps(catalogue: Catalogue) -> None:
    goals = (
        Goal(id="held", participant_id=PID, words="Held goal", status=GoalStatus.ON_HOLD),
        Goal(id="done", participant_id=PID, words="Done goal", status=GoalStatus.ACHIEVED),
    )
    steps = tuple(
        Step(participant_id=PID, goal_id=g.id, what=f"Step of {g.words}", due=TODAY) for g in goals
    )
    plan = build_action_plan(
        Journey(participant=participant(), goals=goals, steps=steps), catalogue, TODAY
    )
    assert "Step of" not in plan.text()


def test_one_assessment_gives_a_single_line_and_scores(catalogue: Catalogue) -> None:
    journey = replace(
        typical_journey(),
        assessments=(
            Assessment(participant_id=PID, taken_on=date(2026, 5, 1), scores={"confidence": 4}),
        ),
    )
    progress = build_action_plan(journey, catalogue, TODAY).section("progress")
    assert progress is not None
    assert progress.chart is not None
    assert len(progress.chart.series) == 1
    assert progress.table is not None
    assert progress.table.rows[0][:2] == ("Confidence", "4")


def test_goals_are_listed_working_on_first_then_done(catalogue: Catalogue) -> None:
    statuses = [GoalStatus.ACHIEVED, GoalStatus.NOT_STARTED, GoalStatus.WORKING_ON_IT]
    goals = tuple(
        Goal(id=f"g{n}", participant_id=PID, words=f"goal {s.value}", status=s)
        for n, s in enumerate(statuses)
    )
    plan = build_action_plan(Journey(participant=participant(), goals=goals), catalogue, TODAY)
    front = plan.section("glance")
    rest = plan.section("goals")
    assert front is not None
    assert rest is not None
    assert [i.text.split("”")[0].lstrip("“") for i in (*front.items, *rest.items)] == [
        "goal working_on_it",
        "goal not_started",
        "goal achieved",
    ]


def test_plain_words_only(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY, "07700 900123")
    assert not FORBIDDEN.search(plan.text())
    access = build_subject_access(typical_journey(), catalogue, TODAY, [])
    assert not FORBIDDEN.search(access.text())


def test_fifty_goals_all_listed(catalogue: Catalogue) -> None:
    plan = build_action_plan(many_goals_journey(50), catalogue, TODAY)
    goals = plan.section("goals")
    glance = plan.section("glance")
    assert goals is not None
    assert glance is not None
    every = (*glance.items, *goals.items)
    assert len([i for i in every if i.mark != "sub"]) == 50
    assert len([i for i in every if i.mark == "sub"]) == 50
    assert len([i for i in glance.items if i.mark != "sub"]) == 5
    assert glance.outro == ("And 45 more goals, on the next pages.",)


def test_subject_access_lists_everything_held(catalogue: Catalogue) -> None:
    journey = replace(typical_journey(), participant=participant(notes="Prefers texts"))
    event = Event(
        event_id="e1",
        at="2026-03-02T10:15:00+00:00",
        device_id="abcdef1234567890",
        actor="Morag",
        participant_id=PID,
        kind="goals",
        record_id="g1",
        action="update",
        fields={"status": "working_on_it"},
    )
    access = build_subject_access(journey, catalogue, TODAY, [event])
    assert access.title == "What we hold about you"
    text = access.text()
    for expected in (
        "Full name: Siobhán Kelly",
        "Phone: 07700 900456",
        "Notes: Prefers texts",
        GOAL_WORDS,
        STRENGTH_WORDS,
        BARRIER_WORDS,
        DECLINE_REASON,
        "Citizens Advice: Money and debt advice",
        "Feeling more like myself",
        "2 March 2026, 10:15 Changed a goal (status) Morag another laptop (abcdef12)",
        "Bring the college leaflet",
    ):
        assert expected in text, expected
    assert "history" in access.keys


def test_long_date_needs_no_locale() -> None:
    assert long_date(date(2026, 3, 2)) == "2 March 2026"


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(words=st.text(max_size=300), name=st.text(max_size=60), contact=st.text(max_size=40))
def test_any_text_builds_a_plan_with_the_words_intact(
    catalogue: Catalogue, words: str, name: str, contact: str
) -> None:
    journey = Journey(
        participant=participant(preferred_name=name),
        goals=(Goal(id="g", participant_id=PID, words=words),),
    )
    plan = build_action_plan(journey, catalogue, TODAY, contact)
    if words.strip():
        goals = plan.section("glance")
        assert goals is not None
        # Runs of spaces close up and long words are shortened on the plan, never lost.
        tidy = " ".join(words.split())
        assert tidy[:100] in goals.items[0].text
    assert plan.keys[:1] == ("call",)
    assert "write" in plan.keys
