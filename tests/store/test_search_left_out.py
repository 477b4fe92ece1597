"""Search everything reads what was written as the name search reads names: a word typed
without its apostrophe or hyphen finds it written with one ("dont" finds "don't", "don’t",
"selfemployed" finds "self-employed"), and typed with one finds it written without ("don't"
finds "dont"); so is a word written with two or more ("oneills" finds "o'neill's",
"motherinlaws" "mother-in-law's"); the snippet is taken around it and the bold
(core.search.marked) covers it.
Real caseload file; Hypothesis writes the words and where the mark goes."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.search import APOSTROPHES, HYPHENS, marked, squeezed
from tests.clock import ticking_clock

TODAY = date(2026, 3, 2)  # the caseload's own clock: the day the test runs plays no part
# Long enough that no other note holds it by chance; a few letters repeated so a word's
# pieces around the mark are sometimes shorter than three letters.
WORDS = st.text(alphabet="abcdefgklmnoprstuwy", min_size=3, max_size=12)


@pytest.fixture(scope="module")
def caseload() -> Iterator[tuple[Caseload, str]]:
    with tempfile.TemporaryDirectory() as name:
        c = Caseload.open(Path(name) / "c.db", create=True, plain=True)
        c.clock = ticking_clock(TODAY)
        pid = c.enrol_participant("Ruth", "fife", date(2026, 1, 5)).id
        try:
            yield c, pid
        finally:
            c.close()


def bold(snippet: str, typed: str) -> str:
    return "".join(piece for piece, on in marked(snippet, typed) if on)


def test_a_note_with_dont_is_found_by_dont(caseload: tuple[Caseload, str]) -> None:
    c, pid = caseload
    note = c.log_contact(pid, on=date(2026, 2, 2), note="She said I don’t want evenings, yet.")
    hits = [h for h in c.search_everything("dont want", names=False) if h.record_id == note.id]
    assert hits, "“dont want” found no note with “don’t want”"
    assert bold(hits[0].snippet, "dont want") == "don’twant"
    self_employed = c.log_contact(pid, on=date(2026, 2, 3), note="Thinking of self-employed")
    found = c.search_everything("selfemployed", names=False)
    assert self_employed.id in {h.record_id for h in found}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    word=WORDS,
    at=st.integers(min_value=1, max_value=11),
    mark=st.sampled_from(APOSTROPHES + HYPHENS),
    typed_with_it=st.booleans(),
    lead=st.text(alphabet="xyz ", max_size=80),
)
def test_a_word_is_found_with_or_without_its_apostrophe_or_hyphen(
    caseload: tuple[Caseload, str], word: str, at: int, mark: str, typed_with_it: bool, lead: str
) -> None:
    c, pid = caseload
    at = min(at, len(word) - 1)
    with_mark = word[:at] + mark + word[at:]
    # Written one way, typed the other (an apostrophe typed is one apostrophe; a hyphen typed
    # matches a hyphen written).
    written, typed = (word, with_mark) if typed_with_it else (with_mark, word)
    if typed_with_it and mark in HYPHENS:
        return  # a hyphen typed is looked for as a hyphen or a space, as in a name
    around = f"{lead} we talked about {{}} then"
    # The word is only where it was put ("out" is in "about" too, and found there rightly).
    assume(squeezed(word) not in squeezed(around))
    note = c.log_contact(pid, on=date(2026, 2, 2), note=around.format(written))
    try:
        hits = [h for h in c.search_everything(typed, names=False) if h.record_id == note.id]
        assert hits, f"{typed!r} did not find {written!r}"
        assert written in hits[0].snippet  # the snippet is taken around it
        assert bold(hits[0].snippet, typed) == written
    finally:
        c.delete_record("contacts", note.id)


@st.composite
def _marked_words(draw: st.DrawFn) -> tuple[str, str]:
    """A word and the same word written with two or three marks between its letters (each
    between two letters, as in "o'neill's", "mother-in-law's", "self-employed-ish")."""
    word = draw(st.text(alphabet="abcdefgklmnoprstuwy", min_size=4, max_size=12))
    places = draw(
        st.lists(
            st.integers(min_value=1, max_value=len(word) - 1), min_size=2, max_size=3, unique=True
        )
    )
    marks = draw(st.lists(st.sampled_from(APOSTROPHES + HYPHENS), min_size=3, max_size=3))
    written = "".join(
        (marks[sorted(places).index(n)] if n in places else "") + ch for n, ch in enumerate(word)
    )
    return word, written


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pair=_marked_words(),
    typed_way=st.sampled_from(["without", "one kept", "written without"]),
    lead=st.text(alphabet="xyz ", max_size=80),
)
def test_a_word_with_several_marks_is_found_without_them_or_with_one(
    caseload: tuple[Caseload, str], pair: tuple[str, str], typed_way: str, lead: str
) -> None:
    """ "oneills" finds "o'neill's", "o'neills" too, and "motherinlaws" "mother-in-law's"; a
    word typed with its marks finds it written without them. The bold covers the whole word."""
    c, pid = caseload
    word, with_marks = pair
    first = next(n for n, ch in enumerate(with_marks) if ch in APOSTROPHES + HYPHENS)
    one_kept = with_marks[: first + 1] + squeezed(with_marks[first + 1 :])
    written, typed = {
        "without": (with_marks, word),
        "one kept": (with_marks, one_kept),
        "written without": (word, with_marks),
    }[typed_way]
    around = f"{lead} we talked about {{}} then"
    assume(squeezed(word) not in squeezed(around))
    note = c.log_contact(pid, on=date(2026, 2, 2), note=around.format(written))
    try:
        hits = [h for h in c.search_everything(typed, names=False) if h.record_id == note.id]
        assert hits, f"{typed!r} did not find {written!r}"
        assert written in hits[0].snippet
        assert bold(hits[0].snippet, typed) == written
    finally:
        c.delete_record("contacts", note.id)


@pytest.mark.parametrize(
    ("typed", "text", "shown"),
    [
        ("oneills", "Met at O'Neill's café", "O'Neill's"),
        ("o'neills", "Met at O'Neill's café", "O'Neill's"),
        ("motherinlaws", "Staying at her mother-in-law’s flat", "mother-in-law’s"),
        ("mother-inlaws", "Staying at her mother-in-law’s flat", "mother-in-law’s"),
        ("selfemployedish", "Feels self-employed-ish now", "self-employed-ish"),
    ],
)
def test_words_with_two_or_three_marks_are_found_as_people_type_them(
    caseload: tuple[Caseload, str], typed: str, text: str, shown: str
) -> None:
    c, pid = caseload
    note = c.log_contact(pid, on=date(2026, 2, 2), note=text)
    try:
        hits = [h for h in c.search_everything(typed, names=False) if h.record_id == note.id]
        assert hits, f"{typed!r} did not find {text!r}"
        assert bold(hits[0].snippet, typed) == shown
    finally:
        c.delete_record("contacts", note.id)
