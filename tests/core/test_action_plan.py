"""What a printed plan says: sections, the parent's words, plain language, and any text at all."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.action_plan import build_action_plan, build_subject_access, long_date
from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.enums import GoalStatus, ParticipantStatus
from journeyapp.core.records import Assessment, Event, Goal, Journey, Pause
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


def test_typical_plan_has_every_section_in_order(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY, "07700 900123")
    assert plan.title == "Your plan"
    assert plan.keys == (
        "about",
        "strengths",
        "goals",
        "next_steps",
        "in_the_way",
        "chosen",
        "not_for_now",
        "in_touch",
        "pace",
        "done",
        "progress",
        "next",
        "write",
    )
    goals = plan.section("goals")
    assert goals is not None
    assert goals.heading == "What you want to do"
    done = plan.section("done")
    assert done is not None
    assert done.heading == "What you have done so far"
    about = plan.section("about")
    assert about is not None
    assert "Your keyworker is Morag." in about.intro
    assert "You can reach Morag on 07700 900123." in about.intro


def test_parents_words_are_quoted_and_in_your_words_said_once(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    text = plan.text()
    assert f"“{STRENGTH_WORDS}” (in your words)" in text
    assert text.count("(in your words)") == 1
    for words in (GOAL_WORDS, BARRIER_WORDS, DECLINE_REASON, MILESTONE_NOTE):
        assert f"“{words}”" in text
    # Goals agreed together are not presented as the parent's own words.
    assert "“Sort out childcare" not in text
    assert "Sort out childcare for two mornings" in text


def test_sections_say_what_matters(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    steps = plan.section("next_steps")
    assert steps is not None
    # Open steps of live goals only, soonest first; a done step is under "done", not "next".
    assert [i.text for i in steps.items] == [
        "Phone the college about open days",
        "Find out about help with course fees",
    ]
    assert steps.items[0].details == ("You will do this, by 5 December 2026.",)
    assert steps.items[1].details == ("Your keyworker, Morag, will do this.",)
    done = plan.section("done")
    assert done is not None
    assert [i.text for i in done.items] == ["Agreed my plan", "Visit the nursery"]
    not_now = plan.section("not_for_now")
    assert not_now is not None
    assert "change your mind" in not_now.intro[0]
    pace = plan.section("pace")
    assert pace is not None
    assert pace.intro[:2] == ("You want to take things gently.", "We meet every two weeks.")
    progress = plan.section("progress")
    assert progress is not None
    assert progress.chart is not None
    assert progress.chart.areas[0] == "Confidence"
    assert [s.dashed for s in progress.chart.series] == [True, False]
    assert progress.items[0].text == "Confidence: the same, at 3."
    assert progress.items[1].text == "Wellbeing: up 1 point, from 3 to 4."
    nxt = plan.section("next")
    assert nxt is not None
    # Last contact 20 November, fortnightly: next meeting 4 December.
    assert "We plan to meet again around 4 December 2026." in nxt.intro
    assert "Last time we agreed: Bring the college leaflet" in nxt.intro


def test_sparse_plan_leaves_out_empty_sections(catalogue: Catalogue) -> None:
    plan = build_action_plan(sparse_journey(), catalogue, TODAY)
    assert plan.keys == ("next", "write")
    assert all(s.intro or s.items or s.write_space for s in plan.sections)


def test_pause_is_described_as_the_parents_choice(catalogue: Catalogue) -> None:
    journey = replace(
        typical_journey(),
        participant=participant(status=ParticipantStatus.PAUSED),
        pauses=(Pause(participant_id=PID, started_on=date(2026, 11, 1), reason="Family first"),),
    )
    plan = build_action_plan(journey, catalogue, TODAY)
    pace = plan.section("pace")
    assert pace is not None
    assert "That is your choice, and that is fine." in pace.intro
    nxt = plan.section("next")
    assert nxt is not None
    assert nxt.intro[0].startswith("You are on a break.")


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
    assert progress.items[0].text == "Confidence: 4 out of 10."


def test_goals_are_listed_working_on_first_then_done(catalogue: Catalogue) -> None:
    statuses = [GoalStatus.ACHIEVED, GoalStatus.NOT_STARTED, GoalStatus.WORKING_ON_IT]
    goals = tuple(
        Goal(id=f"g{n}", participant_id=PID, words=f"goal {s.value}", status=s)
        for n, s in enumerate(statuses)
    )
    plan = build_action_plan(Journey(participant=participant(), goals=goals), catalogue, TODAY)
    section = plan.section("goals")
    assert section is not None
    assert [i.text.split("”")[0].lstrip("“") for i in section.items] == [
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
    steps = plan.section("next_steps")
    assert goals is not None
    assert len(goals.items) == 50
    assert steps is not None
    assert len(steps.items) == 50


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
        "2 March 2026, 10:15: Changed a goal.",
        "What changed: status.",
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
        goals = plan.section("goals")
        assert goals is not None
        assert words.strip() in goals.items[0].text
    assert plan.keys[-2:] == ("next", "write")
