"""Plans read back from real PDFs: every section's words, hostile text literal, large print larger."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.documents import ActionPlan, Words, build_action_plan, build_subject_access
from journeyapp.core.records import Goal, Step
from journeyapp.paths import resource
from journeyapp.plans import fonts
from journeyapp.plans.chart import radar_drawing
from journeyapp.plans.documents import pdf_bytes, safe_file_name
from journeyapp.plans.render import render_plan
from journeyapp.plans.styles import make_styles
from journeyapp.plans.text import markup
from tests.journeys import (
    BARRIER_WORDS,
    DECLINE_REASON,
    GOAL_WORDS,
    HOSTILE_PARTS,
    MILESTONE_NOTE,
    PID,
    STRENGTH_WORDS,
    TODAY,
    hostile_journey,
    many_goals_journey,
    sparse_journey,
    typical_journey,
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(resource("catalogue.toml"))


def pages_text(data: bytes) -> list[str]:
    """Each page's text with whitespace runs folded to one space (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def plan_pdf(plan: ActionPlan, large_print: bool = False) -> bytes:
    out = io.BytesIO()
    render_plan(plan, out, large_print)
    return out.getvalue()


def test_typical_plan_has_every_section_and_the_parents_words(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY, "07700 900123")
    text = " ".join(pages_text(plan_pdf(plan)))
    for section in plan.sections:
        assert section.heading in text, section.heading
        for line in (*section.intro, *section.outro):
            assert re.sub(r"\s+", " ", line) in text, line
        for item in section.items:
            assert item.text in text, item.text
            for detail in item.details:
                assert detail in text, detail
    for words in (GOAL_WORDS, STRENGTH_WORDS, BARRIER_WORDS, DECLINE_REASON, MILESTONE_NOTE):
        assert f"“{words}”" in text
    assert "(in your words)" in text


def test_every_page_is_numbered_and_dated(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    pages = pages_text(plan_pdf(plan))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "printed 28 November 2026" in page


def test_empty_sections_are_absent(catalogue: Catalogue) -> None:
    text = " ".join(pages_text(plan_pdf(build_action_plan(sparse_journey(), catalogue, TODAY))))
    for heading in (
        "What you want to do",
        "Your next steps",
        "Support you have chosen",
        "What you have done so far",
        "How far you have come",
        "Your pace",
        "You and your keyworker",
    ):
        assert heading not in text
    assert "What happens next" in text
    assert "Anything you want to change?" in text


def test_hostile_text_comes_out_literally(catalogue: Catalogue) -> None:
    journey = hostile_journey()
    data = plan_pdf(build_action_plan(journey, catalogue, TODAY))
    text = " ".join(pages_text(data))
    squeezed = "".join(text.split())  # a line may break anywhere between words
    for part in HOSTILE_PARTS:
        assert "".join(part.split()) in squeezed, part
    # Right-to-left words are stored in reading order; pypdf may hand them back reversed.
    assert "שלום" in text or "םולש" in text
    assert "Zoë <b>&amp;</b>" in text  # the name, escaped once, not interpreted
    assert "□" not in text  # emoji DejaVu Sans cannot draw are left out, never a box
    assert b"/Subtype /Image" not in data
    assert b"root:" not in data


def test_twenty_thousand_character_note_flows_over_pages(catalogue: Catalogue) -> None:
    note = "word " * 4000
    access = build_subject_access(hostile_journey(note), catalogue, TODAY, [])
    pages = pages_text(plan_pdf(access))
    assert len(pages) > 3
    assert " ".join(pages).count("word") >= 4000 * 2  # in Notes and in the milestone note


def test_a_single_unbroken_20000_character_word_does_not_crash(catalogue: Catalogue) -> None:
    access = build_subject_access(hostile_journey("x" * 20_000), catalogue, TODAY, [])
    pages = pages_text(plan_pdf(access))
    assert sum(page.count("x") for page in pages) >= 20_000


def test_markup_escapes_and_replaces_missing_glyphs() -> None:
    assert markup("<b>&") == "&lt;b&gt;&amp;"
    assert markup("a\nb") == "a<br/>b"
    assert markup("ok 👍🏽\u200d ok") == f"ok {fonts.REPLACEMENT}ok"
    assert markup("\x00\x07") == ""


def test_large_print_really_is_larger(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY, "07700 900123")
    normal = plan_pdf(plan)
    large = plan_pdf(plan, large_print=True)

    def sizes(data: bytes) -> dict[str, set[float]]:
        found: dict[str, set[float]] = defaultdict(set)

        def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
            if text.strip():
                found[text.strip()].add(round(size * tm[0], 1))

        for page in PdfReader(io.BytesIO(data)).pages:
            page.extract_text(visitor_text=visit)
        return found

    line = "Your keyworker: Morag"
    assert sizes(normal)[line] == {12.0}
    assert min(sizes(large)[line]) >= 16.0
    assert len(PdfReader(io.BytesIO(large)).pages) > len(PdfReader(io.BytesIO(normal)).pages)


def test_output_is_deterministic(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    assert plan_pdf(plan) == plan_pdf(plan)


def test_fifty_goals_flow_across_pages(catalogue: Catalogue) -> None:
    plan = build_action_plan(many_goals_journey(50), catalogue, TODAY)
    pages = pages_text(plan_pdf(plan))
    assert len(pages) >= 3
    text = " ".join(pages)
    for n in range(1, 51):
        # Every goal once: the first five on the front page, the rest under "Your other goals".
        assert text.count(f"Goal number {n}: learn something new") == 1
        assert text.count(f"Step for goal {n} ") == 1
    # A heading is never left alone at the bottom of a page: it shares a page with its first item.
    first = next(p for p in pages if "Your other goals" in p)
    assert "Goal number 6:" in first.split("Your other goals")[1]


def test_chart_spells_out_area_names_in_two_line_styles(catalogue: Catalogue) -> None:
    plan = build_action_plan(typical_journey(), catalogue, TODAY)
    section = plan.section("progress")
    assert section is not None
    assert section.chart is not None
    chart = radar_drawing(section.chart, 450, make_styles())
    drawing = chart.drawing
    strings = " ".join(label[2] for label in chart.labels)
    for area in ("Confidence", "Friends and support", "Childcare and family", "Money"):
        assert area in strings
    assert "ready" in strings
    assert "work" in strings
    dashed = [s for s in drawing.contents if getattr(s, "strokeDashArray", None)]
    solid = [
        s
        for s in drawing.contents
        if type(s).__name__ == "PolyLine" and not getattr(s, "strokeDashArray", None)
    ]
    assert dashed
    assert solid


def test_batch_pdf_restarts_page_numbers_per_parent(catalogue: Catalogue) -> None:
    plans = [
        build_action_plan(typical_journey(), catalogue, TODAY),
        build_action_plan(sparse_journey(), catalogue, TODAY),
    ]
    pages = pages_text(pdf_bytes(plans))
    assert "Page 1 of 1" in pages[-1]
    assert sum("Page 1 of" in p for p in pages) == 2


def test_safe_file_names() -> None:
    assert safe_file_name("Siobhán Kelly", "1a2b3c4d-5e6f") == "plan-siobhan-kelly-1a2b3c4d.pdf"
    assert safe_file_name("../../etc/passwd", "ab/cd") == "plan-etc-passwd-abcd.pdf"
    assert safe_file_name("😀", "x").startswith("plan-parent-")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.text(max_size=400), name=st.text(max_size=80))
def test_any_text_renders_and_plain_words_come_back(
    catalogue: Catalogue, words: str, name: str
) -> None:
    journey = replace(
        typical_journey(),
        participant=replace(typical_journey().participant, preferred_name=name),
        goals=(Goal(id="g1", participant_id=PID, words=words),),
    )
    data = plan_pdf(build_action_plan(journey, catalogue, TODAY))
    assert data.startswith(b"%PDF")
    plain = " ".join(re.findall(r"[A-Za-z0-9]+", words))
    if plain:
        text = " ".join(pages_text(data))
        # Short words only: a very long word is split over lines, which is fine on paper.
        for word in [w for w in plain.split() if len(w) <= 20][:5]:
            assert word in text


# A parent's words in Chinese, Japanese and Korean: DejaVu Sans has none of these letters.
CJK_GOALS = (
    "我想找一份工作，照顾我的孩子。",
    "日本語のクラスに行きたい",
    "한국어 수업에 가고 싶어요",
)


@pytest.mark.parametrize(("language", "large_print"), [("en", False), ("en", True), ("ar", False)])
def test_chinese_japanese_and_korean_words_are_printed(
    catalogue: Catalogue, language: str, large_print: bool
) -> None:
    """Every letter of a goal, a step and a name in these scripts comes back from the PDF (they
    were left out, printing a goal as an empty “”), in English and on a right-to-left page."""
    journey = replace(
        sparse_journey(),
        participant=replace(sparse_journey().participant, preferred_name="王小明 Zoë"),
        goals=tuple(Goal(id=f"g{n}", participant_id=PID, words=w) for n, w in enumerate(CJK_GOALS)),
        steps=(Step(participant_id=PID, goal_id="g0", what="Ask about 英语 classes مرحبا"),),
    )
    words = Words(language, resource("translations"))
    data = plan_pdf(build_action_plan(journey, catalogue, TODAY, words=words), large_print)
    pages = pages_text(data)
    text = "".join("".join(pages).split())
    for said in (*CJK_GOALS, "英语", "王小明"):
        for letter in "".join(said.split()):
            assert letter in text, (said, letter)
    assert all("王小明" in page for page in pages)  # the footer's name on every page


def test_an_emoji_left_out_leaves_no_space_inside_the_quotation_marks(
    catalogue: Catalogue,
) -> None:
    """An emoji the fonts lack is left out of the parent's words, and so is the space beside
    it at their end or start (it printed “Started at the bakery ”)."""
    said = ("Started at the bakery 🎉🥐", "🥐 Kind and patient", "Sure 🥐. Next week")
    journey = replace(
        sparse_journey(),
        goals=tuple(Goal(id=f"g{n}", participant_id=PID, words=w) for n, w in enumerate(said)),
    )
    for large_print in (False, True):
        data = plan_pdf(build_action_plan(journey, catalogue, TODAY), large_print)
        text = " ".join(pages_text(data))
        assert "“Started at the bakery” (in your words)" in text
        assert "“Kind and patient”" in text
        assert "“Sure. Next week”" in text
        assert " ”" not in text
        assert "“ " not in text


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_long_name_and_the_date_are_whole_in_every_large_print_footer(
    catalogue: Catalogue, language: str
) -> None:
    """In large print the footer's name and date did not fit beside the page number, and the
    date was cut ("Siobhán O'Sullivan-MacGregor · printed …"): it takes a second line instead."""
    name = "Siobhán O'Sullivan-MacGregor"
    journey = replace(
        many_goals_journey(12),
        participant=replace(sparse_journey().participant, preferred_name=name),
    )
    words = Words(language, resource("translations"))
    plan = build_action_plan(journey, catalogue, TODAY, words=words)
    pages = pages_text(plan_pdf(plan, large_print=True))
    assert len(pages) >= 2
    for page in pages:
        assert name in page
        assert "…" not in page  # nothing cut off (the Arabic date is in Arabic words)
        if language == "en":
            assert "printed 28 November 2026" in page
