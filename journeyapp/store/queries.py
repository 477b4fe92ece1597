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
# only an active parent has a check-in, counted from the last contact (or the day they joined)
# or the day they came back (welcomed back, or a break ended: the row's back_on, m021),
# whichever is later, and it is overdue once that day has passed; a property test holds the
# two to the same answers. The m021 due-day index writes out DUE_JD.
def _due_jd(
    last_contact: str = "last_contact_on",
    row: str = "",
    status: str = "",
    rhythm: str = "",
    back: str = "",
) -> str:
    """SQL for the julian day a list row's check-in is due, counted from `last_contact` or
    the day they came back, with the row's status, rhythm and day they came back (or the
    expressions given for them)."""
    rhythm_days = _rhythm_days_sql().replace("CASE rhythm", f"CASE {rhythm or f'{row}rhythm'}")
    since = f"max(coalesce({last_contact}, {row}joined_on, ''), coalesce({back or f'{row}back_on'}, ''))"
    return f"""CASE WHEN {status or f"{row}status"} = '{ParticipantStatus.ACTIVE.value}'
    THEN julianday({since}) + ({rhythm_days}) END"""


_DUE_JD = _due_jd()


def _pid(row: str) -> str:
    return f"{row}participant_id" if row else "caseload_list.participant_id"


# The list row holds a parent's latest contact of all (it is kept by triggers, which cannot know
# today). A contact dated after today (merged from a laptop whose clock was ahead; typed here
# it is refused) has not happened yet: the last contact is the latest by today, looked up
# for the few rows whose latest is later. `row`: the list's alias and a dot ("l."), or "".
def last_contact_by_today(row: str = "") -> str:
    """SQL for a list row's last contact on or before :today."""
    return (
        f'CASE WHEN {row}last_contact_on > :today THEN (SELECT max(c."on") FROM contacts c '
        f'WHERE c.participant_id = {_pid(row)} AND c."on" <= :today) ELSE {row}last_contact_on END'
    )


# Likewise the row's pace and rhythm are the latest chosen of all, its status "paused" from
# the day a break is taken and "active" from the day it is picked up again, and its stage the
# latest move recorded, whatever day each is dated. A pace chosen, a break starting or ending,
# or a move to a stage, dated after today (merged from a laptop whose clock was ahead) has not
# happened yet either: the pace is the one chosen by today, a parent paused only by breaks
# starting after today is active until then, one whose break ends after today is taking it
# until then, and the stage is the one moved to by today (core.records.Journey.status_by,
# stage_by). Those parents (none, most days) are found once, by `later_paces_or_breaks`, and
# handed to the questions as :later (a JSON list): looking them up in each question cost a
# pass over the pace index each time it was named.
_LATER = "(SELECT value FROM json_each(:later))"


def later_paces_or_breaks(db: Database, today: date) -> list[str]:
    """The parents with a pace chosen, or a break starting (not ended) or ending, dated after
    `today` (none, most days: one pass over the pace index and the breaks, 0.5 ms at 10,000
    parents). Only when there are do the list and This week need the questions that read the
    pace and status by today (`later=True`, given these as :later)."""
    rows = db.execute(
        "SELECT participant_id FROM pace WHERE changed_on > :today UNION "
        "SELECT participant_id FROM pauses WHERE ended_on IS NULL AND started_on > :today "
        "UNION SELECT participant_id FROM pauses WHERE ended_on > :today",
        {"today": today.isoformat()},
    ).fetchall()
    return [str(row[0]) for row in rows]


def later_paces_or_breaks_among(db: Database, today: date, ids: Sequence[str]) -> list[str]:
    """Those of the parents `ids` with a pace or break dated after `today` (as
    later_paces_or_breaks finds them among everyone), through the pace and breaks' indexes by
    parent."""
    ids_json = "(SELECT value FROM json_each(:ids))"
    rows = db.execute(
        f"SELECT participant_id FROM pace WHERE participant_id IN {ids_json} "
        "AND changed_on > :today UNION "
        f"SELECT participant_id FROM pauses WHERE participant_id IN {ids_json} "
        "AND ((ended_on IS NULL AND started_on > :today) OR ended_on > :today)",
        {"today": today.isoformat(), "ids": json.dumps(list(ids))},
    ).fetchall()
    return [str(row[0]) for row in rows]


def later_stages(db: Database, today: date) -> list[str]:
    """The parents with a move to a stage dated after `today` (none, most days), whose stage
    the caseload list reads by today. No index holds the moves by day: this is a pass over
    every move (2.3 ms at 10,000 parents, an eighth of the list's reading), so the answer is
    kept until the caseload changes (through this connection, or another: SQLite's
    data_version) or the day does, as the list is read again and again between changes."""
    conn = db.conn
    # Read to the end (fetchall): a statement left part-read would hold the connection's
    # view of the file open, and it would not see another program's changes.
    ((version,),) = conn.execute("PRAGMA data_version").fetchall()
    key = (today, conn.total_changes, version)
    kept = db.kept.get("later_stages")
    if kept is not None and kept[0] == key:
        return list(kept[1])
    rows = db.execute(
        'SELECT DISTINCT participant_id FROM stages NOT INDEXED WHERE "on" > ?',
        [today.isoformat()],
    ).fetchall()
    found = [str(row[0]) for row in rows]
    db.kept["later_stages"] = (key, found)
    return list(found)


# Up to this many parents' rows are read with their own paces, breaks and moves looked up
# (later_paces_or_breaks_among, later_stages_among); more, with one pass over them all.
FEW_IDS = 1_000


def later_stages_among(db: Database, today: date, ids: Sequence[str]) -> list[str]:
    """Those of the parents `ids` with a move to a stage dated after `today` (as later_stages
    finds them among everyone), through the moves' index by parent."""
    rows = db.execute(
        "SELECT DISTINCT participant_id FROM stages "
        'WHERE participant_id IN (SELECT value FROM json_each(?)) AND "on" > ?',
        [json.dumps(list(ids)), today.isoformat()],
    ).fetchall()
    return [str(row[0]) for row in rows]


def pace_by_today(column: str, row: str = "") -> str:
    """SQL for a list row's `column` of the pace ("pace" or "rhythm") chosen on or before
    :today (the latest chosen that day, as the triggers order them)."""
    return (
        f"CASE WHEN {has_later(row)} THEN (SELECT pc.{column} FROM pace pc "
        f"WHERE pc.participant_id = {_pid(row)} AND pc.changed_on <= :today "
        f"ORDER BY pc.changed_on DESC, pc.created_at DESC LIMIT 1) ELSE {row}{column} END"
    )


def status_by_today(row: str = "") -> str:
    """SQL for a list row's status on :today: a parent going on (active or paused) with a break
    started by :today that ends after it is taking it; a parent paused only by breaks (not
    ended) that start after :today is active until the first starts; any other status is as
    held. Only the parents :later names can differ (`later_paces_or_breaks`)."""
    going = f"('{ParticipantStatus.ACTIVE.value}', '{ParticipantStatus.PAUSED.value}')"
    return (
        f"CASE WHEN {row}status IN {going} AND {has_later(row)} AND EXISTS (SELECT 1 "
        f"FROM pauses b WHERE b.participant_id = {_pid(row)} AND b.started_on <= :today "
        f"AND b.ended_on > :today) THEN '{ParticipantStatus.PAUSED.value}' "
        f"WHEN {row}status = '{ParticipantStatus.PAUSED.value}' AND (SELECT "
        f"min(b.started_on) FROM pauses b WHERE b.participant_id = {_pid(row)} "
        f"AND b.ended_on IS NULL) > :today THEN '{ParticipantStatus.ACTIVE.value}' "
        f"ELSE {row}status END"
    )


def stage_by_today(row: str = "") -> str:
    """SQL for a list row's stage on :today: for a parent with a move dated after :today (of
    those :later names), the latest move by :today (by day, then recorded last; none: NULL,
    no stage yet); otherwise as held (core.records.Journey.stage_by)."""
    moves = f"FROM stages s WHERE s.participant_id = {_pid(row)}"
    return (
        f'CASE WHEN {has_later(row)} AND EXISTS (SELECT 1 {moves} AND s."on" > :today) '
        f"THEN (SELECT nullif(s.stage, '') {moves} AND s.\"on\" <= :today "
        f'ORDER BY s."on" DESC, s.created_at DESC, s.rowid LIMIT 1) ELSE {row}stage END'
    )


def ahead(row: str = "", *, later: bool = False) -> str:
    """SQL: a list row whose check-in by :today may differ from the due-day index's: an active
    parent whose latest contact is after :today (a range of the quiet index, m008: none, most
    days); with `later`, also a parent with a pace or a break dated after :today."""
    contact = (
        f"{row}status = '{ParticipantStatus.ACTIVE.value}' "
        f"AND coalesce({row}last_contact_on, {row}joined_on) > :today "
        f"AND {row}last_contact_on > :today"
    )
    return f"({contact} OR {has_later(row)})" if later else contact


def has_later(row: str = "") -> str:
    """SQL: a list row whose parent has a pace, or a break not ended, dated after :today."""
    return f"{_pid(row)} IN {_LATER}"


def indexed(row: str = "", *, later: bool = False) -> str:
    """SQL: a list row whose check-in the due-day index (DUE_JD) gives by :today, as far as its
    pace and status go (its contacts: see `ahead`): every row, or with `later` those without a
    pace or break dated after :today."""
    return f"NOT {has_later(row)}" if later else "1"


def back_by_today(row: str = "") -> str:
    """SQL for a list row's day they came back on :today: for a parent :later names (a break
    dated after :today), the day they were welcomed back or the latest break ended by :today;
    otherwise as held (Journey.back_on of the journey as it stood on :today)."""
    pid = _pid(row)
    return (
        f"CASE WHEN {has_later(row)} THEN nullif(max(coalesce((SELECT p.came_back_on FROM "
        f"participants p WHERE p.id = {pid}), ''), coalesce((SELECT max(b.ended_on) FROM "
        f"pauses b WHERE b.participant_id = {pid} AND b.ended_on <= :today), '')), '') "
        f"ELSE {row}back_on END"
    )


def due_by_today(row: str = "", *, later: bool = False) -> str:
    """SQL for the julian day a list row's check-in is due, from its last contact by :today
    (and, with `later`, its pace and status by today). Where the row is not `ahead`, the same
    as DUE_JD (and its index answers); where its only difference is a contact after today,
    DUE_JD is later than today (the shortest rhythm is a week), so it is never overdue; a row
    with a pace or break after today is kept out of the index's answers (`indexed`)."""
    if not later:
        return _due_jd(last_contact_by_today(row), row)
    return _due_jd(
        last_contact_by_today(row),
        row,
        status_by_today(row),
        pace_by_today("rhythm", row),
        back_by_today(row),
    )


def _caseload_sql(later: bool) -> str:
    if not later:
        return f"""
SELECT participant_id, preferred_name, full_name, locality, status, stage, pace, rhythm,
       joined_on, {last_contact_by_today()}, coalesce(({due_by_today()}) < :today_jd, 0),
       back_on
FROM caseload_list
"""
    return f"""
SELECT participant_id, preferred_name, full_name, locality, {status_by_today()},
       {stage_by_today()}, {pace_by_today("pace")}, {pace_by_today("rhythm")}, joined_on, {last_contact_by_today()},
       coalesce(({due_by_today(later=True)}) < :today_jd, 0), {back_by_today()}
FROM caseload_list
"""


# The list's query: the row as stored, but for what is dated after today (a contact; with
# `later`, a pace or break, for the parents :later names), which is read as it stood on :today.
CASELOAD_SQL = {later: _caseload_sql(later) for later in (False, True)}
_CASELOAD_SQL = CASELOAD_SQL[False]


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
    search_locality: str | None = None,
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
    only those parents; `search_locality`: the locality named after the searched name
    (store.search.parents_sql)."""
    where: list[str] = []
    params: dict[str, object] = {"today_jd": _julian_day(today), "today": today.isoformat()}
    # Only these parents' rows are read: of them, those with a pace, break or move after today
    # (looked up through the indexes by parent, not a pass over every move, 3 ms at 10,000
    # parents, which the window's first screen of rows paid before its first paint, #18).
    # Whether a parent not read has one after today changes no row read.
    if ids is not None and len(ids) <= FEW_IDS:
        later = later_paces_or_breaks_among(db, today, ids)
        moved = later_stages_among(db, today, ids)
    else:
        later = later_paces_or_breaks(db, today)
        moved = later_stages(db, today)
    if moved:
        later = sorted({*later, *moved})
    params["later"] = json.dumps(later)
    # Asked for a status, a stage or only check-ins due, each row is read as it stood today (a
    # look-up per row); otherwise the few parents with a pace, break or move after today are
    # read again by today and put in their place.
    by_today = bool(later) and (bool(status) or bool(stage) or overdue_only)
    if ids is not None:
        where.append("participant_id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = json.dumps(list(ids))
    query = store_search.parents_sql(search, search_locality) if search else None
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
            # The status and stage as the list shows them: by today.
            held = column
            if by_today and column in ("status", "stage"):
                held = status_by_today() if column == "status" else stage_by_today()
            where.append(f"({held}) = :{column}")
            params[column] = value
    if overdue_only:
        # The due-day index's range, and the few whose check-in by today it may not give.
        where.append(
            f"((({_DUE_JD}) < :today_jd AND {indexed(later=by_today)}) OR "
            f"({ahead(later=by_today)} AND ({due_by_today(later=by_today)}) < :today_jd))"
        )
    sql = CASELOAD_SQL[by_today] + (" WHERE " + " AND ".join(where) if where else "")
    lines: list[CaseloadLine] = db.execute(sql + CASELOAD_ORDER, params).fetchall()
    if later and not by_today:
        again = db.execute(f"{CASELOAD_SQL[True]} WHERE {has_later()}", params).fetchall()
        fixed = {line[0]: line for line in again}
        lines = [fixed.get(line[0], line) for line in lines]
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
    later = later_paces_or_breaks(db, today)
    by_today = bool(later)
    overdue = db.execute(
        "SELECT (SELECT count(*) FROM caseload_list "
        f"WHERE ({_DUE_JD}) < :today_jd AND {indexed(later=by_today)}) + "
        f"(SELECT count(*) FROM caseload_list WHERE {ahead(later=by_today)} "
        f"AND ({due_by_today(later=by_today)}) < :today_jd)",
        {"today_jd": _julian_day(today), "today": today.isoformat(), "later": json.dumps(later)},
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


def last_saved_here(db: Database, device_id: str, *, among: int = 2000) -> str | None:
    """When this laptop (`device_id`) last wrote to the journey log, as the ISO UTC text its
    latest event carries (the last written, whatever the clock said then); None when none of
    the latest `among` events is its own (a coordinator's caseload of merged events), so a
    million events are never read to ask."""
    from journeyapp.store.eventlog import at_sql

    row = db.execute(
        f"SELECT {at_sql('at')} FROM (SELECT seq, at, device FROM journal "
        "ORDER BY seq DESC LIMIT ?) WHERE device = "
        "(SELECT id FROM journal_devices WHERE device_id = ?) ORDER BY seq DESC LIMIT 1",
        [among, device_id],
    ).fetchone()
    return row[0] if row and row[0] else None
