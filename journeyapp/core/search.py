"""What a search finds (a Hit) and how its words are read, shared by the store and the window."""

from __future__ import annotations

from dataclasses import dataclass

from journeyapp.core.text import fold


@dataclass(frozen=True)
class Hit:
    """One place a search found: whose record, which kind and field, and the words around it."""

    participant_id: str
    kind: str
    record_id: str
    field: str
    snippet: str


def words(text: str) -> list[str]:
    """A query as the folded words every one of which must be found."""
    return fold(text).split()


def indexed_words(text: str) -> bool:
    """Whether the text index can answer `text` at once: every word three letters or more
    (a trigram index; a shorter word would mean reading every piece of text)."""
    wanted = words(text)
    return bool(wanted) and all(len(word) >= 3 for word in wanted)
