"""The caseload list table stays equal to a recompute from the records, whatever writes them;
and the query's "overdue" agrees with core.derived for any parent."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core import derived
from journeyapp.core.enums import Pace, ParticipantStatus, Rhythm
from journeyapp.core.records import CASELOAD_LINE, CaseloadRow, Contact
from journeyapp.demo import build_demo
from journeyapp.store import caseload_list, queries
from journeyapp.store import merge as store_merge
from tests.clock import ticking_clock
from tests.conftest import TODAY


def _list(caseload: Caseload) -> list[tuple[object, ...]]:
    return [tuple(r) for r in caseload.db.execute("SELECT * FROM caseload_list").fetchall()]


def test_the_query_returns_the_columns_a_caseload_row_reads(caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", date(2026, 3, 2), full_name="Zoë Lind").id
    caseload.change_pace(pid, Pace.GENTLY, Rhythm.WEEKLY, on=date(2026, 3, 2))
    caseload.log_contact(pid, on=date(2026, 11, 1))
    (line,) = queries.caseload_lines(caseload.db, today=TODAY)
    assert len(line) == len(CASELOAD_LINE)
    row = CaseloadRow(line)
    assert (row.id, row.preferred_name, row.full_name, row.locality) == (
        pid,
        "Zoë",
        "Zoë Lind",
        "glasgow",
    )
    assert row.status is ParticipantStatus.ACTIVE
    assert (row.pace, row.rhythm) == (Pace.GENTLY, Rhythm.WEEKLY)
    assert row.joined_on == date(2026, 3, 2)
    assert row.last_contact_on == date(2026, 11, 1)
    assert row.next_checkin_on == date(2026, 11, 8)
    assert row.overdue is True
    assert "preferred_name='Zoë'" in repr(row)


def test_every_kind_of_change_keeps_the_list_equal_to_the_records(caseload: Caseload) -> None:
    a = caseload.enrol_participant("Amira", "glasgow", date(2026, 3, 2), full_name="Amira K").id
    b = caseload.enrol_participant("Bea", "fife", date(2026, 4, 6)).id
    checks = []

    def check() -> None:
        checks.append(_list(caseload))
        assert caseload_list.problems(caseload.db) == []

    caseload.log_contact(a, on=date(2026, 10, 1))
    check()
    late = caseload.log_contact(a, on=date(2026, 11, 20))
    check()
    caseload.update_record(Contact.KIND, late.id, on=date(2026, 9, 1))  # moved earlier
    check()
    assert caseload.caseload("amira")[0].last_contact_on == date(2026, 10, 1)
    caseload.delete_record(Contact.KIND, late.id)
    check()
    caseload.change_pace(b, Pace.STEADY, Rhythm.MONTHLY, on=date(2026, 5, 1))
    caseload.change_pace(b, Pace.GENTLY, Rhythm.WHEN_I_GET_IN_TOUCH, on=date(2026, 6, 1))
    check()
    assert caseload.caseload("bea")[0].next_checkin_on is None
    caseload.undo()  # the second pace change
    check()
    assert caseload.caseload("bea")[0].rhythm is Rhythm.MONTHLY
    caseload.update_participant(a, preferred_name="Amy", locality="fife")
    check()
    caseload.pause(a, reason="Moving house")
    check()
    assert caseload.caseload(status="paused")[0].preferred_name == "Amy"
    caseload.safety.erase_participant(b, "Bea")
    check()
    assert [r.preferred_name for r in caseload.caseload()] == ["Amy"]
    assert checks[0] != checks[1]  # the list did follow along
    assert checks[1] != checks[2]


def test_problems_reports_a_list_out_of_step_and_rebuild_mends_it(
    demo_caseload: Caseload,
) -> None:
    db = demo_caseload.db
    assert caseload_list.problems(db) == []
    with db.conn:
        db.execute("UPDATE caseload_list SET last_contact_on = '1999-01-01'")
    assert caseload_list.problems(db)
    assert any("caseload list" in p for p in demo_caseload.safety.problems())
    with db.conn:
        caseload_list.rebuild(db)
    assert caseload_list.problems(db) == []


def test_the_list_is_in_name_order_case_blind(caseload: Caseload) -> None:
    for name in ("zara", "Ailsa", "bella", "Zoe", "amy"):
        caseload.enrol_participant(name, "glasgow", date(2026, 3, 2))
    assert [r.preferred_name for r in caseload.caseload()] == [
        "Ailsa",
        "amy",
        "bella",
        "zara",
        "Zoe",
    ]


def test_a_bulk_merge_rebuilds_the_list_and_puts_its_triggers_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_merge, "BULK", 10)  # take the bulk path with a small caseload
    source = Caseload.open(
        tmp_path / "laptop.db", create=True, plain=True, actor="laptop", clock=ticking_clock(TODAY)
    )
    build_demo(source, participants=8, seed=4, today=TODAY)
    target = Caseload.open(
        tmp_path / "coord.db", create=True, plain=True, actor="coord", clock=ticking_clock(TODAY)
    )
    try:
        with target.db.atomic():
            store_merge.apply_events(target.db, source.events(), found_at="2026-11-28T12:00:00Z")
        assert caseload_list.problems(target.db) == []
        assert _list(target) == _list(source)
        triggers = {
            r[0] for r in target.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert set(caseload_list.TRIGGERS) <= triggers
        pid = target.caseload()[0].id
        target.log_contact(pid, on=TODAY)  # the triggers work again
        assert target.caseload(target.caseload()[0].preferred_name)[0].last_contact_on == TODAY
    finally:
        source.close()
        target.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Caseload]:
    c = Caseload.open(tmp_path_factory.mktemp("list") / "props.db", create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    yield c
    c.close()


days = st.integers(min_value=-800, max_value=0).map(lambda n: TODAY + timedelta(days=n))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    joined=days,
    contact=st.none() | st.integers(min_value=0, max_value=400),
    rhythm=st.none() | st.sampled_from(list(Rhythm)),
    status=st.sampled_from([ParticipantStatus.ACTIVE, ParticipantStatus.MOVED_ON]),
    today=days,
)
def test_overdue_agrees_with_derived(
    shared: Caseload,
    joined: date,
    contact: int | None,
    rhythm: Rhythm | None,
    status: ParticipantStatus,
    today: date,
) -> None:
    caseload = shared
    pid = caseload.enrol_participant("Prop", "glasgow", joined).id
    last = None
    if contact is not None:
        last = min(joined + timedelta(days=contact), TODAY)
        caseload.log_contact(pid, on=last)
    if rhythm is not None:
        caseload.change_pace(pid, Pace.STEADY, rhythm, on=joined)
    if status is not ParticipantStatus.ACTIVE:
        caseload.set_status(pid, status)
    (row,) = [r for r in caseload.caseload(today=today) if r.id == pid]
    # A contact dated after `today` has not happened yet on it: the last contact is by today.
    by_today = last if last is not None and last <= today else None
    assert row.last_contact_on == by_today
    # Nor has a pace chosen after `today` (on the day they joined, after it): by then they had
    # chosen none.
    chosen = rhythm if joined <= today else None
    assert row.rhythm == chosen
    due = derived.next_checkin_due(chosen, by_today, joined, status)
    assert row.next_checkin_on == due
    assert row.overdue == derived.is_overdue(due, today)
    assert (pid in {r.id for r in caseload.caseload(today=today, overdue_only=True)}) == row.overdue


def test_the_stage_by_today_follows_every_change_and_the_day(
    caseload: Caseload, db_path: Path
) -> None:
    """The list reads a parent's stage by today; which parents have a move dated after today
    is kept between readings (store.queries.later_stages), and read again after a change
    through the caseload, a change by another program on the file, or a new day."""
    pid = caseload.enrol_participant("Zoë", "fife", TODAY - timedelta(days=30)).id

    def stage() -> str:
        (row,) = caseload.caseload()
        return row.stage

    assert stage() == "getting_started"
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))  # a laptop's clock ahead
    caseload.set_stage(pid, "in_work", on=TODAY + timedelta(days=5))
    caseload.clock = ticking_clock(TODAY)
    assert stage() == "getting_started"
    caseload.clock = ticking_clock(TODAY + timedelta(days=5))  # the day comes
    assert stage() == "in_work"
    caseload.clock = ticking_clock(TODAY)
    assert stage() == "getting_started"

    def moved_by_another_program(days: int) -> None:
        """Another program (its own process, as a command beside the window is) changes the
        move's day."""
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('UPDATE stages SET \"on\" = ? WHERE stage = ?', [sys.argv[2], 'in_work']); "
            "c.commit(); c.close()"
        )
        day = (TODAY + timedelta(days=days)).isoformat()
        subprocess.run([sys.executable, "-c", script, str(db_path), day], check=True)

    moved_by_another_program(-1)  # the move's day put right
    assert stage() == "in_work"
    for day in (TODAY + timedelta(days=1), TODAY):  # read on another day, and today again
        caseload.clock = ticking_clock(day)
        assert stage() == "in_work"
    moved_by_another_program(5)  # and put back after today
    assert stage() == "getting_started"


@pytest.fixture
def moved_ahead(caseload: Caseload) -> Caseload:
    """Eight parents; some with a stage move, a pace or a break dated after today (a laptop's
    clock ahead), some with moves before it."""
    pids = [
        caseload.enrol_participant(name, "fife", TODAY - timedelta(days=90)).id
        for name in ("Ana", "Ben", "Cat", "Dee", "Eve", "Fay", "Gus", "Hal")
    ]
    caseload.set_stage(pids[0], "building_confidence", on=TODAY - timedelta(days=10))
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.set_stage(pids[1], "in_work", on=TODAY + timedelta(days=5))
    caseload.set_stage(pids[2], "looking_for_work", on=TODAY + timedelta(days=1))
    caseload.set_stage(pids[3], "in_work", on=TODAY - timedelta(days=3))
    caseload.change_pace(pids[4], Pace.GENTLY, Rhythm.WEEKLY, on=TODAY + timedelta(days=2))
    caseload.pause(pids[5], on=TODAY + timedelta(days=4))
    caseload.change_pace(pids[6], Pace.STEADY, Rhythm.FORTNIGHTLY, on=TODAY - timedelta(days=40))
    caseload.clock = ticking_clock(TODAY)
    return caseload


FILTERS = [
    {},
    {"stage": "getting_started"},
    {"stage": "in_work"},
    {"status": ParticipantStatus.ACTIVE.value},
    {"status": ParticipantStatus.PAUSED.value},
    {"overdue_only": True},
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=st.sets(st.integers(min_value=0, max_value=7)), filters=st.sampled_from(FILTERS))
def test_a_few_parents_rows_are_theirs_in_the_whole_list(
    moved_ahead: Caseload, chosen: set[int], filters: dict[str, object]
) -> None:
    """Rows read for a few parents (the list's first screen, a save's refresh) are those
    parents' rows of the whole list, read by today (stage, pace, break), whatever the filter."""
    db = moved_ahead.db
    everyone = queries.caseload_lines(db, today=TODAY, **filters)  # type: ignore[arg-type]
    ids = [line[0] for line in queries.caseload_lines(db, today=TODAY)]
    few = [ids[n] for n in sorted(chosen)]
    some = queries.caseload_lines(db, today=TODAY, ids=few, **filters)  # type: ignore[arg-type]
    assert [tuple(line) for line in some] == [
        tuple(line) for line in everyone if line[0] in set(few)
    ]


def test_a_few_parents_rows_do_not_read_every_stage_move(caseload: Caseload) -> None:
    """Reading a few parents' rows looks at their own stage moves, paces and breaks only:
    thousands of another parent's add nothing to it (a pass over every move held up the
    window's first screen of rows, 3 ms at 10,000 parents, #18). Counted in SQLite's steps,
    not in time."""
    pids = [
        caseload.enrol_participant(name, "fife", TODAY - timedelta(days=90)).id
        for name in ("Ana", "Ben", "Cat", "Dee", "Eve")
    ]
    db = caseload.db
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    def counted() -> int:
        steps[0] = 0
        db.conn.set_progress_handler(step, 1)
        try:
            rows = caseload.caseload(ids=pids[:2])
        finally:
            db.conn.set_progress_handler(None, 1)
        assert {row.id for row in rows} == set(pids[:2])
        return steps[0]

    before = counted()
    # Another parent's journey of many moves, all before today (written straight to the table:
    # through set_stage, 3,000 moves took a minute).
    with db.conn:
        db.conn.executemany(
            'INSERT INTO stages (id, participant_id, stage, "on") VALUES (?, ?, ?, ?)',
            [
                (f"move-{n}", pids[4], "getting_started", str(TODAY - timedelta(days=n % 80)))
                for n in range(3_000)
            ],
        )
        db.conn.executemany(
            "INSERT INTO pace (id, participant_id, pace, rhythm, changed_on) "
            "VALUES (?, ?, 'steady', 'weekly', ?)",
            [(f"pace-{n}", pids[4], str(TODAY - timedelta(days=n % 80))) for n in range(1_000)],
        )
        db.conn.executemany(
            "INSERT INTO pauses (id, participant_id, started_on, ended_on) VALUES (?, ?, ?, ?)",
            [
                (f"break-{n}", pids[4], str(TODAY - timedelta(days=90)), str(TODAY))
                for n in range(1_000)
            ],
        )
    after = counted()
    assert after - before < 1_000, (before, after)
