"""What a search shows is worked out from folded text mapped back to the original: the quick
way (`folded_with_origin`, and the snippets and bold words built on it) against the one it
replaced, folding one character at a time, on any text."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import example, given, settings
from hypothesis import strategies as st

from journeyapp.core.search import APOSTROPHES, HYPHENS, folded_with_origin, marked, words
from journeyapp.core.text import fold
from journeyapp.store.search import _snippet


def _char_by_char(text: str) -> tuple[str, list[int]]:
    """As `marked` and the store's snippets folded text before: one character at a time."""
    folded_chars: list[str] = []
    origin: list[int] = []
    for n, ch in enumerate(text):
        piece = fold(ch)
        folded_chars.append(piece)
        origin.extend([n] * len(piece))
    return "".join(folded_chars), origin


def _old_snippet(original: str, wanted: Sequence[str], width: int = 60) -> str:
    folded, origin = _char_by_char(original)
    at = min((p for w in wanted if (p := folded.find(w)) >= 0), default=0)
    centre = origin[at] if origin else 0
    start = max(0, centre - width // 2)
    end = min(len(original), start + width)
    text = " ".join(original[start:end].split())
    return ("…" if start > 0 else "") + text + ("…" if end < len(original) else "")


def _old_marked(text: str, query: str) -> list[tuple[str, bool]]:
    wanted = [w for w in words(query) if w]
    if not text or not wanted:
        return [(text, False)] if text else []
    folded, origin = _char_by_char(text)
    hit = [False] * len(text)
    for word in wanted:
        start = folded.find(word)
        while start >= 0:
            for at in range(start, start + len(word)):
                hit[origin[at]] = True
            start = folded.find(word, start + 1)
    pieces: list[tuple[str, bool]] = []
    for ch, on in zip(text, hit, strict=True):
        if pieces and pieces[-1][1] == on:
            pieces[-1] = (pieces[-1][0] + ch, on)
        else:
            pieces.append((ch, on))
    return pieces


# Letters that fold to one, to two ("ß", "ﬁ") and to none (a combining accent on its own).
_letters = st.sampled_from([*"aAzZ cé ÉßŁłøÖ\u0301\u00a0ﬁİ\tx-'", "o\u0308", "ﬀ"])
_text = st.one_of(st.text(), st.lists(_letters, max_size=90).map("".join))


@settings(max_examples=400, deadline=None)
@given(text=_text, query=_text)
@example(text="ßa\u0301b", query="ab")  # as many characters folded as there were, not one each
@example(text="Café crèche naïve " * 5, query="creche")
def test_folding_maps_back_as_one_character_at_a_time(text: str, query: str) -> None:
    folded, origin = folded_with_origin(text)
    assert (folded, list(origin)) == _char_by_char(text)
    # What was marked one character at a time is marked still; and, unless an apostrophe or a
    # hyphen is in either (then "oneil" marks all of "O'Neil"), only an accent folded to
    # nothing between marked letters besides.
    now = [on for piece, on in marked(text, query) for _ in piece]
    before = [on for piece, on in _old_marked(text, query) for _ in piece]
    assert all(now[n] for n, on in enumerate(before) if on)
    if not set(APOSTROPHES + HYPHENS) & set(text + query):
        extra = [text[n] for n, on in enumerate(now) if on and not before[n]]
        assert all(fold(ch) == "" for ch in extra), extra
    wanted = [w for w in words(query) if w]
    assert _snippet(text, wanted) == _old_snippet(text, wanted)


def _fold_char_by_char(text: str) -> str:
    """`fold` as it was: each character of the decomposed text tested for being an accent."""
    import unicodedata

    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(
        str.maketrans(
            {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe"}
        )
    )


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    | st.sampled_from(
        ["Siobhán — Łucja, Øyvind, Ærø", "Ñandú ǅemal ﬁne Ⅻ", "a\u0301\u0327b\u20dd", "İı ß ẞ"]
    )
)
def test_fold_strips_accents_as_character_by_character(text: str) -> None:
    assert fold(text) == _fold_char_by_char(text)
