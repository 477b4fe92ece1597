"""Derived facts, never stored: next check-in, days since contact, overdue, distance travelled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from journeyapp.core.enums import GoalStatus, ParticipantStatus, Rhythm

if TYPE_CHECKING:
    from journeyapp.core.records import Appointment, Assessment, Contact, Goal

RHYTHM_DAYS: dict[Rhythm, int | None] = {
    Rhythm.WEEKLY: 7,
    Rhythm.FORTNIGHTLY: 14,
    Rhythm.MONTHLY: 28,
    Rhythm.WHEN_I_GET_IN_TOUCH: None,
}
# Before the parent has chosen a rhythm, a fortnight is assumed.
DEFAULT_RHYTHM_DAYS = 14


def next_checkin_due(
    rhythm: Rhythm | None,
    last_contact_on: date | None,
    joined_on: date,
    status: ParticipantStatus = ParticipantStatus.ACTIVE,
    back_on: date | None = None,
) -> date | None:
    """When the next check-in is due, or None (paused, moved on, or "I'll get in touch").

    The rhythm counts from the last contact (with none yet, the day the parent joined), or
    from `back_on`, the day they came back (welcomed back after their journey ended, or a
    break ended), when that is later: a parent welcomed back today is not a check-in long
    overdue. With no rhythm chosen yet, a fortnight is assumed. The caseload list and This
    week work it out in SQL (store.queries.DUE_JD), held to the same answers by tests.
    """
    if status is not ParticipantStatus.ACTIVE:
        return None
    days = RHYTHM_DAYS[rhythm] if rhythm is not None else DEFAULT_RHYTHM_DAYS
    if days is None:
        return None
    return checkin_since(last_contact_on, joined_on, back_on) + timedelta(days=days)


def checkin_since(last_contact_on: date | None, joined_on: date, back_on: date | None) -> date:
    """The day a parent's check-ins count from: their last contact (with none yet, the day
    they joined), or the day they came back (`back_on`: welcomed back, or a break ended) when
    that is later. This week's "No contact for 30 days" counts from it too, so a parent
    welcomed back yesterday after months away is not listed as long out of touch
    (store.this_week's quiet question, held to this by tests)."""
    since = last_contact_on or joined_on
    if back_on is not None and back_on > since:
        since = back_on
    return since


# Goals the parent is working on come first; finished or set-aside ones after.
_GOAL_ORDER = {
    GoalStatus.WORKING_ON_IT: 0,
    GoalStatus.NOT_STARTED: 1,
    GoalStatus.ON_HOLD: 2,
    GoalStatus.ACHIEVED: 3,
    GoalStatus.CHANGED_MY_MIND: 4,
}


def goals_in_order(goals: Iterable[Goal]) -> list[Goal]:
    """A parent's goals as the Goals tab and the goal command list them: those being worked on
    first, finished or set-aside ones after; each kind oldest first."""
    return sorted(
        goals, key=lambda g: (_GOAL_ORDER.get(g.status, 9), g.set_on or g.created_at, g.created_at)
    )


def meetings_in_order(meetings: Iterable[Appointment], today: date) -> list[Appointment]:
    """A parent's meetings as the window's Meetings list and the meeting command list them:
    from today on first (soonest first), then past ones (latest first); each day by its time
    (a meeting at some time that day after those with a time)."""
    every = sorted(meetings, key=lambda a: (a.on, a.time or "99:99", a.created_at))
    coming = [a for a in every if a.on >= today]
    past = [a for a in reversed(every) if a.on < today]
    return coming + past


def days_since(last_contact_on: date | None, today: date) -> int | None:
    """Whole days from the last contact to today (None if there has been no contact)."""
    if last_contact_on is None:
        return None
    return (today - last_contact_on).days


def is_overdue(next_checkin_on: date | None, today: date) -> bool:
    """A check-in is overdue when its due date has passed."""
    return next_checkin_on is not None and next_checkin_on < today


@dataclass(frozen=True)
class AreaChange:
    """How one outcome area moved between the first and the latest self-assessment."""

    area: str
    first: int
    latest: int

    @property
    def change(self) -> int:
        """Points gained (negative if the score went down)."""
        return self.latest - self.first


def first_and_latest(assessments: Iterable[Assessment]) -> tuple[Assessment, Assessment] | None:
    """The first and latest self-assessment by date, or None with fewer than two."""
    ordered = sorted(assessments, key=lambda a: (a.taken_on, a.created_at))
    if len(ordered) < 2:
        return None
    return ordered[0], ordered[-1]


def distance_travelled(
    assessments: Iterable[Assessment], areas: Sequence[str] | None = None
) -> list[AreaChange]:
    """Per outcome area, the first and latest score (areas scored in both), in `areas` order."""
    pair = first_and_latest(assessments)
    if pair is None:
        return []
    first, latest = pair
    keys = list(areas) if areas is not None else list(first.scores)
    return [
        AreaChange(area, first.scores[area], latest.scores[area])
        for area in keys
        if area in first.scores and area in latest.scores
    ]


def describe_change(label: str, change: AreaChange) -> str:
    """One plain sentence about an area's change, for screens and printed plans."""
    if change.change > 0:
        points = "point" if change.change == 1 else "points"
        return f"{label}: up {change.change} {points}, from {change.first} to {change.latest}."
    if change.change < 0:
        points = "point" if -change.change == 1 else "points"
        return f"{label}: down {-change.change} {points}, from {change.first} to {change.latest}."
    return f"{label}: the same, at {change.latest}."


def days_between(start: date, end: date) -> int:
    """Days from `start` to `end`."""
    return (end - start).days


def age_band(date_of_birth: date | None, today: date) -> str:
    """A coarse age band for pseudonymised outputs ("25-34"), or "unknown"."""
    if date_of_birth is None:
        return "unknown"
    age = (
        today.year
        - date_of_birth.year
        - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
    )
    for low, high in ((16, 24), (25, 34), (35, 44), (45, 54)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "under 16" if age < 16 else "55+"


def child_age_band(birth_year: int | None, today: date) -> str:
    """A child's age as a band for pseudonymised outputs ("5-11"), never the exact year."""
    if birth_year is None:
        return "unknown"
    age = today.year - birth_year
    if age < 5:
        return "under 5"
    for low, high in ((5, 11), (12, 15)):
        if low <= age <= high:
            return f"{low}-{high}"
    return "16+"


# What a new contact starts from, in the window's form and on the command line alike.
def latest_venue(contacts: Iterable[Contact]) -> str:
    """The venue of the most recent of `contacts` that had one ("" if none)."""
    latest = max((c for c in contacts if c.venue), key=lambda c: (c.on, c.created_at), default=None)
    return latest.venue if latest is not None else ""


def latest_kind(contacts: Iterable[Contact]) -> str:
    """The kind of the most recent contact logged by hand ("" if none): remembered like the
    venue (a group session's contact does not count: that is logged by the register)."""
    latest = max(
        (c for c in contacts if not c.group_session_id),
        key=lambda c: (c.on, c.created_at),
        default=None,
    )
    return latest.kind if latest is not None else ""


def new_contact_kind(contacts: Iterable[Contact], listed: Sequence[str]) -> str:
    """The kind a new contact starts as: the parent's last one logged by hand while the
    catalogue (`listed`, its keys in order) still has it, else one-to-one, else its first."""
    last = latest_kind(contacts)
    if last and last in listed:
        return last
    return "one_to_one" if "one_to_one" in listed else listed[0]
