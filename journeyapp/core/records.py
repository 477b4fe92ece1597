"""Every kind of record a keyworker keeps, as frozen dataclasses (DESIGN §2)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar

from journeyapp.core import derived
from journeyapp.core.classification import (
    CODED,
    DATE,
    KEY,
    NAME,
    PARENT,
    PERSONAL,
    SPECIAL,
    STAFF,
    STAMP,
    VALUE,
    WORDS,
    Day,
    FieldSpec,
    Holds,
    Pseudonymised,
    banded,
    coded_text,
    day,
)
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    Destination,
    FeedbackSource,
    GoalStatus,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
    Voice,
)

_ID_POOL = bytearray()
_ID_LOCK = threading.Lock()


def _forget_pool() -> None:
    """A forked child must not reuse its parent's random bytes (it would repeat its ids)."""
    global _ID_POOL
    _ID_POOL = bytearray()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def new_id() -> str:
    """A fresh random (version 4) UUID as text, so ids from different laptops never clash."""
    # Same randomness and format as str(uuid.uuid4()), but drawing os.urandom in blocks and
    # skipping the UUID object: ids are made on the hot path of imports and merges.
    global _ID_POOL
    with _ID_LOCK:
        if len(_ID_POOL) < 16:
            _ID_POOL = bytearray(os.urandom(4096))
        raw = _ID_POOL[-16:]
        del _ID_POOL[-16:]
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_LAST_MS = 0
_SEQUENCE = 0


def new_event_id() -> str:
    """A fresh time-ordered (version 7) UUID as text, for journey-log events.

    48 bits of milliseconds, then a counter within the millisecond and random bits: ids made
    later sort later, so a log's event-id index grows at its end instead of at random places.
    """
    global _ID_POOL, _LAST_MS, _SEQUENCE
    with _ID_LOCK:
        if len(_ID_POOL) < 16:
            _ID_POOL = bytearray(os.urandom(4096))
        raw = _ID_POOL[-16:]
        del _ID_POOL[-16:]
        ms = time.time_ns() // 1_000_000
        if ms <= _LAST_MS:
            _SEQUENCE += 1
            ms = _LAST_MS
            if _SEQUENCE > 0xFFF:  # 4,096 ids in one millisecond: go on in the next one
                ms, _SEQUENCE = ms + 1, 0
        else:
            _SEQUENCE = 0
        _LAST_MS = ms
        counter = _SEQUENCE
    raw[0:6] = (ms & 0xFFFF_FFFF_FFFF).to_bytes(6, "big")
    raw[6] = 0x70 | (counter >> 8)  # version 7
    raw[7] = counter & 0xFF
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields every record has: a UUID, when it was created and changed (UTC ISO), and by whom."""

    KIND: ClassVar[str] = ""
    HELD_AS: ClassVar[str] = ""
    # One decision per field (see core.classification): what it holds, how it is exported.
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "id": KEY,
        "created_at": STAMP,
        "updated_at": STAMP,
        "recorded_by": STAFF,
    }

    id: str = field(default_factory=new_id)
    created_at: str = ""
    updated_at: str = ""
    recorded_by: str = ""


@dataclass(frozen=True, kw_only=True)
class Participant(Record):
    """A parent on the programme."""

    KIND: ClassVar[str] = "participants"
    # How "What we hold about you" names one of these, to the parent.
    HELD_AS: ClassVar[str] = "your details"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "id": PARENT,
        "preferred_name": NAME.named("The name to call them by"),
        "full_name": NAME.named("The full name"),
        "date_of_birth": banded("age", when=Day.BIRTH, label="The date of birth"),
        "phone": PERSONAL.named("The phone number"),
        "email": PERSONAL.named("The email address"),
        "address": PERSONAL.named("The address"),
        "locality": CODED,
        "keyworker": STAFF,
        "referral_source": coded_text("partners", "self").named("Where they heard about us"),
        "joined_on": day(Day.HAPPENED, "The day they joined"),
        "status": CODED,
        "stage": CODED,
        "destination": CODED,
        # The day the journey ended (moved on or closed), as the keyworker gave it; None while
        # it is going, and for an ending recorded before this was asked (its log day stands).
        "ended_on": day(Day.HAPPENED, "The day their journey ended"),
        # The day they were last welcomed back after their journey ended (m021), kept when it
        # ends again: an ending is never dated before it, and check-ins count from it. None:
        # never welcomed back (or that welcome back undone).
        "came_back_on": day(Day.HAPPENED, "The day they were welcomed back"),
        # What the parent wants said about where they are going, or why they are stopping,
        # when their journey ends (m022), and whose words those are: free text about them,
        # searched, erased and listed in "What we hold" as any of their words are.
        "ending_words": WORDS.named("Their words as their journey ended", lines=True),
        "ending_voice": CODED,
        "ref": PERSONAL.named("The partnership reference"),
        "notes": WORDS.named("The note about them", lines=True),
        # A language code, but it can point to where someone is from: left out of
        # pseudonymised exports.
        "language": FieldSpec(Holds.CODED, Pseudonymised.DROP),
    }

    preferred_name: str
    full_name: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    locality: str = ""
    keyworker: str = ""
    referral_source: str = ""
    joined_on: date
    status: ParticipantStatus = ParticipantStatus.ACTIVE
    stage: str = ""
    destination: Destination = Destination.NOT_DECIDED
    ended_on: date | None = None
    came_back_on: date | None = None
    # Their words when the journey ended ("" when none were given), and whose they are.
    ending_words: str = ""
    ending_voice: Voice = Voice.PARENT
    ref: str | None = None
    notes: str = ""
    # The language printed documents are in, a code from core.documents.LANGUAGES ("": English).
    language: str = ""


@dataclass(frozen=True, kw_only=True)
class Child(Record):
    """A child of the parent: age for childcare planning, no name needed."""

    KIND: ClassVar[str] = "children"
    HELD_AS: ClassVar[str] = "a child's details"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "birth_year": banded("child_age"),
        "childcare_needs": WORDS.named("The childcare needs", lines=True),
    }

    participant_id: str
    birth_year: int | None = None
    childcare_needs: str = ""


@dataclass(frozen=True, kw_only=True)
class Consent(Record):
    """The parent's consent for one purpose; the journey log keeps every change."""

    KIND: ClassVar[str] = "consents"
    HELD_AS: ClassVar[str] = "what you agreed to"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "purpose": CODED,
        "given": VALUE,
        "on": day(Day.HAPPENED, "The day of the consent", period=True),
        "how_recorded": WORDS.named("How the consent was recorded"),
        "detail": WORDS.named("The consent's detail", lines=True),
    }

    participant_id: str
    purpose: ConsentPurpose
    given: bool
    on: date
    how_recorded: str = ""
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class StrengthBarrier(Record):
    """A strength (listed first) or something in the way, in the parent's words."""

    KIND: ClassVar[str] = "strengths"
    HELD_AS: ClassVar[str] = "a strength or something in the way"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "kind": CODED,
        "area": CODED,
        "words": WORDS.named("What was said", lines=True),
        "voice": CODED,
    }

    participant_id: str
    kind: StrengthOrBarrier
    area: str = ""
    words: str
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class Goal(Record):
    """Something the parent wants, in their words."""

    KIND: ClassVar[str] = "goals"
    HELD_AS: ClassVar[str] = "a goal"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "words": WORDS.named("The goal, in their words,", lines=True),
        "area": CODED,
        "voice": CODED,
        "status": CODED,
        "by_when": WORDS.named("When they want it by"),
        "set_on": day(Day.HAPPENED, "The day the goal was set", period=True),
    }

    participant_id: str
    words: str
    area: str = ""
    voice: Voice = Voice.PARENT
    status: GoalStatus = GoalStatus.NOT_STARTED
    by_when: str = ""
    set_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Step(Record):
    """A step towards a goal: what, who does it, by when, done on."""

    KIND: ClassVar[str] = "steps"
    HELD_AS: ClassVar[str] = "a step"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "goal_id": KEY,
        "what": WORDS.named("What the step is", lines=True),
        "who": coded_text("partners", "me", "keyworker").named("Who does the step"),
        "due": day(Day.PLANNED, "The day the step is due"),
        "done_on": day(Day.HAPPENED, "The day the step was done"),
    }

    participant_id: str
    goal_id: str
    what: str
    who: str = "me"
    due: date | None = None
    done_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Choice(Record):
    """The parent's decision about a service from the partnership's catalogue."""

    KIND: ClassVar[str] = "choices"
    HELD_AS: ClassVar[str] = "a choice about support"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "service": CODED,
        "provider": coded_text("partners").named("The provider"),
        "decision": CODED,
        "decided_on": day(Day.HAPPENED, "The day they decided", period=True),
        "reason": WORDS.named("The reason for the choice", lines=True),
        "voice": CODED,
    }

    participant_id: str
    service: str
    provider: str = ""
    decision: Decision
    decided_on: date
    reason: str = ""
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class PaceChange(Record):
    """The pace and check-in rhythm the parent chose, with their reason; every change is kept."""

    KIND: ClassVar[str] = "pace"
    HELD_AS: ClassVar[str] = "your pace"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "pace": CODED,
        "rhythm": CODED,
        "changed_on": day(Day.JOURNEY, "The day the pace changed", period=True),
        "reason": WORDS.named("The reason for the pace", lines=True),
        "voice": CODED,
    }

    participant_id: str
    pace: Pace
    rhythm: Rhythm
    changed_on: date
    reason: str = ""
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class Pause(Record):
    """A break the parent chose; it is normal, never a failure."""

    KIND: ClassVar[str] = "pauses"
    HELD_AS: ClassVar[str] = "a break"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "started_on": day(Day.JOURNEY, "The day the break started", period=True),
        "ended_on": day(Day.HAPPENED, "The day the break ended"),
        "reason": WORDS.named("The reason for the break", lines=True),
        "voice": CODED,
        "follow_up_on": day(Day.PLANNED, "The day to get in touch again"),
        "follow_up_chosen_by": CODED,
    }

    participant_id: str
    started_on: date
    ended_on: date | None = None
    reason: str = ""
    # Whose words the reason is (and whose choice the break): the parent's, as a rule.
    voice: Voice = Voice.PARENT
    # The day to get in touch again ("back in January"), if one was set.
    follow_up_on: date | None = None
    # Who chose that day: the keyworker may suggest it, or it is agreed together, while the
    # break and its reason stay the parent's. None when there is no day; see `day_chosen_by`.
    follow_up_chosen_by: Voice | None = None

    @property
    def day_chosen_by(self) -> Voice | None:
        """Who chose the day to get in touch again (None when there is none). A break from a
        laptop that did not ask (before m019) has the break's voice, as it always said."""
        return day_chosen_by(self.follow_up_on, self.follow_up_chosen_by, self.voice)


def day_chosen_by(
    follow_up_on: object, chosen_by: Voice | str | None, voice: Voice | str
) -> Voice | None:
    """Who chose a break's day to get in touch again, from its stored fields (for code that
    reads them as columns, as This week does): None without a day; the break's voice when
    nobody was asked (a break recorded before the day had a chooser of its own)."""
    if follow_up_on is None:
        return None
    return Voice(chosen_by or voice)


@dataclass(frozen=True, kw_only=True)
class StageChange(Record):
    """A move to another stage of the journey (journeys are not linear)."""

    KIND: ClassVar[str] = "stages"
    HELD_AS: ClassVar[str] = "where you are on your journey"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "stage": CODED,
        "on": day(Day.JOURNEY, "The day of the move to this stage", period=True),
        "note": WORDS.named("The note on the stage", lines=True),
    }

    participant_id: str
    stage: str
    on: date
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Milestone(Record):
    """Something the parent achieved."""

    KIND: ClassVar[str] = "milestones"
    HELD_AS: ClassVar[str] = "something you achieved"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "type": CODED,
        "achieved_on": day(Day.JOURNEY, "The day it happened", period=True),
        "note": WORDS.named("The note on the milestone", lines=True),
        "voice": CODED,
    }

    participant_id: str
    type: str
    achieved_on: date
    note: str = ""
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class Assessment(Record):
    """A distance-travelled self-assessment: the parent's 1-10 per outcome area is the record."""

    KIND: ClassVar[str] = "assessments"
    HELD_AS: ClassVar[str] = "a self-assessment"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "taken_on": day(Day.HAPPENED, "The day of the self-assessment", period=True),
        "scores": VALUE,
        "keyworker_scores": VALUE,
        "comment": WORDS.named("The comment on the self-assessment", lines=True),
        "voice": CODED,
    }

    participant_id: str
    taken_on: date
    scores: dict[str, int]
    keyworker_scores: dict[str, int] = field(default_factory=dict)
    comment: str = ""
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class Contact(Record):
    """A contact with the parent."""

    KIND: ClassVar[str] = "contacts"
    HELD_AS: ClassVar[str] = "a meeting or call"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "on": day(Day.HAPPENED, "The day of the contact", period=True),
        "kind": CODED,
        "venue": WORDS.named("The venue"),
        "minutes": VALUE,
        "note": WORDS.named("The contact's note", lines=True),
        "next_step": WORDS.named("The next step", lines=True),
        "childcare_needed": VALUE,
        "childcare_arranged": VALUE,
        "group_session_id": KEY,
    }

    participant_id: str
    on: date
    kind: str
    venue: str = ""
    minutes: int = 30
    note: str = ""
    next_step: str = ""
    childcare_needed: bool = False
    childcare_arranged: bool = False
    group_session_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Referral(Record):
    """A referral to another service or organisation, with what came of it."""

    KIND: ClassVar[str] = "referrals"
    HELD_AS: ClassVar[str] = "putting you in touch with someone"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "to": coded_text("partners").named("Who the referral is to"),
        "service": CODED,
        "reason": WORDS.named("The reason for the referral", lines=True),
        "on": day(Day.HAPPENED, "The day of the referral", period=True),
        "outcome": CODED,
    }

    participant_id: str
    to: str
    service: str = ""
    reason: str = ""
    on: date
    outcome: ReferralOutcome = ReferralOutcome.WAITING


@dataclass(frozen=True, kw_only=True)
class GroupSession(Record):
    """A group activity on a date."""

    KIND: ClassVar[str] = "groups"
    HELD_AS: ClassVar[str] = "a group session"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "activity": coded_text("services").named("The activity"),
        "venue": WORDS.named("The venue"),
        "on": day(Day.PLANNED, "The day of the group session", period=True),
    }

    activity: str
    venue: str = ""
    on: date


@dataclass(frozen=True, kw_only=True)
class Attendance(Record):
    """A parent (who consented to registers) at a group session."""

    KIND: ClassVar[str] = "attendance"
    HELD_AS: ClassVar[str] = "a group session"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "session_id": KEY,
    }

    participant_id: str
    session_id: str


@dataclass(frozen=True, kw_only=True)
class Feedback(Record):
    """Something said by a parent, keyworker or partner, and what changed as a result."""

    KIND: ClassVar[str] = "feedback"
    HELD_AS: ClassVar[str] = "feedback"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "source": CODED,
        "said": WORDS.named("What was said", lines=True),
        "we_did": WORDS.named("What was done about it", lines=True),
        "on": day(Day.HAPPENED, "The day it was said", period=True),
    }

    participant_id: str | None = None
    source: FeedbackSource = FeedbackSource.PARENT
    said: str
    we_did: str = ""
    on: date


@dataclass(frozen=True, kw_only=True)
class Equalities(Record):
    """The parent's equalities-monitoring answers (codes from core.codes; "" not answered).

    Special-category data: kept only while the parent's equalities-monitoring consent is given
    (the caseload refuses it otherwise and removes it when the consent is withdrawn). One per
    parent, with the same id on every laptop.
    """

    KIND: ClassVar[str] = "equalities"
    HELD_AS: ClassVar[str] = "your equalities monitoring answers"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "sex": SPECIAL,
        "gender_identity": SPECIAL,
        "age_band": SPECIAL,
        "ethnicity": SPECIAL,
        "disability": SPECIAL,
        "disabled_child": SPECIAL,
        "sexual_orientation": SPECIAL,
        "care_experience": SPECIAL,
        "answered_on": day(Day.HAPPENED, "The day they answered"),
    }

    participant_id: str
    sex: str = ""
    gender_identity: str = ""
    # Only asked when the parent's date of birth is not recorded.
    age_band: str = ""
    ethnicity: str = ""
    disability: str = ""
    disabled_child: str = ""
    sexual_orientation: str = ""
    care_experience: str = ""
    answered_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Circumstances(Record):
    """The family's circumstances when the parent started (codes from core.codes; "" not answered).

    One per parent, with the same id on every laptop. The number of children, a youngest child
    under one and three or more children come from the children recorded, not from here.
    """

    KIND: ClassVar[str] = "circumstances"
    HELD_AS: ClassVar[str] = "your circumstances when you started"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "postcode": PERSONAL.named("The postcode"),
        "lone_parent": CODED,
        "employment_status": CODED,
        "time_out_of_work": CODED,
        "benefits": CODED,
        "answered_on": day(Day.HAPPENED, "The day they answered"),
    }

    participant_id: str
    # For the deprivation measure (SIMD) only; stored as "EH1 1AA".
    postcode: str = ""
    lone_parent: str = ""
    employment_status: str = ""
    time_out_of_work: str = ""
    # Kinds of benefit (codes), never amounts.
    benefits: list[str] = field(default_factory=list)
    answered_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class Job(Record):
    """A job the parent started: grows from the "started work" milestone; hours, contract, pay,
    how it got better and, if it ended, when and why."""

    KIND: ClassVar[str] = "jobs"
    HELD_AS: ClassVar[str] = "a job"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "milestone_id": KEY,
        "started_on": day(Day.JOURNEY, "The day the job started", period=True),
        "job_title": WORDS.named("The job title"),
        "hours_per_week": VALUE,
        "working_pattern": CODED,
        "contract_type": CODED,
        "living_wage": CODED,
        "sector": CODED,
        "progression": CODED,
        "progressed_on": day(Day.HAPPENED, "The day the job got better"),
        "left_on": day(Day.HAPPENED, "The day the job ended"),
        "leaving_reason": CODED,
        "note": WORDS.named("The note on the job", lines=True),
    }

    participant_id: str
    milestone_id: str | None = None
    started_on: date
    job_title: str = ""
    hours_per_week: int | None = None
    working_pattern: str = ""
    contract_type: str = ""
    living_wage: str = ""
    sector: str = ""
    progression: str = ""
    progressed_on: date | None = None
    left_on: date | None = None
    leaving_reason: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Appointment(Record):
    """A meeting arranged with the parent: the day, the time, where, and who will be there."""

    KIND: ClassVar[str] = "appointments"
    HELD_AS: ClassVar[str] = "a meeting we arranged"
    FIELDS: ClassVar[dict[str, FieldSpec]] = {
        "participant_id": PARENT,
        "on": day(Day.PLANNED, "The day of the meeting", period=True),
        "time": VALUE,  # "HH:MM" on a 24-hour clock, or "" for "some time that day"
        "minutes": VALUE,
        # Free text: a place or a person can name the parent's street or a partner's worker,
        # so a pseudonymised output drops both (and search everything finds them).
        "place": WORDS.named("The place"),
        "with_whom": WORDS.named("Who the meeting is with"),
    }

    participant_id: str
    on: date
    time: str = ""
    minutes: int = 60
    place: str = ""
    with_whom: str = ""


RECORD_TYPES: tuple[type[Record], ...] = (
    Participant,
    Child,
    Consent,
    StrengthBarrier,
    Goal,
    Step,
    Choice,
    PaceChange,
    Pause,
    StageChange,
    Milestone,
    Assessment,
    Contact,
    Referral,
    GroupSession,
    Attendance,
    Feedback,
    Equalities,
    Circumstances,
    Job,
    Appointment,
)

BY_KIND: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}


def field_specs(cls: type[Record]) -> dict[str, FieldSpec]:
    """Every field of a record type with its decision, in field order (the registry)."""
    return {**Record.FIELDS, **cls.FIELDS}


def fields_where(cls: type[Record], *holds: Holds, search: str | None = None) -> tuple[str, ...]:
    """The names of a record type's fields that hold one of `holds` (or are searched as `search`)."""
    return tuple(
        name
        for name, spec in field_specs(cls).items()
        if (not holds or spec.holds in holds) and (search is None or spec.search == search)
    )


def not_kept_when_pseudonymised(cls: type[Record]) -> frozenset[str]:
    """Fields a pseudonymised output may not carry as they are (dropped, coded or banded)."""
    return frozenset(
        name
        for name, spec in field_specs(cls).items()
        if spec.pseudonymised not in (Pseudonymised.KEEP, Pseudonymised.PSEUDONYMISE)
    )


def period_field(cls: type[Record]) -> str | None:
    """The date an export's --from/--to applies to, if the record type has one."""
    return next((n for n, spec in field_specs(cls).items() if spec.period), None)


def belongs_to_a_parent(cls: type[Record]) -> bool:
    """Whether each record of this type is about one parent (and goes when they are erased)."""
    return cls is Participant or "participant_id" in cls.FIELDS


# What audit events (journey-log events about the caseload, not a record) carry, decided the
# same way: an export or import is noted, but never with a file name, which can name a person.
AUDIT_EVENTS: dict[str, dict[str, FieldSpec]] = {
    "exports": {
        "format": CODED,
        "to": FieldSpec(Holds.FREE_TEXT, Pseudonymised.DROP),  # written before 2026-12
        "what": CODED,
        "from_date": DATE,
        "to_date": DATE,
        "locality": CODED,
        "keyworker": STAFF,
    },
    "imports": {
        "file": FieldSpec(Holds.FREE_TEXT, Pseudonymised.DROP),  # written before 2026-12
        "source": CODED,
        "sha256": VALUE,
        "kind": CODED,
        "new": VALUE,
        "updated": VALUE,
    },
}


@dataclass(frozen=True)
class Journey:
    """Everything held about one parent, gathered for a workspace, a plan or a subject-access copy."""

    participant: Participant
    children: tuple[Child, ...] = ()
    consents: tuple[Consent, ...] = ()
    strengths: tuple[StrengthBarrier, ...] = ()
    goals: tuple[Goal, ...] = ()
    steps: tuple[Step, ...] = ()
    choices: tuple[Choice, ...] = ()
    pace: tuple[PaceChange, ...] = ()
    pauses: tuple[Pause, ...] = ()
    stages: tuple[StageChange, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    contacts: tuple[Contact, ...] = ()
    referrals: tuple[Referral, ...] = ()
    attendance: tuple[Attendance, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    equalities: Equalities | None = None
    circumstances: Circumstances | None = None
    jobs: tuple[Job, ...] = ()
    appointments: tuple[Appointment, ...] = ()

    def steps_for(self, goal_id: str) -> tuple[Step, ...]:
        """The steps of one goal, in the order they were added."""
        return tuple(s for s in self.steps if s.goal_id == goal_id)

    @property
    def current_pace(self) -> PaceChange | None:
        """The latest pace the parent chose, if any."""
        return max(self.pace, key=lambda p: (p.changed_on, p.created_at), default=None)

    @property
    def open_pause(self) -> Pause | None:
        """The pause in progress, if the parent is taking a break."""
        open_ = [p for p in self.pauses if p.ended_on is None]
        return max(open_, key=lambda p: p.started_on, default=None)

    @property
    def last_contact_on(self) -> date | None:
        """The date of the most recent contact."""
        return max((c.on for c in self.contacts), default=None)

    @property
    def back_on(self) -> date | None:
        """The latest day the journey was taken up again: the parent welcomed back after it
        ended, or a break of theirs ended (None: neither). Check-ins count from it when it is
        after the last contact (derived.next_checkin_due; the caseload list's back_on)."""
        ends = [b.ended_on for b in self.pauses if b.ended_on is not None]
        back = self.participant.came_back_on
        return max([*ends, *([back] if back is not None else [])], default=None)

    def next_checkin_on(self, today: date) -> date | None:
        """When the next check-in is due as things stood on `today` (None: taking a break,
        moved on or closed, or "I'll get in touch"): derived.next_checkin_due, from the last
        contact, the day they joined, or the day they came back, whichever is latest."""
        journey = self.as_of(today)
        pace = journey.current_pace
        p = journey.participant
        return derived.next_checkin_due(
            pace.rhythm if pace else None,
            journey.last_contact_on,
            p.joined_on,
            p.status,
            journey.back_on,
        )

    def next_appointment(self, today: date) -> Appointment | None:
        """The first meeting arranged on or after `today` (earliest day, then time), if any."""
        coming = [a for a in self.appointments if a.on >= today]
        return min(coming, key=lambda a: (a.on, a.time or "99:99", a.created_at), default=None)

    def dated_after(self, today: date) -> tuple[DatedAfter, ...]:
        """The parent's records with a day that happens (not one planned) dated after `today`,
        in day order: typed here such a day is refused, so these came from a laptop whose clock
        was ahead (merges keep a record as written). Views show them as not happened yet
        (`as_of`) and flag them for the keyworker to check the date."""
        found = [
            DatedAfter(record, name, value)
            for record in self._held_records()
            for name, value in happened_days(record)
            if value > today
        ]
        return tuple(sorted(found, key=lambda d: (d.day, d.record.created_at)))

    def status_by(self, today: date) -> ParticipantStatus:
        """The parent's status on `today`. Taking a break sets it to paused, whatever day the
        break starts, and picking up again sets it back, whatever day the break ends: a
        parent paused only by breaks (not ended) that start after `today` (written on a
        laptop whose clock was ahead) has not started one, so is active until then, and their
        check-ins go on; a parent going on with a break that started by `today` and ends after
        it is taking that break until its last day (the pace is the parent's). Any other status
        is as held (a status of paused set with no break, too). The caseload list reads it
        likewise (store.queries.status_by_today)."""
        status = self.participant.status
        if status not in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED):
            return status
        if any(
            p.started_on <= today and p.ended_on is not None and p.ended_on > today
            for p in self.pauses
        ):
            return ParticipantStatus.PAUSED
        if status is ParticipantStatus.PAUSED:
            going = [p.started_on for p in self.pauses if p.ended_on is None]
            if going and min(going) > today:
                return ParticipantStatus.ACTIVE
        return status

    def stage_by(self, today: date) -> str:
        """The stage the parent is in on `today`. A move is held as the parent's stage the day
        it is recorded, whatever day it is dated: a move dated after `today` (a laptop whose
        clock was ahead) has not happened yet, so the stage is that of the latest move by
        `today` (by day, then the one recorded last; none: "", no stage yet). With no move dated
        after `today`, the stage is as held. The caseload list (store.queries.stage_by_today)
        and the programme report read it likewise."""
        if not any(s.on > today for s in self.stages):
            return self.participant.stage
        moves = [s for s in self.stages if s.on <= today]
        latest = max(moves, key=lambda s: (s.on, s.created_at), default=None)
        return latest.stage if latest is not None else ""

    def as_of(self, today: date) -> Journey:
        """The journey as it stood on `today`: what is dated after it has not happened yet. A
        record whose own day (its registry's period day: a contact's, a milestone's) is after
        `today` is left out; a later day of a record (a step done, a break ended, a job left)
        is not there yet. The parent's own details, children and answers are as held, but
        for their status and stage, which are as they stood on `today` (`status_by`,
        `stage_by`)."""
        if not self.dated_after(today):
            return self
        changes: dict[str, Any] = {}
        status, stage = self.status_by(today), self.stage_by(today)
        if status is not self.participant.status or stage != self.participant.stage:
            changes["participant"] = replace(self.participant, status=status, stage=stage)
        for name in _JOURNEY_RECORDS:
            kept: list[Record] = []
            for record in getattr(self, name):
                later = {day: value for day, value in happened_days(record) if value > today}
                if not later:
                    kept.append(record)
                elif not any(record.FIELDS[day].period for day in later):
                    kept.append(replace(record, **dict.fromkeys(later)))
            changes[name] = tuple(kept)
        return replace(self, **changes)

    def _held_records(self) -> Iterator[Record]:
        for name in _JOURNEY_RECORDS:
            yield from getattr(self, name)


@dataclass(frozen=True)
class DatedAfter:
    """A record's day that happens (`field`, e.g. a contact's "on") dated after today."""

    record: Record
    field: str
    day: date

    @property
    def label(self) -> str:
        """What the registry calls the day ("The day of the contact")."""
        return self.record.FIELDS[self.field].label


# The Journey's fields whose records say what happened on their day (a contact, a milestone,
# a step done, a break, a pace chosen): dated after today, it has not happened yet. Not the
# parent's details, children or answers, nor what they want and chose (goals, choices,
# consents), whose day only notes when it was written down: a goal set "tomorrow" is still
# their goal (`journeyapp check` lists any day after today all the same).
_JOURNEY_RECORDS = (
    "steps",
    "pace",
    "pauses",
    "stages",
    "milestones",
    "assessments",
    "contacts",
    "referrals",
    "attendance",
    "feedback",
    "jobs",
)


def happened_fields(kind: type[Record]) -> tuple[str, ...]:
    """The fields of a kind of record holding a day that happens (a day that happened, or on
    the journey) rather than one planned, as its registry entries declare."""
    return tuple(n for n, spec in kind.FIELDS.items() if spec.day in (Day.HAPPENED, Day.JOURNEY))


def happened_days(record: Record) -> Iterator[tuple[str, date]]:
    """(field, day) of each day of `record` that happens (happened_fields) and is held."""
    for name in happened_fields(type(record)):
        value = getattr(record, name, None)
        if isinstance(value, date):
            yield name, value


# A caseload repeats the same few hundred dates thousands of times: parse each once.
_iso_date = lru_cache(maxsize=8192)(date.fromisoformat)
_STATUS_OF = {str(s): s for s in ParticipantStatus}
_PACE_OF = {str(p): p for p in Pace}
_RHYTHM_OF = {str(r): r for r in Rhythm}

# The columns of a caseload line, in order: what the store's caseload query returns.
CASELOAD_LINE = (
    "id",
    "preferred_name",
    "full_name",
    "locality",
    "status",
    "stage",
    "pace",
    "rhythm",
    "joined_on",
    "last_contact_on",
    "overdue",
    "back_on",
)

CaseloadLine = tuple[
    str,  # id
    str,  # preferred_name
    str | None,  # full_name
    str | None,  # locality
    str,  # status
    str | None,  # stage
    str | None,  # pace
    str | None,  # rhythm
    str,  # joined_on
    str | None,  # last_contact_on
    int,  # overdue
    str | None,  # back_on
]


class CaseloadRow(CaseloadLine):
    """One line of the caseload list: who, where they are, and when we next meet.

    Unlike the records above this is a tuple of the stored text (ISO dates, enum values) with
    typed attributes that convert on reading: the window loads 10,000 of these at once, and a
    frozen dataclass costs ten times as much to build. Build one from a line of the store's
    caseload query (columns in CASELOAD_LINE order); it is immutable like the records.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(CASELOAD_LINE, self, strict=True))
        return f"CaseloadRow({fields})"

    @property
    def id(self) -> str:
        """The parent's id."""
        return self[0]

    @property
    def preferred_name(self) -> str:
        """The name the parent likes to be called."""
        return self[1]

    @property
    def full_name(self) -> str:
        """The full name ("" when not given)."""
        return self[2] or ""

    @property
    def locality(self) -> str:
        """The locality key."""
        return self[3] or ""

    @property
    def status(self) -> ParticipantStatus:
        """Active, paused (their choice), moved on or closed."""
        return _STATUS_OF[self[4]]

    @property
    def stage(self) -> str:
        """The journey stage key."""
        return self[5] or ""

    @property
    def pace(self) -> Pace | None:
        """The pace the parent chose (None before they have chosen)."""
        return _PACE_OF[self[6]] if self[6] else None

    @property
    def rhythm(self) -> Rhythm | None:
        """How often they want to check in (None before they have chosen)."""
        return _RHYTHM_OF[self[7]] if self[7] else None

    @property
    def joined_on(self) -> date:
        """The day the parent joined."""
        return _iso_date(self[8])

    @property
    def last_contact_on(self) -> date | None:
        """The date of the most recent contact."""
        return _iso_date(self[9]) if self[9] else None

    @property
    def next_checkin_on(self) -> date | None:
        """When the next check-in is due (None: paused, moved on, or "I'll get in touch")."""
        return derived.next_checkin_due(
            self.rhythm, self.last_contact_on, self.joined_on, self.status, self.back_on
        )

    @property
    def back_on(self) -> date | None:
        """The latest day they came back (welcomed back, or a break ended): Journey.back_on."""
        return _iso_date(self[11]) if self[11] else None

    @property
    def overdue(self) -> bool:
        """Whether the planned check-in date had passed on `today`."""
        return bool(self[10])


@dataclass(frozen=True)
class CaseloadOutline:
    """The whole caseload list in brief, in name order: every parent's id, preferred name,
    full name and locality, and how many check-ins are overdue (enough to order and count the
    list, and to tell apart parents who share a name, before its rows)."""

    ids: list[str]
    names: list[str]
    full_names: list[str | None]
    localities: list[str | None]
    overdue: int


@dataclass(frozen=True)
class Event:
    """One journey-log event: what changed, when, on which laptop and by whom (append-only)."""

    event_id: str
    at: str
    device_id: str
    actor: str
    participant_id: str | None
    kind: str
    record_id: str
    action: str
    fields: dict[str, object]
    txn: str = ""


# The journey log's columns (and a bundle's): one per Event field, in order.
EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Event))
