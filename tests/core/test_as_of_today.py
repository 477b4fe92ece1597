"""Journey.as_of(today) and Journey.dated_after(today), for any today and any record days: the
journey as it stood on today holds no day that happens after it, keeps every record with none,
and what was dated after today is exactly what dated_after names (views show the one and flag
the other)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.classification import Day
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.records import Contact, Journey, Milestone, Pause, Step
from tests.journeys import PID, participant

OFFSETS = st.integers(-400, 400)


@given(
    today=st.dates(date(2001, 1, 1), date(2090, 12, 31)),
    contacts=st.lists(OFFSETS, max_size=4),
    milestones=st.lists(OFFSETS, max_size=4),
    steps=st.lists(st.none() | OFFSETS, max_size=4),
    pauses=st.lists(st.tuples(OFFSETS, st.none() | st.integers(0, 200)), max_size=3),
)
def test_the_journey_as_of_today_holds_nothing_dated_after_it(
    today: date,
    contacts: list[int],
    milestones: list[int],
    steps: list[int | None],
    pauses: list[tuple[int, int | None]],
) -> None:
    def on(offset: int) -> date:
        return today + timedelta(days=offset)

    journey = Journey(
        participant=participant(joined_on=today - timedelta(days=500)),
        contacts=tuple(Contact(participant_id=PID, on=on(n), kind="phone") for n in contacts),
        milestones=tuple(
            Milestone(participant_id=PID, type="first_meeting", achieved_on=on(n))
            for n in milestones
        ),
        steps=tuple(
            Step(
                participant_id=PID,
                goal_id="g",
                what="A step",
                done_on=None if n is None else on(n),
            )
            for n in steps
        ),
        pauses=tuple(
            Pause(
                participant_id=PID,
                started_on=on(start),
                ended_on=None if length is None else on(start + length),
            )
            for start, length in pauses
        ),
    )
    now = journey.as_of(today)
    assert not now.dated_after(today)
    for name in ("contacts", "milestones", "steps", "pauses"):
        before, after = getattr(journey, name), getattr(now, name)
        kept = {r.id for r in after}
        for record in before:
            days = [
                getattr(record, f)
                for f, spec in record.FIELDS.items()
                if spec.day in (Day.HAPPENED, Day.JOURNEY) and getattr(record, f) is not None
            ]
            if all(d <= today for d in days):
                assert record in after  # untouched
            elif record.id in kept:  # only a later day of it was after today: not yet
                (same,) = [r for r in after if r.id == record.id]
                assert all(
                    getattr(same, f) is None
                    for f in record.FIELDS
                    if getattr(record, f) in days and getattr(record, f) > today
                )
            else:  # left out: its own day (a contact's, a milestone's, a break's start) is later
                assert any(
                    spec.period and getattr(record, f) > today
                    for f, spec in record.FIELDS.items()
                    if spec.day is not None
                )
    named = {(d.record.id, d.field) for d in journey.dated_after(today)}
    wanted = {
        (r.id, f)
        for name in ("contacts", "milestones", "steps", "pauses")
        for r in getattr(journey, name)
        for f, spec in r.FIELDS.items()
        if spec.day in (Day.HAPPENED, Day.JOURNEY)
        and getattr(r, f) is not None
        and getattr(r, f) > today
    }
    assert named == wanted
    assert journey.as_of(today + timedelta(days=10_000)) is journey  # nothing after: as it is


@given(
    today=st.dates(date(2001, 1, 1), date(2090, 12, 31)),
    status=st.sampled_from(list(ParticipantStatus)),
    pauses=st.lists(st.tuples(OFFSETS, st.none() | st.integers(0, 200)), max_size=3),
)
def test_a_parent_is_on_a_break_only_once_it_has_started(
    today: date, status: ParticipantStatus, pauses: list[tuple[int, int | None]]
) -> None:
    """Taking a break sets the status to paused whatever day the break starts, and picking up
    again sets it back whatever day the break ends: a parent going on (active or paused) with
    a break started by today that ends after it (a laptop's clock ahead) is taking it until
    then; one paused only by breaks not ended that start after today is active until the
    first starts; any other status, and paused with no break, are as held."""
    journey = Journey(
        participant=participant(joined_on=today - timedelta(days=500), status=status),
        pauses=tuple(
            Pause(
                participant_id=PID,
                started_on=today + timedelta(days=start),
                ended_on=None if length is None else today + timedelta(days=start + length),
            )
            for start, length in pauses
        ),
    )
    going = [start for start, length in pauses if length is None]
    not_started = status is ParticipantStatus.PAUSED and bool(going) and min(going) > 0
    taking = any(
        start <= 0 and length is not None and start + length > 0 for start, length in pauses
    )
    expected = ParticipantStatus.ACTIVE if not_started else status
    if taking and status in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED):
        expected = ParticipantStatus.PAUSED
    assert journey.status_by(today) is expected
    assert journey.as_of(today).participant.status is expected
    # Everything else about the parent is as held.
    assert replace(journey.as_of(today).participant, status=status) == journey.participant
