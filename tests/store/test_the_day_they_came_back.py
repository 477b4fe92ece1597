"""The day a parent was last welcomed back, as its own column (m021: participants.came_back_on),
read once from the journey log of a caseload a version before it left (a verified copy first).

Invariants: a welcome back given its day is held on that day, one recorded on its day on
that day; an ending undone (taken up again the day it was ended, on that laptop) is no welcome
back; a welcome back undone (an ending held dated before it) no longer counts; nothing else in
any table changes, the journey log is read back as written, and the caseload list (with the
day they came back, from which check-ins count) agrees with the records.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import ValidationError
from journeyapp.store import caseload_list
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store.migrating import upgrade_copies, user_tables

M021 = "m021_the_day_they_came_back"
S = ParticipantStatus
# The due-day index as m008 wrote it (the list's check-in counted from the last contact only).
M008_DUE = (
    "CREATE INDEX idx_caseload_list_due ON caseload_list((CASE WHEN status = 'active' "
    "THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm "
    "WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 "
    "WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END))"
)


def _welcome_back_as_before(c: Caseload, pid: str, on: date | None) -> None:
    """A welcome back as a version before m021 wrote it: with its day, the status active with
    the day as `ended_on`, then that day cleared, in one change; on the day, one event."""
    with c.batch("welcome back"):
        if on is None:
            c.update_record("participants", pid, status=S.ACTIVE, ended_on=None)
        else:
            c.update_record("participants", pid, status=S.ACTIVE, ended_on=on)
            c.update_record("participants", pid, ended_on=None)


def _as_before_m021(path: Path) -> None:
    """The file as a version without m021 left it: no column for the day they came back, the
    caseload list, its triggers and due-day index as m003 and m008 made them."""
    conn = sqlite3.connect(path)
    try:
        for name in caseload_list.TRIGGERS:
            conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        conn.execute("DROP INDEX idx_caseload_list_due")
        conn.execute("ALTER TABLE caseload_list DROP COLUMN back_on")
        conn.execute("ALTER TABLE participants DROP COLUMN came_back_on")
        for name, body in caseload_list.TRIGGERS_M003.items():
            conn.execute(f'CREATE TRIGGER "{name}" {body}')
        conn.execute(M008_DUE)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [M021])
        conn.commit()
    finally:
        conn.close()


def test_each_welcome_back_is_read_from_the_log_and_an_undone_ending_is_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "caseload.db"
    ended, back = TODAY - timedelta(days=40), TODAY - timedelta(days=20)
    c = Caseload.open(path, create=True, plain=True, clock=ticking_clock(TODAY))
    ids = {
        name: c.enrol_participant(name, "fife", TODAY - timedelta(days=200)).id
        for name in ("Ada", "Bea", "Cal", "Dot", "Eve", "Fay")
    }
    for pid in ids.values():
        c.log_contact(pid, on=TODAY - timedelta(days=100))
    # Ended on the wrong day, undone (on the day, on this laptop: no welcome back), and
    # ended again on the right, earlier day.
    c.end_journey(ids["Cal"], S.MOVED_ON, on=TODAY - timedelta(days=2))
    c.undo()
    c.end_journey(ids["Fay"], S.CLOSED, on=TODAY - timedelta(days=2))
    c.undo()  # and left going: still no welcome back
    for name, pid in ids.items():
        if name != "Fay":
            c.end_journey(pid, S.MOVED_ON, on=ended)
    _welcome_back_as_before(c, ids["Ada"], back)  # welcomed back on a day given
    _welcome_back_as_before(c, ids["Dot"], back)  # welcomed back, then that undone
    c.update_record("participants", ids["Dot"], status=S.MOVED_ON, ended_on=ended)
    c.close()
    later = TODAY + timedelta(days=3)
    c = Caseload.open(path, clock=ticking_clock(later))
    _welcome_back_as_before(c, ids["Bea"], None)  # welcomed back on the day it was recorded
    c.close()
    _as_before_m021(path)
    before = user_tables(path)

    caseload = Caseload.open(path, clock=ticking_clock(later))  # migrates, a copy first
    try:
        assert M021 in caseload.schema_version()
        assert caseload.safety.problems() == []
        came = {name: caseload.participant(pid).came_back_on for name, pid in ids.items()}
        assert came == {
            "Ada": back,
            "Bea": later,
            "Cal": None,
            "Dot": None,
            "Eve": None,
            "Fay": None,
        }
        # Check-ins count from the day they came back: Ada's and Bea's are not overdue.
        rows = {row.preferred_name: row for row in caseload.caseload()}
        assert rows["Ada"].next_checkin_on == back + timedelta(days=14)
        assert rows["Bea"].next_checkin_on == later + timedelta(days=14)
        assert rows["Fay"].overdue  # from her last contact: her ending was only undone
        # An ending before the day they came back is refused; on or after it, accepted.
        for name in ("Ada", "Bea"):
            pid = ids[name]
            with pytest.raises(ValidationError, match="welcomed back"):
                caseload.end_journey(pid, S.CLOSED, on=came[name] - timedelta(days=1))
        caseload.end_journey(ids["Cal"], S.CLOSED, on=ended - timedelta(days=5))
    finally:
        caseload.close()

    [copy] = upgrade_copies(path)
    assert copy.name.startswith(f"{path.name}.before-{M021}")
    assert user_tables(copy) == before
