"""What each field of a record holds and how it leaves the laptop: the words of the registry.

Every record type in `core.records` declares, next to its fields, one `FieldSpec` per field
(its FIELDS table). Exports, the pseudonymiser, "What we hold about you", erasure and the search
index read those tables; nothing keeps its own list of personal or free-text fields.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Holds(StrEnum):
    """What a field holds."""

    KEY = "key"  # a record's own id, or a link to another record (random UUIDs)
    PARENT = "parent"  # the id of the parent a record belongs to (or the parent's own id)
    PERSONAL = "personal"  # identifies the parent: names, contact details, birth dates, refs
    FREE_TEXT = "free_text"  # people's words, notes, venues, names of people/places, providers
    DATE = "date"  # a day someone entered
    CODED = "coded"  # a catalogue key or an enum value
    VALUE = "value"  # numbers, yes/no, scores
    STAFF = "staff"  # who on the team (keyworker, who recorded it): not about the parent
    STAMP = "stamp"  # when the record was created or changed (set by the store)


class Day(StrEnum):
    """When the day in a date field can fall, for the checks on a day someone types
    (core.dates.check_day): most wrong days are a year typed wrong (2062, 1926 for 2026)."""

    HAPPENED = "happened"  # a day gone by (a contact, a consent, an answer): by today
    # A day on the parent's journey that reports count from the day they joined (a milestone,
    # starting work): by today, and not before they joined.
    JOURNEY = "journey"
    PLANNED = "planned"  # a day that can be ahead (a meeting, a step's date): not years ahead
    # A parent's date of birth: by today, and an age on the day they joined that a parent on
    # the programme can be (core.dates.YOUNGEST_PARENT and OLDEST_PARENT).
    BIRTH = "birth"


class Pseudonymised(StrEnum):
    """What a pseudonymised output does with a field."""

    KEEP = "keep"  # as it is
    DROP = "drop"  # left out altogether
    PSEUDONYMISE = "pseudonymise"  # a parent's id becomes the partnership's keyed pseudonym
    CODE = "code"  # free text becomes a catalogue key when it names one, otherwise "other"
    BAND = "band"  # an exact date or year becomes a coarse age band


OTHER = "other"  # what CODE makes of text that names nothing in the catalogue


@dataclass(frozen=True)
class FieldSpec:
    """The decision about one field: what it holds and how each kind of export treats it."""

    holds: Holds
    pseudonymised: Pseudonymised
    # In an identifiable export (which is for the partnership's own records, and logged).
    identifiable: bool = True
    # CODE: the catalogue list whose keys (or labels) the text is matched against, and values
    # kept as they are ("me", "keyworker"). BAND: which band ("age" from a date of birth,
    # "child_age" from a birth year).
    codes: str = ""
    keep: frozenset[str] = frozenset()
    # BAND: the column name the band goes out under.
    column: str = ""
    # The date an export's --from/--to is applied to (at most one per record type).
    period: bool = False
    # Indexed by the store's search: "name" (found by the caseload's name search) or "text"
    # (found by "search everything"); "" for neither.
    search: str = ""
    # Special-category data (UK GDPR Article 9: ethnicity, health, sexual orientation...):
    # asked and kept only with the parent's equalities-monitoring consent, never on the plan,
    # never in a pseudonymised export (only the return's coded cells carry it).
    special: bool = False
    # A date: when its day can fall (None: not checked as a day typed), and how a message
    # about it names it ("The day it happened").
    day: Day | None = None
    # How a message names the field, in the words of the form and the option that take it:
    # "The contact's note" ("The contact's note is too long: …"). A date's also says when its
    # day can fall (`day`).
    label: str = ""
    # Words typed in a box of several lines (a note, the parent's words): line breaks and tabs
    # are kept; elsewhere a field is one line (core.typed).
    lines: bool = False

    def named(self, label: str, *, lines: bool = False) -> FieldSpec:
        """This decision, for a field a message calls `label` (`lines`: typed in a box of
        several lines)."""
        return replace(self, label=label, lines=lines)

    def __post_init__(self) -> None:
        # A decision that would let a parent's words or identity through is not a decision.
        private = self.holds in (Holds.PERSONAL, Holds.FREE_TEXT)
        if private and self.pseudonymised in (Pseudonymised.KEEP, Pseudonymised.PSEUDONYMISE):
            raise ValueError(f"{self.holds} cannot be kept in a pseudonymised output")
        if self.pseudonymised is Pseudonymised.CODE and not self.codes:
            raise ValueError("a coded field names the catalogue list it is coded by")
        if self.pseudonymised is Pseudonymised.BAND and not (self.codes and self.column):
            raise ValueError("a banded field names its band and its column")
        if self.special and self.pseudonymised is not Pseudonymised.DROP:
            raise ValueError("special-category data is dropped from pseudonymised outputs")
        # A date of birth is personal (it identifies the parent), and a day to check too.
        dated = self.holds is Holds.DATE or (self.holds is Holds.PERSONAL and self.day is Day.BIRTH)
        if self.day is not None and not (dated and self.label):
            raise ValueError("only a date has a day to check, and it names the date")


# The common decisions, by name, so a record's table reads as a list of decisions.
KEY = FieldSpec(Holds.KEY, Pseudonymised.KEEP)
PARENT = FieldSpec(Holds.PARENT, Pseudonymised.PSEUDONYMISE)
STAMP = FieldSpec(Holds.STAMP, Pseudonymised.KEEP)
STAFF = FieldSpec(Holds.STAFF, Pseudonymised.KEEP)
CODED = FieldSpec(Holds.CODED, Pseudonymised.KEEP)
VALUE = FieldSpec(Holds.VALUE, Pseudonymised.KEEP)
DATE = FieldSpec(Holds.DATE, Pseudonymised.KEEP)
PERSONAL = FieldSpec(Holds.PERSONAL, Pseudonymised.DROP)
NAME = FieldSpec(Holds.PERSONAL, Pseudonymised.DROP, search="name")
WORDS = FieldSpec(Holds.FREE_TEXT, Pseudonymised.DROP, search="text")
# An equalities answer: a code, but special-category, so only identifiable exports carry it.
SPECIAL = FieldSpec(Holds.CODED, Pseudonymised.DROP, special=True)


def day(when: Day, label: str, *, period: bool = False) -> FieldSpec:
    """A date someone types, with when its day can fall and what a message calls it."""
    return FieldSpec(Holds.DATE, Pseudonymised.KEEP, period=period, day=when, label=label)


def coded_text(codes: str, *keep: str) -> FieldSpec:
    """Free text that a pseudonymised output turns into a catalogue key (or "other")."""
    return FieldSpec(
        Holds.FREE_TEXT, Pseudonymised.CODE, codes=codes, keep=frozenset(keep), search="text"
    )


def banded(
    band: str, column: str = "age_band", *, when: Day | None = None, label: str = ""
) -> FieldSpec:
    """An exact age detail that a pseudonymised output turns into a band (a date of birth
    also says when its day can fall, `when`, and what a message calls it, `label`)."""
    return FieldSpec(
        Holds.PERSONAL, Pseudonymised.BAND, codes=band, column=column, day=when, label=label
    )
