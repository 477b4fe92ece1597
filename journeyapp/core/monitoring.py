"""The return's record side: checks on equalities, circumstances and job answers, and the facts
derived from them (age band, family, full time, weeks in work, priority family groups)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from journeyapp.core import areas
from journeyapp.core.codes import (
    CIRCUMSTANCES_LISTS,
    EQUALITIES_LISTS,
    JOB_LISTS,
    PREFER_NOT_TO_SAY,
    Codes,
)
from journeyapp.core.dates import age_on
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import (
    Child,
    Circumstances,
    Equalities,
    Job,
    Milestone,
    Participant,
    Pause,
    Record,
    StageChange,
)

# The words for each answer field in messages (the form shows the registry's questions).
FIELD_WORDS: dict[str, str] = {
    "sex": "Sex",
    "gender_identity": "Trans or trans history",
    "age_band": "Age group",
    "ethnicity": "Ethnic group",
    "disability": "Disability or long-term condition",
    "disabled_child": "A child with a disability or long-term condition",
    "sexual_orientation": "Sexual orientation",
    "care_experience": "Care experience",
    "lone_parent": "Bringing up children alone",
    "employment_status": "Working when they started",
    "time_out_of_work": "Time out of paid work",
    "benefits": "Benefits",
    "working_pattern": "Full or part time",
    "contract_type": "Contract",
    "living_wage": "Real Living Wage",
    "sector": "Kind of work",
    "leaving_reason": "Why the job ended",
    "progression": "How the job got better",
    "postcode": "Postcode",
}

MAX_HOURS = 80
MAX_BENEFITS = 20


def normalise_postcode(text: str) -> str:
    """A UK postcode as stored ("eh11aa" -> "EH1 1AA", the one form core.areas compares);
    "" stays ""; anything not shaped like a postcode is refused."""
    if not text.strip():
        return ""
    found = areas.normalise_postcode(text)
    if found is None:
        raise ValidationError(
            f"Postcode {text.strip()[:20]!r} does not look like a UK postcode; write it like "
            "EH1 1AA (or leave it empty).",
            "postcode",
        )
    return found


def _code(codes: Codes | None, list_name: str, value: str) -> None:
    if value == "" or codes is None:
        return
    if value not in codes.keys(list_name):
        known = ", ".join(codes.keys(list_name))
        raise ValidationError(
            f"{FIELD_WORDS.get(list_name, list_name)} {value[:40]!r} is not one of the answers; "
            f"use one of: {known} (or leave it unanswered).",
            list_name,
        )


def _not_future(value: date | None, label: str, field: str, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError(f"{label} {value.isoformat()} is in the future.", field)
    if value is not None and value.year < 1900:
        raise ValidationError(f"{label} {value.isoformat()} is too long ago.", field)


def validate_answers(record: Record, codes: Codes | None, today: date) -> None:
    """Raise ValidationError for the first problem in an equalities, circumstances or job record.

    With `codes` None only the shape is checked (the caseload always passes its registry).
    """
    match record:
        case Equalities():
            for name in EQUALITIES_LISTS:
                value = getattr(record, name)
                if not isinstance(value, str):
                    raise ValidationError(f"{FIELD_WORDS[name]} is not an answer code.", name)
                _code(codes, name, value)
            _not_future(record.answered_on, "Answered on", "answered_on", today)
        case Circumstances():
            if record.postcode and normalise_postcode(record.postcode) != record.postcode:
                raise ValidationError(
                    f"Postcode {record.postcode[:20]!r} is not written as a UK postcode "
                    "(like EH1 1AA).",
                    "postcode",
                )
            for name in CIRCUMSTANCES_LISTS:
                if name == "benefits":
                    continue
                _code(codes, name, getattr(record, name))
            benefits = record.benefits
            if not isinstance(benefits, list) or not all(isinstance(b, str) for b in benefits):
                raise ValidationError("Benefits must be a list of answer codes.", "benefits")
            if len(benefits) > MAX_BENEFITS or len(set(benefits)) != len(benefits):
                raise ValidationError(
                    "Benefits name the same kind twice; tick each once.", "benefits"
                )
            for b in benefits:
                _code(codes, "benefits", b)
            alone = {"none", PREFER_NOT_TO_SAY} & set(benefits)
            if alone and len(benefits) > 1:
                word = "None" if "none" in alone else "Prefer not to say"
                raise ValidationError(
                    f"Benefits: '{word}' cannot be ticked with other kinds; untick one.",
                    "benefits",
                )
            _not_future(record.answered_on, "Answered on", "answered_on", today)
        case Job():
            for name in JOB_LISTS:
                _code(codes, name, getattr(record, name))
            _not_future(record.started_on, "Started on", "started_on", today)
            _not_future(record.left_on, "Left on", "left_on", today)
            _not_future(record.progressed_on, "Got better on", "progressed_on", today)
            hours = record.hours_per_week
            if hours is not None and (type(hours) is not int or not 1 <= hours <= MAX_HOURS):
                raise ValidationError(
                    f"Hours a week {hours} is not a working week; give 1 to {MAX_HOURS} "
                    "(or leave it empty).",
                    "hours_per_week",
                )
            if record.left_on is not None and record.left_on < record.started_on:
                raise ValidationError(
                    "The job ends before it starts; check the two dates.", "left_on"
                )
            if record.progressed_on is not None and record.progressed_on < record.started_on:
                raise ValidationError(
                    "The job got better before it started; check the two dates.", "progressed_on"
                )
            if record.leaving_reason and record.left_on is None:
                raise ValidationError("A reason the job ended needs the date it ended.", "left_on")
            if record.progressed_on is not None and not record.progression:
                raise ValidationError(
                    "Say how the job got better, or clear the date.", "progression"
                )
        case _:
            pass


# -- derived facts (computed, never typed) ------------------------------------------------------


def age_band_at(
    participant: Participant, equalities: Equalities | None, on: date, codes: Codes
) -> str:
    """The age_band code on `on`: from the date of birth when recorded, else the parent's answer
    (which may be "prefer_not_to_say"), else ""."""
    if participant.date_of_birth is not None:
        return codes.age_band(age_on(participant.date_of_birth, on))
    return equalities.age_band if equalities is not None else ""


@dataclass(frozen=True)
class FamilyFacts:
    """What the children recorded say about the family on a day."""

    children: int
    three_or_more: bool
    # None: cannot be told (only a birth year is kept, and a child was born the year before).
    youngest_under_one: bool | None


def family_facts(children: Iterable[Child], on: date) -> FamilyFacts:
    """Number of children, three or more, and whether the youngest is under one on `on`.

    A child born in `on`'s year is under one; born two or more years before, not; born the
    year before, it depends on the day, which is not kept: None unless another child decides.
    """
    kids = list(children)
    years = [c.birth_year for c in kids if c.birth_year is not None and c.birth_year <= on.year]
    under: bool | None
    if any(y == on.year for y in years):
        under = True
    elif any(y == on.year - 1 for y in years):
        under = None
    else:
        under = False
    return FamilyFacts(children=len(kids), three_or_more=len(kids) >= 3, youngest_under_one=under)


def is_full_time(job: Job, codes: Codes) -> bool | None:
    """Full time: what was said if it was, else from the hours (None: neither is known, or it
    varies)."""
    if job.working_pattern == "full_time":
        return True
    if job.working_pattern == "part_time":
        return False
    if job.working_pattern == "" and job.hours_per_week is not None:
        return job.hours_per_week >= codes.full_time_hours
    return None


def weeks_in_work(job: Job, on: date) -> int:
    """Whole weeks from the job's start to `on` (or to the day it ended, if earlier); 0 before."""
    end = min(job.left_on, on) if job.left_on is not None else on
    return max(0, (end - job.started_on).days // 7)


@dataclass(frozen=True)
class ReturnFacts:
    """Everything the funder's return reads about one parent (caseload.return_facts)."""

    participant: Participant
    children: tuple[Child, ...] = ()
    # None when not answered, or without the equalities-monitoring consent.
    equalities: Equalities | None = None
    equalities_consent: bool = False
    circumstances: Circumstances | None = None
    jobs: tuple[Job, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    stages: tuple[StageChange, ...] = ()
    pauses: tuple[Pause, ...] = ()


PRIORITY_GROUPS = (
    "lone_parent",
    "three_or_more_children",
    "youngest_under_one",
    "disabled_parent_or_child",
    "minority_ethnic",
    "young_mother",
)


def priority_groups(facts: ReturnFacts, on: date, codes: Codes) -> frozenset[str]:
    """The Government's priority family groups the parent's family is in on `on` (derived from
    the children and the parent's answers; a group nobody answered for is left out)."""
    groups: set[str] = set()
    c = facts.circumstances
    e = facts.equalities
    family = family_facts(facts.children, on)
    if c is not None and c.lone_parent == "yes":
        groups.add("lone_parent")
    if family.three_or_more:
        groups.add("three_or_more_children")
    if family.youngest_under_one:
        groups.add("youngest_under_one")
    if e is not None:
        if e.disability in codes.flagged("disability", "disabled") or e.disabled_child == "yes":
            groups.add("disabled_parent_or_child")
        if e.ethnicity in codes.flagged("ethnicity", "minority"):
            groups.add("minority_ethnic")
        if e.sex == "female":
            young = False
            if facts.participant.date_of_birth is not None:
                young = age_on(facts.participant.date_of_birth, on) < 25
            else:
                band = next((b for b in codes.entries("age_band") if b.key == e.age_band), None)
                young = band is not None and band.ages is not None and band.ages[1] < 25
            if young:
                groups.add("young_mother")
    return frozenset(groups)
