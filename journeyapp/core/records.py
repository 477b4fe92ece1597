"""Every kind of record a keyworker keeps, as frozen dataclasses (DESIGN §2)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import ClassVar

from journeyapp.core import derived
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


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields every record has: a UUID, when it was created and changed (UTC ISO), and by whom."""

    KIND: ClassVar[str] = ""
    # Fields holding personal free text or identifying details (left out of pseudonymised exports).
    PERSONAL: ClassVar[frozenset[str]] = frozenset()

    id: str = field(default_factory=new_id)
    created_at: str = ""
    updated_at: str = ""
    recorded_by: str = ""


@dataclass(frozen=True, kw_only=True)
class Participant(Record):
    """A parent on the programme."""

    KIND: ClassVar[str] = "participants"
    PERSONAL: ClassVar[frozenset[str]] = frozenset(
        {"preferred_name", "full_name", "date_of_birth", "phone", "email", "address", "notes"}
    )

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
    ref: str | None = None
    notes: str = ""
    # The language printed documents are in, a code from core.documents.LANGUAGES ("": English).
    language: str = ""


@dataclass(frozen=True, kw_only=True)
class Child(Record):
    """A child of the parent: age for childcare planning, no name needed."""

    KIND: ClassVar[str] = "children"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"childcare_needs"})

    participant_id: str
    birth_year: int | None = None
    childcare_needs: str = ""


@dataclass(frozen=True, kw_only=True)
class Consent(Record):
    """The parent's consent for one purpose; the journey log keeps every change."""

    KIND: ClassVar[str] = "consents"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"how_recorded", "detail"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"words"})

    participant_id: str
    kind: StrengthOrBarrier
    area: str = ""
    words: str
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class Goal(Record):
    """Something the parent wants, in their words."""

    KIND: ClassVar[str] = "goals"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"words", "by_when"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"what"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"reason"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"reason"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"reason"})

    participant_id: str
    started_on: date
    ended_on: date | None = None
    reason: str = ""
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class StageChange(Record):
    """A move to another stage of the journey (journeys are not linear)."""

    KIND: ClassVar[str] = "stages"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"note"})

    participant_id: str
    stage: str
    on: date
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Milestone(Record):
    """Something the parent achieved."""

    KIND: ClassVar[str] = "milestones"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"note"})

    participant_id: str
    type: str
    achieved_on: date
    note: str = ""
    voice: Voice = Voice.PARENT


@dataclass(frozen=True, kw_only=True)
class Assessment(Record):
    """A distance-travelled self-assessment: the parent's 1-10 per outcome area is the record."""

    KIND: ClassVar[str] = "assessments"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"comment"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"note", "next_step"})

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
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"reason"})

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

    activity: str
    venue: str = ""
    on: date


@dataclass(frozen=True, kw_only=True)
class Attendance(Record):
    """A parent (who consented to registers) at a group session."""

    KIND: ClassVar[str] = "attendance"

    participant_id: str
    session_id: str


@dataclass(frozen=True, kw_only=True)
class Feedback(Record):
    """Something said by a parent, keyworker or partner, and what changed as a result."""

    KIND: ClassVar[str] = "feedback"
    PERSONAL: ClassVar[frozenset[str]] = frozenset({"said", "we_did"})

    participant_id: str | None = None
    source: FeedbackSource = FeedbackSource.PARENT
    said: str
    we_did: str = ""
    on: date


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
)

BY_KIND: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}


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
            self.rhythm, self.last_contact_on, self.joined_on, self.status
        )

    @property
    def overdue(self) -> bool:
        """Whether the planned check-in date had passed on `today`."""
        return bool(self[10])


@dataclass(frozen=True)
class CaseloadOutline:
    """The whole caseload list in brief, in name order: every parent's id and preferred name,
    and how many check-ins are overdue (enough to order and count the list before its rows)."""

    ids: list[str]
    names: list[str]
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
