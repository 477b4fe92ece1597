"""Checks on journey-log events from another laptop, before any is merged (issue 16).

A bundle is only as trustworthy as whoever knew its passphrase, so every incoming event is read
the way a typed-in record is: a known kind and action, known fields of the right type, dates
that are dates, texts and events within their sizes, and a record that stays with its parent.
The first event that fails refuses the whole merge, by its number, and nothing is written.
(The records the events build are then validated like typed-in ones by the merge itself.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from journeyapp.core.errors import ValidationError
from journeyapp.core.merge import DECIDED, MAX_EVENT, MAX_EVENTS, REPLACED, moment
from journeyapp.core.records import BY_KIND, Event, Participant
from journeyapp.core.validation import MAX_TEXT
from journeyapp.store.records import BASE_FIELDS, columns, encode_event_fields

# Size limits (stated in the README): a field's text, an event's details, a whole merge.
MAX_FIELD = MAX_TEXT  # characters in one text field, as typed in
MAX_ID = 200  # characters in an id, a device name or an actor
AUDIT_KINDS = frozenset({"exports", "imports"})  # notes in the log that change no record
_ACTIONS = {"create", "update", "delete"}
_META = frozenset({REPLACED, DECIDED})
_OWNED = frozenset(k for k, cls in BY_KIND.items() if "participant_id" in cls.__dataclass_fields__)
# Each field's kind and, for a coded one, the values allowed (worked out once, not per event).
_Kind = tuple[str, frozenset[str] | None]
_TYPES: dict[str, dict[str, _Kind]] = {
    kind: {
        c.name: (c.kind, None if c.enum is None else frozenset(str(e) for e in c.enum))
        for c in columns(cls)
    }
    for kind, cls in BY_KIND.items()
}
# An event's details as JSON text, to measure them (json.dumps with options builds an encoder
# per call); the same text json.dumps(fields, ensure_ascii=False, default=str) gives.
_SIZE = json.JSONEncoder(ensure_ascii=False, default=str)
_OPTIONAL = {
    "participant_id",
    "ref",
    "group_session_id",
    "date_of_birth",
    "birth_year",
    "milestone_id",
    "follow_up_chosen_by",  # a break's: none without a day to get in touch again
}
# Dates already found to be dates (a date's text is one whatever its field): a log holds the
# same days again and again. Kept small.
_GOOD_DATES: set[str] = set()
_TEXT: set[type] = {str}
_WHOLE: set[type] = {int}
_TEXT_OR_NONE: set[type] = {str, type(None)}
# JSON fields that hold a list of answer codes rather than scores (checked against the
# registry by the merge's validation of the records it builds).
_CODE_LISTS = frozenset({"benefits"})


class MergeRefused(ValidationError):
    """Incoming events that cannot be applied safely (damaged or altered); nothing was changed."""


def refuse(number: int, event: Event | None, problem: str) -> MergeRefused:
    """The one-line refusal naming event `number` (counted from 1, in the bundle's order)."""
    what = f" ({event.action} of {event.kind[:40]!r})" if event is not None else ""
    return MergeRefused(
        f"Event {number:,}{what} in the incoming log {problem}; nothing was merged. "
        "Ask whoever sent it (its keyworker, or the coordinator who passed it on) for a new "
        "bundle."
    )


def check_events(events: Sequence[Event], numbers: Sequence[int] | None = None) -> list[str | None]:
    """Refuse the whole merge at the first event that is not what JourneyApp writes.

    Returns each event's fields as the journey log stores them (`encode_event_fields`), the
    text its size was measured by (None for one whose fields that encoder cannot write): the
    log takes it as it is instead of encoding every event a second time. `numbers`: each
    event's number in the incoming log, when `events` are some of it (see `positions`)."""
    if len(events) > MAX_EVENTS:
        raise MergeRefused(
            f"The incoming log holds {len(events):,} events; the most one merge takes is "
            f"{MAX_EVENTS:,}. Nothing was merged."
        )
    checked = _checked_together(events)
    if checked is not None:
        return checked
    return check_each(events, numbers)


def check_each(events: Sequence[Event], numbers: Sequence[int] | None = None) -> list[str | None]:
    """`check_events`, one event after another: each event's fields checked as it comes (the
    first problem refuses the merge, naming its event)."""
    owners: dict[str, str | None] = {}
    texts: list[str | None] = []
    for number, event in zip(_numbering(numbers, len(events)), events, strict=True):
        text = _encoded(event.fields)
        texts.append(text)
        problem = _problem(event, owners, text)
        if problem:
            raise refuse(number, event, problem)
    return texts


def _checked_together(events: Sequence[Event]) -> list[str | None] | None:
    """`check_events`' texts when no event has a problem, found with each event's own checks
    made one by one and its fields checked together, field by field, with the fields of every
    event of its kind that names the same fields (the values of a million events are about ten
    million: each checked in a Python loop was most of the checks' time). None: some event may
    have a problem (`check_each` then names the first, or finds none)."""
    owners: dict[str, str | None] = {}
    texts: list[str | None] = []
    # The fields of the events whose fields are checked, by kind and names (in their order).
    alike: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for event in events:
        text = _encoded(event.fields)
        texts.append(text)
        problem = _event_problem(event, owners, text)
        if problem is None:
            fields = event.fields
            group = alike.get((event.kind, tuple(fields)))
            if group is None:
                group = alike[(event.kind, tuple(fields))] = []
            group.append(fields)
        elif problem:
            return None
    for (kind, names), group in alike.items():
        types = _TYPES[kind]
        # Each field's values, from every event of the group (the same names in the same order).
        values = zip(*(fields.values() for fields in group), strict=True) if names else ()
        for name, column in zip(names, values, strict=True):
            if not _values_ok(name, column, types):
                return None
    return texts


def _values_ok(name: str, values: tuple[Any, ...], types: dict[str, _Kind]) -> bool:
    """True when no value of field `name` among `values` is one `_problem` refuses (False: one
    may be)."""
    if name in _META:
        return name != REPLACED or all(map(_replaced_ok, values))
    of_types = set(map(type, values))
    if name in BASE_FIELDS:
        return (
            of_types <= _TEXT_OR_NONE and max(map(len, filter(None, values)), default=0) <= MAX_ID
        )
    kind_enum = types.get(name)
    if kind_enum is None:
        return False
    kind, allowed = kind_enum
    # The usual values, passed as `_problem` passes them, a whole field at once.
    if of_types == _TEXT:
        if kind == "str":
            if max(map(len, values)) <= MAX_FIELD:
                return True
        elif kind == "enum":
            if allowed is not None and allowed.issuperset(values):
                return True
        elif kind == "date":
            return all(_good_date(name, day) for day in set(values).difference(_GOOD_DATES))
    elif of_types == _WHOLE and kind in ("int", "bool"):
        low, high = min(values), max(values)
        if (kind == "int" and low >= -1_000_000 and high <= 1_000_000) or (
            kind == "bool" and low >= 0 and high <= 1
        ):
            return True
    # Any other: each value as `_problem` checks it (once for each value and type: the answer
    # depends on nothing else).
    try:
        distinct = set(zip(map(type, values), values, strict=True))
    except TypeError:
        return False  # (a list or an object: `_problem` says what is wrong with it)
    return not any(_value_problem(name, value, kind, allowed) for _type, value in distinct)


def _good_date(name: str, value: str) -> bool:
    """Whether the text `value` is a date `_problem` takes in field `name` (noted if it is)."""
    if _value_problem(name, value, "date", None):
        return False
    if len(_GOOD_DATES) >= 100_000:
        _GOOD_DATES.clear()
    _GOOD_DATES.add(value)
    return True


def _encoded(details: Any) -> str | None:
    """An event's fields as the journey log's text; None when that encoder cannot write them
    (not a dict of JSON values, as a file's never are): measured by `_SIZE` instead."""
    if type(details) is not dict:
        return None
    try:
        return encode_event_fields(details)
    except (TypeError, ValueError, RecursionError):
        return None


def _text(value: Any, limit: int = MAX_ID) -> bool:
    return type(value) is str and 0 < len(value) <= limit


def _timestamp(value: str) -> bool:
    written = moment(value)
    return written is not None and 2000 <= written.year <= 2200


def _problem(event: Event, owners: dict[str, str | None], text: str | None = None) -> str:
    """What is wrong with one event ("" when nothing is); `text`: its fields as the journey
    log's text, when known (the same length as `_SIZE` gives: only the order of keys differs)."""
    problem = _event_problem(event, owners, text)
    if problem is not None:
        return problem
    return _fields_problem(event, _TYPES[event.kind])


def _event_problem(event: Event, owners: dict[str, str | None], text: str | None) -> str | None:
    """What is wrong with one event but its fields' values ("" when nothing is); None when
    nothing is but its fields are still to be checked (`_fields_problem`)."""
    for name in ("event_id", "record_id", "device_id", "actor"):
        if not _text(getattr(event, name)):
            return f"has no usable {name.replace('_', ' ')}"
    if type(event.at) is not str or not _timestamp(event.at):
        return f"has a time {str(event.at)[:40]!r} that is not a time"
    if type(event.txn) is not str or len(event.txn) > MAX_ID:
        return "has a damaged transaction id"
    if event.participant_id is not None and not _text(event.participant_id):
        return "names its parent in a way this version cannot read"
    details: Any = event.fields  # from a file: not necessarily what the type says
    if not isinstance(details, dict):
        return "has damaged details"
    size = len(_SIZE.encode(event.fields) if text is None else text)
    if size > MAX_EVENT:
        return f"is {size:,} characters long; the most an event may hold is {MAX_EVENT:,}"
    if event.kind in AUDIT_KINDS:
        if event.action != "create" or event.participant_id is not None:
            return "is a note that tries to change a record"
        return ""
    types = _TYPES.get(event.kind)
    if types is None:
        return f"is about {event.kind[:40]!r}, which is not a kind of record JourneyApp keeps"
    if event.action == "erase":
        if event.kind != Participant.KIND or event.participant_id != event.record_id:
            return "erases something other than a parent"
        return ""
    if event.action not in _ACTIONS:
        return f"has an unknown action {event.action[:20]!r}"
    owned = event.kind in _OWNED
    if event.kind == Participant.KIND and event.participant_id != event.record_id:
        return "mixes up two parents"
    if owned and event.action != "delete":
        # A record stays with its parent: the event's parent, the record's own field and the
        # parent it was made for are one and the same.
        if event.participant_id is None and event.kind != "feedback":
            return "belongs to no parent"
        if (
            "participant_id" in event.fields
            and event.fields["participant_id"] != event.participant_id
        ):
            return "moves a record to another parent, which JourneyApp never does"
        known = owners.get(event.record_id, event.participant_id)
        if known != event.participant_id:
            return "moves a record to another parent, which JourneyApp never does"
        owners[event.record_id] = event.participant_id
    if event.action == "delete":
        return ""
    return None


def _fields_problem(event: Event, types: dict[str, _Kind]) -> str:
    """What is wrong with the values of an event's fields ("" when nothing is)."""
    for name, value in event.fields.items():
        if name in _META:
            if name == REPLACED and not _replaced_ok(value):
                return "says what it replaced in a way this version cannot read"
            continue
        if name in BASE_FIELDS:
            if value is not None and not (type(value) is str and len(value) <= MAX_ID):
                return f"has a damaged {name.replace('_', ' ')}"
            continue
        kind_enum = types.get(name)
        if kind_enum is None:
            return (
                f"has a field {name[:40]!r} that {event.kind} do not have in this version "
                "(if the sender has a newer JourneyApp, install it here first)"
            )
        kind = kind_enum[0]
        # The usual values, passed here as _value_problem passes them, without calling it (a
        # million events hold about ten million values).
        if type(value) is str:
            if kind == "str":
                if len(value) <= MAX_FIELD:
                    continue
            elif kind == "enum":
                allowed = kind_enum[1]
                if allowed is not None and value in allowed:
                    continue
            elif kind == "date" and value in _GOOD_DATES:
                continue
        elif type(value) is int and (
            (kind == "int" and -1_000_000 <= value <= 1_000_000)
            or (kind == "bool" and (value == 0 or value == 1))
        ):
            continue
        problem = _value_problem(name, value, *kind_enum)
        if problem:
            return problem
        if kind == "date" and type(value) is str:
            if len(_GOOD_DATES) >= 100_000:
                _GOOD_DATES.clear()
            _GOOD_DATES.add(value)
    return ""


def _replaced_ok(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(ids, list) and all(_text(i) for i in ids) for ids in value.values()
    )


def _value_problem(name: str, value: Any, kind: str, enum: frozenset[str] | None) -> str:
    label = name.replace("_", " ")
    if value is None:
        return "" if name in _OPTIONAL or kind in ("date", "json", "int") else f"has no {label}"
    if kind == "str":
        if type(value) is not str:
            return f"has a {label} that is not text"
        if len(value) > MAX_FIELD:
            return f"has a {label} of {len(value):,} characters; the most is {MAX_FIELD:,}"
    elif kind == "int":
        if type(value) is not int or not -1_000_000 <= value <= 1_000_000:
            return f"has a {label} that is not a sensible whole number"
    elif kind == "bool":
        if value not in (0, 1) or type(value) not in (int, bool):
            return f"has a {label} that is neither yes nor no"
    elif kind == "date":
        if type(value) is not str:
            return f"has a {label} that is not a date"
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return f"has a {label} {value[:20]!r} that is not a date"
        if not 1900 <= day.year <= 2200 or day.isoformat() != value:
            return f"has a {label} {value[:20]!r} out of range"
    elif kind == "enum":
        assert enum is not None
        if type(value) is not str or value not in enum:  # (a list or an object: not hashable)
            return f"has a {label} {str(value)[:30]!r} that is not one of JourneyApp's"
    elif kind == "json":
        if type(value) is not str or len(value) > MAX_FIELD:
            return f"has damaged {label}"
        try:
            parsed = json.loads(value)
        except ValueError:
            return f"has damaged {label}"
        if name in _CODE_LISTS:
            # A list of answer codes (a parent's kinds of benefit): short words, each once.
            if (
                not isinstance(parsed, list)
                or len(parsed) > 20
                or len(set(map(str, parsed))) != len(parsed)
            ):
                return f"has {label} that are not a list of answer codes"
            if not all(type(v) is str and 0 < len(v) <= 60 for v in parsed):
                return f"has {label} that are not a list of answer codes"
            return ""
        if not isinstance(parsed, dict) or not all(
            type(k) is str and type(v) is int and 1 <= v <= 10 for k, v in parsed.items()
        ):
            return f"has {label} that are not scores from 1 to 10"
    return ""


def positions(events: Iterable[Event], numbers: Sequence[int] | None = None) -> dict[str, int]:
    """Each event id's number in the incoming log (counted from 1): `numbers`, one for each of
    `events`, when they are some of it (the new events of a bundle, or a chunk of them, named
    as a read of the whole bundle names them), else their places among themselves."""
    listed = events if isinstance(events, Sequence) else list(events)
    return {e.event_id: n for n, e in zip(_numbering(numbers, len(listed)), listed, strict=True)}


def _numbering(numbers: Sequence[int] | None, count: int) -> Sequence[int]:
    return range(1, count + 1) if numbers is None else numbers
