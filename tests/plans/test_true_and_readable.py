"""Issue 15 read back from real PDFs: only true things, who to call, short, large print, languages."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.documents import Sender, Words, build_action_plan, build_subject_access
from journeyapp.core.enums import GoalStatus, ParticipantStatus
from journeyapp.core.records import Event, Goal, Journey, Pause, Step
from journeyapp.paths import resource
from journeyapp.plans.documents import pdf_with_pages
from tests.journeys import PID, TODAY, participant, sparse_journey, typical_journey

SENDER = Sender(
    organisation="One Parent Families Fife",
    keyworker="Morag Campbell",
    phone="01592 555 0123",
    email="morag@example.org",
    programme="Making It Work",
    device_name="Morag's laptop",
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


def words(language: str) -> Words:
    return Words(language, resource("translations"))


words_in = words


def read(data: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_a_date_that_has_passed_is_never_stated_as_a_commitment(catalogue: Catalogue) -> None:
    later = date(2026, 12, 20)  # the typical journey's step was due on 5 December
    data, _ = pdf_with_pages([build_action_plan(typical_journey(), catalogue, later)])
    text = flat(read(data))
    assert "Phone the college about open days" in text
    assert "5 December 2026" not in text
    assert "Still to do. We can pick a new date together." in text
    assert "will do this" not in text


def test_steps_of_goals_on_hold_are_not_printed(catalogue: Catalogue) -> None:
    goals = (
        Goal(id="h", participant_id=PID, words="Learn to drive", status=GoalStatus.ON_HOLD),
        Goal(id="d", participant_id=PID, words="Open a bank account", status=GoalStatus.ACHIEVED),
    )
    steps = (
        Step(participant_id=PID, goal_id="h", what="Book a lesson", due=date(2026, 11, 1)),
        Step(participant_id=PID, goal_id="d", what="Bring two bills", due=date(2026, 12, 9)),
    )
    journey = Journey(participant=participant(), goals=goals, steps=steps)
    data, _ = pdf_with_pages([build_action_plan(journey, catalogue, TODAY)])
    text = flat(read(data))
    assert "Learn to drive" in text
    assert "Book a lesson" not in text
    assert "Bring two bills" not in text


def test_a_break_replaces_the_pace_and_meeting_words(catalogue: Catalogue) -> None:
    journey = replace(
        typical_journey(),
        participant=participant(status=ParticipantStatus.PAUSED),
        pauses=(Pause(participant_id=PID, started_on=date(2026, 11, 1), reason="Family first"),),
    )
    data, _ = pdf_with_pages([build_action_plan(journey, catalogue, TODAY)])
    text = flat(read(data))
    assert "You are taking a break" in text
    for pace_words in ("ready to push on", "take things gently", "We meet every", "plan to meet"):
        assert pace_words not in text


def test_each_step_is_printed_under_its_own_goal(catalogue: Catalogue) -> None:
    goals = tuple(
        Goal(id=f"g{n}", participant_id=PID, words=f"Goal {name}") for n, name in enumerate("AB")
    )
    steps = (
        Step(participant_id=PID, goal_id="g1", what="Try it for two weeks (B)"),
        Step(participant_id=PID, goal_id="g0", what="Try it for two weeks (A)"),
    )
    journey = Journey(participant=participant(), goals=goals, steps=steps)
    data, _ = pdf_with_pages([build_action_plan(journey, catalogue, TODAY)])
    text = flat(read(data))
    a, b = text.index("Goal A"), text.index("Goal B")
    assert a < text.index("(A)") < b < text.index("(B)")
    assert text.count("Try it for two weeks") == 2


def test_who_to_call_is_on_the_first_page(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY, sender=SENDER)
    data, _ = pdf_with_pages([plan])
    first = " ".join(read(data)[0].split())
    for expected in (
        "One Parent Families Fife",
        "01592 555 0123",
        "Morag Campbell",
        "Making It Work",
    ):
        assert expected in first
    held = build_subject_access(typical_journey(), catalogue, TODAY, [], sender=SENDER)
    data, _ = pdf_with_pages([held])
    text = flat(read(data))
    assert "One Parent Families Fife" in text
    assert "01592 555 0123" in text


def test_sparse_plan_fits_two_pages_and_typical_three(catalogue: Catalogue) -> None:
    for journey, most in ((sparse_journey(), 2), (typical_journey(), 3)):
        plan = build_action_plan(journey, catalogue, TODAY, sender=SENDER)
        _, pages = pdf_with_pages([plan])
        assert pages <= most


def test_a_long_note_is_shortened_on_the_plan(catalogue: Catalogue) -> None:
    long_words = "I would like to " + "try many different things " * 300
    journey = Journey(
        participant=participant(), goals=(Goal(id="g", participant_id=PID, words=long_words),)
    )
    data, pages = pdf_with_pages([build_action_plan(journey, catalogue, TODAY)])
    assert pages <= 2
    assert "(the full words are in your record)" in flat(read(data))


def font_sizes(data: bytes) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            found.append((round(size * scale, 2), text.strip()))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_text_in_large_print_is_at_least_16_pt(catalogue: Catalogue, language: str) -> None:
    events = [
        Event(
            event_id="e1",
            at="2026-03-02T10:15:00+00:00",
            device_id="d",
            actor="Morag",
            participant_id=PID,
            kind="goals",
            record_id="g1",
            action="create",
            fields={},
        )
    ]
    for document in (
        build_action_plan(
            typical_journey(), catalogue, TODAY, sender=SENDER, words=words(language)
        ),
        build_subject_access(typical_journey(), catalogue, TODAY, events, sender=SENDER),
    ):
        data, _ = pdf_with_pages([document], large_print=True)
        sizes = font_sizes(data)
        assert len(sizes) > 50
        small = [(size, text) for size, text in sizes if size < 16]
        assert not small, small[:5]
        # The chart's scale numbers and the footer are among the texts checked.
        if document.document == "plan":
            assert any(text == "10" for _, text in sizes)
        assert any(text.startswith("Page 1") or "1" in text for _, text in sizes)


def test_ukrainian_and_polish_plans_print_their_catalogue_words(catalogue: Catalogue) -> None:
    for language in ("uk", "pl"):
        t = words(language)
        plan = build_action_plan(typical_journey(), catalogue, TODAY, sender=SENDER, words=t)
        data, _ = pdf_with_pages([plan])
        text = flat(read(data))
        for english in (
            "Who to call",
            "Your plan at a glance",
            "What happens next",
            "Every step counts.",
        ):
            assert t.has(english)
            assert t(english) in text
            assert english not in text
        assert t("Page {page} of {pages}", page=1, pages=3) in text  # the renderer's own words too


def _readings(extracted: str) -> set[str]:
    """A line of PDF text with Arabic presentation forms folded, as read either way round
    (text extractors differ on whether they reorder right-to-left lines)."""
    folded = unicodedata.normalize("NFKC", extracted).strip()
    return {folded, folded[::-1]}


def test_arabic_plan_prints_its_catalogue_words_right_to_left(catalogue: Catalogue) -> None:
    t = words("ar")
    plan = build_action_plan(typical_journey(), catalogue, TODAY, sender=SENDER, words=t)
    assert plan.rtl
    data, _ = pdf_with_pages([plan])
    lines = [line for page in read(data) for line in page.splitlines()]
    logical = {reading for line in lines for reading in _readings(line)}
    for english in (
        "Who to call",
        "Your plan at a glance",
        "What happens next",
        "Every step counts.",
    ):
        assert t.has(english)
        assert t(english) in logical, t(english)


def test_a_missing_translation_falls_back_to_english_per_sentence() -> None:
    t = words("pl")
    assert t("A sentence nobody translated.") == "A sentence nobody translated."
    assert t("Who to call") == "Do kogo dzwonić"
    assert t("Phone: {phone}", phone="0131") == "Telefon: 0131"


def test_what_we_hold_answers_a_subject_access_request(catalogue: Catalogue) -> None:
    from journeyapp.core.enums import ConsentPurpose, FeedbackSource
    from journeyapp.core.records import Consent, Feedback

    journey = replace(
        typical_journey(),
        consents=(
            Consent(participant_id=PID, purpose=ConsentPurpose.HOLDING_DATA, given=True, on=TODAY),
            Consent(
                participant_id=PID,
                purpose=ConsentPurpose.SHARING_WITH_PARTNERS,
                given=True,
                on=TODAY,
                detail="Fife College",
            ),
        ),
        feedback=(
            Feedback(
                participant_id=PID,
                source=FeedbackSource.PARTNER,
                said="Settled in well at the nursery",
                on=TODAY,
            ),
        ),
    )
    summer = Event(
        event_id="e1",
        at="2026-07-01T12:00:00+00:00",
        device_id="here",
        actor="Morag Campbell",
        participant_id=PID,
        kind="goals",
        record_id="g1",
        action="update",
        fields={"status": "achieved"},
    )
    held = build_subject_access(
        journey,
        catalogue,
        TODAY,
        [summer],
        sender=SENDER,
        retention_years=3,
        device_id="here",
    )
    assert held.keys[:7] == ("intro", "who", "why", "shared", "keep", "source", "rights")
    text = flat(read(pdf_with_pages([held])[0]))
    for expected in (
        "One Parent Families Fife holds your information.",
        "Keeping your information",  # why: from the consents given
        "Named partners you agreed to: Fife College",
        "Citizens Advice: Money and debt advice",  # shared: the referral made
        "for 3 more years",
        "You can ask us to delete your information.",
        "Information Commissioner's Office (ICO): phone 0303 123 1113",
        "ico.org.uk/make-a-complaint",
        "From: a partner organisation",
        "1 July 2026, 13:00",  # UK summer time, not UTC
        "Morag's laptop",
    ):
        assert expected in text, expected
    assert "everything" not in text.lower()
    feedback = held.section("feedback")
    assert feedback is not None
    assert "What you told us" not in feedback.heading


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400),
    name=st.text(max_size=40),
)
def test_any_text_prints_on_a_right_to_left_page(
    catalogue: Catalogue, words: str, name: str
) -> None:
    journey = replace(
        typical_journey(),
        participant=participant(preferred_name=name or "x"),
        goals=(Goal(id="g1", participant_id=PID, words=words),),
        steps=(Step(participant_id=PID, goal_id="g1", what=words),),
    )
    plan = build_action_plan(journey, catalogue, TODAY, sender=SENDER, words=words_in("ar"))
    data, pages = pdf_with_pages([plan])
    assert data.startswith(b"%PDF")
    assert 1 <= pages <= 4
    # Plain Latin words of the parent's survive, whatever surrounds them.
    text = "".join(flat(read(data)).split())
    for word in [w for w in words.split() if w.isascii() and w.isalnum() and len(w) <= 12][:3]:
        assert word in text


def test_a_by_when_in_the_parents_words_does_not_run_into_the_next_sentence(
    catalogue: Catalogue,
) -> None:
    goals = (
        Goal(
            id="g",
            participant_id=PID,
            words="Get back into care work",
            status=GoalStatus.NOT_STARTED,
            by_when="by the summer",
        ),
    )
    journey = Journey(participant=participant(), goals=goals)
    plan = build_action_plan(journey, catalogue, TODAY)
    for large_print in (False, True):
        text = flat(read(pdf_with_pages([plan], large_print=large_print)[0]))
        assert "“by the summer”. We will choose the next step together." in text, text


def test_support_left_for_now_says_which_was_maybe_later(catalogue: Catalogue) -> None:
    """The heading over services the parent did not choose covers both answers they can give
    ("not for me now", "maybe later"), and each service says which one it was."""
    from journeyapp.core.enums import Decision
    from journeyapp.core.records import Choice

    journey = typical_journey()
    later = Choice(
        participant_id=PID,
        service="volunteering",
        decision=Decision.MAYBE_LATER,
        decided_on=date(2026, 3, 9),
    )
    journey = replace(journey, choices=(*journey.choices, later))
    data, _ = pdf_with_pages([build_action_plan(journey, catalogue, TODAY)])
    text = flat(read(data))
    assert "Support you are leaving for now" in text
    assert "“not for now” to" not in text  # the old heading claimed both were "not for now"
    left = text[text.index("Support you are leaving for now") :]
    assert "Maybe later." in left
    assert "Not for now." in left


@pytest.mark.parametrize(
    "statuses",
    [
        (GoalStatus.ACHIEVED,),
        (GoalStatus.ON_HOLD, GoalStatus.ACHIEVED),
        (GoalStatus.CHANGED_MY_MIND,),
        (GoalStatus.ACHIEVED,) * 7,
        (GoalStatus.WORKING_ON_IT, GoalStatus.ACHIEVED),
        (),
    ],
)
def test_the_front_page_shows_goals_done_or_on_hold_when_none_is_being_worked_on(
    catalogue: Catalogue, statuses: tuple[GoalStatus, ...]
) -> None:
    """A parent whose goals are all done (or on hold) sees them on the front page; "We will fill
    in this plan together as we go." is only for a plan with no goals yet (it was printed on
    the front page of a parent who had moved on into work, their goal done)."""
    goals = tuple(
        Goal(id=f"g{n}", participant_id=PID, words=f"Goal number {n} in my words", status=status)
        for n, status in enumerate(statuses)
    )
    journey = Journey(participant=participant(), goals=goals)
    data, _ = pdf_with_pages([build_action_plan(journey, catalogue, TODAY)])
    pages = [" ".join(page.split()) for page in read(data)]
    text = " ".join(pages)
    assert ("We will fill in this plan together as we go." in pages[0]) == (not goals)
    assert "Goal number 0 in my words" in pages[0] or not goals
    for n in range(len(goals)):
        assert text.count(f"Goal number {n} in my words") == 1  # each goal once, none lost
    if len(goals) > 5:
        assert "And 2 more goals, on the next pages." in pages[0]
