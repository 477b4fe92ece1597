"""A catalogue key the partnership's list does not have (a milestone type from a laptop with
another catalogue, merged into a coordinator's caseload; an entry retired since) is read in
words made from the key wherever it is shown, never as the key itself: the one lookup
(Catalogue.label and Catalogue.shown) for the window, the History, the plan, the report and
the command line, marked "(not in this partnership's list)" where a keyworker or coordinator
needs to know."""

from __future__ import annotations

from datetime import date
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.catalogue import NOT_LISTED, Catalogue, load_catalogue, readable, unlisted
from journeyapp.core.describe import code_words, describe
from journeyapp.core.documents import Words
from journeyapp.core.documents.common import label as plan_label
from journeyapp.core.records import Milestone
from journeyapp.paths import resource

# Keys as a partnership writes them in its catalogue.toml: lower case words joined by "_".
KEYS = st.from_regex(r"[a-z]{2,10}(_[a-z0-9]{1,10}){0,4}", fullmatch=True)


@cache
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


def test_a_merged_milestone_type_reads_in_words() -> None:
    assert catalogue().label("milestone_types", "volunteering_start") == "Volunteering start"
    assert (
        catalogue().shown("milestone_types", "volunteering_start")
        == "Volunteering start (not in this partnership's list)"
    )


@given(key=KEYS)
def test_every_place_reads_an_unlisted_key_in_the_same_words(key: str) -> None:
    c = catalogue()
    if key in c.key_set("milestone_types"):
        return
    words = readable(key)
    assert "_" not in words
    assert words[:1].isupper()
    assert c.label("milestone_types", key) == words
    assert c.shown("milestone_types", key) == unlisted(key) == f"{words} {NOT_LISTED}"
    # The plan (a parent reads it: no mark), the History and the "Remove …?" question.
    assert plan_label(c, "milestone_types", key, Words("en", resource("translations"))) == words
    assert code_words(c, None, "milestones", "type", key) == words
    made = Milestone(participant_id="p", type=key, achieved_on=date(2020, 1, 2))
    assert f"“{words}”" in describe(made, c, date(2020, 2, 1))
    # Typed back as shown, it is the key it was (a correction keeps it).
    assert c.find_key("milestone_types", unlisted(key), [key]) == key
