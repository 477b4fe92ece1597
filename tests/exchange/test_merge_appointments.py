"""Meetings and breaks' follow-up days travel in the journey log: arranged, changed and removed
on one laptop, the same on the coordinator's; a meeting whose time is not a time is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Voice
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Event
from journeyapp.exchange.decisions import describe_all
from tests.conftest import TODAY

Laptop = Callable[..., Caseload]
CHOSEN_BY = "follow_up_chosen_by"


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


def test_who_chose_a_breaks_day_merges_as_any_field(laptop: Laptop) -> None:
    """Who chose the day to get in touch again is a field of its own: corrected on one laptop
    while whose words the reason is is corrected on the other, both changes land, no clash;
    a break without a day (no one chose one) merges too."""
    a, b = laptop("a"), laptop("b")
    pid = a.enrol_participant("Ama", "fife", joined_on=TODAY).id
    pause = a.pause(
        pid,
        on=TODAY,
        reason="moving house",
        follow_up_on=TODAY + timedelta(days=20),
        follow_up_chosen_by=Voice.TOGETHER,
    )
    # A break without a day has no one who chose it: merged as it is, not refused.
    other = a.enrol_participant("Bea", "fife", joined_on=TODAY).id
    a.pause(other, on=TODAY, reason="family first")
    b.exchange.merge_events(a.events())
    assert b.journey(pid).pauses[0].follow_up_chosen_by is Voice.TOGETHER
    assert b.journey(other).pauses[0].follow_up_chosen_by is None
    a.update_record("pauses", pause.id, follow_up_chosen_by=Voice.KEYWORKER)
    b.update_record("pauses", pause.id, voice=Voice.KEYWORKER)
    a.exchange.merge_events(b.events())
    b.exchange.merge_events(a.events())
    for laptop_ in (a, b):
        [merged] = laptop_.journey(pid).pauses
        assert (merged.voice, merged.follow_up_chosen_by) == (Voice.KEYWORKER, Voice.KEYWORKER)
        assert laptop_.exchange.decisions() == []  # no clash to decide
        assert laptop_.safety.problems() == []


def test_a_break_from_a_laptop_that_did_not_ask_who_chose_the_day_reads_as_its_voice(
    laptop: Laptop,
) -> None:
    a, coord = laptop("a"), laptop("coord")
    pid = a.enrol_participant("Ama", "fife", joined_on=TODAY).id
    a.pause(
        pid,
        on=TODAY,
        reason="moving house",
        voice=Voice.TOGETHER,
        follow_up_on=TODAY + timedelta(days=20),
    )
    # The events as a laptop before m019 wrote them: no field for who chose the day.
    older = [
        Event(**{**vars(e), "fields": {k: v for k, v in e.fields.items() if k != CHOSEN_BY}})
        for e in a.events()
    ]
    assert any(e.kind == "pauses" for e in older)
    coord.exchange.merge_events(older)
    [pause] = coord.journey(pid).pauses
    assert (pause.follow_up_chosen_by, pause.day_chosen_by) == (None, Voice.TOGETHER)
    assert coord.safety.problems() == []


def test_a_clash_on_who_chose_the_day_is_worded_as_a_choice(laptop: Laptop) -> None:
    """The same day's chooser changed on two laptops waits for a decision, worded as who chose
    it ("keyworker's choice"), not as whose words a note is ("Keyworker's note")."""
    a, b = laptop("a"), laptop("b")
    pid = a.enrol_participant("Ama", "fife", joined_on=TODAY).id
    pause = a.pause(pid, on=TODAY, follow_up_on=TODAY + timedelta(days=20))
    b.exchange.merge_events(a.events())
    a.update_record("pauses", pause.id, follow_up_chosen_by=Voice.KEYWORKER)
    b.update_record("pauses", pause.id, follow_up_chosen_by=Voice.TOGETHER)
    b.exchange.merge_events(a.events())
    [line] = describe_all(b, b.exchange.decisions())
    assert line.about.endswith("follow up chosen by")
    assert {line.here, line.incoming} == {repr("chosen together"), repr("keyworker's choice")}
    assert "note" not in line.text()
