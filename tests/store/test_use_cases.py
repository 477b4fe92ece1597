"""Every use case writes its records and journey-log events in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.core.enums import (
    ConsentPurpose,
    Decision,
    GoalStatus,
    Pace,
    ParticipantStatus,
    ReferralOutcome,
    Rhythm,
    StrengthOrBarrier,
)
from journeyapp.core.errors import NotFound, ValidationError

TODAY = date(2026, 11, 28)


def _enrol(caseload: Caseload, name: str = "Siobhán", **details: Any) -> str:
    return caseload.enrol_participant(name, "glasgow", date(2026, 3, 2), **details).id


def _every_use_case(caseload: Caseload, pid: str) -> list[Callable[[], object]]:
    goal_holder: dict[str, str] = {}

    def add_goal() -> object:
        goal = caseload.add_goal(pid, "I want to feel less nervous", area="confidence")
        goal_holder["goal"] = goal.id
        return goal

    def add_step() -> object:
        step = caseload.add_step(goal_holder["goal"], "Go to the Tuesday group")
        goal_holder["step"] = step.id
        return step

    session: dict[str, str] = {}

    def create_session() -> object:
        s = caseload.create_group_session("Cook and chat", venue="Family hub")
        session["id"] = s.id
        return s

    return [
        lambda: caseload.update_participant(pid, phone="07700 900123"),
        lambda: caseload.set_stage(pid, "getting_connected"),
        lambda: caseload.add_child(pid, birth_year=2021, childcare_needs="Nursery place"),
        lambda: caseload.record_consent(pid, ConsentPurpose.REFERRALS, True, how_recorded="verbal"),
        lambda: caseload.record_consent(pid, ConsentPurpose.REFERRALS, False),
        lambda: caseload.add_strength(pid, "Brilliant with kids"),
        lambda: caseload.add_strength(pid, "Bus fares", kind=StrengthOrBarrier.BARRIER),
        add_goal,
        lambda: caseload.set_goal_status(goal_holder["goal"], GoalStatus.WORKING_ON_IT),
        add_step,
        lambda: caseload.complete_step(goal_holder["step"]),
        lambda: caseload.choose_service(pid, "money_advice", Decision.CHOSEN),
        lambda: caseload.choose_service(
            pid, "group_activities", Decision.NOT_FOR_ME_NOW, reason="Not ready for groups yet"
        ),
        lambda: caseload.change_pace(pid, Pace.GENTLY, Rhythm.FORTNIGHTLY, reason="Kids first"),
        lambda: caseload.pause(pid, reason="Moving house"),
        lambda: caseload.resume(pid),
        lambda: caseload.record_milestone(pid, "joined_group", note="Big step"),
        lambda: caseload.record_assessment(pid, {"confidence": 3, "wellbeing": 4}),
        lambda: caseload.log_contact(pid, venue="Library"),
        lambda: caseload.refer(pid, "Citizens Advice", reason="Debt worries"),
        lambda: caseload.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True),
        create_session,
        lambda: caseload.record_attendance(session["id"], [pid]),
        lambda: caseload.add_feedback(
            "More evening sessions", participant_id=pid, we_did="Added Thursday evenings"
        ),
    ]


def test_every_use_case_appends_events_in_its_own_transaction(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    heard: list[Changes] = []
    caseload.subscribe(heard.append)
    for use_case in _every_use_case(caseload, pid):
        before = caseload.events()
        use_case()
        new = caseload.events()[len(before) :]
        assert new, use_case
        assert len({e.txn for e in new}) == 1
        assert heard[-1].kinds == {e.kind for e in new}
    assert len(heard) == len(_every_use_case(caseload, pid))
    journey = caseload.journey(pid)
    assert journey.participant.phone == "07700 900123"
    assert [s.kind for s in journey.strengths] == ["strength", "barrier"]
    assert journey.goals[0].status is GoalStatus.WORKING_ON_IT
    assert journey.steps[0].done_on == TODAY
    assert {c.decision for c in journey.choices} == {Decision.CHOSEN, Decision.NOT_FOR_ME_NOW}
    assert journey.pauses[0].ended_on == TODAY
    assert journey.participant.status is ParticipantStatus.ACTIVE
    assert [c.kind for c in journey.contacts] == ["one_to_one", "group"]
    assert not caseload.has_consent(pid, ConsentPurpose.REFERRALS)


def test_consented_lists_exactly_the_parents_has_consent_says_yes_for(
    demo_caseload: Caseload,
) -> None:
    for purpose in ConsentPurpose:
        expected = {
            p.id for p in demo_caseload.participants() if demo_caseload.has_consent(p.id, purpose)
        }
        assert demo_caseload.consented(purpose) == expected
    assert demo_caseload.consented(ConsentPurpose.GROUP_REGISTERS)  # the demo has some


def test_a_failure_midway_leaves_nothing(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    counts = caseload.counts()
    # The stage record is written before the participant update fails validation.
    with pytest.raises(ValidationError):
        caseload.set_stage(pid, "no_such_stage")
    with pytest.raises(ValidationError), caseload.batch():
        caseload.log_contact(pid)
        caseload.record_milestone(pid, "won_the_lottery")
    assert caseload.counts() == counts


def test_the_database_rejects_a_broken_write_without_half_saving(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    counts = caseload.counts()
    caseload.db.execute(
        "CREATE TRIGGER no_contacts BEFORE INSERT ON contacts "
        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    with pytest.raises(Exception, match=r"(?i)could not save"), caseload.batch():
        caseload.record_milestone(pid, "joined_group")
        caseload.log_contact(pid)
    assert caseload.counts() == counts


def test_future_dates_and_unknown_records_are_refused(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    with pytest.raises(ValidationError, match="is after today"):
        caseload.log_contact(pid, on=TODAY + timedelta(days=1))
    with pytest.raises(NotFound):
        caseload.log_contact("no-such-parent")


def test_search_is_accent_insensitive_both_ways(caseload: Caseload) -> None:
    siobhan = _enrol(caseload, "Siobhán", full_name="Siobhán Ní Bhriain")
    zoe = _enrol(caseload, "Zoe", full_name="Zoe Fernhill")
    assert [r.id for r in caseload.caseload("siobhan")] == [siobhan]
    assert [r.id for r in caseload.caseload("SIOB")] == [siobhan]
    assert [r.id for r in caseload.caseload("ni bhr")] == [siobhan]
    assert [r.id for r in caseload.caseload("zoë")] == [zoe]
    assert caseload.caseload('"; DROP TABLE participants; --') == []
    assert [p.id for p in caseload.find_participants("hriai")] == [siobhan]
    lucja = _enrol(caseload, "Łucja", full_name="Łucja Øvergaard")
    assert [r.id for r in caseload.caseload("lucja")] == [lucja]
    assert [r.id for r in caseload.caseload("ŁUC overg")] == [lucja]
    assert [p.id for p in caseload.find_participants("lucja ov")] == [lucja]


def test_caseload_filters_and_overdue(caseload: Caseload) -> None:
    a = _enrol(caseload, "Amira")
    b = caseload.enrol_participant("Blessing", "fife", date(2026, 3, 2), keyworker="Isla").id
    caseload.change_pace(a, Pace.STEADY, Rhythm.WEEKLY)
    caseload.log_contact(a, on=TODAY - timedelta(days=10))
    caseload.log_contact(b, on=TODAY - timedelta(days=2))
    assert [r.id for r in caseload.caseload(overdue_only=True)] == [a]
    row = caseload.caseload("amira")[0]
    assert row.next_checkin_on == TODAY - timedelta(days=3)
    assert row.last_contact_on == TODAY - timedelta(days=10)
    assert row.overdue is True
    assert row.pace is Pace.STEADY
    assert [r.id for r in caseload.caseload(locality="fife")] == [b]
    assert [r.id for r in caseload.caseload(keyworker="Isla")] == [b]
    assert [r.id for r in caseload.caseload(stage="getting_started")] == [a, b]
    caseload.pause(a, reason="Family illness")
    assert [r.id for r in caseload.caseload(status="paused")] == [a]
    assert caseload.caseload(overdue_only=True) == []  # a pause is never overdue


def test_undo_reverses_the_last_change_and_logs_it(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    caseload.log_contact(pid, note="First chat")
    goal = caseload.add_goal(pid, "Get my confidence back")
    caseload.update_goal(goal.id, words="Get my confidence back, bit by bit")
    assert caseload.undo_description == "change a goal"
    caseload.undo()
    assert caseload.journey(pid).goals[0].words == "Get my confidence back"
    caseload.undo()
    assert caseload.journey(pid).goals == ()
    caseload.delete_record("contacts", caseload.journey(pid).contacts[0].id)
    caseload.undo()
    assert caseload.journey(pid).contacts[0].note == "First chat"
    actions = [e.action for e in caseload.events(pid)]
    assert actions.count("delete") == 2
    assert actions[-1] == "create"


def test_referral_outcome_and_group_consent(caseload: Caseload) -> None:
    pid = _enrol(caseload)
    referral = caseload.refer(pid, "Local college", service="vocational_training")
    caseload.set_referral_outcome(referral.id, ReferralOutcome.ATTENDED)
    assert caseload.journey(pid).referrals[0].outcome is ReferralOutcome.ATTENDED
    session = caseload.create_group_session("Walking group")
    with pytest.raises(ValidationError, match="has not agreed to be on group registers"):
        caseload.record_attendance(session.id, [pid])
    assert caseload.attendance(session.id) == []


def test_demo_caseload_is_varied_and_every_parent_has_events(demo_caseload: Caseload) -> None:
    rows = demo_caseload.caseload()
    assert len(rows) == 30
    assert demo_caseload.is_demo
    with_events = {e.participant_id for e in demo_caseload.events()}
    assert {r.id for r in rows} <= with_events
    assert len({r.stage for r in rows}) >= 4
    assert len({r.locality for r in rows}) >= 4
    assert any(
        r.preferred_name != r.preferred_name.encode("ascii", "ignore").decode() for r in rows
    )
    assert demo_caseload.safety.problems() == []
