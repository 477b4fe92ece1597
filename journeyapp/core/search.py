"""What a search finds (a Hit) and how its words are read, shared by the store and the window."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from journeyapp.core.text import fold

# The shortest start of a parent's id taken for the whole id (as copied from a list): what is
# typed is searched for as a name first, and a few letters that happen to start someone's id
# ("abe") are not them.
ID_START_LEAST = 6


@dataclass(frozen=True)
class Hit:
    """One place a search found: whose record, which kind and field, and the words around it."""

    participant_id: str
    kind: str
    record_id: str
    field: str
    snippet: str


# How a name's words are joined, written either way: an apostrophe typed (') or pasted from a
# document or a phone (’), a hyphen or a dash ("Ana-María"). The search finds a name with or
# without them ("oneil" is O'Neil, "mccarthyjones" McCarthy-Jones), and a hyphen or a space
# for each other ("Ana María" is Ana-María): the store's search and the bold in a list alike.
APOSTROPHES = "'’‘ʼ`"
HYPHENS = "-‐–"
_SQUEEZED = str.maketrans(dict.fromkeys(APOSTROPHES + HYPHENS))
_ALIKE = str.maketrans({**dict.fromkeys(APOSTROPHES, "'"), **dict.fromkeys(HYPHENS, " ")})


def squeezed(text: str) -> str:
    """`text` without its apostrophes and hyphens ("o'neil" is "oneil")."""
    return text.translate(_SQUEEZED)


def words(text: str) -> list[str]:
    """A query as the folded words every one of which must be found."""
    return fold(text).split()


MOST_WORDS = 200
"""The most words one search looks for (every one must be found: a page pasted into the search
box is no search, and SQLite refuses a query of about a thousand words)."""


def too_many_words(text: str) -> str | None:
    """Why `text` is not searched, in words for the person who typed it (None: it is)."""
    given = len(words(text))
    if given <= MOST_WORDS:
        return None
    return (
        f"That is {given:,} words; search looks for at most {MOST_WORDS} at a time: give fewer "
        "(a name, or a few words of what was written)."
    )


def place_named(text: str, places: Iterable[tuple[str, str]]) -> tuple[str, str | None]:
    """A name as a list shows it when the family name's initial is shared too ("Bethany B.,
    Glasgow", caseload list and This week): the words before the last comma, and the key of the
    locality after it (`places`: each locality's key and label, matched as a search matches,
    case and accents ignored); `text` itself and None when what follows its last comma is no
    locality (a comma may be part of what was typed)."""
    lead, comma, tail = text.rpartition(",")
    if not comma or not lead.strip():
        return text, None
    wanted = " ".join(words(tail))
    for key, label in places:
        if wanted and wanted in (" ".join(words(label)), fold(key)):
            return lead, key
    return text, None


def indexed_words(text: str) -> bool:
    """Whether the text index can answer `text` at once: every word three letters or more
    (a trigram index; a shorter word would mean reading every piece of text)."""
    wanted = words(text)
    return bool(wanted) and all(len(word) >= 3 for word in wanted)


def folded_with_origin(text: str) -> tuple[str, Sequence[int]]:
    """`text` folded one character at a time, and for each character of the folded text the
    position in `text` it came from (so a match in the folded text maps back to the original).
    The same as folding each character, without a call per character where none is needed:
    plain ASCII folds to its lower case, letter for letter."""
    if text.isascii():
        return text.lower(), range(len(text))
    pieces = [ch.lower() if ch.isascii() else fold(ch) for ch in text]
    folded = "".join(pieces)
    if len(folded) == len(text) and all(len(piece) == 1 for piece in pieces):
        # Every character folded to one: positions are the same.
        return folded, range(len(text))
    origin: list[int] = []
    for n, piece in enumerate(pieces):
        origin.extend([n] * len(piece))
    return folded, origin


def _where_found(text: str, word: str) -> list[tuple[int, int]]:
    """Where `word` (folded) is in `text` (folded), as (first, last) positions of `text`, as
    the store's search finds it: as written (an apostrophe one way for the other, a hyphen or
    a space for each other), with the apostrophes of both left out, or their apostrophes and
    hyphens ("oneil" in "o'neil": all of "o'neil")."""
    found = []
    for left_out in ("", APOSTROPHES, APOSTROPHES + HYPHENS):
        kept = [n for n, ch in enumerate(text) if ch not in left_out]
        short = "".join(text[n] for n in kept).translate(_ALIKE)
        wanted = "".join(ch for ch in word if ch not in left_out).translate(_ALIKE)
        if left_out and not all(squeezed(part) for part in word.split()):
            continue  # a word of apostrophes or hyphens alone is looked for as written
        start = short.find(wanted) if wanted else -1
        while start >= 0:
            found.append((kept[start], kept[start + len(wanted) - 1]))
            start = short.find(wanted, start + 1)
    return found


def found_at(text: str, wanted: Sequence[str]) -> int:
    """Where in `text` the first of the folded words `wanted` is, found as the search finds
    it ("dont" in "I don't know": at "don't"); 0 when none is."""
    folded, origin = folded_with_origin(text)
    starts = [first for word in wanted for first, _last in _where_found(folded, word)]
    return origin[min(starts)] if starts else 0


def marked(text: str, query: str) -> list[tuple[str, bool]]:
    """`text` in pieces, each marked True where it holds one of the query's words (matched as
    the search does: case, accents, apostrophes and hyphens as the search reads them), so a
    list can show what matched in bold."""
    wanted = [w for w in words(query) if w]
    if not text or not wanted:
        return [(text, False)] if text else []
    folded, origin = folded_with_origin(text)
    hit = [False] * len(text)
    for word in wanted:
        for first, last in _where_found(folded, word):
            for at in range(origin[first], origin[last] + 1):
                hit[at] = True
    pieces: list[tuple[str, bool]] = []
    for ch, on in zip(text, hit, strict=True):
        if pieces and pieces[-1][1] == on:
            pieces[-1] = (pieces[-1][0] + ch, on)
        else:
            pieces.append((ch, on))
    return pieces
