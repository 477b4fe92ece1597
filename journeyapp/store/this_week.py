"""This week's questions of the whole caseload: one SQL query each, over small indexes (m008, m017).

Every query names the parent from `caseload_list` (one narrow row per parent), keeps to one
keyworker's parents when given one (`kw`; those with no keyworker recorded count as theirs)
and leaves out parents whose journey has ended (moved on or closed); an erased parent's records
are gone. With a keyworker, each query starts from their parents (the keyworker index, m008)
and looks up their records, so a laptop's own week costs the same in a caseload of 500 or of
10,000; without one it starts from the records in the week. Days are ISO text, as stored. The
caseload façade (caseload/this_week.py) turns the rows into what the window shows.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from journeyapp.core.enums import ParticipantStatus, ReferralOutcome
from journeyapp.core.text import with_family_initial
from journeyapp.store.db import Database
from journeyapp.store.queries import (
    DUE_JD,
    ahead,
    back_by_today,
    due_by_today,
    indexed,
    julian_day,
    last_contact_by_today,
    status_by_today,
)

_ONGOING = f"('{ParticipantStatus.ACTIVE.value}', '{ParticipantStatus.PAUSED.value}')"
# This keyworker's parents, and those with no keyworker recorded.
# Written as the keyworker index's expression (m008), so SQLite searches it for both values.
_MINE = "coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')"


# When in its day a meeting is (m017's index): a meeting with no time after the timed ones.
MEETING_TIME = "coalesce(nullif(a.\"time\", ''), '99:99')"
# Still going: a condition on the parent's list row.
_GOING = f"l.status IN {_ONGOING}"


def _from(records: str, alias: str, mine: bool, by_day: str = "") -> tuple[str, str, str]:
    """The FROM clause joining `records` (as `alias`) to their parent's list row `l`, the
    keyworker condition to AND in ("1" when there is none) and the still-going one: from the
    keyworker's parents outwards when `mine` (CROSS JOIN keeps that order), else from the
    records through `by_day`, their index in day order, so a listing stops at its first
    :most. Without statistics SQLite chose the partial index on (parent, day) and read it whole
    (every open step, then a sort: 6,865 steps where the first 100 of 10,000 parents' are found
    in about 230). And there the parent's status is read from one look-up of their status
    index (`+` keeps SQLite from seeking it once per value of the IN list)."""
    if mine:
        return (
            f"caseload_list l CROSS JOIN {records} {alias} "
            f"ON {alias}.participant_id = l.participant_id",
            _MINE,
            _GOING,
        )
    # The parent's status index holds their names too (the list's key): one look-up.
    indexed, status = (
        (f" INDEXED BY {by_day}", " INDEXED BY idx_caseload_list_status") if by_day else ("", "")
    )
    return (
        f"{records} {alias}{indexed} CROSS JOIN caseload_list l{status} "
        f"ON l.participant_id = {alias}.participant_id",
        "1",
        f"+{_GOING}",
    )


def _question(columns: str, source: str, where: str, order: str) -> tuple[str, str]:
    """A question's listing (its first :most rows, in order) and its count."""
    return (
        f"SELECT {columns}\nFROM {source}\nWHERE {where}\nORDER BY {order}\nLIMIT :most",
        f"SELECT count(*)\nFROM {source}\nWHERE {where}",
    )


def _records_first(
    columns: str, records: str, alias: str, source: str, where: str, order: list[str]
) -> tuple[str, str]:
    """`_question` for a whole caseload's records: the first :most are chosen from the order's
    own columns alone (the parent's names from the list's status index, the record's day and
    rowid from its own), and only those rows are read whole; `order` ends with the record's
    rowid, so the order is total and the same both ways."""
    keys = ", ".join(f"{term} AS k{n}" for n, term in enumerate(order))
    chosen = (
        f"SELECT {alias}.rowid AS record, l.participant_id AS pid, {keys}\nFROM {source}\n"
        f"WHERE {where}\nORDER BY {', '.join(order)}\nLIMIT :most"
    )
    # The names sort as the list's key does (NOCASE), whatever the subquery's columns carry.
    again = ", ".join(
        f"t.k{n}" + (" COLLATE NOCASE" if term.endswith("_name") else "")
        for n, term in enumerate(order)
    )
    listing = (
        f"SELECT {columns}\nFROM ({chosen}) t\n"
        f"CROSS JOIN {records} {alias} ON {alias}.rowid = t.record\n"
        f"CROSS JOIN caseload_list l ON l.participant_id = t.pid\nORDER BY {again}"
    )
    return listing, _question(columns, source, where, "1")[1]


def _by_record(
    mine: bool,
    columns: str,
    table: tuple[str, str],
    source: str,
    where: str,
    order: list[str],
) -> tuple[str, str]:
    """A question of records in `order` (ending with the record's rowid: two of one parent's
    records on one day keep the order they were written in): a keyworker's few from their
    parents outwards as `_question` asks, a whole caseload's by `_records_first`."""
    if mine:
        return _question(columns, source, where, ", ".join(order))
    return _records_first(columns, *table, source, where, order)


def _statements(mine: bool, later: bool) -> dict[str, str]:
    """Each question's SQL (see `statements`); `later`: some parent has a pace or a break dated
    after today (store.queries.later_paces_or_breaks), so rows are read by today for those."""
    # SQLite picks the meetings' index by day and time (m017) for the listings itself, and
    # counts them from the one by day and parent (m008), which holds all a count reads.
    meetings_from, meetings_kw, _going = _from("appointments", "a", mine)
    steps_from, steps_kw, steps_going = _from("steps", "s", mine, "idx_steps_keyworker_due")
    referrals_from, referrals_kw, referrals_going = _from(
        "referrals", "r", mine, "idx_referrals_waiting_on"
    )
    # With `later`, a break ended after today is still being taken (its end has not come):
    # the open breaks' index does not hold it, so the few breaks are read without it.
    pauses_from, pauses_kw, pauses_going = _from(
        "pauses", "b", mine, "" if later else "idx_pauses_follow_up"
    )
    # A break to follow up is one being taken today: with `later`, not one that starts after
    # today (This week names it beside the check-in, as the Pace tab marks it not started).
    taken = (
        "(b.ended_on IS NULL OR b.ended_on > :today) AND b.started_on <= :today"
        if later
        else "b.ended_on IS NULL"
    )
    list_kw = _MINE if mine else "1"
    contact_by_today = last_contact_by_today("l.")
    # The day they came back (the list row's; with `later`, as it stood on :today).
    back = back_by_today("l.") if later else "l.back_on"
    names = "l.preferred_name, l.full_name"
    # Parents of one name in a fixed order, as the caseload list has them.
    by_names = ["l.preferred_name", "l.family_name", "l.participant_id"]
    by_name = ", ".join(by_names)
    # Every listing of parents ends with the parent's locality (told apart by it: see
    # names_alike), read with the row instead of looked up again.
    meeting_columns = (
        f'a.id, a.participant_id, {names}, a."on", a."time", a.place, a.with_whom, l.locality'
    )
    # The day and time are the meetings index's (m017): a whole caseload's are read in order.
    # Ending with the record's rowid: two of one parent's meetings at one time keep the order
    # they were arranged in.
    meeting_order = f'a."on", {MEETING_TIME}, {by_name}, a.rowid'
    # Active parents whose check-in falls on or before the week's last day
    # (derived.next_checkin_due in SQL): every one overdue (as the caseload list counts them),
    # and those due this week unless a meeting is already arranged from today on (that
    # meeting is the check-in).
    # A parent whose latest contact is dated after today (merged from a laptop whose clock was
    # ahead) is due from their last contact by today, which their list row does not hold: the
    # second part adds those few (a range of the quiet index). Their first part's due day is a
    # week or more after today, past the week's last day, so no parent is listed twice.
    # Likewise (`later`) a parent whose pace or break is dated after today is due by the pace
    # and status by today: only in the second part (`indexed` keeps them out of the first).
    first = indexed("l.", later=later)
    checkins_source = f"""(
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        ({DUE_JD}) AS due
    FROM caseload_list l
    WHERE {list_kw} AND {first}
    UNION ALL
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        ({due_by_today("l.", later=later)}) AS due
    FROM caseload_list l
    WHERE {list_kw} AND {ahead("l.", later=later)}
) c"""
    arranged = (
        "EXISTS (SELECT 1 FROM appointments a WHERE a.participant_id = c.participant_id "
        'AND a."on" >= :today)'
    )
    questions = {
        "meetings_today": _question(
            meeting_columns, meetings_from, f'a."on" = :today AND {meetings_kw}', meeting_order
        ),
        "meetings_later": _question(
            meeting_columns,
            meetings_from,
            f'a."on" > :today AND a."on" <= :last AND {meetings_kw}',
            meeting_order,
        ),
        "steps": _by_record(
            mine,
            f"s.id, s.participant_id, {names}, s.what, s.due, l.locality",
            ("steps", "s"),
            steps_from,
            "s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker' "
            f"AND {steps_going} AND {steps_kw}",
            ["s.due", *by_names, "s.rowid"],
        ),
        "referrals": _by_record(
            mine,
            f'r.id, r.participant_id, {names}, r."to", r."on", l.locality',
            ("referrals", "r"),
            referrals_from,
            f"r.outcome = '{ReferralOutcome.WAITING.value}' AND r.\"on\" <= :before "
            f"AND {referrals_going} AND {referrals_kw}",
            ['r."on"', *by_names, "r.rowid"],
        ),
        "follow_ups": _question(
            f"b.id, b.participant_id, {names}, b.follow_up_on, b.reason, l.locality",
            pauses_from,
            f"{taken} AND b.follow_up_on <= :last AND {pauses_going} AND {pauses_kw}",
            f"b.follow_up_on, {by_name}",
        ),
        "groups": _question(
            'id, activity, venue, "on"', "groups", '"on" BETWEEN :today AND :last', '"on", activity'
        ),
        # Active parents (a break is their choice, and has its own follow-up) with no contact
        # since `since`, counted from the day their check-ins count from
        # (derived.checkin_since): the last contact (none: the day they joined) or, when
        # later, the day they came back (welcomed back, or a break ended: the row's back_on,
        # m021). The later of two days is on or before :since when both are: a range of the
        # quiet index (m008) for the first, the second checked on the rows in it (no look-up
        # per parent). Those with a check-in overdue are listed there instead.
        # With those whose latest contact is dated after today, by their last contact by today
        # (a contact not happened yet is not contact), as for the check-ins; with `later`,
        # the day they came back by today too (a break ending after today has not ended).
        "quiet": _question(
            "participant_id, preferred_name, full_name, last_contact_on, joined_on, back_on, "
            "locality",
            f"""(
    SELECT l.participant_id, {names}, l.family_name, l.last_contact_on, l.joined_on,
        l.back_on, l.locality,
        max(coalesce(l.last_contact_on, l.joined_on, ''), coalesce(l.back_on, '')) AS since
    FROM caseload_list l
    WHERE l.status = '{ParticipantStatus.ACTIVE.value}'
        AND coalesce(l.last_contact_on, l.joined_on) <= :since
        AND coalesce(l.back_on, '') <= :since AND {list_kw}
        AND coalesce(({DUE_JD}) < :today_jd, 0) = 0 AND {first}
    UNION ALL
    SELECT l.participant_id, {names}, l.family_name, ({contact_by_today}),
        l.joined_on, ({back}) AS back_on, l.locality,
        max(coalesce(({contact_by_today}), l.joined_on, ''), coalesce(({back}), '')) AS since
    FROM caseload_list l
    WHERE {ahead("l.", later=later)} AND {list_kw}
        AND ({status_by_today("l.") if later else "l.status"})
            = '{ParticipantStatus.ACTIVE.value}'
        AND coalesce(({contact_by_today}), l.joined_on) <= :since
        AND coalesce(({back}), '') <= :since
        AND coalesce(({due_by_today("l.", later=later)}) < :today_jd, 0) = 0
) q""",
            "1",
            "since, preferred_name, family_name, participant_id",
        ),
    }
    found = {name: listing for name, (listing, _count) in questions.items()}
    found.update({f"{name}_count": count for name, (_listing, count) in questions.items()})
    # The check-ins listed: the first :most in due order taken from the due-day index itself
    # (sorting every due row of checkins_source instead cost 4 ms of a 10,000-parent
    # caseload's 0.1), then the few whose latest contact is after today, the two ordered.
    columns = "l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality"
    arranged_l = arranged.replace("c.participant_id", "l.participant_id")
    in_week = f"due <= :last_jd AND (due < :today_jd OR NOT {arranged_l})"
    order = "due, preferred_name, family_name, participant_id"
    found["checkins"] = (
        "SELECT participant_id, preferred_name, full_name, date(due), locality FROM (\n"
        f"SELECT * FROM (SELECT {columns}, ({DUE_JD}) AS due FROM caseload_list l\n"
        f"WHERE {list_kw} AND {in_week} AND {first} ORDER BY {order} LIMIT :most)\n"
        "UNION ALL\n"
        f"SELECT {columns}, ({due_by_today('l.', later=later)}) AS due FROM caseload_list l\n"
        f"WHERE {list_kw} AND {ahead('l.', later=later)} AND {in_week}\n"
        f") ORDER BY {order} LIMIT :most"
    )
    # Counted in two ranges of the due-day index: only the days of this week need the look-up
    # in the meetings arranged; and, from the first range, how many of the check-ins are
    # overdue (the list's count, whether listed or not) without counting them again.
    found["checkins_count"] = (
        f"SELECT overdue + later, overdue FROM (SELECT "
        f"(SELECT count(*) FROM {checkins_source} WHERE due < :today_jd) AS overdue, "
        f"(SELECT count(*) FROM {checkins_source} WHERE due >= :today_jd AND due <= :last_jd "
        f"AND NOT {arranged}) AS later)"
    )
    return found


# Of the names given, those two or more parents share (case-blind, as the list's key compares
# them), each with how many parents it names and, in one text, the family initial of each of
# them that has a family name (the full name's last word: the list's family_name, whose first
# letter the ones without are left out of) and, in another, their full names (see
# `names_alike`). The list's key starts with the name, so each name is one range, in order.
NAMES_ALIKE = (
    "SELECT preferred_name, count(*), coalesce(group_concat("
    "CASE WHEN full_name GLOB '*[^ ] *[^ ]*' THEN substr(family_name, 1, 1) END, ''), ''), "
    "coalesce(group_concat(full_name, ''), '') FROM caseload_list "
    "WHERE preferred_name IN (SELECT value FROM json_each(:names)) "
    "GROUP BY preferred_name HAVING count(*) > 1"
)
# One shared name's parents (the rare name whose full names SQL cannot split as Python does).
ONE_NAME = "SELECT preferred_name, full_name FROM caseload_list WHERE preferred_name = :name"
PLACES = (
    "SELECT participant_id, locality FROM caseload_list "
    "WHERE participant_id IN (SELECT value FROM json_each(:ids))"
)
# The breaks listed to follow up: whose words each reason is and who chose its day (asked
# apart from the listing, which stays as main's reference answers it: tests/store).
BREAK_VOICES = (
    "SELECT id, voice, follow_up_chosen_by FROM pauses "
    "WHERE id IN (SELECT value FROM json_each(:ids))"
)
# What str.split() splits at besides the space (and NUL, which SQLite's text functions stop at):
# a full name holding one is split in Python (tests check the set against str.isspace).
ODD_SPACE = re.compile("[\x00-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
# SQLite's NOCASE: A-Z as a-z, every other character as it is.
_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True)
class NamesAlike:
    """What tells apart parents who share a preferred name, as the caseload list does: the
    names two or more parents share (case-folded), how many parents each name-and-initial
    ("Ana M.", case-folded) names among the parents sharing those names, and the locality of
    each parent asked about who shares one."""

    shared: frozenset[str]
    initials: Counter[str]
    localities: dict[str, str | None]


SQL: dict[tuple[bool, bool], dict[str, str]] = {
    (mine, later): _statements(mine, later) for mine in (True, False) for later in (True, False)
}


def statements(
    today: date,
    last: date,
    before: date,
    since: date,
    kw: str | None,
    most: int = -1,
    *,
    later: Sequence[str] = (),
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each question's SQL and parameters: meetings and group sessions from `today` to `last`,
    check-ins and steps due by `last`, referrals waiting since `before`, breaks to follow up by
    `last`, parents quiet since `since`; `kw`: whose parents (None: everyone's). Each has a
    listing (its first `most` rows; -1: all) and a count ("steps" and "steps_count";
    "checkins_count" also says how many of them are overdue). `later`: the parents with a pace
    or a break dated after `today` (store.queries.later_paces_or_breaks), read as they stood
    on it."""
    params: dict[str, Any] = {
        "first": today.isoformat(),
        "today": today.isoformat(),
        "last": last.isoformat(),
        "last_jd": julian_day(last),
        "today_jd": julian_day(today),
        "before": before.isoformat(),
        "since": since.isoformat(),
        "most": most,
        "later": json.dumps(list(later)),
    }
    if kw:
        params["kw"] = kw
    return {name: (text, params) for name, text in SQL[bool(kw), bool(later)].items()}


def names_alike(
    db: Database,
    parents: Iterable[tuple[str, str]],
    places: Mapping[str, str | None] | None = None,
) -> NamesAlike:
    """For these parents ((participant id, preferred name)), what tells them apart from every
    parent who shares their preferred name (case-blind): worked out over the caseload's names
    name by name in SQL, so a caseload where most names are shared costs no Python per parent.
    The same answer as `with_family_initial` case-folded over every such parent (tested).
    `places`: the localities of these parents where already read (This week's rows end with
    them), so they are not looked up again."""
    shown = dict(parents)
    if not shown:
        return NamesAlike(frozenset(), Counter(), {})
    names = json.dumps(sorted(set(shown.values())))
    shared: set[str] = set()
    groups: set[str] = set()  # the names shared, as NOCASE compares them
    initials: Counter[str] = Counter()
    for name, parents_called, letters, full_names in db.execute(
        NAMES_ALIKE, {"names": names}
    ).fetchall():
        # Names equal to SQLite's NOCASE differ only in A-Z, so they case-fold alike; except
        # after a NUL, where NOCASE stops comparing ("\0ana" and "\0KK\0" are one name to it):
        # such a group's names are read one by one.
        shared.add(name.casefold())
        groups.add(name.translate(_NOCASE))
        # Every odd space is unprintable: most names' text is all printable, read at C speed.
        if "\x00" in name or (not full_names.isprintable() and ODD_SPACE.search(full_names)):
            members = db.execute(ONE_NAME, {"name": name}).fetchall()
            shared.update(preferred.casefold() for preferred, _full in members)
            groups.update(preferred.translate(_NOCASE) for preferred, _full in members)
            initials.update(
                with_family_initial(preferred, full).casefold() for preferred, full in members
            )
            continue
        initials[name.casefold()] += parents_called - len(letters)
        for letter, parents_with in Counter(letters).items():
            initials[f"{name} {letter}.".casefold()] += parents_with
    alike = {name for name in set(shown.values()) if name.translate(_NOCASE) in groups}
    asked = [pid for pid, name in shown.items() if name in alike]
    localities: dict[str, str | None] = {}
    if asked and places is not None:
        localities.update((pid, places[pid]) for pid in asked)
    elif asked:
        localities.update(db.execute(PLACES, {"ids": json.dumps(asked)}).fetchall())
    return NamesAlike(frozenset(shared), initials, localities)


# Of the parents given, those whose latest contact is dated after today, with its day.
CONTACTS_AHEAD = (
    "SELECT participant_id, last_contact_on FROM caseload_list "
    "WHERE participant_id IN (SELECT value FROM json_each(:ids)) AND last_contact_on > :today"
)


def contacts_ahead(db: Database, ids: Iterable[str], today: date) -> dict[str, str]:
    """Of the parents `ids`, each whose latest contact is dated after `today` (merged from a
    laptop whose clock was ahead), with that day (ISO): This week names it to be checked."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = db.execute(CONTACTS_AHEAD, {"ids": json.dumps(wanted), "today": today.isoformat()})
    return {str(pid): str(day) for pid, day in rows.fetchall()}


# Of the parents given, the first pace each chose, and the first break (not ended) each starts,
# after today, with its day.
LATER_DAYS = (
    "SELECT participant_id, 'pace', min(changed_on) FROM pace "
    "WHERE participant_id IN (SELECT value FROM json_each(:ids)) AND changed_on > :today "
    "GROUP BY participant_id UNION ALL "
    "SELECT participant_id, 'break', min(started_on) FROM pauses "
    "WHERE participant_id IN (SELECT value FROM json_each(:ids)) AND ended_on IS NULL "
    "AND started_on > :today GROUP BY participant_id"
)


def later_days(db: Database, ids: Iterable[str], today: date) -> dict[str, dict[str, str]]:
    """Of the parents `ids`, each one's first pace chosen ("pace") and first break starting
    ("break") after `today` (merged from a laptop whose clock was ahead), with its day (ISO):
    This week names them to be checked, beside the check-in they did not put off."""
    wanted = list(ids)
    if not wanted:
        return {}
    found: dict[str, dict[str, str]] = {}
    rows = db.execute(LATER_DAYS, {"ids": json.dumps(wanted), "today": today.isoformat()})
    for pid, what, day in rows.fetchall():
        found.setdefault(str(pid), {})[str(what)] = str(day)
    return found


def ask(db: Database, statement: tuple[str, dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows one question returns."""
    text, params = statement
    return [tuple(r) for r in db.execute(text, params).fetchall()]


def count(db: Database, statement: tuple[str, dict[str, Any]]) -> int:
    """The number a count question returns (its first, where it returns more)."""
    return counts(db, statement)[0]


def counts(db: Database, statement: tuple[str, dict[str, Any]]) -> tuple[int, ...]:
    """The numbers a count question returns ("checkins_count": how many, how many overdue)."""
    text, params = statement
    return tuple(int(n) for n in db.execute(text, params).fetchone())


def break_voices(db: Database, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """For these breaks (by id): whose words the reason is (`voice`) and who chose the day to
    get in touch again (`follow_up_chosen_by`, None from a laptop that did not ask)."""
    asked = sorted(set(ids))
    if not asked:
        return {}
    rows = db.execute(BREAK_VOICES, {"ids": json.dumps(asked)}).fetchall()
    return {str(rid): (voice, chosen_by) for rid, voice, chosen_by in rows}


# Of the parents given, the day each was last welcomed back (m021), where they were.
WELCOMED_BACK = (
    "SELECT id, came_back_on FROM participants "
    "WHERE id IN (SELECT value FROM json_each(:ids)) AND came_back_on IS NOT NULL"
)


def welcomed_back(db: Database, ids: Iterable[str]) -> dict[str, str]:
    """Of the parents `ids`, each who was welcomed back after their journey ended, with the
    day (ISO): This week says "welcomed back on …" where a quiet parent's days count from it
    (the list row's back_on is that day or the end of a break, whichever is later)."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = db.execute(WELCOMED_BACK, {"ids": json.dumps(wanted)}).fetchall()
    return {str(pid): str(day) for pid, day in rows}
