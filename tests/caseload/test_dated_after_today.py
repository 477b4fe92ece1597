"""Records dated after today (written on a laptop whose clock was ahead, kept as written by a
merge) have not happened yet wherever "today" matters: a contact dated next week does not hide
a check-in that is due, in This week, the caseload list and its count; it is named beside the
check-in so the keyworker can put the date right. Real SQLite, the caseload's own clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import this_week
from journeyapp.core import derived
from journeyapp.core.dates import long_date, short_date
from journeyapp.core.enums import Pace, ParticipantStatus, Rhythm
from journeyapp.core.errors import ValidationError
from tests.clock import ticking_clock
from tests.conftest import TODAY


@contextmanager
def written_ahead(caseload: Caseload, days: int = 400) -> Iterator[None]:
    """While inside, the caseload's clock runs `days` days ahead (as a laptop's whose clock was
    wrong); afterwards it reads TODAY again."""
    caseload.clock = ticking_clock(TODAY + timedelta(days=days))
    try:
        yield
    finally:
        caseload.clock = ticking_clock(TODAY)


def _parent(
    caseload: Caseload, name: str, rhythm: Rhythm | None, contacts: list[int], joined: int = -100
) -> str:
    """A parent who joined `joined` days from TODAY with contacts `contacts` days from TODAY
    (those after TODAY written while the clock was ahead)."""
    start = TODAY + timedelta(days=joined)
    pid = caseload.enrol_participant(name, "fife", start).id
    if rhythm is not None:
        caseload.change_pace(pid, Pace.STEADY, rhythm, on=start)
    for offset in sorted(contacts):
        on = TODAY + timedelta(days=offset)
        if offset > 0:
            with written_ahead(caseload):
                caseload.log_contact(pid, on=on)
        else:
            caseload.log_contact(pid, on=on)
    return pid


def test_a_contact_dated_next_week_does_not_hide_a_check_in_that_is_due(
    caseload: Caseload,
) -> None:
    dan = _parent(caseload, "Dan", Rhythm.WEEKLY, [-21, 10])
    due = TODAY - timedelta(days=14)
    ahead = TODAY + timedelta(days=10)
    week = this_week(caseload, keyworker="")
    assert [line.text for line in week.group("checkins").lines] == [
        f"Dan · check-in due since {short_date(due, TODAY)} · a contact dated "
        f"{short_date(ahead, TODAY)}, after today: check its date"
    ]
    assert week.overdue == 1
    (row,) = caseload.caseload()
    assert (row.id, row.last_contact_on, row.overdue) == (dan, TODAY - timedelta(days=21), True)
    assert row.next_checkin_on == due
    assert [r.id for r in caseload.caseload(overdue_only=True)] == [dan]
    assert caseload.caseload_outline().overdue == 1


def test_a_parent_quiet_for_weeks_is_listed_though_a_contact_is_dated_ahead(
    caseload: Caseload,
) -> None:
    _parent(caseload, "Eve", Rhythm.WHEN_I_GET_IN_TOUCH, [-45, 3])
    week = this_week(caseload, keyworker="")
    last = TODAY - timedelta(days=45)
    assert [line.text for line in week.group("quiet").lines] == [
        f"Eve · last contact {short_date(last, TODAY)} (45 days) · a contact dated "
        f"{short_date(TODAY + timedelta(days=3), TODAY)}, after today: check its date"
    ]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    path: Path = tmp_path_factory.mktemp("ahead") / "ahead.db"
    c = Caseload.open(path, create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    yield c
    c.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rhythm=st.none() | st.sampled_from(list(Rhythm)),
    contacts=st.lists(st.integers(-120, 120), max_size=4),
    joined=st.integers(-300, -1),
)
def test_for_any_contacts_a_check_in_is_due_from_the_last_contact_by_today(
    shared: Caseload, rhythm: Rhythm | None, contacts: list[int], joined: int
) -> None:
    """Whatever contacts are dated after today, This week, the caseload list and its count
    agree with derived.next_checkin_due from the last contact on or before today."""
    caseload = shared
    contacts = [c for c in contacts if c >= joined]
    pid = _parent(caseload, "Prop", rhythm, contacts, joined)
    start = TODAY + timedelta(days=joined)
    by_today = max((TODAY + timedelta(days=c) for c in contacts if c <= 0), default=None)
    due = derived.next_checkin_due(rhythm, by_today, start)
    (row,) = [r for r in caseload.caseload() if r.id == pid]
    assert row.last_contact_on == by_today
    assert row.next_checkin_on == due
    assert row.overdue == derived.is_overdue(due, TODAY)
    listed = [
        line
        for line in this_week(caseload, keyworker="").group("checkins").lines
        if line.participant_id == pid
    ]
    in_week = due is not None and due <= TODAY + timedelta(days=6)
    assert [line.day for line in listed] == ([due] if in_week else [])
    assert all(
        ("after today: check its date" in line.text) == any(c > 0 for c in contacts)
        for line in listed
    )
    # Each example's parent is done with: the next one is listed alone.
    caseload.set_status(pid, ParticipantStatus.MOVED_ON)


def _paced_parent(
    caseload: Caseload,
    joined: int,
    paces: list[tuple[int, Rhythm]],
    contacts: list[int],
    pause: int | None,
) -> str:
    """A parent who joined `joined` days from TODAY, chose each rhythm on its day, was in
    contact on those days and took a break from `pause`: all written while the clock was a
    year ahead, so any of them may be after the day the list is read on."""
    with written_ahead(caseload):
        start = TODAY + timedelta(days=joined)
        pid = caseload.enrol_participant("Paced", "fife", start).id
        for offset, rhythm in paces:
            caseload.change_pace(pid, Pace.STEADY, rhythm, on=TODAY + timedelta(days=offset))
        for offset in contacts:
            caseload.log_contact(pid, on=TODAY + timedelta(days=offset))
        if pause is not None:
            caseload.pause(pid, on=TODAY + timedelta(days=pause))
    return pid


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    joined=st.integers(-200, -1),
    paces=st.lists(
        st.tuples(st.integers(-200, 60), st.sampled_from(list(Rhythm))),
        max_size=3,
        unique_by=lambda pace: pace[0],
    ),
    contacts=st.lists(st.integers(-200, 60), max_size=3),
    pause=st.none() | st.integers(-200, 60),
    shift=st.integers(-40, 40),
    kw=st.sampled_from(["", "Kim"]),
)
def test_the_check_in_rhythm_and_a_break_count_from_the_day_they_happen(
    shared: Caseload,
    joined: int,
    paces: list[tuple[int, Rhythm]],
    contacts: list[int],
    pause: int | None,
    shift: int,
    kw: str,
) -> None:
    """On any day, the caseload list (its pace, status, check-in and due mark, the filters
    and the count) and This week read the rhythm chosen by that day and the parent as taking
    a break only once it has started: a pace chosen, or a break starting, after it (a laptop's
    clock ahead) does not set the rhythm nor hide a check-in due. The same as the journey's
    own model (Journey.as_of, status_by)."""
    caseload = shared
    paces = [(day, rhythm) for day, rhythm in paces if day >= joined]
    contacts = [day for day in contacts if day >= joined]
    pause = None if pause is None or pause < joined else pause
    pid = _paced_parent(caseload, joined, paces, contacts, pause)
    start = TODAY + timedelta(days=joined)
    today = max(TODAY + timedelta(days=shift), start)
    by_day = (today - TODAY).days
    # What happened by `today`, worked out from the days drawn.
    chosen = [(day, rhythm) for day, rhythm in paces if day <= by_day]
    rhythm = max(chosen, key=lambda pace: pace[0])[1] if chosen else None
    last = max((TODAY + timedelta(days=c) for c in contacts if c <= by_day), default=None)
    paused = pause is not None and pause <= by_day
    status = ParticipantStatus.PAUSED if paused else ParticipantStatus.ACTIVE
    due = derived.next_checkin_due(rhythm, last, start, status)
    overdue = derived.is_overdue(due, today)
    journey = caseload.journey(pid)
    assert journey.status_by(today) is status
    by_today = journey.as_of(today)
    assert by_today.participant.status is status
    assert (by_today.current_pace.rhythm if by_today.current_pace else None) == rhythm

    (row,) = [r for r in caseload.caseload(today=today) if r.id == pid]
    assert (row.status, row.rhythm, row.last_contact_on) == (status, rhythm, last)
    assert row.pace == (Pace.STEADY if rhythm else None)
    assert row.next_checkin_on == due
    assert row.overdue == overdue
    assert (pid in [r.id for r in caseload.caseload(today=today, overdue_only=True)]) == overdue
    assert [r.id for r in caseload.caseload(today=today, status=status.value)] == [pid]
    assert caseload.caseload_outline(today=today).overdue == int(overdue)
    week = this_week(caseload, today, keyworker=kw)
    listed = [line for line in week.group("checkins").lines if line.participant_id == pid]
    in_week = due is not None and due <= today + timedelta(days=6)
    assert [line.day for line in listed] == ([due] if in_week else [])
    # Named beside the check-in, to be checked: what is dated after the day it is read on.
    for line in listed:
        assert ("a change of pace dated" in line.text) == any(d > by_day for d, _r in paces)
        assert ("a break from" in line.text) == (pause is not None and pause > by_day)
    assert week.overdue == int(overdue)
    quiet = [line.participant_id for line in week.group("quiet").lines]
    since = last or start
    assert (pid in quiet) == (
        status is ParticipantStatus.ACTIVE and since <= today - timedelta(days=30) and not overdue
    )
    # Each example's parent is done with: the next one is listed alone.
    caseload.set_status(pid, ParticipantStatus.MOVED_ON)


def test_a_break_that_starts_next_month_does_not_hide_a_check_in_due_this_week(
    caseload: Caseload,
) -> None:
    """Dan checks in weekly; last seen ten days ago, his check-in was due three days ago. A
    break he starts next month (written while the clock was ahead) leaves him listed, active,
    with a check-in due, until it starts; and a monthly rhythm he chose from next month does
    not put it off."""
    dan = _parent(caseload, "Dan", Rhythm.WEEKLY, [-10])
    with written_ahead(caseload):
        caseload.change_pace(dan, Pace.GENTLY, Rhythm.MONTHLY, on=TODAY + timedelta(days=20))
        caseload.pause(dan, on=TODAY + timedelta(days=30), reason="Moving house")
    assert caseload.participant(dan).status is ParticipantStatus.PAUSED  # as held
    due = TODAY - timedelta(days=3)
    week = this_week(caseload, keyworker="")
    assert [line.text for line in week.group("checkins").lines] == [
        f"Dan · check-in due since {short_date(due, TODAY)} · a change of pace dated "
        f"{short_date(TODAY + timedelta(days=20), TODAY)}, after today: check its date · a "
        f"break from {short_date(TODAY + timedelta(days=30), TODAY)}, after today: check its date"
    ]
    (row,) = caseload.caseload()
    assert (row.status, row.pace, row.rhythm) == (
        ParticipantStatus.ACTIVE,
        Pace.STEADY,
        Rhythm.WEEKLY,
    )
    assert (row.next_checkin_on, row.overdue) == (due, True)
    assert caseload.caseload_outline().overdue == 1
    # The day the break starts, it is his break: no check-in while he takes it.
    later = TODAY + timedelta(days=30)
    assert this_week(caseload, later, keyworker="").group("checkins").lines == ()
    (row,) = caseload.caseload(today=later)
    assert (row.status, row.rhythm, row.overdue) == (
        ParticipantStatus.PAUSED,
        Rhythm.MONTHLY,
        False,
    )


def test_breaks_to_follow_up_are_those_being_taken_today(caseload: Caseload) -> None:
    """Breaks to follow up this week are the breaks being taken today, as the Pace tab and
    the header say: Ama's break starts in three days (written while the clock was ahead), so
    there is nothing to follow up yet (her check-in line names the break, to check its day);
    Bo's break began ten days ago and was ended on a day three weeks on, which has not come,
    so he is still taking it and his day to get in touch again, in two days, is listed."""
    ama = _parent(caseload, "Ama", Rhythm.MONTHLY, [-5])
    bo = _parent(caseload, "Bo", Rhythm.MONTHLY, [-12])
    caseload.pause(bo, on=TODAY - timedelta(days=10), follow_up_on=TODAY + timedelta(days=2))
    with written_ahead(caseload):
        caseload.pause(ama, on=TODAY + timedelta(days=3), follow_up_on=TODAY + timedelta(days=5))
        caseload.resume(bo, on=TODAY + timedelta(days=21))
    week = this_week(caseload, keyworker="")
    assert [line.participant_id for line in week.group("breaks").lines] == [bo]
    (line,) = week.group("breaks").lines
    assert line.day == TODAY + timedelta(days=2)
    assert caseload.journey(bo).status_by(TODAY) is ParticipantStatus.PAUSED
    assert caseload.journey(ama).status_by(TODAY) is ParticipantStatus.ACTIVE
    statuses = {row.id: row.status for row in caseload.caseload()}
    assert statuses == {ama: ParticipantStatus.ACTIVE, bo: ParticipantStatus.PAUSED}
    # From the day Ama's break starts it is hers to follow up too; after the day Bo picked up
    # again, his is not.
    later = this_week(caseload, TODAY + timedelta(days=3), keyworker="")
    assert [line.participant_id for line in later.group("breaks").lines] == [bo, ama]
    back = this_week(caseload, TODAY + timedelta(days=21), keyworker="")
    assert [line.participant_id for line in back.group("breaks").lines] == [ama]


def test_a_break_ending_after_today_is_picked_up_again_today_not_taken_twice(
    caseload: Caseload,
) -> None:
    """Bo's break began ten days ago; its end was written on a laptop whose clock was ahead,
    three weeks on. By today he is taking it: another break is refused, saying why and where
    to correct the day, with nothing saved; picking up again today ends it today."""
    bo = _parent(caseload, "Bo", Rhythm.MONTHLY, [-12])
    began = TODAY - timedelta(days=10)
    caseload.pause(bo, on=began)
    with written_ahead(caseload):
        caseload.resume(bo, on=TODAY + timedelta(days=21))
    before = caseload.journey(bo)
    with pytest.raises(ValidationError) as refused:
        caseload.pause(bo)
    assert refused.value.message == (
        f"Bo is already taking a break: its end is dated "
        f"{long_date(TODAY + timedelta(days=21))}, after {long_date(TODAY)}. If that day is "
        "wrong, correct the day the break ended first. Nothing was changed."
    )
    assert caseload.journey(bo) == before
    caseload.resume(bo)
    [pause] = caseload.journey(bo).pauses
    assert (pause.started_on, pause.ended_on) == (began, TODAY)
    assert caseload.journey(bo).status_by(TODAY) is ParticipantStatus.ACTIVE
