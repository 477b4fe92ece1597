"""Who came to a group session is recorded once it has happened: a register for a session on a
day to come is refused in words about the session (its contacts' own check said "the day of the
contact … after today (did you mean last year?)"), and nothing is saved; a session that has
happened, with its register, does not move to a day to come."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Attendance, Contact, GroupSession

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _on_registers(caseload: Caseload) -> str:
    joined = caseload.today() - timedelta(days=200)
    pid = caseload.enrol_participant("Siobhán", "glasgow", joined).id
    caseload.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True)
    return pid


def _held(caseload: Caseload) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        len(caseload.all_records(cls)) for cls in (GroupSession, Attendance, Contact)
    )


@SETTINGS
@given(ahead=st.integers(min_value=1, max_value=300))
def test_a_register_for_a_session_to_come_is_refused_in_its_words(
    caseload: Caseload, ahead: int
) -> None:
    pid = _on_registers(caseload)
    before = _held(caseload)
    day = caseload.today() + timedelta(days=ahead)
    with pytest.raises(ValidationError) as refused:
        caseload.record_group_session("Cook and chat", on=day, attendees=[pid])
    said = refused.value.message
    assert "is after today: who came is recorded once it has happened" in said
    assert "contact" not in said
    assert "did you mean" not in said
    assert _held(caseload) == before  # nothing saved, the session neither
    # The session to come itself is fine, with no one on its register yet.
    caseload.record_group_session("Cook and chat", on=day)
    assert _held(caseload) == (before[0] + 1, before[1], before[2])


@SETTINGS
@given(ahead=st.integers(min_value=1, max_value=300), back=st.integers(min_value=0, max_value=60))
def test_a_session_that_happened_does_not_move_to_a_day_to_come(
    caseload: Caseload, ahead: int, back: int
) -> None:
    pid = _on_registers(caseload)
    today = caseload.today()
    session = caseload.record_group_session("Walk", on=today - timedelta(days=3), attendees=[pid])
    before = _held(caseload)
    with pytest.raises(ValidationError) as refused:
        caseload.correct_group_session(
            session.id, activity="Walk", venue="", on=today + timedelta(days=ahead)
        )
    assert "1 parent came to this session" in refused.value.message
    assert "did you mean" not in refused.value.message
    assert caseload.record(GroupSession.KIND, session.id).on == session.on  # type: ignore[attr-defined]
    assert _held(caseload) == before
    # To another day that has happened, it moves with its contacts.
    moved = caseload.correct_group_session(
        session.id, activity="Walk", venue="", on=today - timedelta(days=back)
    )
    assert moved.on == today - timedelta(days=back)
    made = [c for c in caseload.all_records(Contact) if c.group_session_id == session.id]
    assert [c.on for c in made] == [moved.on]
