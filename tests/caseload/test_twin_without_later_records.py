"""Nothing dated after today counts as done, in every reader at once: a caseload holding records
dated after today (written on a laptop whose clock was a year ahead) reads, today, as its twin
that holds only what had happened by today: the caseload list (status, stage, pace, check-in,
filters), the journey as of today, This week (check-ins, breaks to follow up, quiet parents),
the printed plan and the programme report for all dates, from a day on and to a day after
today. Only the notes that name the later records, to be checked, differ. A move to a later
stage, a break that ends or starts after today, and a parent who joined after today are drawn
with the rest. Real SQLite, the caseloads' own clocks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import this_week
from journeyapp.core.dates import years_from
from journeyapp.core.enums import Decision, Pace, ParticipantStatus, Rhythm
from journeyapp.exchange.report import build_report
from tests.clock import ticking_clock
from tests.conftest import TODAY

AHEAD = TODAY + timedelta(days=400)  # the clock of the laptop that was ahead


@dataclass(frozen=True)
class Drawn:
    """One parent's records, as days from TODAY (after it: dated after today)."""

    joined: int
    stages: list[tuple[int, int]]  # (day, index of the stage in the catalogue)
    breaks: list[tuple[int, int | None, int]]  # (start, end or None, follow-up days after start)
    contacts: list[int]
    paces: list[tuple[int, Rhythm]]
    choice: int | None
    referral: int | None
    milestone: int | None
    assessments: list[tuple[int, int]]  # (day, confidence)
    late_parent: bool  # a parent who "joined" after today, with a choice dated before it


@st.composite
def drawn(draw: st.DrawFn) -> Drawn:
    joined = draw(st.integers(-300, -20))
    days = st.integers(joined + 1, 60)
    stage_days = draw(st.lists(days, max_size=3, unique=True))
    stages = [(day, draw(st.integers(0, 6))) for day in sorted(stage_days)]
    breaks: list[tuple[int, int | None, int]] = []
    at = joined
    for n in range(draw(st.integers(0, 2))):
        start = at + draw(st.integers(1, 60))
        last = n == 1 or draw(st.booleans())
        length = draw(st.none() | st.integers(1, 60)) if last else draw(st.integers(1, 60))
        breaks.append((start, None if length is None else start + length, draw(st.integers(0, 20))))
        if length is None:
            break
        at = start + length
    paces = draw(
        st.lists(
            st.tuples(days, st.sampled_from(list(Rhythm))), max_size=2, unique_by=lambda p: p[0]
        )
    )
    return Drawn(
        joined=joined,
        stages=stages,
        breaks=breaks,
        contacts=draw(st.lists(days, max_size=3)),
        paces=sorted(paces, key=lambda p: p[0]),
        choice=draw(st.none() | days),
        referral=draw(st.none() | days),
        milestone=draw(st.none() | days),
        assessments=sorted(
            draw(
                st.lists(st.tuples(days, st.integers(1, 10)), max_size=3, unique_by=lambda a: a[0])
            )
        ),
        late_parent=draw(st.booleans()),
    )


def _day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def _write(caseload: Caseload, d: Drawn, *, twin: bool) -> str:
    """The parent of `d` in `caseload`: every record, written on a clock a year ahead; or, for
    the `twin`, only what is dated by today, written on today's clock (a break ending after
    today not yet ended)."""
    happened = (lambda offset: offset <= 0) if twin else (lambda offset: True)
    caseload.clock = ticking_clock(TODAY if twin else AHEAD)
    try:
        stages = [e.key for e in caseload.catalogue.stages]
        pid = caseload.enrol_participant("Tam", "fife", _day(d.joined)).id
        events: list[tuple[int, int, Any]] = []  # (day, order in the day, write)
        for day, stage in d.stages:
            events.append(
                (day, 0, lambda day=day, s=stage: caseload.set_stage(pid, stages[s], on=_day(day)))
            )
        for day, rhythm in d.paces:
            events.append(
                (
                    day,
                    1,
                    lambda day=day, r=rhythm: caseload.change_pace(
                        pid, Pace.STEADY, r, on=_day(day)
                    ),
                )
            )
        for start, end, follow in d.breaks:
            events.append(
                (
                    start,
                    2,
                    lambda start=start, follow=follow: caseload.pause(
                        pid, on=_day(start), follow_up_on=_day(start + follow), reason="Exams"
                    ),
                )
            )
            if end is not None:
                events.append((end, 3, lambda end=end: caseload.resume(pid, on=_day(end))))
        for day in d.contacts:
            events.append((day, 4, lambda day=day: caseload.log_contact(pid, on=_day(day))))
        if d.choice is not None:
            events.append(
                (
                    d.choice,
                    5,
                    lambda: caseload.choose_service(
                        pid, "volunteering", Decision.CHOSEN, on=_day(d.choice or 0)
                    ),
                )
            )
        if d.referral is not None:
            events.append(
                (
                    d.referral,
                    6,
                    lambda: caseload.refer(pid, "Citizens Advice", on=_day(d.referral or 0)),
                )
            )
        if d.milestone is not None:
            events.append(
                (
                    d.milestone,
                    7,
                    lambda: caseload.record_milestone(
                        pid, "agreed_plan", achieved_on=_day(d.milestone or 0)
                    ),
                )
            )
        for day, score in d.assessments:
            events.append(
                (
                    day,
                    8,
                    lambda day=day, score=score: caseload.record_assessment(
                        pid, {"confidence": score}, taken_on=_day(day)
                    ),
                )
            )
        for day, _order, write in sorted(events, key=lambda e: (e[0], e[1])):
            if happened(day):
                write()
        if d.late_parent and not twin:
            late = caseload.enrol_participant("Lou", "glasgow", _day(5)).id
            caseload.choose_service(late, "volunteering", Decision.CHOSEN, on=_day(-3))
            caseload.refer(late, "Citizens Advice", on=_day(-3))
            caseload.set_status(late, ParticipantStatus.MOVED_ON)
    finally:
        caseload.clock = ticking_clock(TODAY)
    return pid


@contextmanager
def twins() -> Iterator[tuple[Caseload, Caseload]]:
    """Two new caseloads on today's clock: one to hold every record, its twin only what
    happened by today."""
    with TemporaryDirectory() as folder:
        held = Caseload.open(Path(folder) / "held.db", create=True, plain=True)
        twin = Caseload.open(Path(folder) / "twin.db", create=True, plain=True)
        try:
            for c in (held, twin):
                c.clock = ticking_clock(TODAY)
            yield held, twin
        finally:
            held.close()
            twin.close()


def _row(caseload: Caseload, pid: str) -> tuple[Any, ...]:
    (row,) = [r for r in caseload.caseload() if r.id == pid]
    return (
        row.status,
        row.stage,
        row.pace,
        row.rhythm,
        row.last_contact_on,
        row.next_checkin_on,
        row.overdue,
    )


def _filtered(caseload: Caseload, pid: str, stage: str, status: str) -> tuple[bool, ...]:
    """Whether the parent is found by the list's stage filter, status filter and check-ins due."""
    return tuple(
        pid in [r.id for r in caseload.caseload(**asked)]
        for asked in ({"stage": stage}, {"status": status}, {"overdue_only": True})
    )


def _journey(caseload: Caseload, pid: str) -> tuple[Any, ...]:
    now = caseload.journey(pid).as_of(TODAY)
    pause = now.open_pause
    pace = now.current_pace
    return (
        now.participant.status,
        now.participant.stage,
        pace.rhythm if pace else None,
        (pause.started_on, pause.follow_up_on) if pause else None,
        now.last_contact_on,
        tuple(sorted(s.on for s in now.stages)),
    )


def _week(caseload: Caseload, pid: str) -> dict[str, Any]:
    week = this_week(caseload, keyworker="")
    return {
        "checkins": [
            (line.day, line.overdue)
            for line in week.group("checkins").lines
            if line.participant_id == pid
        ],
        "breaks": [line.text for line in week.group("breaks").lines if line.participant_id == pid],
        "quiet": [line.day for line in week.group("quiet").lines if line.participant_id == pid],
        "overdue": week.overdue,
    }


def _plan(caseload: Caseload, pid: str, d: Drawn) -> Any:
    """The plan's sections; but for the services chosen when the choice is dated after today:
    what the parent chose stays theirs whatever day it was written down (Journey.as_of), so the
    plan keeps it, as the report does not count it."""
    chosen_later = d.choice is not None and d.choice > 0
    return [s for s in caseload.document(pid).sections if not (chosen_later and s.key == "chosen")]


def _reports(caseload: Caseload) -> list[dict[str, Any]]:
    periods = [
        (None, None),
        (TODAY - timedelta(days=365), None),
        (TODAY - timedelta(days=365), years_from(TODAY, 1)),
    ]
    found = []
    for since, until in periods:
        figures = build_report(caseload, since=since, until=until).to_json_data(suppress=False)
        found.append({k: v for k, v in figures.items() if k not in ("generated_at", "filters")})
    return found


@settings(max_examples=40, deadline=None)
@given(d=drawn())
def test_every_reader_shows_what_the_twin_without_later_records_shows(d: Drawn) -> None:
    with twins() as (held, twin):
        mine, theirs = _write(held, d, twin=False), _write(twin, d, twin=True)
        row = _row(held, mine)
        assert row == _row(twin, theirs)
        stage, status = row[1] or "getting_started", str(row[0])
        assert _filtered(held, mine, stage, status) == _filtered(twin, theirs, stage, status)
        assert _journey(held, mine) == _journey(twin, theirs)
        assert _week(held, mine) == _week(twin, theirs)
        assert _plan(held, mine, d) == _plan(twin, theirs, d)
        assert _reports(held) == _reports(twin)
