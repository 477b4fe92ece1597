"""This week's SQL as main had it on 2026-12-03, before its statements were reshaped for
SQLite's planner: a frozen copy, the reference the store's statements must answer exactly
as (tests/store/test_week_same_answers.py). Never edit it to make a test pass."""

from __future__ import annotations

# With a keyworker (`kw`).
MINE: dict[str, str] = {
    "meetings_today": """SELECT a.id, a.participant_id, l.preferred_name, l.full_name, a."on", a."time", a.place, a.with_whom, l.locality
FROM caseload_list l CROSS JOIN appointments a ON a.participant_id = l.participant_id
WHERE a."on" = :today AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
ORDER BY a."on", coalesce(nullif(a."time", ''), '99:99'), l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "meetings_later": """SELECT a.id, a.participant_id, l.preferred_name, l.full_name, a."on", a."time", a.place, a.with_whom, l.locality
FROM caseload_list l CROSS JOIN appointments a ON a.participant_id = l.participant_id
WHERE a."on" > :today AND a."on" <= :last AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
ORDER BY a."on", coalesce(nullif(a."time", ''), '99:99'), l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "checkins": """SELECT participant_id, preferred_name, full_name, date(due), locality
FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        (CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) AS due
    FROM caseload_list l
    WHERE coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
) c
WHERE due <= :last_jd AND (due < :today_jd OR NOT EXISTS (SELECT 1 FROM appointments a WHERE a.participant_id = c.participant_id AND a."on" >= :today))
ORDER BY due, preferred_name, family_name, participant_id
LIMIT :most""",
    "steps": """SELECT s.id, s.participant_id, l.preferred_name, l.full_name, s.what, s.due, l.locality
FROM caseload_list l CROSS JOIN steps s ON s.participant_id = l.participant_id
WHERE s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker' AND l.status IN ('active', 'paused') AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
ORDER BY s.due, l.preferred_name, l.family_name, l.participant_id, s.rowid
LIMIT :most""",
    "referrals": """SELECT r.id, r.participant_id, l.preferred_name, l.full_name, r."to", r."on", l.locality
FROM caseload_list l CROSS JOIN referrals r ON r.participant_id = l.participant_id
WHERE r.outcome = 'waiting' AND r."on" <= :before AND l.status IN ('active', 'paused') AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
ORDER BY r."on", l.preferred_name, l.family_name, l.participant_id, r.rowid
LIMIT :most""",
    "follow_ups": """SELECT b.id, b.participant_id, l.preferred_name, l.full_name, b.follow_up_on, b.reason, l.locality
FROM caseload_list l CROSS JOIN pauses b ON b.participant_id = l.participant_id
WHERE b.ended_on IS NULL AND b.follow_up_on <= :last AND l.status IN ('active', 'paused') AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
ORDER BY b.follow_up_on, l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "groups": """SELECT id, activity, venue, "on"
FROM groups
WHERE "on" BETWEEN :today AND :last
ORDER BY "on", activity
LIMIT :most""",
    "quiet": """SELECT l.participant_id, l.preferred_name, l.full_name, l.last_contact_on, l.joined_on, l.locality
FROM caseload_list l
WHERE l.status = 'active' AND coalesce(l.last_contact_on, l.joined_on) <= :since AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '') AND coalesce((CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) < :today_jd, 0) = 0
ORDER BY coalesce(l.last_contact_on, l.joined_on), l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "meetings_today_count": """SELECT count(*)
FROM caseload_list l CROSS JOIN appointments a ON a.participant_id = l.participant_id
WHERE a."on" = :today AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')""",
    "meetings_later_count": """SELECT count(*)
FROM caseload_list l CROSS JOIN appointments a ON a.participant_id = l.participant_id
WHERE a."on" > :today AND a."on" <= :last AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')""",
    "checkins_count": """SELECT overdue + later, overdue FROM (SELECT (SELECT count(*) FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        (CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) AS due
    FROM caseload_list l
    WHERE coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
) c WHERE due < :today_jd) AS overdue, (SELECT count(*) FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        (CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) AS due
    FROM caseload_list l
    WHERE coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')
) c WHERE due >= :today_jd AND due <= :last_jd AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.participant_id = c.participant_id AND a."on" >= :today)) AS later)""",
    "steps_count": """SELECT count(*)
FROM caseload_list l CROSS JOIN steps s ON s.participant_id = l.participant_id
WHERE s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker' AND l.status IN ('active', 'paused') AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')""",
    "referrals_count": """SELECT count(*)
FROM caseload_list l CROSS JOIN referrals r ON r.participant_id = l.participant_id
WHERE r.outcome = 'waiting' AND r."on" <= :before AND l.status IN ('active', 'paused') AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')""",
    "follow_ups_count": """SELECT count(*)
FROM caseload_list l CROSS JOIN pauses b ON b.participant_id = l.participant_id
WHERE b.ended_on IS NULL AND b.follow_up_on <= :last AND l.status IN ('active', 'paused') AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '')""",
    "groups_count": """SELECT count(*)
FROM groups
WHERE "on" BETWEEN :today AND :last""",
    "quiet_count": """SELECT count(*)
FROM caseload_list l
WHERE l.status = 'active' AND coalesce(l.last_contact_on, l.joined_on) <= :since AND coalesce(l.keyworker, '') COLLATE NOCASE IN (:kw, '') AND coalesce((CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) < :today_jd, 0) = 0""",
}

# A whole caseload (no keyworker).
EVERYONE: dict[str, str] = {
    "meetings_today": """SELECT a.id, a.participant_id, l.preferred_name, l.full_name, a."on", a."time", a.place, a.with_whom, l.locality
FROM appointments a CROSS JOIN caseload_list l ON l.participant_id = a.participant_id
WHERE a."on" = :today AND 1
ORDER BY a."on", coalesce(nullif(a."time", ''), '99:99'), l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "meetings_later": """SELECT a.id, a.participant_id, l.preferred_name, l.full_name, a."on", a."time", a.place, a.with_whom, l.locality
FROM appointments a CROSS JOIN caseload_list l ON l.participant_id = a.participant_id
WHERE a."on" > :today AND a."on" <= :last AND 1
ORDER BY a."on", coalesce(nullif(a."time", ''), '99:99'), l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "checkins": """SELECT participant_id, preferred_name, full_name, date(due), locality
FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        (CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) AS due
    FROM caseload_list l
    WHERE 1
) c
WHERE due <= :last_jd AND (due < :today_jd OR NOT EXISTS (SELECT 1 FROM appointments a WHERE a.participant_id = c.participant_id AND a."on" >= :today))
ORDER BY due, preferred_name, family_name, participant_id
LIMIT :most""",
    "steps": """SELECT s.id, s.participant_id, l.preferred_name, l.full_name, s.what, s.due, l.locality
FROM (SELECT s.rowid AS record, l.participant_id AS pid, s.due AS k0, l.preferred_name AS k1, l.family_name AS k2, l.participant_id AS k3, s.rowid AS k4
FROM steps s CROSS JOIN caseload_list l ON l.participant_id = s.participant_id
WHERE s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker' AND l.status IN ('active', 'paused') AND 1
ORDER BY s.due, l.preferred_name, l.family_name, l.participant_id, s.rowid
LIMIT :most) t
CROSS JOIN steps s ON s.rowid = t.record
CROSS JOIN caseload_list l ON l.participant_id = t.pid
ORDER BY t.k0, t.k1 COLLATE NOCASE, t.k2 COLLATE NOCASE, t.k3, t.k4""",
    "referrals": """SELECT r.id, r.participant_id, l.preferred_name, l.full_name, r."to", r."on", l.locality
FROM (SELECT r.rowid AS record, l.participant_id AS pid, r."on" AS k0, l.preferred_name AS k1, l.family_name AS k2, l.participant_id AS k3, r.rowid AS k4
FROM referrals r CROSS JOIN caseload_list l ON l.participant_id = r.participant_id
WHERE r.outcome = 'waiting' AND r."on" <= :before AND l.status IN ('active', 'paused') AND 1
ORDER BY r."on", l.preferred_name, l.family_name, l.participant_id, r.rowid
LIMIT :most) t
CROSS JOIN referrals r ON r.rowid = t.record
CROSS JOIN caseload_list l ON l.participant_id = t.pid
ORDER BY t.k0, t.k1 COLLATE NOCASE, t.k2 COLLATE NOCASE, t.k3, t.k4""",
    "follow_ups": """SELECT b.id, b.participant_id, l.preferred_name, l.full_name, b.follow_up_on, b.reason, l.locality
FROM pauses b CROSS JOIN caseload_list l ON l.participant_id = b.participant_id
WHERE b.ended_on IS NULL AND b.follow_up_on <= :last AND l.status IN ('active', 'paused') AND 1
ORDER BY b.follow_up_on, l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "groups": """SELECT id, activity, venue, "on"
FROM groups
WHERE "on" BETWEEN :today AND :last
ORDER BY "on", activity
LIMIT :most""",
    "quiet": """SELECT l.participant_id, l.preferred_name, l.full_name, l.last_contact_on, l.joined_on, l.locality
FROM caseload_list l
WHERE l.status = 'active' AND coalesce(l.last_contact_on, l.joined_on) <= :since AND 1 AND coalesce((CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) < :today_jd, 0) = 0
ORDER BY coalesce(l.last_contact_on, l.joined_on), l.preferred_name, l.family_name, l.participant_id
LIMIT :most""",
    "meetings_today_count": """SELECT count(*)
FROM appointments a CROSS JOIN caseload_list l ON l.participant_id = a.participant_id
WHERE a."on" = :today AND 1""",
    "meetings_later_count": """SELECT count(*)
FROM appointments a CROSS JOIN caseload_list l ON l.participant_id = a.participant_id
WHERE a."on" > :today AND a."on" <= :last AND 1""",
    "checkins_count": """SELECT overdue + later, overdue FROM (SELECT (SELECT count(*) FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        (CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) AS due
    FROM caseload_list l
    WHERE 1
) c WHERE due < :today_jd) AS overdue, (SELECT count(*) FROM (
    SELECT l.participant_id, l.preferred_name, l.full_name, l.family_name, l.locality,
        (CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) AS due
    FROM caseload_list l
    WHERE 1
) c WHERE due >= :today_jd AND due <= :last_jd AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.participant_id = c.participant_id AND a."on" >= :today)) AS later)""",
    "steps_count": """SELECT count(*)
FROM steps s CROSS JOIN caseload_list l ON l.participant_id = s.participant_id
WHERE s.done_on IS NULL AND s.due <= :last AND s.who = 'keyworker' AND l.status IN ('active', 'paused') AND 1""",
    "referrals_count": """SELECT count(*)
FROM referrals r CROSS JOIN caseload_list l ON l.participant_id = r.participant_id
WHERE r.outcome = 'waiting' AND r."on" <= :before AND l.status IN ('active', 'paused') AND 1""",
    "follow_ups_count": """SELECT count(*)
FROM pauses b CROSS JOIN caseload_list l ON l.participant_id = b.participant_id
WHERE b.ended_on IS NULL AND b.follow_up_on <= :last AND l.status IN ('active', 'paused') AND 1""",
    "groups_count": """SELECT count(*)
FROM groups
WHERE "on" BETWEEN :today AND :last""",
    "quiet_count": """SELECT count(*)
FROM caseload_list l
WHERE l.status = 'active' AND coalesce(l.last_contact_on, l.joined_on) <= :since AND 1 AND coalesce((CASE WHEN status = 'active'
    THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END) < :today_jd, 0) = 0""",
}
