"""The plan of a parent taking a break, read back from real PDFs in every language: no step
shows a date to aim for, and the day recorded to get in touch again is printed with who chose it."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.documents import Words, build_action_plan
from journeyapp.core.enums import GoalStatus, ParticipantStatus, Voice
from journeyapp.core.records import Goal, Journey, Pause, Step
from journeyapp.paths import resource
from journeyapp.plans.documents import pdf_with_pages
from tests.journeys import PID, TODAY, participant, typical_journey

LANGUAGES = ("en", "pl", "uk", "ar")
# Marks around words that a text extractor keeps beside a date ("2026." or "،24").
PUNCTUATION = ".,:;!?،؛«»“”„\"'()[]"
# Bidi isolates and marks: the PDF may carry them, a reader never sees them.
INVISIBLE = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


@cache
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


@cache
def words(language: str) -> Words:
    return Words(language, resource("translations"))


@dataclass(frozen=True)
class Printed:
    """A plan as printed: its lines and its words, as a text extractor reads them back."""

    lines: tuple[str, ...]
    tokens: tuple[str, ...]
    flat: str

    @classmethod
    def of(cls, data: bytes, first: int | None = None) -> Printed:
        """The whole PDF, or its `first` pages only."""
        pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages[:first]]
        text = unicodedata.normalize("NFKC", "\n".join(pages)).translate(INVISIBLE)
        lines = tuple(" ".join(line.split()) for line in text.splitlines())
        tokens = tuple(w for w in (w.strip(PUNCTUATION) for w in text.split()) if w)
        return cls(lines, tokens, " ".join(text.split()))

    def shows_date(self, day: date, t: Words) -> bool:
        """True when the date is printed, its words in either order (right-to-left lines may be
        read back in the order they are drawn)."""
        wanted = [w.strip(PUNCTUATION) for w in t.date(day).split()]
        n = len(wanted)
        runs = {tuple(self.tokens[i : i + n]) for i in range(len(self.tokens) - n + 1)}
        return tuple(wanted) in runs or tuple(reversed(wanted)) in runs

    def says(self, sentence: str, t: Words) -> bool:
        """True when a fixed sentence is printed: within the running text, or (right to left)
        as a line of its own, read either way round."""
        if not t.rtl:
            return sentence in self.flat
        return any(sentence in (line, line[::-1]) for line in self.lines)


def print_plan(journey: Journey, today: date, language: str, large_print: bool = False) -> Printed:
    plan = build_action_plan(journey, catalogue(), today, words=words(language))
    data, _ = pdf_with_pages([plan], large_print)
    return Printed.of(data)


def on_a_break(
    today: date,
    steps_due: list[list[date | None]],
    *,
    follow_up_on: date | None = None,
    voice: Voice = Voice.PARENT,
    day_chosen_by: Voice | None = None,
    started_on: date | None = None,
    statuses: list[GoalStatus] | None = None,
    status: ParticipantStatus = ParticipantStatus.PAUSED,
    with_pause: bool = True,
) -> Journey:
    """A parent taking a break, with goals whose steps are due on the days given (None: undated);
    `day_chosen_by` None: as a break recorded before the day had a chooser of its own."""
    statuses = statuses or [GoalStatus.WORKING_ON_IT] * len(steps_due)
    goals = tuple(
        Goal(id=f"g{n}", participant_id=PID, words=f"Goal {n} in my words", status=status)
        for n, status in enumerate(statuses)
    )
    steps = tuple(
        Step(participant_id=PID, goal_id=f"g{n}", what=f"Step {n}.{m} to take", due=due)
        for n, dues in enumerate(steps_due)
        for m, due in enumerate(dues)
    )
    pauses = ()
    if with_pause:
        pauses = (
            Pause(
                participant_id=PID,
                started_on=started_on or today - timedelta(days=3),
                reason="Moving house",
                voice=voice,
                follow_up_on=follow_up_on,
                follow_up_chosen_by=day_chosen_by,
            ),
        )
    return Journey(
        participant=participant(status=status, joined_on=today - timedelta(days=500)),
        goals=goals,
        steps=steps,
        pauses=pauses,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_step_shows_no_date_to_aim_for_during_a_break(language: str) -> None:
    """The last session's example: a step aiming for 24 December, printed during a break."""
    today = date(2026, 12, 4)
    christmas_eve, last_week = date(2026, 12, 24), date(2026, 11, 27)
    t = words(language)
    printed = print_plan(on_a_break(today, [[christmas_eve, last_week, None]]), today, language)
    assert not printed.shows_date(christmas_eve, t)
    assert not printed.shows_date(last_week, t)
    assert t.has("No date while you take a break.")
    if not t.rtl:
        assert printed.flat.count(t("No date while you take a break.")) == 2
        aiming = t("Aiming for {date}.", date="@").split("@")[0].strip()  # "Aiming for"
        assert aiming not in printed.flat
        assert t("Still to do. We can pick a new date together.") not in printed.flat
    assert printed.says(t("When you are ready, we can pick new dates for your steps together."), t)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("voice", list(Voice))
def test_the_day_to_get_in_touch_is_printed_with_who_chose_it(language: str, voice: Voice) -> None:
    """A break recorded before its day had a chooser of its own (m019) prints as it did: the
    break's voice says who chose the day."""
    today = date(2026, 12, 4)
    day = date(2027, 1, 11)
    t = words(language)
    journey = on_a_break(today, [[None]], follow_up_on=day, voice=voice)
    printed = print_plan(journey, today, language)
    assert printed.shows_date(day, t)
    chosen = {
        Voice.PARENT: "You chose this day.",
        Voice.TOGETHER: "We chose this day together.",
        Voice.KEYWORKER: "Your keyworker chose this day.",
    }
    for who, sentence in chosen.items():
        assert t.has(sentence)
        assert printed.says(t(sentence), t) == (who is voice), sentence
    assert printed.says(t("We will get in touch again on {date}.", date=t.date(day)), t) or t.rtl
    assert not printed.says(t("Get in touch whenever you are ready."), t)
    assert printed.says(t("You can get in touch at any time."), t)


CHOSEN = {
    Voice.PARENT: "You chose this day.",
    Voice.TOGETHER: "We chose this day together.",
    Voice.KEYWORKER: "Your keyworker chose this day.",
}


def reason_as_the_parents(printed: Printed, t: Words) -> bool | None:
    """Whether the plan prints the break's reason as the parent's words ("You said: …", True)
    or as someone else's ("Why: …", False); None when it prints neither, or both."""
    said = t("You said: {words}", words="@").split("@")[0].strip()
    why = t("Why: {why}", why="@").split("@")[0].strip()
    if t.rtl:
        # Right to left, the label and the reason are read back as runs of their own.
        said, why = (w.translate(INVISIBLE).strip(PUNCTUATION + " ") for w in (said, why))
        labels = {w.strip(PUNCTUATION + " ") for line in printed.lines for w in (line, line[::-1])}
        has_said, has_why = said in labels, why in labels
    else:
        has_said, has_why = said in printed.flat, why in printed.flat
    return None if has_said == has_why else has_said


@pytest.mark.parametrize("voice", list(Voice))
@pytest.mark.parametrize("chosen_by", list(Voice))
def test_whose_reason_and_who_chose_the_day_are_printed_apart(
    voice: Voice, chosen_by: Voice
) -> None:
    """The break had one voice for both: a parent's own reason ("You said: …") with a day the
    keyworker suggested printed "You chose this day.". Every combination, each said as it is."""
    today = date(2026, 12, 4)
    t = words("en")
    journey = on_a_break(
        today, [[None]], follow_up_on=date(2027, 1, 11), voice=voice, day_chosen_by=chosen_by
    )
    printed = print_plan(journey, today, "en")
    for who, sentence in CHOSEN.items():
        assert printed.says(sentence, t) == (who is chosen_by), (sentence, printed.flat)
    if voice is Voice.PARENT:
        assert "You said: “Moving house”" in printed.flat
        assert "Why:" not in printed.flat
    else:
        assert "Why: Moving house" in printed.flat
        assert "You said:" not in printed.flat


@settings(max_examples=40, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    today=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    follow_up=st.integers(-60, 400),
    voice=st.sampled_from(list(Voice)),
    chosen_by=st.sampled_from(list(Voice)),
    large_print=st.booleans(),
)
def test_the_reasons_voice_and_the_days_chooser_never_change_each_others_words(
    language: str,
    today: date,
    follow_up: int,
    voice: Voice,
    chosen_by: Voice,
    large_print: bool,
) -> None:
    """Any break voice with any day chooser, any language, either print size, a day to come or
    gone: the reason is worded by its voice alone, and the day by its chooser alone."""
    started_on = today - timedelta(days=3)
    follow_up_on = started_on + timedelta(days=max(follow_up, 0))
    t = words(language)
    journey = on_a_break(
        today,
        [[None]],
        follow_up_on=follow_up_on,
        voice=voice,
        day_chosen_by=chosen_by,
        started_on=started_on,
    )
    printed = print_plan(journey, today, language, large_print)
    for who, sentence in CHOSEN.items():
        assert printed.says(t(sentence), t) == (who is chosen_by), sentence
    assert reason_as_the_parents(printed, t) is (voice is Voice.PARENT)
    # The same break with the other voice and chooser swapped about says the swapped words.
    swapped = on_a_break(
        today,
        [[None]],
        follow_up_on=follow_up_on,
        voice=chosen_by,
        day_chosen_by=voice,
        started_on=started_on,
    )
    again = print_plan(swapped, today, language, large_print)
    for who, sentence in CHOSEN.items():
        assert again.says(t(sentence), t) == (who is voice), sentence
    assert reason_as_the_parents(again, t) is (chosen_by is Voice.PARENT)


def test_a_day_that_has_passed_during_the_break_is_still_printed_as_planned() -> None:
    today = date(2026, 12, 4)
    day = date(2026, 12, 2)
    printed = print_plan(on_a_break(today, [[]], follow_up_on=day), today, "en")
    assert "We planned to get in touch again on 2 December 2026." in printed.flat
    assert "We will get in touch again" not in printed.flat


OFFSETS = st.one_of(st.none(), st.integers(-200, 400))


@settings(max_examples=30, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    today=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    started_ago=st.integers(0, 300),
    follow_up=st.one_of(st.none(), st.integers(0, 400)),
    voice=st.sampled_from(list(Voice)),
    status=st.sampled_from([ParticipantStatus.PAUSED, ParticipantStatus.ACTIVE]),
    goals=st.lists(
        st.tuples(st.sampled_from(list(GoalStatus)), st.lists(OFFSETS, max_size=4)),
        min_size=1,
        max_size=7,
    ),
    large_print=st.booleans(),
)
def test_on_any_break_no_step_date_is_printed_and_the_day_to_get_in_touch_is(
    language: str,
    today: date,
    started_ago: int,
    follow_up: int | None,
    voice: Voice,
    status: ParticipantStatus,
    goals: list[tuple[GoalStatus, list[int | None]]],
    large_print: bool,
) -> None:
    """Any parent on a break (their status paused, or a break open), any goals and steps, any
    day of printing, any language, both print sizes: no step's date is printed, and a day
    recorded to get in touch again always is."""
    started_on = today - timedelta(days=started_ago)
    follow_up_on = None if follow_up is None else started_on + timedelta(days=follow_up)
    steps_due = [
        [None if o is None else today + timedelta(days=o) for o in offsets] for _, offsets in goals
    ]
    journey = on_a_break(
        today,
        steps_due,
        follow_up_on=follow_up_on,
        voice=voice,
        started_on=started_on,
        statuses=[s for s, _ in goals],
        status=status,
    )
    t = words(language)
    printed = print_plan(journey, today, language, large_print)
    # Days the plan prints for other reasons may share a step's date.
    other_days = {today, started_on, follow_up_on}
    for due in {d for dues in steps_due for d in dues if d is not None} - other_days:
        assert not printed.shows_date(due, t), (due, printed.flat)
    if follow_up_on is not None:
        assert printed.shows_date(follow_up_on, t)
        assert not printed.says(t("Get in touch whenever you are ready."), t)
    else:
        assert printed.says(t("Get in touch whenever you are ready."), t)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("voice", list(Voice))
def test_only_the_parents_own_reason_for_a_break_reads_as_what_they_said(
    language: str, voice: Voice
) -> None:
    """A reason agreed together or written by the keyworker is printed as the reason, not as
    "You said: …" (it was, without quotation marks, as if the parent had said it)."""
    today = date(2026, 12, 4)
    t = words(language)
    printed = print_plan(on_a_break(today, [[]], voice=voice), today, language)
    said = t("You said: {words}", words="@").split("@")[0].strip()
    why = t("Why: {why}", why="@").split("@")[0].strip()
    if t.rtl:
        # Right to left, the label and the reason are read back as runs of their own.
        said, why = (w.translate(INVISIBLE).strip(PUNCTUATION + " ") for w in (said, why))
        labels = {w.strip(PUNCTUATION + " ") for line in printed.lines for w in (line, line[::-1])}
        assert (said in labels) == (voice is Voice.PARENT)
        assert (why in labels) == (voice is not Voice.PARENT)
    else:
        assert (said in printed.flat) == (voice is Voice.PARENT)
        assert (why in printed.flat) == (voice is not Voice.PARENT)
    assert "Moving house" in printed.flat


@settings(max_examples=20, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    today=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    status=st.sampled_from([ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED]),
    dues=st.lists(st.integers(-200, 400), min_size=1, max_size=5),
)
def test_a_parent_who_has_moved_on_is_shown_no_step_date(
    language: str, today: date, status: ParticipantStatus, dues: list[int]
) -> None:
    """Once a parent has moved on no date is aimed for, and no new one will be picked
    together: the steps still open print who was to do them, without a date."""
    steps_due: list[list[date | None]] = [[today + timedelta(days=o) for o in dues]]
    journey = on_a_break(today, steps_due, status=status, with_pause=False)
    t = words(language)
    printed = print_plan(journey, today, language)
    for due in {d for d in steps_due[0] if d is not None} - {today}:
        assert not printed.shows_date(due, t), due
    assert not printed.says(t("Still to do. We can pick a new date together."), t)
    assert "Step 0.0 to take" in printed.flat


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("goals", [6, 7])
def test_the_front_page_counts_the_goals_that_follow_in_good_grammar(
    language: str, goals: int
) -> None:
    """Six goals being worked on: the front page shows five and says one more follows ("And
    1 more goals, on the next pages." it said); seven: the count (in Polish without a case
    that fits only some numbers: "I jeszcze 2 celów")."""
    today = date(2026, 12, 4)
    t = words(language)
    journey = on_a_break(today, [[]] * goals, status=ParticipantStatus.ACTIVE, with_pause=False)
    printed = print_plan(journey, today, language)
    one = t("And one more goal, later in this plan.")
    assert t.has("And one more goal, later in this plan.")
    many = t("And {count} more goals, on the next pages.", count=t.number(goals - 5))
    assert printed.says(one, t) == (goals == 6)
    assert printed.says(many, t) == (goals == 7) or t.rtl
    assert "celów" not in printed.flat


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_parent_not_on_a_break_sees_the_date_aimed_for_not_a_deadline(language: str) -> None:
    """Not on a break, a step still shows the date aimed for, in every language, and not as a
    deadline: Polish said "Plan: do 24 grudnia 2026." and Ukrainian "Плануємо до 24 грудня
    2026." ("by 24 December"), where English says "Aiming for"."""
    today = date(2026, 12, 4)
    christmas_eve = date(2026, 12, 24)
    t = words(language)
    journey = on_a_break(
        today, [[christmas_eve]], status=ParticipantStatus.ACTIVE, with_pause=False
    )
    printed = print_plan(journey, today, language)
    assert printed.shows_date(christmas_eve, t)
    day = t.date(christmas_eve)
    for by in ("do", "до", "by", "until"):
        assert f"{by} {day}" not in printed.flat


@pytest.mark.parametrize("language", LANGUAGES)
def test_in_large_print_the_front_page_still_says_the_parent_is_taking_a_break(
    language: str,
) -> None:
    """In large print a break's lines did not all fit under the front page's goals, so the
    whole of "Your break" moved to page 2 and left the front page's end empty: a parent on a
    break read page 1 without a word about it. Now the heading and its first lines stay on
    the front page and the rest flows on."""
    t = words(language)
    journey = replace(
        typical_journey(),
        participant=participant(status=ParticipantStatus.PAUSED),
        pauses=(
            Pause(
                participant_id=PID,
                started_on=date(2026, 11, 20),
                reason="Moving house",
                follow_up_on=date(2027, 1, 11),
            ),
        ),
    )
    plan = build_action_plan(journey, catalogue(), TODAY, words=t)
    data, _ = pdf_with_pages([plan], large_print=True)
    front, whole = Printed.of(data, first=1), Printed.of(data)
    assert front.says(t("Your break"), t)
    assert front.says(t("That is your choice, and that is fine."), t)
    assert whole.shows_date(date(2027, 1, 11), t)


@settings(max_examples=25, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    today=st.dates(date(2024, 1, 1), date(2032, 12, 31)),
    follow_up=st.one_of(st.none(), st.integers(0, 400)),
    voice=st.sampled_from(list(Voice)),
    steps=st.lists(st.lists(OFFSETS, max_size=6), max_size=9),
    large_print=st.booleans(),
)
def test_during_a_break_the_break_is_on_the_front_page(
    language: str,
    today: date,
    follow_up: int | None,
    voice: Voice,
    steps: list[list[int | None]],
    large_print: bool,
) -> None:
    """Five goals with two steps each filled the front page, and "Your break" went to page 2:
    a parent on a break read their front page without a word about it. Any number of goals
    and steps, any language, both print sizes: all of "Your break" is on page 1."""
    started_on = today - timedelta(days=3)
    follow_up_on = None if follow_up is None else started_on + timedelta(days=follow_up)
    steps_due = [
        [None if o is None else today + timedelta(days=o) for o in offsets] for offsets in steps
    ]
    journey = on_a_break(
        today, steps_due, follow_up_on=follow_up_on, voice=voice, started_on=started_on
    )
    t = words(language)
    plan = build_action_plan(journey, catalogue(), today, words=t)
    data, _ = pdf_with_pages([plan], large_print)
    front = Printed.of(data, first=1)
    section = plan.section("next")
    assert section.heading == t("Your break")
    # The heading, and the block's last line (a fixed sentence, so read back in any
    # direction): everything between them is on the page too.
    assert front.says(section.heading, t)
    assert front.says(section.intro[-1], t), (section.intro[-1], front.flat)
    assert front.shows_date(started_on, t)
    if follow_up_on is not None:
        assert front.shows_date(follow_up_on, t)
    if not t.rtl:
        for line in section.intro:
            assert line in front.flat, (line, front.flat)
