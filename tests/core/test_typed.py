"""The one rule for typed words (core.typed) and how a refusal names the field: what is kept,
put right or refused, for any text Hypothesis writes; the same words kept again are kept as
they are; a length refused names the field in the form's words and says how to fix it."""

from __future__ import annotations

import typing
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.caseload import default_catalogue
from journeyapp.core.classification import Holds
from journeyapp.core.errors import FieldProblem, TooLong
from journeyapp.core.records import BY_KIND, Contact, Participant
from journeyapp.core.typed import right_to_left, typed_text
from journeyapp.core.validation import MAX_NAME, MAX_TEXT, validate

TODAY = date(2026, 3, 2)
ODD = "\x00\x07\x1b\x7f\x9b\t\n\r\x0b\x0c\x85\xa0\u2028\u2029\ufeff\ud800\u200e\u200f\u202e\u2067"
WORDS = st.text(alphabet=st.characters() | st.sampled_from(ODD + "مرحبا"), max_size=40)


@given(words=WORDS, lines=st.booleans())
def test_what_is_kept_holds_only_what_the_rule_keeps_and_is_kept_again_as_it_is(
    words: str, lines: bool
) -> None:
    refused: FieldProblem | None = None
    try:
        kept = typed_text(words, "The contact's note", "note", lines=lines)
    except FieldProblem as problem:
        refused = problem
    if refused is not None:
        assert refused.field == "note"
        assert refused.message.startswith("The contact's note holds ")
        assert refused.said("--note").startswith("The contact's note (--note) holds ")
        return
    for ch in kept:
        assert ch in ("\n\t" if lines else "") or unicodedata.category(ch) not in ("Cc", "Cs")
        assert ch != "\n" or lines
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\ufeff\r\u2028\u2029"
        assert ch not in "\u200e\u200f\u061c\u2066\u2067\u2068\u2069" or right_to_left(kept)
    assert typed_text(kept, "The contact's note", "note", lines=lines) == kept


def test_a_line_break_or_a_tab_in_a_field_of_one_line_is_a_space() -> None:
    """As the window's one-line box shows one pasted into it."""
    assert typed_text("Ana\r\nMaría\tO'Neill", "The full name") == "Ana María O'Neill"
    assert typed_text("Ana\r\nMaría", "The note", lines=True) == "Ana\nMaría"


def test_a_refusal_says_what_where_and_what_to_do() -> None:
    with pytest.raises(FieldProblem) as refused:
        typed_text("Ana\x1b[31m", "The full name", "full_name")
    assert refused.value.message == (
        "The full name holds a control character (U+001B) after “Ana”: take it out (it came "
        "with words pasted from elsewhere: type them instead) and save again."
    )
    assert refused.value.said("--full-name").endswith("and run the command again.")


def test_every_field_a_person_types_has_a_name_for_messages() -> None:
    """Each text field of every record says what a message calls it (FIELDS label), so no
    refusal names a field by its internal key ("next_step")."""
    unnamed = []
    for kind, cls in BY_KIND.items():
        hints = typing.get_type_hints(cls)
        for name, spec in cls.FIELDS.items():
            typed = spec.holds in (Holds.FREE_TEXT, Holds.PERSONAL)
            if typed and hints.get(name) in (str, str | None) and not spec.label:
                unnamed.append(f"{kind}.{name}")
    assert unnamed == []


def test_words_too_long_are_refused_naming_the_field_and_how_to_fix_it() -> None:
    catalogue = default_catalogue()
    note = Contact(participant_id="p", on=TODAY, kind="one_to_one", note="x" * (MAX_TEXT + 345))
    with pytest.raises(TooLong) as refused:
        validate(note, catalogue, TODAY)
    assert refused.value.field == "note"
    assert refused.value.message == (
        f"The contact's note is too long: {MAX_TEXT + 345:,} characters, at most "
        f"{MAX_TEXT:,} — shorten it, or put the rest in another contact."
    )
    assert refused.value.said("--note").startswith("The contact's note (--note) is too long")
    parent = Participant(preferred_name="A" * (MAX_NAME + 1), locality="fife", joined_on=TODAY)
    with pytest.raises(TooLong) as refused:
        validate(parent, catalogue, TODAY)
    assert refused.value.message == (
        f"The name to call them by is too long: {MAX_NAME + 1} characters, at most "
        f"{MAX_NAME} — shorten it."
    )
