"""What the programme report reads, with SQL: narrow columns, counted or grouped in SQLite only
where that gives the same answer as counting the records one by one.

A period is two ISO dates, either open (None). The store writes every date as ISO text
(`date.isoformat()`), so comparing the text compares the dates. With no dates at all, the report
counts every record, undated ones included; with a period, only records dated within it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import getitem, itemgetter
from typing import Any

from journeyapp.core.records import (
    Assessment,
    Choice,
    Contact,
    Milestone,
    Participant,
    Pause,
    Referral,
    StageChange,
)
from journeyapp.store import eventlog
from journeyapp.store.db import Database


def _within(column: str, since: str | None, until: str | None) -> tuple[str, list[str]]:
    """A condition keeping rows dated within the period (no date: not within any period)."""
    parts, params = [f'"{column}" IS NOT NULL'], []
    if since is not None:
        parts.append(f'"{column}" >= ?')
        params.append(since)
    if until is not None:
        parts.append(f'"{column}" <= ?')
        params.append(until)
    return " AND ".join(parts), params


def _dated(column: str, since: str | None, until: str | None) -> tuple[str, list[str]]:
    """`_within`, or no condition at all when the period is open at both ends."""
    if since is None and until is None:
        return "1", []
    return _within(column, since, until)


def participants(db: Database, until: str | None) -> list[tuple[Any, ...]]:
    """(id, locality, keyworker, joined_on, status, stage, the day they were recorded) of every
    parent who joined by `until`."""
    where, params = ("joined_on <= ?", [until]) if until is not None else ("1", [])
    return db.execute(
        "SELECT id, locality, keyworker, joined_on, status, stage, substr(created_at, 1, 10) "
        f'FROM "{Participant.KIND}" WHERE {where} ORDER BY rowid',
        params,
    ).fetchall()


def contacts_per_parent(
    db: Database, since: str | None, until: str | None
) -> list[tuple[str, int, int | None]]:
    """(participant id, contacts, minutes together) over the contacts in the period."""
    where, params = _dated("on", since, until)
    return db.execute(
        # int(minutes), as a contact's minutes are read back
        "SELECT participant_id, count(*), sum(CAST(minutes AS INTEGER)) "
        f'FROM "{Contact.KIND}" WHERE {where} GROUP BY participant_id',
        params,
    ).fetchall()


def joined_by_month(db: Database, happened: str) -> list[tuple[Any, ...]]:
    """(locality, month joined "2026-04", how many) of every parent who joined by `happened`
    (today: nothing later is counted by any report): a month's parents who joined, the same in
    every programme report whose period takes in the whole month."""
    return db.execute(
        "SELECT locality, substr(joined_on, 1, 7), count(*) "
        f'FROM "{Participant.KIND}" WHERE joined_on <= ? GROUP BY 1, 2',
        [happened],
    ).fetchall()


def joined_by_month_of(parents: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """joined_by_month counted from participants' rows for the same day (the same parents),
    in the order it gives them, instead of reading the parents again."""
    months = map(getitem, map(itemgetter(3), parents), repeat(slice(7)))  # substr(…, 1, 7)
    counted = Counter(zip(map(itemgetter(1), parents), months, strict=True))
    # As GROUP BY orders them: by locality (none first), then month.
    return sorted(
        ((place, month, n) for (place, month), n in counted.items()),
        key=lambda row: (row[0] is not None, row[0] or "", row[1]),
    )


def contacts_by_month(db: Database, happened: str) -> list[tuple[Any, ...]]:
    """(locality, month of the contact, month the parent joined, how many) of every contact
    dated by `happened` (today) of a parent who joined by then: a period's contacts in the
    programme report are those dated in it of the parents who had joined by its end."""
    return contacts_by_month_and_parent(db, happened)[0]


def contacts_by_month_and_parent(
    db: Database, happened: str
) -> tuple[list[tuple[Any, ...]], list[tuple[str, int, int | None]]]:
    """contacts_by_month, and in the same reading each of those parents' contacts as
    contacts_per_parent gives them for a period with no start ending on `happened` (that
    reader's rows for the parents who joined by then)."""
    # Each parent's contacts' months strung together, parent by parent as the index gives
    # them (no sorting of every contact, which grouping them by month in SQLite took: a
    # tenth of a second at 10,000 parents), then counted in Python a locality and month
    # joined at a time (issue 18).
    strung: dict[tuple[Any, Any], list[str]] = {}
    held: dict[tuple[Any, Any], int] = {}
    per_parent: list[tuple[str, int, int | None]] = []
    for pid, locality, joined, n, minutes, months in db.execute(
        "SELECT p.id, p.locality, substr(p.joined_on, 1, 7), count(*), "
        # int(minutes), as a contact's minutes are read back
        'sum(CAST(c.minutes AS INTEGER)), group_concat(substr(c."on", 1, 7)) '
        f'FROM "{Participant.KIND}" AS p CROSS JOIN "{Contact.KIND}" AS c '
        'ON c.participant_id = p.id WHERE c."on" <= ?1 AND p.joined_on <= ?1 GROUP BY p.rowid',
        [happened],
    ):
        key = (locality, joined)
        strung.setdefault(key, []).append(months)
        held[key] = held.get(key, 0) + n
        per_parent.append((pid, n, minutes))
    rows: list[tuple[Any, ...]] = []
    for (locality, joined), texts in strung.items():
        text = ",".join(texts)
        counted = _months_counted(text, texts, held[(locality, joined)])
        if counted is None:  # not every month a month: each one counted
            counted = Counter(text.split(","))
            if counted.total() != held[(locality, joined)]:
                # A date holding a comma: grouped by SQLite instead.
                return _contacts_by_month_grouped(db, happened), per_parent
        rows += [(locality, month, joined, n) for month, n in counted.items()]
    return rows, per_parent


def _months_counted(text: str, texts: list[str], held: int) -> dict[str, int] | None:
    """How many of the months ("2026-04") strung with commas in `text` (`texts` joined, each
    a parent's, earliest first as the index gives them) are each month, when all `held` of
    them are months from the first of `texts` to the last; None when they are not, or when
    those months are many more than the pieces (then counting each piece is less work).

    Each month is looked for in the whole text at once (a search in C, issue 18), not each
    of the tens of thousands one by one. Every piece is at most 7 characters (`substr`), so a
    month (7, no comma) is found only where a piece is that month."""
    low, high = min([t[:7] for t in texts]), max([t[-7:] for t in texts])
    first, last = _month_number(low), _month_number(high)
    if first is None or last is None or not 0 <= last - first < max(held, _MONTHS_LOOKED_FOR):
        return None
    months = (f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1))
    counted = {m: n for m in months if (n := text.count(m))}
    return counted if sum(counted.values()) == held else None


_MONTHS_LOOKED_FOR = 240  # at least, when the pieces are fewer: 20 years of months


def _month_number(text: str) -> int | None:
    """year * 12 + month - 1 of a month written "2026-04", else None."""
    if len(text) != 7 or not text.isascii() or text[4] != "-":
        return None
    year, month = text[:4], text[5:]
    if not (year.isdigit() and month.isdigit() and "01" <= month <= "12"):
        return None
    return int(year) * 12 + int(month) - 1


def _contacts_by_month_grouped(db: Database, happened: str) -> list[tuple[Any, ...]]:
    """contacts_by_month grouped by SQLite, for a caseload whose dates are not all dates."""
    return db.execute(
        'SELECT p.locality, substr(c."on", 1, 7), substr(p.joined_on, 1, 7), count(*) '
        f'FROM "{Participant.KIND}" AS p CROSS JOIN "{Contact.KIND}" AS c '
        'ON c.participant_id = p.id WHERE c."on" <= ?1 AND p.joined_on <= ?1 GROUP BY 1, 2, 3',
        [happened],
    ).fetchall()


def milestones_per_parent(
    db: Database,
    since: str | None,
    until: str | None,
    types: Sequence[str],
    work: Sequence[str],
    bits: int = 60,
    *,
    flag_others: bool = False,
) -> list[tuple[Any, ...]]:
    """Per parent with a milestone by `until`: (participant id, whether they reached one in the
    period, then for each `bits` of `types` in turn (at most 62: SQLite's integers) the ones they
    reached in the period as the bits 1 << index, then their first milestone ever by `until` and
    their first of any type in `work`). With no dates, every milestone is in the period.
    `flag_others` (`types` in one number, at most 61 of them): a parent who reached in the
    period a milestone of no type in `types` (or of no type) has the bit 1 << bits set too."""
    assert 0 < bits < 63
    assert not flag_others or (len(types) <= bits < 62)
    where, params = ("achieved_on <= ?", [until]) if until is not None else ("1", [])
    inside: str = "1"
    inside_params: list[str] = []
    if since is not None:
        inside, inside_params = _within("achieved_on", since, until)
    # With no start, every milestone read (by `until`, in WHERE) is in the period: no test.
    masks = []
    mask_params: list[str] = []
    others = f" ELSE {1 << bits}" if flag_others else ""
    for chunk in range(0, max(len(types), 1), bits):
        names = types[chunk : chunk + bits]
        whens = " ".join(f"WHEN ? THEN {1 << i}" for i in range(len(names)))
        bit = f"CASE type {whens}{others} END"
        if inside != "1":
            bit = f"CASE WHEN {inside} THEN {bit} END"
        masks.append(f"coalesce(sum(DISTINCT {bit}), 0)" if names else "0")
        mask_params += [*inside_params, *names]
    started = f"CASE WHEN type IN ({', '.join('?' * len(work))}) THEN achieved_on END"
    reached = "1" if inside == "1" else f"max({inside})"  # every row read is in the period
    return db.execute(
        f"SELECT participant_id, {reached}, {', '.join(masks)}, min(achieved_on), "
        f'min({started if work else "NULL"}) FROM "{Milestone.KIND}" '
        f"WHERE {where} GROUP BY participant_id",
        [*inside_params, *mask_params, *work, *params],
    ).fetchall()


def milestones_with_types(
    db: Database,
    since: str | None,
    until: str | None,
    catalogue_types: Sequence[str],
    work: Sequence[str],
    bits: int,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The types milestones_per_parent reads (the catalogue's, in its order, then any other
    type reached in the period, by key) and what it reads with them. Commonly every milestone
    of the period is of a catalogue type: then no other reading is needed (looking for other
    types read every milestone again: a tenth of the report's reading, issue 18). A type
    reached in no period read here counts nothing, so leaving it out changes no figure."""
    if 0 < len(catalogue_types) <= bits < 62:
        rows = milestones_per_parent(
            db, since, until, catalogue_types, work, bits, flag_others=True
        )
        if max(map(itemgetter(2), rows), default=0) < 1 << bits:  # no other type flagged
            return list(catalogue_types), rows
    types = held_milestone_types(db, catalogue_types)
    return types, milestones_per_parent(db, since, until, types, work, bits)


def held_milestone_types(db: Database, catalogue_types: Sequence[str]) -> list[str]:
    """The catalogue's milestone types in its order, then any other type a milestone holds (one
    retired from the catalogue, or merged from a laptop with another catalogue), by key."""
    known = set(catalogue_types)
    held = db.execute(f'SELECT DISTINCT type FROM "{Milestone.KIND}"').fetchall()
    return [*catalogue_types, *sorted(t for (t,) in held if t is not None and t not in known)]


def pauses(db: Database) -> list[tuple[str, str, str | None]]:
    """(participant id, started on, ended on) of every break."""
    return db.execute(
        f'SELECT participant_id, started_on, ended_on FROM "{Pause.KIND}" ORDER BY rowid'
    ).fetchall()


def first_and_latest_scores(db: Database, until: str | None) -> list[tuple[str, str, str]]:
    """(participant id, first scores, latest scores) as stored JSON text, for each parent with
    two or more self-assessments taken by `until`: first and latest by (taken on, recorded at),
    ties going to the one stored first for "first" and to the one stored last for "latest" (as a
    stable sort of the records in stored order gives them: core.derived.first_and_latest)."""
    where, params = ("taken_on <= ?", [until]) if until is not None else ("1", [])
    # (taken on, recorded at) and the scores: the key kept apart so it is compared unsliced.
    first: dict[str, tuple[tuple[Any, Any], Any]] = {}
    latest: dict[str, tuple[tuple[Any, Any], Any]] = {}
    more: set[str] = set()
    for pid, taken_on, created_at, scores in db.execute(
        f'SELECT participant_id, taken_on, created_at, scores FROM "{Assessment.KIND}" '
        f"WHERE {where} ORDER BY rowid",
        params,
    ):
        key = (taken_on, created_at)
        was = first.get(pid)
        if was is None:
            first[pid] = latest[pid] = (key, scores)
            continue
        more.add(pid)
        if key < was[0]:
            first[pid] = (key, scores)
        if key >= latest[pid][0]:
            latest[pid] = (key, scores)
    return [(pid, first[pid][1], latest[pid][1]) for pid in more]


def _by_place(
    db: Database,
    kind: str,
    columns: str,
    dated: str,
    since: str | None,
    until: str | None,
    parents: Sequence[str] | None,
) -> list[tuple[Any, ...]]:
    """How many records of `kind` dated within the period (a record with no date is in no
    period, not even the whole time's) each value of `columns` has, per locality of their
    parent, in the order of (locality, *columns); only `parents`' records (None: every
    parent's who joined by `until`, as the report counts them)."""
    where, params = _within(dated, since, until)
    if parents is not None:
        where += " AND r.participant_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(parents)))
    elif until is not None:
        where += " AND p.joined_on <= ?"
        params.append(until)
    # Parents first, each one's records through the index: fewer lookups than finding every
    # record's parent by id (CROSS JOIN keeps that order).
    joined = (
        f'FROM "{Participant.KIND}" AS p CROSS JOIN "{kind}" AS r '
        f"ON r.participant_id = p.id WHERE {where}"
    )
    values = ["p.locality", *(f"r.{c}" for c in columns.split(", "))]
    # Each record's values strung together and the records counted in Python (issue 18):
    # grouping them in SQLite sorted every record, most of the reading's work. A value that is
    # NULL (left out) or holds a separator would run records or values together: then they
    # are grouped in SQLite after all.
    n, *held, strung = db.execute(
        f"SELECT count(*), {', '.join(f'count({v})' for v in values)}, "
        f"group_concat(concat_ws(char(31), {', '.join(values)}), char(30)) {joined}",
        params,
    ).fetchone()
    records = Counter(strung.split("\x1e") if strung is not None else ())
    if all(h == n for h in held) and records.total() == n:
        found = [(*record.split("\x1f"), count) for record, count in records.items()]
        if all(len(row) == len(values) + 1 for row in found):
            return sorted(found)  # as GROUP BY orders them (text: the columns' affinity)
    group = ", ".join(values)
    return db.execute(f"SELECT {group}, count(*) {joined} GROUP BY {group}", params).fetchall()


def choices_by_place(
    db: Database, since: str | None, until: str | None, parents: Sequence[str] | None
) -> list[tuple[Any, ...]]:
    """(locality, service, decision, how many) of the choices decided in the period."""
    return _by_place(db, Choice.KIND, "service, decision", "decided_on", since, until, parents)


def referrals_by_place(
    db: Database, since: str | None, until: str | None, parents: Sequence[str] | None
) -> list[tuple[Any, ...]]:
    """(locality, outcome, how many) of the referrals made in the period."""
    return _by_place(db, Referral.KIND, "outcome", "on", since, until, parents)


def stages_at(db: Database, until: str) -> list[tuple[str, str]]:
    """(participant id, stage) of each parent's latest stage record on or before `until`: latest
    by (on, recorded at), ties going to the one stored first."""
    return db.execute(
        "SELECT participant_id, stage FROM (SELECT participant_id, stage, row_number() OVER "
        '(PARTITION BY participant_id ORDER BY "on" DESC, created_at DESC, rowid) AS n '
        f'FROM "{StageChange.KIND}" WHERE "on" <= ?) WHERE n = 1',
        [until],
    ).fetchall()


def stages_moved_after(db: Database, happened: str) -> list[tuple[str, str]]:
    """stages_at(`happened`) for only the parents with a move dated after `happened` (a
    laptop whose clock was ahead: none, most days), whose stage as held is that later move;
    "" for one with no move by then. Every other parent's stage is as held. One pass over the
    moves, not through the parents' index (a look-up a move: ten times the work)."""
    return db.execute(
        "SELECT l.participant_id, coalesce((SELECT s.stage "
        f'FROM "{StageChange.KIND}" AS s WHERE s.participant_id = l.participant_id '
        'AND s."on" <= ?1 ORDER BY s."on" DESC, s.created_at DESC, s.rowid LIMIT 1), \'\') '
        f'FROM (SELECT DISTINCT participant_id FROM "{StageChange.KIND}" NOT INDEXED '
        'WHERE "on" > ?1) AS l',
        [happened],
    ).fetchall()


def status_history(
    db: Database, values: Sequence[str], *, changed_only: bool = False
) -> list[tuple[str, str, str]]:
    """(participant id, at, status) of every journey-log event that created or changed a parent
    still in the caseload and gave their status one of `values`, in log order: what
    store.versions.field_history gives for those parents and values (for an ending, or a
    welcome back, with its day given, that day in place of `at`; an ending's day corrected
    since, the day as corrected). `changed_only`: only for
    parents with more than one event in the log (one value alone is no change of status)."""
    if not values:
        return []
    parents = f'"{Participant.KIND}" AS p'
    if changed_only:  # more than one event in the log (counted in the index alone)
        key = eventlog.key_sql("p.id")
        # First whether two events are held under either form the key can take: a parent
        # with two under the key has them, and working out which form it is (most of this
        # reading, issue 18) is left to the few who do.
        forms = eventlog.key_forms_sql("p.id")
        maybe = f"EXISTS (SELECT 1 FROM journal AS j WHERE j.record_id IN {forms} LIMIT 1 OFFSET 1)"
        more = f"{maybe} AND (SELECT count(*) FROM journal AS j WHERE j.record_id = {key}) > 1"
        parents = f"(SELECT p.id FROM {parents} WHERE {more}) AS p"
    fields = eventlog.fields_sql("j.fields", "j.kind")
    value = f"json_extract({fields}, '$.\"status\"')"
    # The day the journey ended as the event gives it, as JSON: NULL when it gives none,
    # 'null' when it clears it, else the day in quotes (m020; one extraction says all three).
    # Read with each event that changed the status, and each that changed only that day (an
    # ending's day corrected; a welcome back's second event, clearing it).
    ended = f"{fields} -> '$.\"ended_on\"'"
    marks = ", ".join(f":v{i}" for i in range(len(values)))
    rows = db.execute(
        f"SELECT p.id, {eventlog.at_sql('j.at')}, {value} AS v, {ended} AS e FROM {parents} "
        f"JOIN journal AS j ON j.record_id = {eventlog.key_sql('p.id')} "
        f"WHERE j.kind = :kind AND j.action IN {eventlog.actions_sql('create', 'update')} "
        f"AND (v IN ({marks}) OR (v IS NULL AND e IS NOT NULL)) "
        "ORDER BY j.seq",
        {"kind": eventlog.kind_key(Participant.KIND), **{f"v{i}": v for i, v in enumerate(values)}},
    ).fetchall()
    return _status_days(rows)


_ENDED = frozenset({"moved_on", "closed"})


def came_back_days(db: Database) -> dict[str, str]:
    """Each parent's day they were last welcomed back after their journey ended, read from
    the journey log (for migration m021, which keeps it as participants.came_back_on).

    A welcome back given its day says it (reopen_journey: the status active with the day in
    `ended_on`); one from a laptop that keeps the column says it in `came_back_on`, which is
    then as held. A welcome back on the day it was recorded reads in the log like an ending
    undone (both put the status back, and clear the day it ended): taken up again on the day
    it was ended, on the laptop that ended it, it is read as the ending put right (Undo, or a
    correction), not a welcome back. An ending dated before a welcome back means that welcome
    back was undone (or never happened): it no longer counts, so no ending is held dated
    before the day they came back."""
    fields = eventlog.fields_sql("j.fields", "j.kind")
    rows = db.execute(
        f"SELECT p.id, {eventlog.at_sql('j.at')}, j.device, "
        f"json_extract({fields}, '$.\"status\"') AS v, {fields} -> '$.\"ended_on\"' AS e, "
        f"{fields} -> '$.\"came_back_on\"' AS c "
        f'FROM "{Participant.KIND}" AS p '
        f"JOIN journal AS j ON j.record_id = {eventlog.key_sql('p.id')} "
        f"WHERE j.kind = :kind AND j.action IN {eventlog.actions_sql('create', 'update')} "
        "AND (v IS NOT NULL OR e IS NOT NULL OR c IS NOT NULL) ORDER BY j.seq",
        {"kind": eventlog.kind_key(Participant.KIND)},
    ).fetchall()
    backs: dict[str, list[str]] = {}  # each parent's welcome backs still standing, in order
    status: dict[str, str] = {}
    held: dict[str, str] = {}  # the day the journey ended, as held ("" none)
    ending: dict[str, tuple[str, object]] = {}  # the last ending's day recorded, and laptop
    for pid, at, device, value, ended, came in rows:
        given = "" if ended is None else "-" if ended == "null" else str(json.loads(ended))
        if given:
            held[pid] = "" if given == "-" else given
        standing = backs.setdefault(pid, [])
        if came is not None:  # held by the laptop that wrote it: as it says
            standing[:] = [] if came == "null" else [str(json.loads(came))]
        was = status.get(pid)
        if value is None:
            continue
        status[pid] = value
        if value in _ENDED:
            day = held.get(pid) or at[:10]
            ending[pid] = (at[:10], device)
            while standing and standing[-1] > day:
                standing.pop()
        elif value == "active" and was in _ENDED and came is None:
            if given and given != "-":
                standing.append(given)
            elif ending.get(pid) != (at[:10], device):
                standing.append(at[:10])
    return {pid: days[-1] for pid, days in backs.items() if days}


def _status_days(
    rows: Iterable[tuple[str, str, str | None, str | None]],
) -> list[tuple[str, str, str]]:
    """(participant id, day or at, status) from status_history's rows, each change on its day
    as caseload status_changes gives it: an ending on the day it ended as held after its
    event (given, corrected since, or kept when how it ended was corrected), a welcome back
    on the day it gave, any other change when it was recorded."""
    found: list[tuple[str, str, str]] = []
    held: dict[str, str] = {}  # each parent's day their journey ended, as held ("" none)
    latest: dict[str, int] = {}  # each parent's latest change in `found`
    for pid, at, status, ended in rows:
        # "" when the event gives no day, "-" when it clears it, else the day.
        given = "" if ended is None else "-" if ended == "null" else str(json.loads(ended))
        if given:
            held[pid] = "" if given == "-" else given
        if status is None:  # only the day changed: the ending before it moves to it
            n = latest.get(pid)
            if n is not None and found[n][2] in _ENDED and held.get(pid):
                found[n] = (pid, held[pid], found[n][2])
            continue
        day = at
        if status in _ENDED and held.get(pid):
            day = held[pid]
        elif status == "active" and given != "-" and (given or held.get(pid)):
            # Welcomed back on the day given (the day it ended when the event left it as held).
            day = given or held[pid]
        latest[pid] = len(found)
        found.append((pid, day, status))
    return found


def open_decisions(db: Database) -> int:
    """How many clashing edits from merges wait for a decision (as store.merge.decisions lists
    them)."""
    return int(
        db.execute("SELECT count(*) FROM merge_decisions WHERE resolved_at IS NULL").fetchone()[0]
    )


@dataclass(frozen=True)
class ReportFacts:
    """Everything the programme report reads for one period, as plain rows (see each reader)."""

    participants: list[tuple[Any, ...]]
    contacts: list[tuple[str, int, int | None]]
    milestone_types: list[str]  # the types `milestones` reads as bits, in that order
    milestones: list[tuple[Any, ...]]
    pauses: list[tuple[str, str, str | None]]
    scores: list[tuple[str, str, str]]
    # With no end, only the parents with a move after `happened` (stages_moved_after).
    stages: list[tuple[str, str]]
    statuses: list[tuple[str, str, str]]
    # With `months`: what every report shares by month (joined_by_month, contacts_by_month)
    # up to `happened`, read with the period's own contacts; else None.
    months: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None


def report_facts(
    db: Database,
    since: str | None,
    until: str | None,
    *,
    statuses: Sequence[str],
    milestone_types: Sequence[str],
    work: Sequence[str],
    bits: int,
    happened: str | None = None,
    months: bool = False,
) -> ReportFacts:
    """The rows a programme report for the period rests on. With no end date, a parent's status
    history matters only where it changed (their status is today's), so only the events of
    parents with more than one are read. Milestones are read by every type reached in the
    period, the catalogue's `milestone_types` first (milestones_with_types). `happened`: the
    last day anything dated is counted on (today, or the period's end when earlier): a day
    after today has not come, whatever the period (a record from a laptop whose clock was
    ahead). `months` (for a period with no
    start, with `happened` today): also the months every report shares, read with the
    period's contacts in one go (each is the other's contacts of the parents who joined by
    `happened`; no other parent is counted)."""
    upto = happened if happened is not None else until
    shared: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None
    if months and since is None and happened is not None:
        by_month, contacts = contacts_by_month_and_parent(db, happened)
        read = participants(db, happened)
        shared = (joined_by_month_of(read), by_month)
    else:
        contacts = contacts_per_parent(db, since, upto)
        read = participants(db, upto)
    types, milestones = milestones_with_types(db, since, upto, milestone_types, work, bits)
    return ReportFacts(
        participants=read,
        contacts=contacts,
        milestone_types=types,
        milestones=milestones,
        pauses=pauses(db),
        scores=first_and_latest_scores(db, upto),
        stages=stages_at(db, upto)
        if until is not None and upto is not None
        else stages_moved_after(db, upto)
        if upto is not None
        else [],
        statuses=status_history(db, statuses, changed_only=until is None),
        months=shared,
    )
