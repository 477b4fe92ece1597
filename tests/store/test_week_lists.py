"""This week's steps and referrals (a whole caseload's chosen by their order's columns first, a
keyworker's from their parents outwards) against a plain Python reading of the same records."""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus, ReferralOutcome
from journeyapp.store import this_week as store_week
from tests.clock import ticking_clock
from tests.conftest import TODAY

_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_ONGOING = {ParticipantStatus.ACTIVE.value, ParticipantStatus.PAUSED.value}
LAST = TODAY + timedelta(days=6)
BEFORE = TODAY - timedelta(days=14)


def _mine(keyworker: str | None, kw: str | None) -> bool:
    return kw is None or (keyworker or "").translate(_NOCASE) in (kw.translate(_NOCASE), "")


def _reference(c: Caseload, kw: str | None, most: int) -> dict[str, tuple[list[Any], int]]:
    parents = {
        pid: (name, full, family, status, keyworker, locality)
        for pid, name, full, family, status, keyworker, locality in c.db.execute(
            "SELECT participant_id, preferred_name, full_name, family_name, status, keyworker, "
            "locality FROM caseload_list"
        ).fetchall()
    }

    def wanted(pid: str) -> bool:
        _name, _full, _family, status, keyworker, _locality = parents[pid]
        return status in _ONGOING and _mine(keyworker, kw)

    def key(day: str, pid: str, rowid: int) -> tuple[Any, ...]:
        name, _full, family, _status, _kw, _locality = parents[pid]
        return (day, name.translate(_NOCASE), family.translate(_NOCASE), pid, rowid)

    steps = [
        (
            key(due, pid, rowid),
            (sid, pid, parents[pid][0], parents[pid][1], what, due, parents[pid][5]),
        )
        for rowid, sid, pid, what, who, due, done in c.db.execute(
            "SELECT rowid, id, participant_id, what, who, due, done_on FROM steps"
        ).fetchall()
        if done is None
        and due is not None
        and due <= LAST.isoformat()
        and who == "keyworker"
        and wanted(pid)
    ]
    referrals = [
        (key(on, pid, rowid), (rid, pid, parents[pid][0], parents[pid][1], to, on, parents[pid][5]))
        for rowid, rid, pid, to, on, outcome in c.db.execute(
            'SELECT rowid, id, participant_id, "to", "on", outcome FROM referrals'
        ).fetchall()
        if outcome == ReferralOutcome.WAITING.value and on <= BEFORE.isoformat() and wanted(pid)
    ]
    found = {}
    for name, rows in (("steps", steps), ("referrals", referrals)):
        rows.sort(key=lambda pair: pair[0])
        listed = [row for _key, row in rows]
        found[name] = (listed if most < 0 else listed[:most], len(listed))
    return found


_names = st.sampled_from(["Ana", "ana", "ANA", "Ben", "Zoë", "Liam"])
_families = st.sampled_from(["", "Ana Moore", "Ana moore", "Ana Boyd", "Ó Neill Quinn"])
_keyworkers = st.sampled_from(["", "Morag", "morag", "Kim"])
_statuses = st.sampled_from(list(ParticipantStatus))
_steps = st.lists(
    st.tuples(
        st.sampled_from(["keyworker", "me"]),
        st.sampled_from([None, -5, 0, 0, 3, 3, 8]),  # days that repeat: ties
        st.booleans(),
    ),
    max_size=4,
)
_referrals = st.lists(
    st.tuples(st.sampled_from([-30, -20, -20, -3]), st.sampled_from(list(ReferralOutcome))),
    max_size=3,
)


@settings(max_examples=60, deadline=None)
@given(
    parents=st.lists(
        st.tuples(_names, _families, _keyworkers, _statuses, _steps, _referrals),
        min_size=1,
        max_size=8,
    ),
    kw=st.sampled_from([None, "Morag", "kim"]),
    most=st.sampled_from([-1, 1, 3]),
)
def test_steps_and_referrals_are_listed_and_counted_as_the_records_say(
    parents: list[Any], kw: str | None, most: int
) -> None:
    c = Caseload.open(None)
    c.clock = ticking_clock(TODAY)
    try:
        for name, full, keyworker, status, steps, referrals in parents:
            pid = c.enrol_participant(
                name, "fife", TODAY - timedelta(days=60), full_name=full, keyworker=keyworker
            ).id
            if steps:
                goal = c.add_goal(pid, "Something to work on")
                for who, due, done in steps:
                    on = TODAY + timedelta(days=due) if due is not None else None
                    step = c.add_step(goal.id, "A step", who, on)
                    if done:
                        c.complete_step(step.id, on=TODAY)
            for days, outcome in referrals:
                referral = c.refer(pid, "Money Matters", on=TODAY + timedelta(days=days))
                if outcome is not ReferralOutcome.WAITING:
                    c.set_referral_outcome(referral.id, outcome)
            if status is not ParticipantStatus.ACTIVE:
                c.set_status(pid, status)
        asked = store_week.statements(TODAY, LAST, BEFORE, TODAY - timedelta(days=30), kw, most)
        wanted = _reference(c, kw, most)
        for name in ("steps", "referrals"):
            listed = store_week.ask(c.db, asked[name])
            assert (listed, store_week.count(c.db, asked[f"{name}_count"])) == wanted[name]
    finally:
        c.close()
