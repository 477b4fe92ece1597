"""This week's questions of the whole caseload: one SQL query each, over small indexes (m008).

Every query names the parent from `caseload_list` (one narrow row per parent), keeps to one
keyworker's parents (`kw`; those with no keyworker recorded count as theirs; None: everyone's)
and leaves out parents whose journey has ended (moved on or closed); an erased parent's records
are gone.
Days are ISO text, as stored. The caseload façade (caseload/this_week.py) turns the rows into
what the window and the status bar show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from journeyapp.core.enums import ParticipantStatus, ReferralOutcome
from journeyapp.store.db import Database
from journeyapp.store.queries import DUE_JD, julian_day

_ONGOING = f"('{ParticipantStatus.ACTIVE.value}', '{ParticipantStatus.PAUSED.value}')"
# Whose parents: this keyworker's and those with no keyworker recorded (NULL :kw: everyone's).
_MINE = "(:kw IS NULL OR coalesce({t}keyworker, '') COLLATE NOCASE IN ('', :kw))"

MEETINGS_SQL = f"""
SELECT a.id, a.participant_id, l.preferred_name, a."on", a."time", a.place, a.with_whom
FROM appointments a JOIN caseload_list l ON l.participant_id = a.participant_id
WHERE a."on" BETWEEN :first AND :last AND {_MINE.format(t="l.")}
ORDER BY a."on", coalesce(nullif(a."time", ''), '99:99'), l.preferred_name
"""

# Active parents whose check-in falls on or before the week's last day (derived.next_checkin_due
# in SQL), unless a meeting is already arranged from today on: that meeting is the check-in.
CHECKINS_SQL = f"""
SELECT participant_id, preferred_name, date(due) FROM (
    SELECT participant_id, preferred_name, ({DUE_JD}) AS due FROM caseload_list
    WHERE {_MINE.format(t="")}
) WHERE due <= :last_jd
  AND participant_id NOT IN (SELECT participant_id FROM appointments WHERE "on" >= :today)
ORDER BY due, preferred_name
"""

STEPS_SQL = f"""
SELECT s.id, s.participant_id, l.preferred_name, s.what, s.due
FROM steps s JOIN caseload_list l ON l.participant_id = s.participant_id
WHERE s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker' AND l.status IN {_ONGOING}
  AND {_MINE.format(t="l.")}
ORDER BY s.due, l.preferred_name
"""

REFERRALS_SQL = f"""
SELECT r.id, r.participant_id, l.preferred_name, r."to", r."on"
FROM referrals r JOIN caseload_list l ON l.participant_id = r.participant_id
WHERE r.outcome = '{ReferralOutcome.WAITING.value}' AND r."on" <= :before
  AND l.status IN {_ONGOING} AND {_MINE.format(t="l.")}
ORDER BY r."on", l.preferred_name
"""

FOLLOW_UPS_SQL = f"""
SELECT b.id, b.participant_id, l.preferred_name, b.follow_up_on, b.reason
FROM pauses b JOIN caseload_list l ON l.participant_id = b.participant_id
WHERE b.ended_on IS NULL AND b.follow_up_on <= :last AND l.status IN {_ONGOING}
  AND {_MINE.format(t="l.")}
ORDER BY b.follow_up_on, l.preferred_name
"""

GROUPS_SQL = """
SELECT id, activity, venue, "on" FROM groups
WHERE "on" BETWEEN :first AND :last ORDER BY "on", activity
"""

# Active parents (a break is their choice, and has its own follow-up) with no contact since
# `since`, counting from the day they joined when there has been none.
QUIET_SQL = f"""
SELECT participant_id, preferred_name, last_contact_on, joined_on FROM caseload_list
WHERE status = '{ParticipantStatus.ACTIVE.value}'
  AND coalesce(last_contact_on, joined_on) <= :since AND {_MINE.format(t="")}
ORDER BY coalesce(last_contact_on, joined_on), preferred_name
"""


def _rows(db: Database, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.execute(sql, params).fetchall()]


def meetings(db: Database, first: date, last: date, kw: str | None) -> list[tuple[Any, ...]]:
    """(id, participant_id, name, on, time, place, with_whom) of meetings from first to last."""
    return _rows(db, MEETINGS_SQL, {"first": first.isoformat(), "last": last.isoformat(), "kw": kw})


def checkins(db: Database, today: date, last: date, kw: str | None) -> list[tuple[Any, ...]]:
    """(participant_id, name, due) of check-ins due by `last` with no meeting arranged."""
    return _rows(
        db, CHECKINS_SQL, {"last_jd": julian_day(last), "today": today.isoformat(), "kw": kw}
    )


def keyworker_steps(db: Database, last: date, kw: str | None) -> list[tuple[Any, ...]]:
    """(id, participant_id, name, what, due) of the keyworker's steps not done, due by `last`."""
    return _rows(db, STEPS_SQL, {"last": last.isoformat(), "kw": kw})


def waiting_referrals(db: Database, before: date, kw: str | None) -> list[tuple[Any, ...]]:
    """(id, participant_id, name, to, on) of referrals still waiting, made on or before `before`."""
    return _rows(db, REFERRALS_SQL, {"before": before.isoformat(), "kw": kw})


def follow_ups(db: Database, last: date, kw: str | None) -> list[tuple[Any, ...]]:
    """(id, participant_id, name, follow_up_on, reason) of breaks to follow up by `last`."""
    return _rows(db, FOLLOW_UPS_SQL, {"last": last.isoformat(), "kw": kw})


def group_sessions(db: Database, first: date, last: date) -> list[tuple[Any, ...]]:
    """(id, activity, venue, on) of group sessions from `first` to `last`."""
    return _rows(db, GROUPS_SQL, {"first": first.isoformat(), "last": last.isoformat()})


def quiet(db: Database, since: date, kw: str | None) -> list[tuple[Any, ...]]:
    """(participant_id, name, last_contact_on, joined_on) of active parents not in contact
    since `since` (or since they joined)."""
    return _rows(db, QUIET_SQL, {"since": since.isoformat(), "kw": kw})
