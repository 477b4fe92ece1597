"""This week's questions of the whole caseload: one SQL query each, over small indexes (m008).

Every query names the parent from `caseload_list` (one narrow row per parent), keeps to one
keyworker's parents when given one (`kw`; those with no keyworker recorded count as theirs)
and leaves out parents whose journey has ended (moved on or closed); an erased parent's records
are gone. With a keyworker, each query starts from their parents (the keyworker index, m008)
and looks up their records, so a laptop's own week costs the same in a caseload of 500 or of
10,000; without one it starts from the records in the week. Days are ISO text, as stored. The
caseload façade (caseload/this_week.py) turns the rows into what the window shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from journeyapp.core.enums import ParticipantStatus, ReferralOutcome
from journeyapp.store.db import Database
from journeyapp.store.queries import DUE_JD, julian_day

_ONGOING = f"('{ParticipantStatus.ACTIVE.value}', '{ParticipantStatus.PAUSED.value}')"
# This keyworker's parents, and those with no keyworker recorded.
_MINE = (
    "(l.keyworker = :kw COLLATE NOCASE OR l.keyworker = '' COLLATE NOCASE OR l.keyworker IS NULL)"
)


def _from(records: str, alias: str, mine: bool) -> tuple[str, str]:
    """The FROM clause joining `records` (as `alias`) to their parent's list row `l`: from the
    keyworker's parents outwards when `mine` (CROSS JOIN keeps that order), else from the
    records, and the keyworker condition to AND in ("1" when there is none)."""
    if mine:
        return (
            f"caseload_list l CROSS JOIN {records} {alias} "
            f"ON {alias}.participant_id = l.participant_id",
            _MINE,
        )
    return (
        f"{records} {alias} JOIN caseload_list l ON l.participant_id = {alias}.participant_id",
        "1",
    )


def _statements(mine: bool) -> dict[str, str]:
    meetings_from, meetings_kw = _from("appointments", "a", mine)
    steps_from, steps_kw = _from("steps", "s", mine)
    referrals_from, referrals_kw = _from("referrals", "r", mine)
    pauses_from, pauses_kw = _from("pauses", "b", mine)
    list_kw = _MINE if mine else "1"
    return {
        "meetings": f"""
SELECT a.id, a.participant_id, l.preferred_name, l.full_name, a."on", a."time", a.place, a.with_whom
FROM {meetings_from}
WHERE a."on" BETWEEN :first AND :last AND {meetings_kw}
ORDER BY a."on", coalesce(nullif(a."time", ''), '99:99'), l.preferred_name, l.full_name, l.participant_id
""",
        # Active parents whose check-in falls on or before the week's last day
        # (derived.next_checkin_due in SQL): every one overdue (as the caseload list counts
        # them), and those due this week unless a meeting is already arranged from today on
        # (that meeting is the check-in).
        "checkins": f"""
SELECT participant_id, preferred_name, full_name, date(due) FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, ({DUE_JD}) AS due
    FROM caseload_list l
    WHERE {list_kw}
) WHERE due <= :last_jd
  AND (due < :today_jd
       OR participant_id NOT IN (SELECT participant_id FROM appointments WHERE "on" >= :today))
ORDER BY due, preferred_name, full_name, participant_id
""",
        "steps": f"""
SELECT s.id, s.participant_id, l.preferred_name, l.full_name, s.what, s.due
FROM {steps_from}
WHERE s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker'
  AND l.status IN {_ONGOING} AND {steps_kw}
ORDER BY s.due, l.preferred_name, l.full_name, l.participant_id
""",
        "referrals": f"""
SELECT r.id, r.participant_id, l.preferred_name, l.full_name, r."to", r."on"
FROM {referrals_from}
WHERE r.outcome = '{ReferralOutcome.WAITING.value}' AND r."on" <= :before
  AND l.status IN {_ONGOING} AND {referrals_kw}
ORDER BY r."on", l.preferred_name, l.full_name, l.participant_id
""",
        "follow_ups": f"""
SELECT b.id, b.participant_id, l.preferred_name, l.full_name, b.follow_up_on, b.reason
FROM {pauses_from}
WHERE b.ended_on IS NULL AND b.follow_up_on <= :last
  AND l.status IN {_ONGOING} AND {pauses_kw}
ORDER BY b.follow_up_on, l.preferred_name, l.full_name, l.participant_id
""",
        "groups": """
SELECT id, activity, venue, "on" FROM groups
WHERE "on" BETWEEN :first AND :last ORDER BY "on", activity
""",
        # Active parents (a break is their choice, and has its own follow-up) with no contact
        # since `since`, counting from the day they joined when there has been none.
        "quiet": f"""
SELECT l.participant_id, l.preferred_name, l.full_name, l.last_contact_on, l.joined_on FROM caseload_list l
WHERE l.status = '{ParticipantStatus.ACTIVE.value}'
  AND coalesce(l.last_contact_on, l.joined_on) <= :since AND {list_kw}
ORDER BY coalesce(l.last_contact_on, l.joined_on), l.preferred_name, l.full_name, l.participant_id
""",
    }


# Preferred names two or more parents share (told apart by a family initial, as in the list).
SHARED_NAMES = (
    "SELECT preferred_name FROM caseload_list GROUP BY preferred_name HAVING count(*) > 1"
)

SQL: dict[bool, dict[str, str]] = {mine: _statements(mine) for mine in (True, False)}


def statements(
    today: date, last: date, before: date, since: date, kw: str | None
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each question's SQL and parameters: meetings and group sessions from `today` to `last`,
    check-ins and steps due by `last`, referrals waiting since `before`, breaks to follow up by
    `last`, parents quiet since `since`; `kw`: whose parents (None: everyone's)."""
    params: dict[str, Any] = {
        "first": today.isoformat(),
        "today": today.isoformat(),
        "last": last.isoformat(),
        "last_jd": julian_day(last),
        "today_jd": julian_day(today),
        "before": before.isoformat(),
        "since": since.isoformat(),
    }
    if kw:
        params["kw"] = kw
    found = {name: (text, params) for name, text in SQL[bool(kw)].items()}
    found["shared_names"] = (SHARED_NAMES, {})
    return found


def ask(db: Database, statement: tuple[str, dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows one question returns."""
    text, params = statement
    return [tuple(r) for r in db.execute(text, params).fetchall()]
