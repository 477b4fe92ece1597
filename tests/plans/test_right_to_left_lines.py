"""Words written in English on a right-to-left (Arabic) plan: a step, a referral, and the
partnership's own words for what 1 and 10 mean where it gave none in Arabic. Each keeps its
own order on the page: its full stop on the right ("Phone the college.", never ".Phone the
college"). Checked as the page draws each line (plans.scripts.visual_runs, left to right), and
the PDF is made and read back."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.core.catalogue import parse_catalogue
from journeyapp.core.documents import Words, build_action_plan
from journeyapp.paths import resource
from journeyapp.plans.documents import pdf_with_pages
from journeyapp.plans.scripts import ISOLATES, visual_runs
from tests.catalogues import DEFAULT
from tests.journeys import TODAY, typical_journey

_HIGH = 'high = "I feel well in body and mind most days."'

# English as a keyworker writes it: words, then a full stop, a bracket or a question mark.
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC", min_size=3, max_size=8)
_ENGLISH = st.tuples(
    # Two words at least: one short word ("n.") is also found inside a name ("Siobhán.").
    st.lists(_WORD, min_size=2, max_size=5).map(" ".join),
    st.sampled_from([".", "!", "?", ").", " (soon).", "..."]),
).map("".join)


def _texts(value: object) -> Iterator[str]:
    """Every piece of text in a document (its sections, items, details and table cells)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for each in value:
            yield from _texts(each)


def _as_drawn(text: str) -> str:
    """A line of a right-to-left page as it is drawn, left to right (isolates are not drawn)."""
    return "".join(run for run, _rtl in visual_runs(text, True))


@settings(max_examples=40, deadline=None)
@given(step=_ENGLISH, high=_ENGLISH, referral=_ENGLISH)
def test_english_words_on_an_arabic_plan_keep_their_full_stop_on_the_right(
    step: str, high: str, referral: str
) -> None:
    catalogue = parse_catalogue(DEFAULT.replace(_HIGH, f'high = "{high}"'), "ours.toml")
    journey = typical_journey()
    goal = journey.goals[0]
    steps = tuple(
        replace(s, what=step) if s.goal_id == goal.id and s.done_on is None else s
        for s in journey.steps
    )
    referrals = tuple(replace(r, to=referral, service="") for r in journey.referrals[:1])
    journey = replace(journey, steps=steps, referrals=referrals)
    plan = build_action_plan(journey, catalogue, TODAY, words=Words("ar", resource("translations")))
    untouched = str.maketrans("", "", ISOLATES)
    for written in (step, high, referral):
        lines = [text for text in _texts(plan) if written in text.translate(untouched)]
        assert lines, written
        for line in lines:
            assert written in _as_drawn(line), (written, _as_drawn(line))
    data, _pages = pdf_with_pages([plan], False)
    printed = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    for written in (step, high, referral):
        # Read back: the words are on the page (a bidi reader may split them around marks).
        assert written.split()[0].strip(".!?()") in printed
