"""Meetings and breaks' follow-up days travel in the journey log: arranged, changed and removed
on one laptop, the same on the coordinator's; a meeting whose time is not a time is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Event
from tests.conftest import TODAY

Laptop = Callable[..., Caseload]


def test_a_meeting_travels_with_its_changes_and_its_removal(laptop: Laptop) -> None:
    a, coord = laptop("a"), laptop("coord")
    pid = a.enrol_participant("Ama", "fife", joined_on=TODAY).id
    meeting = a.arrange_meeting(pid, TODAY + timedelta(days=2), time="10:00", place="Hub")
    a.update_record("appointments", meeting.id, time="11:30", with_whom="Morag")
    a.pause(pid, on=TODAY, reason="moving house", follow_up_on=TODAY + timedelta(days=20))
    coord.exchange.merge_events(a.events())
    assert coord.journey(pid).appointments == a.journey(pid).appointments
    assert coord.journey(pid).pauses[0].follow_up_on == TODAY + timedelta(days=20)
    assert coord.appointments_for(pid)[0].time == "11:30"
    a.delete_record("appointments", meeting.id)
    coord.exchange.merge_events(a.events())  # again: what it had is skipped, the removal taken
    assert coord.appointments_for(pid) == []
    assert coord.safety.problems() == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time", "25:99", "not a time of day"),
        ("minutes", "sixty", "not a sensible whole number"),
        ("on", "next Tuesday", "not a date"),
    ],
)
def test_a_meeting_that_is_not_one_is_refused_whole(
    laptop: Laptop, field: str, value: object, message: str
) -> None:
    a, coord = laptop("a"), laptop("coord")
    pid = a.enrol_participant("Ama", "fife", joined_on=TODAY).id
    a.arrange_meeting(pid, TODAY + timedelta(days=2), time="10:00")
    events = a.events()
    bad = next(i for i, e in enumerate(events) if e.kind == "appointments")
    altered = list(events)
    altered[bad] = Event(**{**vars(events[bad]), "fields": {**events[bad].fields, field: value}})
    with pytest.raises(ValidationError, match=message):
        coord.exchange.merge_events(altered)
    assert coord.counts()["appointments"] == 0
    assert coord.counts()["participants"] == 0
