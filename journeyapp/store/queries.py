"""Read-side queries that span tables: the caseload list and its filters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from journeyapp.core import derived
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.records import CaseloadLine
from journeyapp.store import search as store_search
from journeyapp.store.db import Database


def _rhythm_days_sql() -> str:
    """derived.RHYTHM_DAYS as SQL, so the query and next_checkin_due() share one table."""
    whens = " ".join(
        f"WHEN '{rhythm.value}' THEN {'NULL' if days is None else int(days)}"
        for rhythm, days in derived.RHYTHM_DAYS.items()
    )
    return f"CASE rhythm {whens} ELSE {int(derived.DEFAULT_RHYTHM_DAYS)} END"


# Columns in CASELOAD_LINE order. `overdue` follows derived.next_checkin_due() and is_overdue():
# only an active parent has a check-in, counted from the last contact (or the day they joined),
# and it is overdue once that day has passed; a property test holds the two to the same answers.
def _due_jd(last_contact: str = "last_contact_on", row: str = "") -> str:
    """SQL for the julian day a list row's check-in is due, counted from `last_contact`."""
    return f"""CASE WHEN {row}status = '{ParticipantStatus.ACTIVE.value}'
    THEN julianday(coalesce({last_contact}, {row}joined_on)) + ({
        _rhythm_days_sql().replace("CASE rhythm", f"CASE {row}rhythm")
    }) END"""


_DUE_JD = _due_jd()


# The list row holds a parent's latest contact of all (it is kept by triggers, which cannot know
# today). A contact dated after today (merged from a laptop whose clock was ahead; typed here
# it is refused) has not happened yet: the last contact is the latest by today, looked up
# for the few rows whose latest is later. `row`: the list's alias and a dot ("l."), or "".
def last_contact_by_today(row: str = "") -> str:
    """SQL for a list row's last contact on or before :today."""
    pid = f"{row}participant_id" if row else "caseload_list.participant_id"
    return (
        f'CASE WHEN {row}last_contact_on > :today THEN (SELECT max(c."on") FROM contacts c '
        f'WHERE c.participant_id = {pid} AND c."on" <= :today) ELSE {row}last_contact_on END'
    )


def ahead(row: str = "") -> str:
    """SQL: an active parent's list row whose latest contact is after :today (a range of the
    quiet index, m008: none, most days)."""
    return (
        f"{row}status = '{ParticipantStatus.ACTIVE.value}' "
        f"AND coalesce({row}last_contact_on, {row}joined_on) > :today "
        f"AND {row}last_contact_on > :today"
    )


def due_by_today(row: str = "") -> str:
    """SQL for the julian day a list row's check-in is due, from its last contact by :today.
    Where the row is not `ahead`, the same as DUE_JD (and its index answers); where it is,
    DUE_JD is later than today (the shortest rhythm is a week), so it is never overdue."""
    return _due_jd(last_contact_by_today(row), row)


_CASELOAD_SQL = f"""
SELECT participant_id, preferred_name, full_name, locality, status, stage, pace, rhythm,
       joined_on, {last_contact_by_today()}, coalesce(({due_by_today()}) < :today_jd, 0)
FROM caseload_list
"""


# The table is stored in this order (its primary key, case-blind), so nothing is sorted.
CASELOAD_ORDER = " ORDER BY preferred_name, family_name, participant_id"


def _julian_day(day: date) -> float:
    """SQLite's julianday() of a date (at midnight)."""
    return day.toordinal() + 1_721_424.5


# For other read-side queries over caseload_list (store/this_week.py): the same rule, once.
DUE_JD = _DUE_JD
julian_day = _julian_day


def caseload_lines(
    db: Database,
    *,
    today: date,
    search: str = "",
    stage: str | None = None,
    status: str | None = None,
    locality: str | None = None,
    keyworker: str | None = None,
    overdue_only: bool = False,
    ids: Sequence[str] | None = None,
) -> list[CaseloadLine]:
    """Caseload lines (CASELOAD_LINE columns) matching the filters, in name order (preferred
    name, then family name; case-blind); `search` finds parents as store.search does (every
    word part of their names, accents and case ignored, or their id or reference); `ids` keeps
    only those parents."""
    where: list[str] = []
    params: dict[str, object] = {"today_jd": _julian_day(today), "today": today.isoformat()}
    if ids is not None:
        where.append("participant_id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = json.dumps(list(ids))
    query = store_search.parents_sql(search) if search else None
    if query is not None:
        # The one search (store.search): the same parents the window and the CLI find.
        sql, values = query
        params.update(values)
        where.append(f"participant_id IN ({sql})")
    for column, value in (
        ("stage", stage),
        ("status", status),
        ("locality", locality),
        ("keyworker", keyworker),
    ):
        if value:
            where.append(f"{column} = :{column}")
            params[column] = value
    if overdue_only:
        # The due-day index's range, and the few whose latest contact is after today.
        where.append(f"(({_DUE_JD}) < :today_jd OR ({ahead()} AND ({due_by_today()}) < :today_jd))")
    sql = _CASELOAD_SQL + (" WHERE " + " AND ".join(where) if where else "")
    lines: list[CaseloadLine] = db.execute(sql + CASELOAD_ORDER, params).fetchall()
    return lines


def caseload_outline(
    db: Database, *, today: date
) -> tuple[list[str], list[str], list[str | None], list[str | None], int]:
    """Every parent's id, preferred name, full name and locality in the caseload list's order
    (enough to tell apart parents who share a name without their rows), and how many
    check-ins are overdue on `today`."""
    lines = db.execute(
        "SELECT participant_id, preferred_name, full_name, locality"
        f" FROM caseload_list{CASELOAD_ORDER}"
    ).fetchall()
    ids: list[str] = [line[0] for line in lines]
    names: list[str] = [line[1] for line in lines]
    full_names: list[str | None] = [line[2] for line in lines]
    localities: list[str | None] = [line[3] for line in lines]
    overdue = db.execute(
        f"SELECT (SELECT count(*) FROM caseload_list WHERE ({_DUE_JD}) < :today_jd) + "
        f"(SELECT count(*) FROM caseload_list WHERE {ahead()} AND ({due_by_today()}) < :today_jd)",
        {"today_jd": _julian_day(today), "today": today.isoformat()},
    ).fetchone()[0]
    return ids, names, full_names, localities, int(overdue)


def picked_ids(
    db: Database, *, keyworker: str | None = None, goal_status: str | None = None
) -> frozenset[str]:
    """The parents a keyworker works with and/or who have a goal with this status (the
    window's quick filters; unordered, the list keeps its own order)."""
    where: list[str] = []
    params: dict[str, object] = {}
    if keyworker:
        where.append("keyworker = :keyworker")
        params["keyworker"] = keyworker
    if goal_status:
        where.append(
            "participant_id IN (SELECT participant_id FROM goals WHERE status = :goal_status)"
        )
        params["goal_status"] = goal_status
    sql = "SELECT participant_id FROM caseload_list" + (
        " WHERE " + " AND ".join(where) if where else ""
    )
    return frozenset(row[0] for row in db.execute(sql, params).fetchall())


def keyworkers(db: Database) -> list[str]:
    """The keyworkers named in the caseload, from the caseload list (kept in step with the
    parents by triggers): its narrow pages are the ones the window reads next for the list,
    where the parents' own table was read through only for this (issue 13)."""
    rows = db.execute(
        "SELECT DISTINCT keyworker FROM caseload_list WHERE keyworker != '' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def distinct_values(db: Database, column: str) -> list[str]:
    """The distinct non-empty values of a participant column (keyworkers, localities)."""
    if column not in {"keyworker", "locality", "stage", "status", "referral_source"}:
        raise ValueError(column)
    rows = db.execute(
        f'SELECT DISTINCT "{column}" FROM participants WHERE "{column}" != \'\' ORDER BY 1'
    ).fetchall()
    return [str(r[0]) for r in rows]
