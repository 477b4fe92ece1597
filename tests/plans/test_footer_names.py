"""The parent's name in every page's footer, whole, so a dropped page can be put back: a long
name takes two lines in large print instead of losing its end ("… Kowalczy…")."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.documents import Words, build_action_plan, build_subject_access
from journeyapp.paths import resource
from journeyapp.plans.documents import pdf_with_pages
from tests.journeys import TODAY, many_goals_journey

# Parts of long names parents have: hyphenated, accented, Cyrillic, several given names.
PARTS = (
    "Łucja-Anastasiia",
    "Abdel-Rahman",
    "Kowalczyk-Szewczyk",
    "O'Sullivan-MacGregor",
    "Nguyễn",
    "Олександра",
    "Віталіївна",
    "Siobhán",
    "Fitzgerald",
    "Mohammed",
    "Ní",
    "Wiśniewska",
    "(Shiv)",
    "Jr.",
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


def _pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.lists(st.sampled_from(PARTS), min_size=2, max_size=4)
    .map(" ".join)
    .filter(lambda n: len(n) <= 50),
    language=st.sampled_from(["en", "pl", "uk", "ar"]),
    held=st.booleans(),
)
@example(name="Łucja-Anastasiia Abdel-Rahman Kowalczyk-Szewczyk", language="en", held=False)
@example(name="Łucja-Anastasiia Abdel-Rahman Kowalczyk-Szewczyk", language="ar", held=True)
@example(name="Anastasiia O'Sullivan-MacGregor Kowalczyk Jr.", language="ar", held=False)
def test_a_long_name_is_whole_in_every_large_print_footer(
    catalogue: Catalogue, name: str, language: str, held: bool
) -> None:
    """Invariant: a name of up to 50 characters is printed whole at the foot of every page
    after the first (the first also has it under the title), and nothing there is cut; on a
    right-to-left page each of its lines keeps its own order ("Kowalczyk-Szewczyk Jr.", not
    ".Kowalczyk-Szewczyk Jr")."""
    journey = many_goals_journey(8)
    journey = replace(journey, participant=replace(journey.participant, preferred_name=name))
    words = Words(language, resource("translations"))
    document = (
        build_subject_access(journey, catalogue, TODAY, [], words=words)
        if held
        else build_action_plan(journey, catalogue, TODAY, words=words)
    )
    data, pages = pdf_with_pages([document], large_print=True)
    assert pages >= 2
    for page in _pages(data)[1:]:
        assert name in page
        assert "…" not in page
