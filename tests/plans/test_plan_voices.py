"""Whose words a self-assessment comment is, as the printed plan says it, in every language: only
the parent's own words read "You said: …"; a comment noted together or by the keyworker says so
and is never put in the parent's mouth (co-production: who said it is part of the record)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from journeyapp.core.enums import Voice
from tests.journeys import typical_journey
from tests.plans.test_plan_on_a_break import (
    INVISIBLE,
    LANGUAGES,
    PUNCTUATION,
    print_plan,
    words,
)

COMMENT = "Feeling more like myself"
LABELS = {
    Voice.PARENT: "You said: {words}",
    Voice.TOGETHER: "We noted together: {words}",
    Voice.KEYWORKER: "Your keyworker noted: {words}",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("voice", list(Voice))
def test_a_self_assessment_comment_is_labelled_by_whose_words_it_is(
    language: str, voice: Voice
) -> None:
    journey = typical_journey()
    first, latest = journey.assessments
    journey = replace(journey, assessments=(first, replace(latest, voice=voice)))
    today = latest.taken_on
    t = words(language)
    printed = print_plan(journey, today, language)
    assert COMMENT in printed.flat
    found = set()
    for who, label in LABELS.items():
        start = t(label, words="@").split("@")[0].translate(INVISIBLE).strip(PUNCTUATION + " ")
        assert start, label
        if t.rtl:
            runs = {
                w.strip(PUNCTUATION + " ") for line in printed.lines for w in (line, line[::-1])
            }
            shown = any(start in run for run in runs)
        else:
            shown = start in printed.flat
        if shown:
            found.add(who)
    assert voice in found
    # The others' labels are not printed for it ("You said" appears nowhere else in this plan).
    assert found == {voice}
    # Quotation marks, and "(in your words)", for the parent's own words only.
    # (Spaces aside: a text extractor may put one inside the marks of a right-to-left line.)
    quoted = t("“{words}”", words=COMMENT).translate(INVISIBLE).replace(" ", "")
    drawn = {quoted, quoted[::-1].replace(COMMENT[::-1].replace(" ", ""), COMMENT.replace(" ", ""))}
    flat = printed.flat.replace(" ", "")
    assert any(q in flat for q in drawn) == (voice is Voice.PARENT)
