"""Validation with messages a keyworker understands: what is wrong and how to put it right."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Container, Iterator
from datetime import date
from typing import Any

from journeyapp.core.catalogue import Catalogue, is_key
from journeyapp.core.classification import Day
from journeyapp.core.clock import iso_utc as iso_utc  # still importable from here
from journeyapp.core.clock import wall_clock as wall_clock
from journeyapp.core.codes import Codes
from journeyapp.core.dates import check_day, long_date
from journeyapp.core.describe import KIND_WORDS
from journeyapp.core.documents.wording import LANGUAGES
from journeyapp.core.enums import JOURNEY_ENDED, Destination, ParticipantStatus, Voice
from journeyapp.core.enums import label as enum_label
from journeyapp.core.errors import TooLong, ValidationError
from journeyapp.core.monitoring import validate_answers
from journeyapp.core.records import (
    Appointment,
    Assessment,
    Child,
    Choice,
    Circumstances,
    Contact,
    Equalities,
    Feedback,
    Goal,
    GroupSession,
    Job,
    Journey,
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
from journeyapp.core.text import quoted
from journeyapp.core.typed import field_label

MAX_TEXT = 20_000
MAX_NAME = 200
_UK_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_date(text: str, label: str = "Date") -> date:
    """Read an ISO (2026-03-01) or UK (01/03/2026) date; anything else gets a clear message."""
    raw = text.strip()
    match = _UK_DATE.match(raw)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(raw)
    except ValueError:
        why = _why_not_a_date(match) if match else None
        if why is not None:
            raise ValidationError(
                f"{label} {quoted(raw)} is not a date: {why}", field=label
            ) from None
        raise ValidationError(
            f"{label} {quoted(raw)} is not a date; write it as 2026-03-01 or 01/03/2026.",
            field=label,
        ) from None


def _why_not_a_date(match: re.Match[str]) -> str | None:
    """What is wrong with a day/month/year that has the right shape (None: nothing to add).

    "write it as 01/03/2026" said after 31/02/2026 read as "you meant 1 March"; a month past
    12 is most often a date written month first (02/13/2026)."""
    day, month, year = (int(g) for g in match.groups())
    if year < 1:
        return None
    if month > 12 and 1 <= day <= 12 and month <= 31:
        return f"there is no month {month}. Write the day first: {month:02d}/{day:02d}/{year}."
    if not 1 <= month <= 12:
        return f"there is no month {month}; a date is day/month/year, as 01/03/2026."
    # Loaded here, for a date typed wrongly: calendar loads locale, 2-4 ms of the window's
    # start that nothing before the first paint needs (#18).
    import calendar

    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = date(year, month, 1).strftime("%B")  # as core.dates words months
        return f"{name} {year} has {last} days; write a day from 1 to {last}."
    return None


def parse_optional_date(text: str | None, label: str = "Date") -> date | None:
    """Like parse_date, but an empty value is None."""
    if text is None or not str(text).strip():
        return None
    return parse_date(str(text), label)


def check_email(value: str, field: str = "email") -> None:
    """Refuse typed words that are not an email address (empty is fine: it is optional)."""
    if value and not _EMAIL.match(value):
        raise ValidationError(
            f"Email {value!r} does not look like an email address (name@example.org).", field
        )


def _required(value: str, label: str, field: str) -> None:
    if not value or not value.strip():
        raise ValidationError(f"{label} is needed; it cannot be left empty.", field=field)


# The records a parent has several of: words too long for one can go on in another.
_SEVERAL = frozenset(KIND_WORDS) - {"participants", "children", "consents", "circumstances"}


def _length(record: Record, field: str, limit: int = MAX_TEXT) -> None:
    """Refuse words in `field` of `record` longer than `limit`, naming the field as the form
    and the option that take it do (its FIELDS label) and saying how to fix it."""
    value = getattr(record, field)
    if len(value) > limit:
        spec = record.FIELDS.get(field)
        several = spec is not None and spec.lines and record.KIND in _SEVERAL
        another = KIND_WORDS[record.KIND] if several else ""
        raise TooLong(field_label(type(record), field), len(value), limit, field, another)


def _not_future(value: date | None, label: str, field: str, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError(f"{label} {value.isoformat()} is in the future.", field=field)


def _plausible(value: date | None, label: str, field: str) -> None:
    if value is not None and value.year < 1900:
        raise ValidationError(f"{label} {value.isoformat()} is too long ago.", field=field)


def _in_catalogue(
    catalogue: Catalogue,
    list_name: str,
    key: str,
    label: str,
    field: str,
    *,
    allow_empty: bool,
    kept: Container[tuple[str, str]] = (),
) -> None:
    if allow_empty and not key:
        return
    if key and (field, key) in kept:
        return  # held already (an entry retired since, or another laptop's): kept as it is
    if key not in catalogue.key_set(list_name):
        known = ", ".join(catalogue.keys(list_name))
        raise ValidationError(
            f"{label} {key!r} is not in the catalogue; use one of: {known}.", field
        )


def check_typed_days(
    record: Record, before: Record | None, today: date, joined: date | None = None
) -> None:
    """Refuse a day typed into `record` that cannot be right (core.dates.check_day, by when each
    date field's day can fall, as the record's FIELDS declare): what happened after `today`, a
    milestone or job before the parent `joined`, a planned day years ahead, any day years back.
    Only the days typed now are checked (those that differ from `before`, the record as it was):
    a date of birth kept as it was is not refused again when the day they joined changes.

    Where a person types (the window, the command line, a spreadsheet import), before
    `validate`; not in `validate`, so a record from another laptop is merged as it is (its
    clock may have been ahead: core.merge and store.merge_checks see to that)."""
    typed = list(_days_typed(record, before))
    # A date of birth is read by the age it gives on the day the parent joined (the record's
    # own, the parent's): checked after that day, so a day joined typed wrong is named first.
    typed.sort(key=lambda found: found[1] is Day.BIRTH)
    for name, day, label, value in typed:
        on = getattr(record, "joined_on", joined) if day is Day.BIRTH else joined
        check_day(day, label, value, name, today, on)


def journey_days_typed(record: Record, before: Record | None) -> bool:
    """Whether `record` has a day typed now that cannot be before the parent joined (so
    `check_typed_days` needs the day they joined)."""
    return any(day is Day.JOURNEY for _name, day, _label, _value in _days_typed(record, before))


def _days_typed(record: Record, before: Record | None) -> Iterator[tuple[str, Day, str, date]]:
    """(field, when its day can fall, its name, the day) of each date field of `record` whose
    registry entry says when its day can fall and whose day differs from `before` (None: all)."""
    for name, spec in record.FIELDS.items():
        value = getattr(record, name, None)
        if spec.day is None or not isinstance(value, date):
            continue
        if before is None or getattr(before, name, None) != value:
            yield name, spec.day, spec.label, value


def check_follow_up(started_on: date, follow_up_on: date | None) -> None:
    """A day to get in touch again typed before the break starts is refused where a person
    types it (the window, the command line): often a year typed wrong ("back in January"),
    This week would list the break as due since the day it starts. Not in `validate`: such a
    break can still arrive from another laptop, and is shown as it is."""
    if follow_up_on is not None and follow_up_on < started_on:
        raise ValidationError(
            f"The day to get in touch again is before the break starts "
            f"({long_date(started_on)}); check the year, or leave it empty.",
            "follow_up_on",
        )


def check_break_can_start(participant: Participant) -> None:
    """Refuse a new break for a parent on one already, or whose journey moved on or closed (a
    break is for a journey still going; setting it back to Active is a decision of its own)."""
    name = participant.preferred_name
    if participant.status is ParticipantStatus.PAUSED:
        raise ValidationError(f"{name} is already taking a break. Nothing was changed.")
    if participant.status in JOURNEY_ENDED:
        ended = "has moved on" if participant.status is ParticipantStatus.MOVED_ON else "is closed"
        raise ValidationError(
            f"{name}'s journey {ended}. A break is for a journey still going: to start again "
            f"with {name}, welcome them back first (Parent > Welcome back, or journeyapp "
            "journey NAME --welcome-back). Nothing was changed."
        )


def check_journey_can_end(
    participant: Participant,
    status: ParticipantStatus,
    destination: Destination | None,
    on: date | None = None,
    words: str | None = None,
    voice: Voice | None = None,
) -> None:
    """Refuse to end a journey as it already ended (nothing would change: how, when and where
    to, and the parent's words and whose they are, all as held), or with a status that does
    not end one."""
    name = participant.preferred_name
    if status not in JOURNEY_ENDED:
        raise ValidationError(
            f"{enum_label(status)} does not end a journey: say whether {name} moved on or their "
            "journey closed. Nothing was changed."
        )
    if on is not None and on < participant.joined_on:
        raise ValidationError(
            f"{long_date(on)} is before {name} joined ({long_date(participant.joined_on)}): "
            "check the day their journey ended. Nothing was changed.",
            "ended_on",
        )
    if (
        participant.status is status
        and destination in (None, participant.destination)
        and on in (None, participant.ended_on)
        and (words is None or words.strip() == participant.ending_words)
        and voice in (None, participant.ending_voice)
    ):
        already = "has moved on" if status is ParticipantStatus.MOVED_ON else "is closed"
        raise ValidationError(f"{name}'s journey {already} already. Nothing was changed.")


def check_journey_can_reopen(participant: Participant) -> None:
    """Refuse to welcome back a parent whose journey is still going."""
    if participant.status not in JOURNEY_ENDED:
        name = participant.preferred_name
        now = "taking a break" if participant.status is ParticipantStatus.PAUSED else "active"
        raise ValidationError(
            f"{name}'s journey is still going ({now}): there is nothing to welcome them back "
            "from. Nothing was changed."
        )


def check_welcome_back_day(
    participant: Participant, on: date, ended: date | None, today: date
) -> None:
    """Refuse a day typed for a welcome back that cannot be right: after today, before the
    day the journey ended (`ended`, as held), or before the parent joined; in one line."""
    name = participant.preferred_name
    fix = "give the day they came back, or leave it empty for today. Nothing was changed."
    if on > today:
        raise ValidationError(
            f"{long_date(on)} is after today ({long_date(today)}): {fix}", "back_on"
        )
    if on < participant.joined_on:
        raise ValidationError(
            f"{long_date(on)} is before {name} joined ({long_date(participant.joined_on)}): {fix}",
            "back_on",
        )
    if ended is not None and on < ended:
        raise ValidationError(
            f"{long_date(on)} is before {name}'s journey ended ({long_date(ended)}): {fix}",
            "back_on",
        )


def break_not_started(journey: Journey, today: date) -> Pause | None:
    """The break a parent is stored as taking that starts after `today` (written on a laptop
    whose clock was ahead), when that is the only break they are on: by today they are not on
    it yet (Journey.status_by). None otherwise."""
    p = journey.participant
    if p.status is not ParticipantStatus.PAUSED or journey.status_by(today) is p.status:
        return None
    return min(
        (b for b in journey.pauses if b.ended_on is None), key=lambda b: b.started_on, default=None
    )


def check_break_started(
    journey: Journey,
    today: date,
    correct: str | Callable[[Pause], str] = "the Pace tab, under “Changes along the way”",
) -> None:
    """Refuse to pick up again from, or take another, break while the one the parent is stored
    as taking starts after `today`: picking up again "today" would end it before it began, and
    they are not on a break yet. Its day is to be put right first (`correct`: where, or where
    for the break that has not started)."""
    waiting = break_not_started(journey, today)
    if waiting is None:
        return
    where = correct if isinstance(correct, str) else correct(waiting)
    raise ValidationError(
        f"{journey.participant.preferred_name}'s break starts on {long_date(waiting.started_on)}, "
        f"after today ({long_date(today)}), so it has not started yet: correct the day it starts "
        f"({where}). Nothing was changed."
    )


def validate(
    record: Record,
    catalogue: Catalogue,
    today: date,
    codes: Codes | None = None,
    kept: Container[tuple[str, str]] = (),
) -> None:
    """Raise ValidationError for the first problem in `record` (checks texts, dates, catalogue keys;
    the return's answers against `codes`, the answer-code registry, when given). A catalogue
    key in `kept` as (field, key) is taken as it is: one the record already held (held_keys),
    or any a merge brings (EVERY_KEY)."""
    for name, value in vars(record).items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            _length(record, name)
    match record:
        case Participant():
            _required(record.preferred_name, "The name to call them by", "preferred_name")
            _length(record, "preferred_name", MAX_NAME)
            _length(record, "full_name", MAX_NAME)
            _not_future(record.date_of_birth, "Date of birth", "date_of_birth", today)
            _plausible(record.date_of_birth, "Date of birth", "date_of_birth")
            _not_future(record.joined_on, "Joined on", "joined_on", today)
            _plausible(record.joined_on, "Joined on", "joined_on")
            if record.date_of_birth and record.date_of_birth > record.joined_on:
                raise ValidationError(
                    "Date of birth is after the date they joined; check both dates.",
                    "date_of_birth",
                )
            check_email(record.email)
            _in_catalogue(
                catalogue,
                "localities",
                record.locality,
                "Locality",
                "locality",
                allow_empty=False,
                kept=kept,
            )
            _in_catalogue(
                catalogue, "stages", record.stage, "Stage", "stage", allow_empty=True, kept=kept
            )
            if record.language and record.language not in LANGUAGES:
                raise ValidationError(
                    f"Printed plans cannot be in {record.language!r} yet; choose one of "
                    f"{', '.join(LANGUAGES)} (see the README on adding a language).",
                    "language",
                )
        case Child():
            if record.birth_year is not None and not (
                today.year - 30 <= record.birth_year <= today.year + 1
            ):
                raise ValidationError(
                    f"Birth year {record.birth_year} does not look right for a child; "
                    "check the year.",
                    "birth_year",
                )
        case StrengthBarrier():
            _required(record.words, "What was said", "words")
        case Goal():
            _required(record.words, "The goal, in the parent's words,", "words")
            _in_catalogue(
                catalogue,
                "outcome_areas",
                record.area,
                "Outcome area",
                "area",
                allow_empty=True,
                kept=kept,
            )
        case Step():
            _required(record.what, "What the step is", "what")
            _not_future(record.done_on, "Done on", "done_on", today)
        case Choice():
            _in_catalogue(
                catalogue,
                "services",
                record.service,
                "Service",
                "service",
                allow_empty=False,
                kept=kept,
            )
            _not_future(record.decided_on, "Decided on", "decided_on", today)
        case PaceChange():
            _not_future(record.changed_on, "Changed on", "changed_on", today)
        case Pause():
            _not_future(record.started_on, "Pause started on", "started_on", today)
            if record.ended_on and record.ended_on < record.started_on:
                raise ValidationError(
                    "The pause ends before it starts; check the two dates.", "ended_on"
                )
        case StageChange():
            _in_catalogue(
                catalogue, "stages", record.stage, "Stage", "stage", allow_empty=False, kept=kept
            )
            _not_future(record.on, "Stage changed on", "on", today)
        case Milestone():
            _in_catalogue(
                catalogue,
                "milestone_types",
                record.type,
                "Milestone",
                "type",
                allow_empty=False,
                kept=kept,
            )
            _not_future(record.achieved_on, "Achieved on", "achieved_on", today)
        case Assessment():
            _not_future(record.taken_on, "Self-assessment date", "taken_on", today)
            if not record.scores:
                raise ValidationError("Give at least one score from 1 to 10.", "scores")
            for scores, who in ((record.scores, "The parent's"), (record.keyworker_scores, "Your")):
                for area, score in scores.items():
                    _in_catalogue(
                        catalogue,
                        "outcome_areas",
                        area,
                        "Outcome area",
                        "scores",
                        allow_empty=False,
                        kept=kept,
                    )
                    if not isinstance(score, int) or not 1 <= score <= 10:
                        raise ValidationError(
                            f"{who} score for {catalogue.label('outcome_areas', area)} is "
                            f"{score}; scores go from 1 to 10.",
                            "scores",
                        )
        case Contact():
            _in_catalogue(
                catalogue,
                "contact_kinds",
                record.kind,
                "Contact kind",
                "kind",
                allow_empty=False,
                kept=kept,
            )
            _not_future(record.on, "Contact date", "on", today)
            if not 0 <= record.minutes <= 24 * 60:
                raise ValidationError(
                    f"Minutes {record.minutes} is not a length of contact; give 0 to 1440.",
                    "minutes",
                )
        case Referral():
            _required(record.to, "Who the referral is to", "to")
            _not_future(record.on, "Referral date", "on", today)
        case GroupSession():
            _required(record.activity, "The activity", "activity")
        case Appointment():
            _plausible(record.on, "Meeting date", "on")
            if record.time and not _TIME.match(record.time):
                raise ValidationError(
                    f"Time {record.time!r} is not a time of day; write it as 10:30 or 14:00.",
                    "time",
                )
            if not 0 <= record.minutes <= 24 * 60:
                raise ValidationError(
                    f"Minutes {record.minutes} is not a length of meeting; give 0 to 1440.",
                    "minutes",
                )
        case Feedback():
            _required(record.said, "What was said", "said")
            _not_future(record.on, "Feedback date", "on", today)
        case Equalities() | Circumstances() | Job():
            validate_answers(record, codes, today)
        case _:
            pass


def validate_change(
    before: Record, after: Record, catalogue: Catalogue, today: date, codes: Codes | None = None
) -> None:
    """`validate` for a record changed from `before` to `after` (ValidationError if refused).

    A date kept as it was is not refused again for being after `today`: it was checked where
    it was typed, and a record merged from a laptop whose clock was ahead may hold one (a
    parent who "joined" tomorrow by this laptop's clock). Everything else is checked as ever,
    and a date typed now is still refused after `today`."""
    held = held_keys(before)
    try:
        validate(after, catalogue, today, codes, held)
        return
    except ValidationError:
        kept = {
            name: value
            for name, value in vars(before).items()
            if isinstance(value, date) and value > today and getattr(after, name, None) == value
        }
        if not kept:
            raise
    # The record as it is, with the latest kept date as its "today"; then what was typed,
    # with each kept date read as today (so only a date typed now can be in the future).
    validate(after, catalogue, max(kept.values()), codes, held)
    as_today: dict[str, Any] = dict.fromkeys(kept, today)
    validate(dataclasses.replace(after, **as_today), catalogue, today, codes, held)


def held_keys(record: Record) -> frozenset[tuple[str, str]]:
    """The (field, key) pairs `record` holds, for `validate`'s `kept`: a change to a record
    whose locality, stage, service, type or area the catalogue no longer lists (retired since,
    or from a laptop with another catalogue) keeps it as it is, so the phone number of a parent
    in a retired locality can still be changed; a key typed now must be listed. The areas of
    both a self-assessment's scores are held under "scores", as validate checks them."""
    held: set[tuple[str, str]] = set()
    for name, value in vars(record).items():
        if isinstance(value, str) and value:
            held.add((name, value))
        elif name in ("scores", "keyworker_scores") and isinstance(value, dict):
            held.update(("scores", str(area)) for area in value)
    return frozenset(held)


class _EveryKey:
    """Every (field, key) written as a key is: a record merged from another laptop is kept with
    the keys its catalogue gave it, shown "(not in this partnership's list)" where this one lacks them;
    anything else (words, spaces, capitals, a whole page: a damaged or forged bundle) is
    refused as not in the catalogue."""

    def __contains__(self, item: object) -> bool:
        return isinstance(item, tuple) and len(item) == 2 and is_key(item[1])


EVERY_KEY: Container[tuple[str, str]] = _EveryKey()


def birth_year_from(text: str, this_year: int) -> int | None:
    """A child's year of birth from an age ("3", "3 years") or a year ("2021"), as the window's
    child form and `journeyapp parent --add-child` take it; None if empty."""
    raw = text.strip().lower().removesuffix("years").removesuffix("year").removesuffix("yrs")
    raw = raw.strip()
    if not raw:
        return None
    # isdecimal, not isdigit: "²" is a digit that int() cannot read (it raised ValueError).
    if raw.isdecimal() and len(raw) == 4:
        return int(raw)
    if raw.isdecimal() and int(raw) <= 25:
        return this_year - int(raw)
    raise ValidationError(
        f"{text.strip()!r} is not an age or a year; give their age (e.g. 3) or the year they "
        "were born as four digits (e.g. 2021).",
        "birth_year",
    )
