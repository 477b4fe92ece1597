"""A partnership's own labels in a printed plan's other languages: the catalogue may give a
label, and what 1 and 10 mean, in Polish, Ukrainian and Arabic (label_pl = "…"); the plan in
that language prints them, and English (or the shipped translation) where it gives none. The
PDF is read back."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from journeyapp.core.catalogue import parse_catalogue
from journeyapp.core.documents import Words, build_action_plan
from journeyapp.core.errors import ValidationError
from journeyapp.paths import resource
from journeyapp.plans.documents import pdf_with_pages
from tests.catalogues import DEFAULT
from tests.journeys import TODAY, typical_journey

# The partnership renamed a service and an area in English and wrote its own words for them.
OURS = (
    DEFAULT.replace(
        'label = "Confidence and personal development"',
        'label = "Confidence café"\nlabel_pl = "Kawiarenka pewności siebie"\n'
        'label_uk = "Кав\'ярня впевненості"\nlabel_ar = "مقهى الثقة"',
    )
    .replace('label = "Wellbeing"', 'label = "Feeling well"\nlabel_pl = "Dobre samopoczucie"')
    .replace(
        'high = "I feel well in body and mind most days."',
        'high = "I feel well in body and mind most days."\nhigh_pl = "Czuję się dobrze."',
    )
)


def plan_text(language: str) -> str:
    catalogue = parse_catalogue(OURS, "ours.toml")
    journey = typical_journey()
    journey = replace(journey, choices=journey.choices[:1])  # the café, chosen
    plan = build_action_plan(
        journey, catalogue, TODAY, words=Words(language, resource("translations"))
    )
    data, _ = pdf_with_pages([plan], False)
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(p.extract_text() or "" for p in pages).replace("\xa0", " ").split())


@pytest.mark.parametrize(
    ("language", "service"),
    [
        ("pl", "Kawiarenka pewności siebie"),
        ("uk", "Кав'ярня впевненості"),
        ("en", "Confidence café"),
    ],
)
def test_a_plan_prints_the_partnerships_own_words_in_its_language(
    language: str, service: str
) -> None:
    text = plan_text(language)
    assert service in text
    if language != "en":
        assert "Confidence café" not in text
    if language == "pl":
        assert "Dobre samopoczucie" in text
        assert "Czuję się dobrze." in text
        assert "Feeling well" not in text
        # Not given in Polish: what 1 means stays as the shipped translation prints it.
        assert Words("pl", resource("translations"))(
            "I feel low or worn out most of the time."
        ) in (text)
    if language == "uk":
        # The area has no Ukrainian label of the partnership's: its English one is printed.
        assert "Feeling well" in text


def test_a_label_in_a_language_plans_are_not_printed_in_is_refused() -> None:
    with pytest.raises(ValidationError, match="plans are not printed in 'de': give label_pl"):
        parse_catalogue(
            OURS.replace('label_pl = "Kawiarenka', 'label_de = "Kawiarenka'), "ours.toml"
        )


def test_an_entry_retired_from_the_catalogue_is_printed_in_words_not_as_a_key() -> None:
    """A choice and a goal area whose entries the partnership has since taken out of its
    catalogue stay on the plan, in words: "confidence_development" was printed as it is."""
    from tests.catalogues import retired

    catalogue = parse_catalogue(retired(["confidence_development", "skills_learning"]), "ours.toml")
    journey = typical_journey()
    plan = build_action_plan(journey, catalogue, TODAY, words=Words("en", resource("translations")))
    data, _ = pdf_with_pages([plan], False)
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(p.extract_text() or "" for p in pages).replace("\xa0", " ").split())
    assert "Confidence development" in text
    assert "Skills learning" in text
    assert "confidence_development" not in text
    assert "skills_learning" not in text
