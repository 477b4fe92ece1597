"""This week lists exactly what is due on a fixed day: each kind, and none of the near misses."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import Section, this_week
from journeyapp.core import derived
from journeyapp.core.enums import Pace, ParticipantStatus, Rhythm, Voice
from tests.caseload.week_caseload import build
from tests.clock import ticking_clock
from tests.conftest import TODAY


def _texts(week: object, key: str) -> list[str]:
    return [line.text for line in week.group(key).lines]  # type: ignore[attr-defined]


def test_each_group_lists_exactly_what_is_due(caseload: Caseload) -> None:
    made = build(caseload, TODAY)
    week = this_week(caseload)
    assert week.today == TODAY  # from the caseload clock
    assert week.last == TODAY + timedelta(days=6)
    assert _texts(week, "today") == ["Amira · 14:00 at the Hub, with Kim"]
    assert _texts(week, "week") == ["Beth · Tue 1 Dec 10:00"]
    assert _texts(week, "checkins") == [
        "Dan · check-in due since 16 Nov",
        "Cara · check-in due since 22 Nov",
    ]
    assert _texts(week, "steps") == [
        "Amira · “Ask about Tuesday” · was due 27 Nov",
        "Amira · “Phone the nursery” · due 1 Dec",
    ]
    assert _texts(week, "referrals") == [
        "Cara · referral to Money Matters · waiting since 8 Nov (20 days)"
    ]
    assert _texts(week, "breaks") == [
        "Fay · get in touch again on 30 Nov (Fay's choice) · “back after the move”"
    ]
    assert _texts(week, "groups") == ["Sun 29 Nov · Coffee morning at Community centre"]
    assert _texts(week, "quiet") == ["Eve · last contact 14 Oct (45 days)"]
    # Each line names the record and the place it opens.
    where = {(line.kind, line.record_id, line.section) for line in week.lines}
    r = made.records
    assert ("appointments", r["meeting today"], Section.MEETINGS) in where
    assert ("appointments", r["meeting thursday"], Section.MEETINGS) in where
    assert ("steps", r["step late"], Section.GOALS) in where
    assert ("referrals", r["referral waiting"], Section.REFERRALS) in where
    assert ("pauses", r["break fay"], Section.PACE) in where
    assert ("groups", r["group tomorrow"], None) in where
    owners = {line.name: line.participant_id for line in week.lines if line.participant_id}
    assert owners == {n: made.parents[n] for n in ("Amira", "Beth", "Cara", "Dan", "Eve", "Fay")}
    assert sum(line.overdue for line in week.lines) == 3  # two check-ins and one step
    assert week.summary() == "1 meeting today · 2 check-ins due · 2 of your steps due"


def test_a_break_to_follow_up_says_who_chose_the_day_and_whose_the_reason_is(
    caseload: Caseload,
) -> None:
    """A break listed said the parent "asked to hear from you" and quoted its reason as theirs,
    whoever chose the day or gave the reason. Now who chose the day is said as the Pace tab
    says it, and a keyworker's note is marked as theirs."""
    made = build(caseload, TODAY)
    kay = caseload.enrol_participant("Kay", "glasgow", joined_on=TODAY - timedelta(days=90)).id
    caseload.pause(
        kay,
        on=TODAY - timedelta(days=10),
        reason="waiting to hear about the flat",
        voice=Voice.KEYWORKER,
        follow_up_on=TODAY,
        follow_up_chosen_by=Voice.TOGETHER,
    )
    lee = caseload.enrol_participant("Lee", "glasgow", joined_on=TODAY - timedelta(days=90)).id
    caseload.pause(
        lee,
        on=TODAY - timedelta(days=10),
        follow_up_on=TODAY + timedelta(days=1),
        follow_up_chosen_by=Voice.KEYWORKER,
    )
    assert _texts(this_week(caseload), "breaks") == [
        "Kay · get in touch again today (chosen together) · "
        "“waiting to hear about the flat” (keyworker's note)",
        "Lee · get in touch again on 29 Nov (keyworker's choice)",
        "Fay · get in touch again on 30 Nov (Fay's choice) · “back after the move”",
    ]
    # A break merged from a laptop that did not ask who chose the day reads as its voice.
    caseload.db.execute(
        "UPDATE pauses SET follow_up_chosen_by = NULL WHERE id = ?", [made.records["break fay"]]
    )
    assert _texts(this_week(caseload), "breaks")[-1] == (
        "Fay · get in touch again on 30 Nov (Fay's choice) · “back after the move”"
    )


def test_the_referral_wait_is_a_setting(caseload: Caseload) -> None:
    build(caseload, TODAY)
    caseload.settings.set_referral_wait_days(4)
    texts = _texts(this_week(caseload), "referrals")
    assert [t.split(" · ")[1] for t in texts] == [
        "referral to Money Matters",
        "referral to College",
    ]
    assert this_week(caseload).group("referrals").title == "Referrals waiting more than 4 days"


def test_a_day_later_the_week_moves_on(caseload: Caseload) -> None:
    build(caseload, TODAY)
    week = this_week(caseload, TODAY + timedelta(days=1))
    assert _texts(week, "today") == []
    assert _texts(week, "groups") == [
        "Sun 29 Nov · Coffee morning at Community centre",
        "Sat 5 Dec · Coffee morning",
    ]
    # Beth's meeting next week is now within seven days.
    assert _texts(week, "week") == ["Beth · Tue 1 Dec 10:00", "Beth · Sat 5 Dec 10:00"]


def test_an_empty_caseload_says_what_to_do_first(caseload: Caseload) -> None:
    week = this_week(caseload, date(2027, 6, 15))
    assert not week.lines
    assert week.group("today").empty == "No parents yet."
    assert week.summary() == "No parents in this caseload yet: This week says how to begin."
    # Your name set in Settings before any parent: no record spells it otherwise.
    named = this_week(caseload, date(2027, 6, 15), keyworker="Aileen")
    assert named.keyworker == "Aileen"
    assert not named.nobody_theirs
    # Nor when the first parents were enrolled before it was set (no keyworker noted).
    caseload.enrol_participant("Siobhán", "fife", joined_on=TODAY)
    assert not this_week(caseload, date(2027, 6, 15), keyworker="Aileen").nobody_theirs
    caseload.enrol_participant("Kelly", "fife", joined_on=TODAY, keyworker="Ben")
    assert this_week(caseload, date(2027, 6, 15), keyworker="Aileen").nobody_theirs


def test_this_week_is_the_keyworkers_own(caseload: Caseload) -> None:
    made = build(caseload, TODAY)
    caseload.update_participant(made.parents["Cara"], keyworker="Ben")
    caseload.update_participant(made.parents["Amira"], keyworker="morag")
    mine = this_week(caseload, keyworker="Morag")
    names = {line.name for line in mine.lines if line.name}
    # Cara is Ben's; Amira is Morag's (case aside); the rest have no keyworker noted.
    assert names == {"Amira", "Beth", "Dan", "Eve", "Fay"}
    assert mine.keyworker == "Morag"
    everyone = this_week(caseload, keyworker="")
    assert "Cara" in {line.name for line in everyone.lines}
    assert everyone.keyworker == ""


def test_a_long_group_lists_the_first_and_counts_the_rest(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeyapp.caseload import this_week as module

    build(caseload, TODAY)
    monkeypatch.setattr(module, "MOST_LINES", 1)
    week = this_week(caseload)
    checkins = week.group("checkins")
    assert [line.name for line in checkins.lines] == ["Dan"]
    assert (checkins.more, checkins.count) == (1, 2)
    assert week.overdue == 2
    assert week.group("steps").count == 2
    assert week.summary() == "1 meeting today · 2 check-ins due · 2 of your steps due"


def test_an_overdue_check_in_stays_listed_and_shared_names_get_an_initial(
    caseload: Caseload,
) -> None:
    made = build(caseload, TODAY)
    # A meeting arranged does not hide a check-in already overdue (the list counts it too).
    caseload.arrange_meeting(made.parents["Cara"], TODAY + timedelta(days=2), time="09:00")
    names = [line.name for line in this_week(caseload).group("checkins").lines]
    assert names == ["Dan", "Cara"]
    assert this_week(caseload).overdue == caseload.caseload_outline().overdue == 2
    # The group counts the week's check-ins, the summary those whose day has passed: the group's
    # title says up to when, so the two numbers never read as one ("Check-ins due by Fri 4 Dec").
    week = this_week(caseload)
    assert week.group("checkins").title == "Check-ins due by Fri 4 Dec"
    assert "2 check-ins due" in week.summary()
    # Two parents called Sam are told apart as the caseload list does.
    for family in ("Kerr", "Lee"):
        pid = caseload.enrol_participant(
            "Sam", "fife", joined_on=TODAY - timedelta(days=90), full_name=f"Sam {family}"
        ).id
        caseload.arrange_meeting(pid, TODAY, time="16:00")
    today = [line.text for line in this_week(caseload).group("today").lines]
    assert today[1:] == ["Sam K. · 16:00", "Sam L. · 16:00"]
    # Two Jolene Quillans are told apart by their locality, as in the list.
    for where in ("fife", "glasgow"):
        pid = caseload.enrol_participant(
            "Jolene", where, joined_on=TODAY - timedelta(days=90), full_name="Jolene Quillan"
        ).id
        caseload.arrange_meeting(pid, TODAY, time="17:00")
    today = [line.text for line in this_week(caseload).group("today").lines]
    assert sorted(today[3:]) == ["Jolene Q., Fife · 17:00", "Jolene Q., Glasgow · 17:00"]


def test_this_weeks_questions_are_answered_from_their_indexes(caseload: Caseload) -> None:
    # The m008 indexes write out store.queries.DUE_JD and the keyworker expression: if either
    # drifts, SQLite quietly stops using the index and This week scans every parent again.
    from journeyapp.store import this_week as sql

    build(caseload, TODAY)
    week = TODAY + timedelta(days=6)
    for kw, wanted in ((None, "idx_caseload_list_due"), ("Morag", "idx_caseload_list_keyworker")):
        asked = sql.statements(TODAY, week, TODAY, TODAY, kw, 100)
        for name in ("checkins", "checkins_count", "quiet"):
            text, params = asked[name]
            plan = " ".join(
                str(r[-1]) for r in caseload.db.execute("EXPLAIN QUERY PLAN " + text, params)
            )
            expected = "idx_caseload_list_quiet" if name == "quiet" and kw is None else wanted
            assert expected in plan, (kw, name, plan)


@settings(max_examples=80, deadline=None)
@given(
    joined=st.integers(min_value=-400, max_value=0),
    contact=st.none() | st.integers(min_value=0, max_value=400),
    rhythm=st.none() | st.sampled_from(list(Rhythm)),
    status=st.sampled_from([ParticipantStatus.ACTIVE, ParticipantStatus.MOVED_ON]),
    meeting=st.none() | st.integers(min_value=-3, max_value=10),
    later=st.integers(min_value=0, max_value=10),
    back=st.none() | st.integers(min_value=0, max_value=400),
    welcomed=st.booleans(),
)
def test_one_parent_is_listed_exactly_as_the_rules_say(
    joined: int,
    contact: int | None,
    rhythm: Rhythm | None,
    status: ParticipantStatus,
    meeting: int | None,
    later: int,
    back: int | None,
    welcomed: bool,
) -> None:
    # The SQL (and its m008 and m021 indexes) against derived.next_checkin_due, on any day:
    # `back`, the day they came back (welcomed back after their journey ended, or a break
    # ended), counts when it is after the last contact.
    c = Caseload.open(None)
    c.clock = ticking_clock(TODAY)
    try:
        joined_on = TODAY + timedelta(days=joined)
        pid = c.enrol_participant("Prop", "glasgow", joined_on).id
        last_contact = None
        if contact is not None:
            last_contact = min(joined_on + timedelta(days=contact), TODAY)
            c.log_contact(pid, on=last_contact)
        if rhythm is not None:
            c.change_pace(pid, Pace.STEADY, rhythm, on=joined_on)
        back_on = None
        if back is not None:
            back_on = min(joined_on + timedelta(days=back), TODAY)
            if welcomed:
                c.end_journey(pid, ParticipantStatus.CLOSED, on=joined_on)
                c.reopen_journey(pid, on=back_on)
            else:
                c.pause(pid, on=joined_on)
                c.resume(pid, on=back_on)
        if status is not ParticipantStatus.ACTIVE:
            c.set_status(pid, status)
        today = TODAY + timedelta(days=later)
        on = today + timedelta(days=meeting) if meeting is not None else None
        if on is not None:
            c.arrange_meeting(pid, on, time="10:00")
        week = this_week(c, today, keyworker="")
        end = today + timedelta(days=6)
        due = derived.next_checkin_due(rhythm, last_contact, joined_on, status, back_on)
        assert c.journey(pid).next_checkin_on(today) == due
        [row] = c.caseload(today=today)
        assert (row.next_checkin_on, row.overdue) == (due, derived.is_overdue(due, today))
        arranged = on is not None and on >= today
        listed = due is not None and due <= end and (due < today or not arranged)
        checkins = week.group("checkins").lines
        assert [line.participant_id for line in checkins] == ([pid] if listed else [])
        assert [line.overdue for line in checkins] == ([due < today] if listed else [])
        assert week.overdue == int(derived.is_overdue(due, today))
        quiet = (
            status is ParticipantStatus.ACTIVE
            and derived.checkin_since(last_contact, joined_on, back_on)
            <= today - timedelta(days=30)
            and not derived.is_overdue(due, today)
        )
        assert [line.participant_id for line in week.group("quiet").lines] == (
            [pid] if quiet else []
        )
        # Counted from the day the check-ins count from (welcomed back, or a break ended).
        assert [line.day for line in week.group("quiet").lines] == (
            [derived.checkin_since(last_contact, joined_on, back_on)] if quiet else []
        )
        assert len(week.group("today").lines) == int(on == today)
        assert len(week.group("week").lines) == int(on is not None and today < on <= end)
    finally:
        c.close()


def test_the_demos_days_to_get_in_touch_are_chosen_by_each_of_them(tmp_path: Path) -> None:
    """The demo's breaks are the parents' (and so are their reasons); the days to get in touch
    again were all the parent's choice too. Now some were agreed together and a few suggested by
    the keyworker, and This week says so; a break without a day has no one who chose it."""
    from journeyapp.demo import build_demo

    c = Caseload.open(tmp_path / "demo.db", create=True, demo=True, clock=ticking_clock(TODAY))
    try:
        build_demo(c, participants=200, seed=5, today=TODAY)
        pauses = [p for j in map(c.journey, (p.id for p in c.caseload())) for p in j.pauses]
        assert {p.voice for p in pauses} == {Voice.PARENT}
        assert all((p.follow_up_on is None) == (p.follow_up_chosen_by is None) for p in pauses)
        assert {p.follow_up_chosen_by for p in pauses if p.follow_up_on} == set(Voice)
        lines = [line.text for line in this_week(c).group("breaks").lines]
        assert any(
            line.endswith("(keyworker's choice)") or "(keyworker's choice) ·" in line
            for line in lines
        ), lines
    finally:
        c.close()
