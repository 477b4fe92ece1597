"""Words a person typed, kept by one rule whichever way they came (a box in the window, a
command's option, a spreadsheet cell): what is kept, what is put right, what is refused.

The rule, for every text field of a record (its FIELDS entry says whether it is typed in a
box of several lines, `lines`, and what a message calls it, `label`):

- Kept as typed: letters, spaces, punctuation, emoji, the joiners some scripts need (U+200C,
  U+200D); in a box of several lines, line breaks and tabs (in a field of one line, a name or
  a venue, each is a space, as the window's one-line boxes show one pasted into them).
- Put right, as nothing anyone sees changes: a line break written another way (Windows' CR LF,
  an old Mac's CR, Word's line and page breaks U+000B and U+000C, U+0085, U+2028, U+2029) is
  one line break (so are U+FDD0 and U+FDD1, which the window's boxes make one); the
  byte-order mark U+FEFF a file starts with is left out; the marks that set
  the direction of right-to-left words (U+200E, U+200F, U+061C, U+2066 to U+2069) are kept in
  text with right-to-left letters (Arabic, Hebrew), where they place a number or a Latin
  name, and left out of text without any, where they do nothing but hide in it.
- Refused, with the field's name and where the character is: any other control character (a
  zero byte, a bell, an escape that would colour a terminal: no keyboard types one, the
  window's boxes do not take one typed; pasted, it shows there as a box); a character that overrides or embeds the text's direction (U+202A
  to U+202E: it can make words read as other words); half a character (a lone surrogate).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from journeyapp.core.classification import Holds
from journeyapp.core.errors import FieldProblem

if TYPE_CHECKING:
    from journeyapp.core.records import Record

R = TypeVar("R", bound="Record")

# Every other way of writing a line break, read as one (U+FDD0 and U+FDD1, which mark where
# a frame starts and ends in Qt's text boxes, come out of the window's boxes as line breaks:
# read so whichever way they come).
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029\ufdd0\ufdd1]")
# Left out wherever they are: a byte-order mark (or a zero-width no-break space, the same
# character) adds nothing to words.
_NOTHING = "\ufeff"
# The marks that set the direction of right-to-left words; kept where there are some.
_DIRECTION_MARKS = "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
_MARKS_OUT = str.maketrans(dict.fromkeys(_NOTHING + _DIRECTION_MARKS))
_NOTHING_OUT = str.maketrans(dict.fromkeys(_NOTHING))
# Embeddings and overrides of the text's direction: refused.
_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")
_RIGHT_TO_LEFT = frozenset(("R", "AL"))
# Every character refused (`_what` says why): line breaks and tabs are kept, or made spaces.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff]")
# In a field of one line (a name, a venue), a line break or a tab is a space, as the window's
# one-line boxes show one pasted into them.
_ON_ONE_LINE = str.maketrans({"\n": " ", "\t": " "})

# What to do about a character that came with words pasted from elsewhere (none is typed).
_PASTED = "take it out (it came with words pasted from elsewhere: type them instead)"


def right_to_left(text: str) -> bool:
    """Whether `text` holds a right-to-left letter (Arabic, Hebrew...; not a mark alone)."""
    return any(
        unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT and unicodedata.category(ch)[0] == "L"
        for ch in text
        if ord(ch) > 0x58F
    )


def _what(ch: str) -> tuple[str, str] | None:
    """What is wrong with `ch` in typed words and what to do, or None."""
    category = unicodedata.category(ch)
    if category == "Cc":
        return f"a control character ({_escape(ch)})", _PASTED
    if ch in _OVERRIDES:
        return (
            f"a character that turns the words' direction around ({_escape(ch)}: it can make "
            "them read as other words)",
            _PASTED,
        )
    if category == "Cs":
        return f"half a character ({_escape(ch)})", _PASTED
    return None


def _escape(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def typed_text(text: str, label: str, field: str | None = None, *, lines: bool = False) -> str:
    """`text` as it is kept (see the module's rule), or FieldProblem naming `label` and where
    in the words the first character refused is ("after “Talked about”")."""
    if text.isprintable():
        return text  # nearly every word typed: no control, mark or line break, nothing to do
    text = _LINE_BREAKS.sub("\n", text)
    if not lines:
        text = text.translate(_ON_ONE_LINE)
    text = text.translate(_NOTHING_OUT if right_to_left(text) else _MARKS_OUT)
    found = _REFUSED.search(text)
    if found is not None:
        what = _what(found.group())
        assert what is not None
        raise CharacterRefused(label, *what, text[: found.start()], field)
    return text


_TYPED_FIELDS: dict[type[Record], dict[str, bool]] = {}


def _typed_fields(record_type: type[Record]) -> dict[str, bool]:
    """The fields of `record_type` a person types, each with whether it is one of several
    lines (its FIELDS entry); worked out once per kind of record."""
    found = _TYPED_FIELDS.get(record_type)
    if found is None:
        found = _TYPED_FIELDS[record_type] = {
            name: spec.lines
            for name, spec in record_type.FIELDS.items()
            if spec.holds not in _NOT_TYPED
        }
    return found


def typed_values(record_type: type[Record], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` for fields of `record_type` (a record class), each text typed into a field
    kept by `typed_text` (a record's ids, time stamps and codes are not typed)."""
    fields = _typed_fields(record_type)
    kept = dict(values)
    for name, value in values.items():
        if name in fields and isinstance(value, str) and not value.isprintable():
            label = field_label(record_type, name)
            kept[name] = typed_text(value, label, name, lines=fields[name])
    return kept


def typed_record(record: R) -> R:
    """`record` with the words typed into each of its fields kept by `typed_text` (the same
    record when nothing changes), or FieldProblem for the first refused."""
    changed: dict[str, str] = {}
    record_type = type(record)
    for name, lines in _typed_fields(record_type).items():
        value = getattr(record, name, None)
        if isinstance(value, str) and not value.isprintable():
            kept = typed_text(value, field_label(record_type, name), name, lines=lines)
            if kept != value:
                changed[name] = kept
    return replace(record, **changed) if changed else record


def field_label(record_type: type[Record], name: str) -> str:
    """What a message calls field `name` of `record_type` (its FIELDS label; else its name
    in words: "Keyworker")."""
    spec = record_type.FIELDS.get(name)
    if spec is not None and spec.label:
        return str(spec.label)
    return name.replace("_", " ").capitalize()


# A record's ids and time stamps (written by the app) and its codes (chosen from a list).
_NOT_TYPED = frozenset((Holds.KEY, Holds.PARENT, Holds.STAMP, Holds.CODED))


class CharacterRefused(FieldProblem):
    """Typed words holding a character they cannot be kept with (see the module's rule)."""

    def __init__(self, label: str, what: str, fix: str, before: str, field: str | None) -> None:
        self.what, self.fix, self.before = what, fix, before
        super().__init__(label, field)

    def said(self, option: str | None = None) -> str:
        """The refusal, naming the field (and `option`, on the command line)."""
        shown = " ".join(self.before.split())[-30:]
        where = f" after “{shown}”" if shown else " at the start"
        again = "run the command again" if option else "save again"
        return f"{self.named(option)} holds {self.what}{where}: {self.fix} and {again}."
