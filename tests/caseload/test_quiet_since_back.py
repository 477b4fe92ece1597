"""This week's "No contact for 30 days or more" counts from the day the check-ins count from
(derived.checkin_since): the last contact (none: the day they joined) or, when later, the day
they came back (welcomed back after their journey ended, or a break ended). Found by use: a
parent welcomed back yesterday after months away was listed as long out of touch, with the
days since their last contact before they moved on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import QUIET_DAYS, this_week
from journeyapp.core import derived
from journeyapp.core.enums import Pace, ParticipantStatus, Rhythm
from tests.clock import ticking_clock
from tests.conftest import TODAY


def _d(n: int) -> date:
    return TODAY + timedelta(days=n)


def _quiet(c: Caseload, today: date | None = None) -> dict[str, str]:
    return {
        line.name: line.text.split(" · ", 1)[1]
        for line in this_week(c, today, keyworker="").group("quiet").lines
    }


def _welcomed_back(c: Caseload, name: str, left: int, back: int, *, monthly: bool = True) -> str:
    pid = c.enrol_participant(name, "glasgow", joined_on=_d(-300)).id
    if monthly:
        c.change_pace(pid, Pace.STEADY, Rhythm.WHEN_I_GET_IN_TOUCH, on=_d(-300))
    c.log_contact(pid, on=_d(left))
    c.end_journey(pid, ParticipantStatus.MOVED_ON, on=_d(left))
    c.reopen_journey(pid, on=_d(back))
    return pid


def test_a_parent_welcomed_back_counts_from_that_day(caseload: Caseload) -> None:
    # Welcomed back yesterday after five months away: not quiet at all.
    _welcomed_back(caseload, "Wren", -150, -1)
    # Welcomed back 40 days ago, no contact since: quiet since the welcome back, so said.
    _welcomed_back(caseload, "Vida", -150, -40)
    # Back from a break 35 days ago.
    una = caseload.enrol_participant("Una", "glasgow", joined_on=_d(-300)).id
    caseload.change_pace(una, Pace.STEADY, Rhythm.WHEN_I_GET_IN_TOUCH, on=_d(-300))
    caseload.log_contact(una, on=_d(-120))
    caseload.pause(una, on=_d(-100))
    caseload.resume(una, on=_d(-35))
    # A contact after the welcome back is what it counts from.
    tess = _welcomed_back(caseload, "Tess", -150, -60)
    caseload.log_contact(tess, on=_d(-45))
    assert _quiet(caseload) == {
        "Vida": f"welcomed back on {_short(-40)} (40 days)",
        "Una": f"picked up again after a break on {_short(-35)} (35 days)",
        "Tess": f"last contact {_short(-45)} (45 days)",
    }
    week = this_week(caseload, keyworker="")
    assert [line.day for line in week.group("quiet").lines] == [_d(-45), _d(-40), _d(-35)]
    assert week.group("quiet").count == 3


def test_welcomed_back_after_a_break_ended_says_the_later(caseload: Caseload) -> None:
    # A break ended after the welcome back (taken and ended since): the break's end is later.
    pid = _welcomed_back(caseload, "Ros", -200, -120)
    caseload.pause(pid, on=_d(-100))
    caseload.resume(pid, on=_d(-50))
    # Welcomed back after a break ended long before.
    sal = caseload.enrol_participant("Sal", "glasgow", joined_on=_d(-300)).id
    caseload.change_pace(sal, Pace.STEADY, Rhythm.WHEN_I_GET_IN_TOUCH, on=_d(-300))
    caseload.pause(sal, on=_d(-290))
    caseload.resume(sal, on=_d(-280))
    caseload.end_journey(sal, ParticipantStatus.CLOSED, on=_d(-200))
    caseload.reopen_journey(sal, on=_d(-31))
    assert _quiet(caseload) == {
        "Ros": f"picked up again after a break on {_short(-50)} (50 days)",
        "Sal": f"welcomed back on {_short(-31)} (31 days)",
    }


def test_a_check_in_overdue_since_the_welcome_back_is_listed_there(caseload: Caseload) -> None:
    # Weekly, welcomed back 40 days ago: the check-in is overdue, so listed there, not here,
    # and due from the day they came back (the two agree on where the days count from).
    pid = _welcomed_back(caseload, "Wren", -150, -40, monthly=False)
    caseload.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=_d(-40))
    week = this_week(caseload, keyworker="")
    assert _quiet(caseload) == {}
    [line] = week.group("checkins").lines
    assert line.day == _d(-40 + 7)


def _short(n: int) -> str:
    from journeyapp.core.dates import short_date

    return short_date(_d(n), TODAY)


_parent = st.fixed_dictionaries(
    {
        "joined": st.integers(min_value=-300, max_value=0),
        "contact": st.none() | st.integers(min_value=0, max_value=300),
        # A contact dated after today (merged from a laptop whose clock was ahead).
        "ahead": st.none() | st.integers(min_value=1, max_value=20),
        "rhythm": st.none() | st.sampled_from(list(Rhythm)),
        # (days after joining it ended or the break began, days later they came back)
        "welcomed": st.none() | st.tuples(st.integers(0, 150), st.integers(0, 150)),
        "break": st.none() | st.tuples(st.integers(0, 150), st.integers(0, 150)),
        # A break that ends after today (a laptop whose clock was ahead): not ended yet.
        "break_ahead": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None)
@given(parents=st.lists(_parent, min_size=1, max_size=6), shift=st.integers(0, 40))
def test_the_quiet_list_and_the_check_ins_count_from_the_same_day(
    parents: list[dict[str, Any]], shift: int
) -> None:
    """Whoever is listed as quiet is listed from the day their check-in counts from, and
    everyone active whose days count from 30 or more days ago (and whose check-in is not
    overdue) is listed: the SQL (both halves of its question) against the journey's own
    next_checkin_on and derived.checkin_since, whatever came back when."""
    c = Caseload.open(None)
    c.clock = ticking_clock(TODAY)
    try:
        ids = []
        for n, parent in enumerate(parents):
            ids.append(_make(c, f"P{n}", parent))
        today = TODAY + timedelta(days=shift)
        week = this_week(c, today, keyworker="")
        quiet = {line.participant_id: line.day for line in week.group("quiet").lines}
        wanted = {}
        for pid in ids:
            journey = c.journey(pid).as_of(today)
            p = journey.participant
            status = c.journey(pid).status_by(today)
            since = derived.checkin_since(journey.last_contact_on, p.joined_on, journey.back_on)
            due = c.journey(pid).next_checkin_on(today)
            pace = journey.current_pace
            if due is not None:
                days = derived.RHYTHM_DAYS[pace.rhythm] if pace else 14
                assert due == since + timedelta(days=days or 0)
            if (
                status is ParticipantStatus.ACTIVE
                and since <= today - timedelta(days=QUIET_DAYS)
                and not derived.is_overdue(due, today)
            ):
                wanted[pid] = since
        assert quiet == wanted
    finally:
        c.close()


def _make(c: Caseload, name: str, parent: dict[str, Any]) -> str:
    """One parent as `parent` says, every day on or before TODAY but those written on a laptop
    whose clock was ahead (a contact, a break's end)."""
    joined = _d(parent["joined"])
    pid = c.enrol_participant(name, "fife", joined_on=joined).id
    if parent["rhythm"] is not None:
        c.change_pace(pid, Pace.STEADY, parent["rhythm"], on=joined)
    if parent["welcomed"] is not None:
        left_after, back_after = parent["welcomed"]
        left = min(joined + timedelta(days=left_after), TODAY)
        c.end_journey(pid, ParticipantStatus.MOVED_ON, on=left)
        c.reopen_journey(pid, on=min(left + timedelta(days=back_after), TODAY))
    if parent["break"] is not None:
        start_after, length = parent["break"]
        start = max(
            min(joined + timedelta(days=start_after), TODAY), c.journey(pid).back_on or joined
        )
        c.pause(pid, on=start)
        if parent["break_ahead"]:
            with _ahead(c):
                c.resume(pid, on=_d(45))
        else:
            c.resume(pid, on=min(start + timedelta(days=length), TODAY))
    if parent["contact"] is not None:
        c.log_contact(pid, on=min(joined + timedelta(days=parent["contact"]), TODAY))
    if parent["ahead"] is not None:
        with _ahead(c):
            c.log_contact(pid, on=_d(parent["ahead"]))
    return pid


@contextmanager
def _ahead(c: Caseload) -> Iterator[None]:
    """While inside, the caseload's clock is 60 days ahead (a laptop whose clock was wrong)."""
    c.clock = ticking_clock(_d(60))
    try:
        yield
    finally:
        c.clock = ticking_clock(TODAY)
