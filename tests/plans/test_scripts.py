"""Bidi order of a printed line, checked against an independent implementation (unicode-bidi)."""

from __future__ import annotations

from bidi import get_display  # the Rust unicode-bidi crate: a second, independent algorithm
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.plans.scripts import needs_layout, visual_runs

ALPHABET = "نورمحدأبتسلعك" + "abcXYZ" + "0123456789" + " .,:()-!؟،"


def _visual(text: str, rtl: bool) -> str:
    # Each right-to-left run reads backwards on the page (mirroring is the shaper's job).
    return "".join(run[::-1] if is_rtl else run for run, is_rtl in visual_runs(text, rtl))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=40), st.booleans())
def test_visual_order_matches_unicode_bidi(text: str, rtl: bool) -> None:
    expected = get_display(text, base_dir="R" if rtl else "L")
    assert _visual(text, rtl) == expected


@given(st.text(alphabet="abc XYZ 0123 .,()", max_size=40))
def test_left_to_right_text_is_left_alone(text: str) -> None:
    assert not needs_layout(text)
    assert _visual(text, False) == text


def test_a_mixed_line_keeps_numbers_and_english_readable() -> None:
    # Words isolates each value it fills in on a right-to-left page (FSI ... PDI).
    line = "اتصلي بنور على \u206801592 555 0123\u2069 أو \u2068morag@example.org\u2069"
    runs = visual_runs(line, True)
    assert ("morag@example.org", False) in runs
    assert any(run == "01592 555 0123" and not rtl for run, rtl in runs)


@settings(max_examples=100, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcXYZ0123456789.,:;()-@", min_size=1, max_size=9),
        min_size=2,
        max_size=14,
    ),
    room=st.integers(60, 260),
)
def test_an_english_value_wrapped_on_a_right_to_left_page_keeps_its_order_on_every_line(
    words: list[str], room: int
) -> None:
    """An English contact line in an Arabic plan, wrapped over lines, showed its second line's
    punctuation on the wrong side (",(Mon-Thu 9-5)" for "(Mon-Thu 9-5),"): each line is put in
    bidi order on its own, and the value's isolate was open on neither end of it. Invariant:
    every line after the first reads, left to right, as a piece of the value as written."""
    from journeyapp.core.documents import Words
    from journeyapp.paths import resource
    from journeyapp.plans.styles import make_styles
    from journeyapp.plans.text import ScriptParagraph

    value = " ".join(words)
    sentence = Words("ar", resource("translations"))("Contact: {contact}", contact=value)
    paragraph = ScriptParagraph([(sentence, None)], make_styles().body, True)
    paragraph.wrap(room, 10_000)
    assert paragraph._lines is not None
    for line, _ in paragraph._lines[1:]:
        shown = _visual(line, True).translate(
            {0x2066: None, 0x2067: None, 0x2068: None, 0x2069: None}
        )
        assert shown.strip() in value, (shown, value)
