"""Text helpers: accent-insensitive folding for search; formula-like spreadsheet text; names;
text someone typed, quoted back in a message."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters Unicode does not split into base letter + accent, so stripping accents keeps them:
# "lucja" should still find "Łucja".
_UNSPLIT_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae", "œ": "oe"}
)


# A spreadsheet cell whose text starts with one of these is run as a formula (CSV/XLSX injection);
# exports put a ' in front of such text, and imports take it off again.
FORMULA_STARTS = frozenset("=+-@\t\r\0")
# A formula character after spaces, or after a delimiter some locale splits cells at: a
# spreadsheet may trim the spaces or split the cell there and then run what follows.
_HIDDEN_FORMULA = re.compile(r"(^|[;,\t|])([ \t\r\n]*)([=+\-@])")


def counted(number: int, noun: str, nouns: str | None = None) -> str:
    """A count with its noun agreeing: "1 parent", "2 parents", "1,204 journey-log events"."""
    return f"{number:,} {noun if number == 1 else (nouns or noun + 's')}"


def backup_counts(parents: int, events: int, joined: str = ", ") -> str:
    """What a backup holds, in words: "1 parent, 12 journey-log events"."""
    return f"{counted(parents, 'parent')}{joined}{counted(events, 'journey-log event')}"


def defuse(text: str) -> str:
    """Cell text no spreadsheet runs as a formula in any locale: a ' before a formula character
    at the start (after any spaces) or after a ; , tab or | (where a cell may be split)."""
    if not text:
        return text
    if text[0] in FORMULA_STARTS:
        text = "'" + text
    return _HIDDEN_FORMULA.sub(lambda m: m.group(1) + m.group(2) + "'" + m.group(3), text)


# How much of something typed a message quotes back: enough to recognise it, not a screenful.
QUOTED_MOST = 60


def quoted(text: str, most: int = QUOTED_MOST) -> str:
    """`text` as a message quotes it (in quotation marks, escapes shown as typed: '\\x00'),
    cut short with its length when longer than `most` characters (a paste of a whole
    document quoted back would fill the screen and hide what the message says)."""
    if len(text) <= most:
        return repr(text)
    return f"{text[:most]!r}… ({len(text):,} characters)"


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Siobhán" and "siobhan" compare equal."""
    if text.isascii():
        return text.lower()  # the same answer, without decomposing (notes are mostly ASCII)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # The accents (combining marks) taken out and the unsplit letters replaced in one pass in
    # C, each different character looked up once (not once per character of a long note).
    table = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    return decomposed.translate({**table, **_UNSPLIT_LETTERS} if table else _UNSPLIT_LETTERS)


def confirms_name(name: str, typed: str) -> bool:
    """Whether `typed` is `name` as a keyworker confirms it (to erase a parent): the same
    letters and accents, capitals and spaces at the ends aside, however the accents were
    composed (NFC: "ë" typed on one system is "e" and a separate accent on another)."""

    def form(text: str) -> str:
        return unicodedata.normalize("NFC", text.strip()).casefold()

    return form(typed) == form(name)


def search_names(*names: str) -> str:
    """The text the name index holds for a parent: their names, folded like a search is."""
    return fold(" ".join(n for n in names if n))


def with_family_initial(preferred_name: str, full_name: str | None) -> str:
    """The preferred name and the initial of the family name ("Ana M."), when there is one.

    Used wherever two parents who share a preferred name must be told apart.
    """
    parts = full_name.rsplit(None, 1) if full_name else ()
    return f"{preferred_name} {parts[1][0]}." if len(parts) == 2 else preferred_name


def with_family_initials(
    preferred_names: Iterable[str], full_names: Iterable[str | None]
) -> list[str]:
    """with_family_initial() of each parent, in one pass: the same rule, without a call per
    parent (the caseload list words 10,000 names before the window first appears, #18)."""
    return [
        f"{name} {parts[1][0]}." if len(parts := (full or "").rsplit(None, 1)) == 2 else name
        for name, full in zip(preferred_names, full_names, strict=True)
    ]
