"""A record in a few words ("the contact on 3 Nov (phone, 10 min)"), for the question before it
is removed, and its history from the journey log (what it said before, when, who); whose words
a reason or note is, and who chose a day, as the window and the command line both say it."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.classification import Holds
from journeyapp.core.codes import Codes
from journeyapp.core.dates import long_date, short_date
from journeyapp.core.enums import Action, Rhythm, StrengthOrBarrier, Voice, label
from journeyapp.core.records import (
    BY_KIND,
    Appointment,
    Assessment,
    Attendance,
    Child,
    Choice,
    Circumstances,
    Consent,
    Contact,
    DatedAfter,
    Equalities,
    Event,
    Feedback,
    Goal,
    GroupSession,
    Job,
    Milestone,
    PaceChange,
    Participant,
    Pause,
    Record,
    Referral,
    StageChange,
    Step,
    StrengthBarrier,
)

# Long words are cut in a question box; the whole record is one click away.
_MOST = 60
# What a record kind is called in a history ("Changed: the contact").
KIND_WORDS: dict[str, str] = {
    "participants": "details",
    "children": "child",
    "consents": "consent",
    "strengths": "strength or thing in the way",
    "goals": "goal",
    "steps": "step",
    "choices": "choice",
    "pace": "pace",
    "pauses": "break",
    "stages": "stage",
    "milestones": "milestone",
    "assessments": "self-assessment",
    "contacts": "contact",
    "referrals": "referral",
    "groups": "group session",
    "attendance": "group attendance",
    "feedback": "feedback",
    "equalities": "equalities monitoring answers",
    "circumstances": "circumstances at the start",
    "jobs": "job",
    "appointments": "meeting",
}


def _quoted(words: str) -> str:
    words = " ".join(words.split())
    if len(words) > _MOST:
        words = words[: _MOST - 1].rstrip() + "…"
    return f"“{words}”"


def quote(words: str) -> str:
    """The parent's words in quotation marks."""
    return f"“{words.strip()}”"


def said(words: str, voice: Voice) -> str:
    """Words as recorded, in a list, a table or a command's output: the parent's own in
    quotation marks; words agreed together or the keyworker's note marked as such ("“…”
    (keyworker's note)"), never passed off as the parent's."""
    if not words.strip():
        return ""
    if voice is Voice.PARENT:
        return quote(words)
    return f"{quote(words)} ({label(voice)})"


def scores_words(assessment: Assessment, catalogue: Catalogue) -> str:
    """A self-assessment's scores as the Self-assessment tab and the assessment command show
    them: each area scored, in the catalogue's order (retired since: under its key), with the
    keyworker's view beside it ("Confidence 6 (your view 5), Wellbeing 4")."""
    parts = []
    for key, area in catalogue.choices("outcome_areas", assessment.scores):
        if key in assessment.scores:
            part = f"{area} {assessment.scores[key]}"
            if key in assessment.keyworker_scores:
                part += f" (your view {assessment.keyworker_scores[key]})"
            parts.append(part)
    return ", ".join(parts)


def check_in_words(rhythm: Rhythm) -> str:
    """How often a parent checks in, to follow "check in" or "checking in" ("weekly", "when they
    get in touch"; the label "I'll get in touch" is the parent's own choice in their words and
    read "check in i'll get in touch" there)."""
    if rhythm is Rhythm.WHEN_I_GET_IN_TOUCH:
        return "when they get in touch"
    return label(rhythm).lower()


def chosen_by_words(voice: Voice, name: str = "") -> str:
    """Who chose the day to get in touch again during a break, from the break's voice (the
    keyworker's side of the plan's "You chose this day.")."""
    if voice == Voice.TOGETHER:
        return "chosen together"
    if voice == Voice.KEYWORKER:
        return "keyworker's choice"
    return f"{name}'s choice" if name else "their choice"


def describe(
    record: Record,
    catalogue: Catalogue,
    today: date | None = None,
    *,
    session: GroupSession | None = None,
    steps: int = 0,
    with_job: bool = False,
) -> str:
    """What `record` is, in a few words, starting "the …" (for "Remove the contact on 3 Nov?").

    `session` names a group session an attendance was at; `steps` counts a goal's steps and
    `with_job` says a "started work" milestone has a job record (they go with it).
    """

    def on(day: date) -> str:
        return short_date(day, today)

    if isinstance(record, Contact):
        kind = catalogue.label("contact_kinds", record.kind).lower()
        return f"the contact on {on(record.on)} ({kind}, {record.minutes} min)"
    if isinstance(record, StrengthBarrier):
        what = "strength" if record.kind is StrengthOrBarrier.STRENGTH else "thing in the way"
        return f"the {what} {_quoted(record.words)}"
    if isinstance(record, Child):
        if record.birth_year:
            return f"the child born in {record.birth_year}"
        return "the child (birth year not noted)"
    if isinstance(record, Consent):
        state = "given" if record.given else "withdrawn or not given"
        return f"the consent for {label(record.purpose).lower()} ({state} on {on(record.on)})"
    if isinstance(record, Milestone):
        what = catalogue.label("milestone_types", record.type)
        also = " and its job's details (hours, contract, how it went)" if with_job else ""
        return f"the milestone “{what}” on {on(record.achieved_on)}{also}"
    if isinstance(record, Referral):
        return f"the referral to {record.to} on {on(record.on)}"
    if isinstance(record, Assessment):
        return f"the self-assessment on {on(record.taken_on)}"
    if isinstance(record, Attendance):
        if session is not None:
            return f"the attendance at {session.activity} on {on(session.on)}"
        return "the attendance at a group session"
    if isinstance(record, Goal):
        also = f" and its {steps} step{'s' if steps != 1 else ''}" if steps else ""
        return f"the goal {_quoted(record.words)}{also}"
    if isinstance(record, Step):
        return f"the step {_quoted(record.what)}"
    if isinstance(record, Choice):
        service = catalogue.label("services", record.service)
        return f"the choice about {service.lower()} ({label(record.decision).lower()})"
    if isinstance(record, PaceChange):
        return (
            f"the pace change on {on(record.changed_on)} ({label(record.pace).lower()}, "
            f"check in {check_in_words(record.rhythm)})"
        )
    if isinstance(record, Pause):
        return f"the break from {on(record.started_on)}"
    if isinstance(record, StageChange):
        return f"the move to {catalogue.label('stages', record.stage)} on {on(record.on)}"
    if isinstance(record, Feedback):
        return f"the feedback on {on(record.on)} ({_quoted(record.said)})"
    if isinstance(record, GroupSession):
        return f"the group session {record.activity} on {on(record.on)}"
    if isinstance(record, Job):
        title = f" {_quoted(record.job_title)}" if record.job_title.strip() else ""
        return f"the job{title} started on {on(record.started_on)}"
    if isinstance(record, Equalities):
        return "the equalities monitoring answers"
    if isinstance(record, Circumstances):
        return "the circumstances at the start"
    if isinstance(record, Appointment):
        at = f" at {record.time}" if record.time else ""
        return f"the meeting on {on(record.on)}{at}"
    if isinstance(record, Participant):
        return "their details"  # not "this details"
    return f"this {KIND_WORDS.get(record.KIND, record.KIND)}"


# Beside a day that happens dated after today (merged from a laptop whose clock was ahead):
# shown as not happened yet (core.records.Journey.as_of), in words, not colour alone; the
# window's tabs and the command line's listings say it alike.
AFTER_TODAY = "⚠ after today: check the date"


def marked_day(shown: str, value: date, today: date) -> str:
    """A day something happened on, as `shown` ("8 Dec 2026", "2026-12-08"), marked when it
    is after `today`."""
    return f"{shown} ({AFTER_TODAY})" if value > today else shown


def dated_after_words(ahead: Sequence[DatedAfter], catalogue: Catalogue, today: date) -> str:
    """What a keyworker is told of a parent's records dated after `today` (Journey.dated_after),
    which views show as not happened yet: which, and to check the date ("" when none)."""
    if not ahead:
        return ""
    things = [_dated(found, catalogue) for found in ahead]
    return (
        f"Dated after today ({long_date(today)}), so not counted as happened yet: "
        f"{'; '.join(things)}. Check the date: the laptop it was written on may have had its "
        "clock ahead."
    )


def dated_after_line(found: DatedAfter, catalogue: Catalogue, today: date) -> str:
    """One record dated after `today` in a line of a list ("the contact on 8 Dec 2026 (phone,
    30 min) is dated after today (28 Nov 2026): check the date.")."""
    return f"{_dated(found, catalogue)} is dated after today ({long_date(today)}): check the date."


def _dated(found: DatedAfter, catalogue: Catalogue) -> str:
    what = describe(found.record, catalogue)
    if not found.record.FIELDS[found.field].period:  # a later day of it: a step done
        what += f" ({found.label[0].lower()}{found.label[1:]}, {long_date(found.day)})"
    return what


@dataclass(frozen=True)
class Change:
    """One field of a record changed by one event: its value before and after."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One journey-log event about a record, in words: when, who, what happened, what changed."""

    at: datetime
    actor: str
    device_id: str
    action: str
    changes: tuple[Change, ...]

    @property
    def what(self) -> str:
        """ "Made", "Changed", "Removed" or "Erased"."""
        return {
            Action.CREATE: "Made",
            Action.UPDATE: "Changed",
            Action.DELETE: "Removed",
            Action.ERASE: "Erased",
        }.get(Action(self.action), self.action.capitalize())


# Bookkeeping fields every event carries: not what a person changed.
_QUIET = frozenset({"id", "created_at", "updated_at", "recorded_by"})


def history(events: list[Event]) -> list[HistoryEntry]:
    """A record's events, oldest first, with each changed field's value before and after
    (worked out by replaying the events: an event holds only the new values)."""
    state: dict[str, Any] = {}
    result = []
    back_in = ""  # the transaction of a welcome back given its day (see below)
    for event in events:
        changes = []
        # A welcome back on a day given says it as the day the journey ended, then clears
        # that in a second event of the change (caseload reopen_journey): one entry, "came
        # back on" that day, not an ending's day moved and taken away.
        back = (
            event.kind == "participants"
            and event.action == Action.UPDATE
            and event.fields.get("status") == "active"
            and bool(event.fields.get("ended_on"))
        )
        clearing = bool(back_in) and event.txn == back_in and "status" not in event.fields
        for name, value in event.fields.items():
            # Links and the log's own bookkeeping (what an edit replaced: "_replaced"), not
            # words a person typed.
            if name in _QUIET or name.endswith("_id") or name.startswith("_"):
                continue
            before = state.get(name)
            if event.action == Action.UPDATE and before == value:
                continue
            state[name] = value
            if back and name == "ended_on":
                # Said once: a welcome back that also holds its day as came_back_on (m021)
                # says it there.
                if "came_back_on" not in event.fields:
                    changes.append(Change("came_back_on", None, value))
            elif not (clearing and name == "ended_on"):
                changes.append(Change(name, before, value))
        back_in = event.txn if back and event.txn else ""
        if event.action in (Action.DELETE, Action.ERASE):
            state = {}
        if clearing and not changes:
            continue
        result.append(
            HistoryEntry(
                at=datetime.fromisoformat(event.at.replace("Z", "+00:00")),
                actor=event.actor,
                device_id=event.device_id,
                action=event.action,
                changes=tuple(changes),
            )
        )
    return result


def field_words(name: str) -> str:
    """A field's name as words ("next_step" -> "next step")."""
    return name.replace("_", " ")


# Fields that hold who chose something (a Voice), not whose words something is.
CHOICE_FIELDS = frozenset({"follow_up_chosen_by"})
_VOICES = frozenset(v.value for v in Voice)


def choice_words(field: str, value: Any) -> str | None:
    """Who chose a break's day in the words of a choice ("keyworker's choice"), not in those of
    whose words a note is ("keyworker's note"), which the same stored value means in a `voice`;
    None for any other field or value."""
    if field in CHOICE_FIELDS and value in _VOICES:
        return chosen_by_words(Voice(value))
    return None


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def value_words(value: Any, field: str = "") -> str:
    """A stored value as words (empty for nothing); `field`: the field it was stored in, where
    that changes its words (who chose a day: "keyworker's choice")."""
    if value is None or value == "":
        return "(empty)"
    chosen = choice_words(field, value)
    if chosen is not None:
        return chosen
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{field_words(str(k))} {v}" for k, v in value.items()) or "(empty)"
    text = str(value)
    if _is_day(text):
        return short_date(date.fromisoformat(text))
    # A code ("not_for_me_now", "steady") in its words; anything typed exactly as typed (its
    # capitals too: "Я хочу", "and I need", a name were lower-cased).
    return (
        label(text)
        if text.isascii() and text.replace("_", "").isalnum() and text.islower()
        else text
    )


# Details whose values are keys in one of the partnership's catalogue lists (by field name, or
# by record kind and field name where the name alone is not enough: a contact's kind is a
# catalogue key, a strength's is not). The window's decision list words values with it too.
CATALOGUE_LISTS: dict[str | tuple[str, str], str] = {
    "locality": "localities",
    "stage": "stages",
    "area": "outcome_areas",
    "service": "services",
    ("milestones", "type"): "milestone_types",
    ("contacts", "kind"): "contact_kinds",
    ("steps", "who"): "partners",
}


def code_words(
    catalogue: Catalogue | None, codes: Codes | None, kind: str, field: str, value: Any
) -> str | None:
    """A stored code in the words a person reads it in (the window's decision list and
    `journeyapp decisions` both): a catalogue key as the partnership's label, an answer for
    the funder's return as the code registry's words, an enum value as its plain words. None:
    the value is what a person typed (show it as typed)."""
    if not isinstance(value, str):
        return None
    list_name = CATALOGUE_LISTS.get((kind, field), CATALOGUE_LISTS.get(field))
    if list_name is not None:
        return None if catalogue is None else catalogue.label(list_name, value)
    if _holds(kind, field) is not Holds.CODED:
        return None
    if codes is not None and codes.entries(field):
        return codes.label(field, value)
    chosen = choice_words(field, value)  # who chose a day: "keyworker's choice", not a note
    if chosen is not None:
        return chosen
    worded = label(value)
    return worded if worded != value.replace("_", " ").capitalize() else None


def _is_bool(kind: str, field: str) -> bool:
    record_type = BY_KIND.get(kind)
    if record_type is None:
        return False
    return any(
        f.name == field and f.type in ("bool", bool) for f in dataclasses.fields(record_type)
    )


def typed_or_coded_words(
    value: Any,
    kind: str,
    field: str,
    catalogue: Catalogue | None = None,
    codes: Codes | None = None,
) -> str:
    """A value two laptops clash on, in the words a person reads: a catalogue key or a coded
    answer in its words (code_words), a yes/no field's 1 or 0 as yes or no, anything typed
    exactly as typed (a parent's words are never reworded) — the window's decision list and
    `journeyapp decisions` alike."""
    words = _coded_words(value, kind, field, catalogue, codes)
    return str(value) if words is None else words


def _coded_words(
    value: Any, kind: str, field: str, catalogue: Catalogue | None, codes: Codes | None
) -> str | None:
    """Nothing, a code or a yes/no in words; None for any other value."""
    if value is None or value == "":
        return "(empty)"
    words = code_words(catalogue, codes, kind, field, value)
    if words is not None:
        return words
    if isinstance(value, bool) or (isinstance(value, int) and _is_bool(kind, field)):
        return "yes" if value else "no"
    return None


def stored_words(
    value: Any,
    kind: str,
    field: str,
    catalogue: Catalogue | None = None,
    codes: Codes | None = None,
) -> str:
    """A value as the journey log stores it, in the words a person reads (a record's history):
    a catalogue key as the partnership's label ("Phone or text"), a coded answer or an enum
    value in its words, a yes/no field's 1 or 0 as yes or no, a day as a day, typed words as
    typed."""
    words = _coded_words(value, kind, field, catalogue, codes)
    if words is not None:
        return words
    if isinstance(value, str) and _holds(kind, field) in _TYPED:
        # Someone's words, a name: as typed (a birth date still reads as a day).
        return value_words(value, field) if _is_day(value) else value
    return value_words(value, field)


_TYPED = (Holds.FREE_TEXT, Holds.PERSONAL, Holds.STAFF)


def _holds(kind: str, field: str) -> Holds | None:
    record_type = BY_KIND.get(kind)
    spec = record_type.FIELDS.get(field) if record_type is not None else None
    return None if spec is None else spec.holds


# -- a unit decided as one (core.merge.Unit): a consent, where a journey stands ---------------


def unit_words(kind: str, value: Any) -> str | None:
    """One side of a decision about a whole unit in words ("withdrawn on 23 Nov 2026";
    "moved on, 24 Nov 2026, to work"; "going again, welcomed back 26 Nov 2026"), the window's
    decision list and `journeyapp decisions` alike; None for any other value."""
    from journeyapp.core.merge import UNITS

    if kind not in UNITS or not isinstance(value, dict):
        return None
    if kind == Consent.KIND:
        words = "given" if value.get("given") else "withdrawn"
        words += f" on {long_date(_day(value.get('on')))}"
        how = str(value.get("how_recorded") or "")
        return f"{words} ({how})" if how else words
    status = str(value.get("status") or "")
    if status in ("moved_on", "closed"):
        words = f"{label_status(status)}, {long_date(_day(value.get('ended_on')), 'day not given')}"
        destination = str(value.get("destination") or "")
        if status == "moved_on" and destination and destination != "not_decided":
            words += f", to {label_destination(destination).lower()}"
        return words
    back = _day(value.get("came_back_on"))
    going = label_status(status) if status else "Active"
    return f"{going}, welcomed back {long_date(back)}" if back else going


def unit_about(kind: str) -> str:
    """What a decision about a whole unit asks, in words (after "consent for …" or the
    parent's details): which one holds until someone decides, and why."""
    if kind == Consent.KIND:
        return (
            "withdrawn until you decide, and what it covers stays removed (given on one "
            "laptop and withdrawn on another that had not seen it)"
        )
    return (
        "where their journey stands: the latest by day holds until you decide (changed on "
        "two laptops that had not seen each other's change)"
    )


def label_status(value: str) -> str:
    """A parent's status in words ("Moved on")."""
    from journeyapp.core.enums import ParticipantStatus

    try:
        return label(ParticipantStatus(value))
    except ValueError:
        return value.replace("_", " ")


def label_destination(value: str) -> str:
    """Where a parent moved on to, in words."""
    from journeyapp.core.enums import Destination

    try:
        return label(Destination(value))
    except ValueError:
        return value.replace("_", " ")


def _day(value: Any) -> date | None:
    """A stored day (ISO text or a date) as a date; None when there is none."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
