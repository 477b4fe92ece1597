"""Text helpers: accent-insensitive folding for search."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not split into base letter + accent ("Łucja" must match "lucja").
_UNSPLIT_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe"}
)


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Siobhán" and "siobhan" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_UNSPLIT_LETTERS)
