"""The table of scores under the chart, read back from the PDF in every language and print size:
each word whole in its cell, and a score's number on the line of its word ("now 5")."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.core.catalogue import load_catalogue
from journeyapp.core.documents import Words, build_action_plan
from journeyapp.core.records import Assessment
from journeyapp.paths import resource
from journeyapp.plans.documents import pdf_with_pages
from tests.journeys import AREAS, PID, TODAY, typical_journey

CATALOGUE = load_catalogue(resource("catalogue.toml"))
SCORES = st.lists(st.integers(1, 10), min_size=len(AREAS), max_size=len(AREAS))


@settings(max_examples=12, deadline=None)
@given(
    language=st.sampled_from(["en", "pl", "uk"]),
    large_print=st.booleans(),
    first=SCORES,
    latest=SCORES,
)
@example(language="pl", large_print=True, first=[3] * 7, latest=[5] * 7)
@example(language="pl", large_print=False, first=[2] * 7, latest=[3] * 7)
@example(language="uk", large_print=True, first=[3] * 7, latest=[3] * 7)
def test_every_word_of_the_score_table_is_whole_and_each_number_is_beside_its_word(
    language: str, large_print: bool, first: list[int], latest: list[int]
) -> None:
    """ "Przygotowanie do pracy" was printed "Przygotowani" / "e do pracy" in a large-print
    Polish plan (a word wider than its column, broken inside), and "było 2, teraz" / "3" put
    a score's number on a line of its own. Invariant: every word of the area names and of what
    1 and 10 mean is printed whole, and each "now" is followed by its number on its line."""
    journey = replace(
        typical_journey(),
        assessments=(
            Assessment(
                participant_id=PID,
                taken_on=date(2026, 3, 2),
                scores=dict(zip(AREAS, first, strict=True)),
            ),
            Assessment(
                participant_id=PID,
                taken_on=date(2026, 11, 2),
                scores=dict(zip(AREAS, latest, strict=True)),
            ),
        ),
    )
    t = Words(language, resource("translations"))
    plan = build_action_plan(journey, CATALOGUE, TODAY, words=t)
    data, _ = pdf_with_pages([plan], large_print)
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]
    tokens = set(" ".join(lines).split())
    for entry in CATALOGUE.outcome_areas:
        for words in (entry.label, entry.low, entry.high):
            for word in t(words).split():
                assert word in tokens, (word, t(words))
    # "was {first}, now {latest}": the word before the latest score, in this language.
    now = t("was {first}, now {latest}").split("{first}")[1].split("{latest}")[0].strip(" ,")
    beside = [line for line in lines if re.search(rf"(^| ){re.escape(now)} \d+$", line)]
    assert len(beside) == len(AREAS), lines
    assert not [line for line in lines if line == now or line.endswith(f", {now}")]


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("language", ["en", "pl", "uk"])
def test_what_the_parent_said_of_their_scores_is_printed_with_the_chart(
    language: str, large_print: bool
) -> None:
    """ "You said: “Feeling more like myself”" followed the table of scores and, in large print,
    was printed two pages after the chart, alone at the top of a page. It is read with the
    chart: on the page of its heading and legend."""
    t = Words(language, resource("translations"))
    plan = build_action_plan(typical_journey(), CATALOGUE, TODAY, words=t)
    data, _ = pdf_with_pages([plan], large_print)
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]
    said = [n for n, page in enumerate(pages) if "Feeling more like myself" in page]
    chart = [n for n, page in enumerate(pages) if t("How far you have come") in page]
    assert len(said) == 1
    assert said == chart
