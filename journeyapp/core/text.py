"""Text helpers: accent-insensitive folding for search; formula-like spreadsheet text."""

from __future__ import annotations

import unicodedata

# Letters Unicode does not split into base letter + accent, so stripping accents keeps them:
# "lucja" should still find "Łucja".
_UNSPLIT_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe"}
)


# A spreadsheet cell whose text starts with one of these is run as a formula (CSV/XLSX injection);
# exports put a ' in front of such text, and imports take it off again.
FORMULA_STARTS = frozenset("=+-@\t\r\0")


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Siobhán" and "siobhan" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_UNSPLIT_LETTERS)


def search_names(*names: str) -> str:
    """The text the name index holds for a parent: their names, folded like a search is."""
    return fold(" ".join(n for n in names if n))
