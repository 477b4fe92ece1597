"""Moves on and closures in the report agree with where journeys stand: a parent added already
moved on or closed (an import, the demo) counts as a move on in every period that must hold it,
and the report says so. Real caseloads, the real `journeyapp import` and `report` commands."""

from __future__ import annotations

import contextlib
import json
import tempfile
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import JourneyError
from journeyapp.exchange.report import ADDED_LEFT_NOTE
from journeyapp.exchange.spreadsheet import import_file
from tests.clock import past, ticking_clock

ACTIVE, MOVED_ON, CLOSED = (
    ParticipantStatus.ACTIVE,
    ParticipantStatus.MOVED_ON,
    ParticipantStatus.CLOSED,
)
ADDED = past(2026, 11, 2)  # the day the parents are put into the caseload
DAYS = [past(2026, 1, 5), past(2026, 3, 31), past(2026, 4, 1), past(2026, 6, 30), past(2026, 9, 1)]


def report(db: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def moves(data: dict[str, object]) -> tuple[int, int]:
    leavers = data["starts_and_leavers"]
    assert isinstance(leavers, dict)
    return leavers["moved_on"], leavers["closed"]


def standing(data: dict[str, object]) -> tuple[int, int]:
    status = data["by_status"]
    assert isinstance(status, dict)
    return status["moved_on"], status["closed"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    parents=st.lists(
        st.tuples(st.sampled_from(DAYS), st.sampled_from([ACTIVE, MOVED_ON, CLOSED])),
        min_size=1,
        max_size=6,
    ),
    changes=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from([ACTIVE, MOVED_ON, CLOSED])), max_size=6
    ),
)
def test_every_move_on_is_counted_once_in_a_report_of_all_dates(
    parents: list[tuple[date, ParticipantStatus]],
    changes: list[tuple[int, ParticipantStatus]],
) -> None:
    """Each time a parent's journey became moved on (or closed), from the status they were
    added with to every change after, is one move on (closure) in a report of all dates and in
    one that runs from the first day anyone joined to the day they were added; a parent
    whose status was never changed stands as they were added, and each of those is counted."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "c.db"
        c = Caseload.open(db, create=True, plain=True, clock=ticking_clock(ADDED))
        expected = {MOVED_ON: 0, CLOSED: 0, ACTIVE: 0}
        try:
            ids, now = [], {}
            for joined, status in parents:
                pid = c.enrol_participant("Ann", "fife", joined, status=status).id
                ids.append(pid)
                now[pid] = status
                expected[status] += 1
            for who, status in changes:
                pid = ids[who % len(ids)]
                if status is not now[pid]:
                    with contextlib.suppress(JourneyError):
                        c.set_status(pid, status)
                        now[pid] = status
                        expected[status] += 1
        finally:
            c.close()
        whole = report(db, "--exact")
        assert moves(whole) == (expected[MOVED_ON], expected[CLOSED])
        first = min(joined for joined, _ in parents).isoformat()
        held = report(db, "--exact", "--from", first, "--to", ADDED.isoformat())
        assert moves(held) == moves(whole)
        # Where journeys stand is never more than the moves that got them there.
        stand = standing(whole)
        assert stand[0] <= expected[MOVED_ON]
        assert stand[1] <= expected[CLOSED]
        untouched = [now[pid] for pid in ids]
        if not changes:
            assert stand == (untouched.count(MOVED_ON), untouched.count(CLOSED))


def test_imported_parents_who_had_moved_on_count_as_moves_on(tmp_path: Path) -> None:
    """Parents imported from a spreadsheet already moved on: a report of all dates and one from
    before they joined to the import count them as moving on, one that ends before the import
    does not, and each says how such moves are counted."""
    db = tmp_path / "c.db"
    sheet = tmp_path / "parents.csv"
    rows = ["ref,preferred_name,locality,joined_on,status"]
    rows += [f"P{n},Ann,fife,{past(2026, 1 + n % 3, 10)},moved on" for n in range(6)]
    rows += [f"Q{n},Bea,fife,{past(2026, 2, 10)},active" for n in range(5)]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    c = Caseload.open(db, create=True, plain=True, clock=ticking_clock(ADDED))
    try:
        assert import_file(c, sheet).to_create == 11
    finally:
        c.close()
    whole = report(db)
    assert standing(whole) == (6, 0)
    assert moves(whole) == (6, 0)
    assert moves(report(db, "--from", past(2026, 1, 1).isoformat(), "--to", ADDED.isoformat())) == (
        6,
        0,
    )
    before = report(
        db, "--from", past(2026, 1, 1).isoformat(), "--to", past(2026, 3, 31).isoformat()
    )
    assert standing(before) == (6, 0)
    assert moves(before) == (0, 0)
    text = CliRunner().invoke(cli, ["report", "--db", str(db)]).stdout
    assert ADDED_LEFT_NOTE in " ".join(text.split())


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    endings=st.lists(
        st.tuples(
            st.sampled_from(DAYS),
            st.sampled_from([MOVED_ON, CLOSED]),
            st.integers(0, 300),
        ),
        min_size=1,
        max_size=6,
    ),
    period=st.tuples(st.integers(0, 330), st.integers(0, 330)),
)
def test_an_ending_counts_in_the_period_of_the_day_it_ended_not_the_day_it_was_recorded(
    endings: list[tuple[date, ParticipantStatus, int]], period: tuple[int, int]
) -> None:
    """A keyworker records on the day the parents are added (ADDED) that each journey ended
    some days after they joined (Parent > Moved on or closed…, `journey --moved-on --on`):
    a report for any period counts exactly the endings whose day falls in it, whatever day
    they were recorded on (before m020 every one counted on ADDED)."""
    from datetime import timedelta

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "c.db"
        c = Caseload.open(db, create=True, plain=True, clock=ticking_clock(ADDED))
        ended: list[tuple[date, ParticipantStatus]] = []
        try:
            for joined, status, after in endings:
                pid = c.enrol_participant("Ann", "fife", joined).id
                day = min(joined + timedelta(days=after), ADDED)
                # The last meeting, on the day it ended: so the parent is reached in a period
                # that holds that day (a report counts the parents it reached).
                c.log_contact(pid, on=day)
                c.end_journey(pid, status, on=day)
                ended.append((day, status))
        finally:
            c.close()
        start = DAYS[0] + timedelta(days=min(period))
        end = min(DAYS[0] + timedelta(days=max(period)), ADDED)
        if start > end:
            start = end
        got = moves(report(db, "--exact", "--from", start.isoformat(), "--to", end.isoformat()))
        within = [s for day, s in ended if start <= day <= end]
        assert got == (within.count(MOVED_ON), within.count(CLOSED))
        assert moves(report(db, "--exact")) == (
            [s for _, s in ended].count(MOVED_ON),
            [s for _, s in ended].count(CLOSED),
        )
