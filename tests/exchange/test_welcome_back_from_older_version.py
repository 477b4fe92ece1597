"""A welcome back from a laptop on a version before the day they came back was kept (m021):
its events say the status went back to active (with the day as `ended_on`, when one was
given) but carry no `came_back_on`. Merged, the welcome back gets its day all the same, from
the event's own day, as m021 reads such a log on the laptop itself; an ending undone on the
day, on the laptop that ended it, is no welcome back. Every device that merges it agrees."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus
from journeyapp.exchange.bundle import merge_bundle, read_bundle, write_bundle
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE
from tests.store.test_the_day_they_came_back import _welcome_back_as_before

Laptop = Callable[..., Caseload]
S = ParticipantStatus


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def test_a_welcome_back_without_its_day_gets_the_day_of_its_event_at_the_coordinator(
    laptop: Laptop, tmp_path: Path
) -> None:
    old, coord, other = laptop("older version"), laptop("coord"), laptop("another laptop")
    ended, back = TODAY - timedelta(days=40), TODAY - timedelta(days=20)
    given = old.enrol_participant("Ada", "fife", TODAY - timedelta(days=200)).id
    on_the_day = old.enrol_participant("Bea", "fife", TODAY - timedelta(days=200)).id
    undone = old.enrol_participant("Cal", "fife", TODAY - timedelta(days=200)).id
    old.clock = ticking_clock(TODAY - timedelta(days=30))  # endings recorded a while ago
    for pid in (given, on_the_day):
        old.end_journey(pid, S.MOVED_ON, on=ended)
    old.clock = ticking_clock(TODAY)
    old.end_journey(undone, S.CLOSED)  # today: then undone, as the older version wrote it
    _welcome_back_as_before(old, given, back)
    _welcome_back_as_before(old, on_the_day, None)
    _welcome_back_as_before(old, undone, None)
    path = _bundle(old, tmp_path)
    sent = [e for e in read_bundle(path, PASSPHRASE)[1] if e.kind == "participants"]
    backs = [e for e in sent if e.action == "update" and e.fields.get("status") == "active"]
    assert len(backs) == 3
    assert not any("came_back_on" in e.fields for e in backs)

    merge_bundle(coord, path, PASSPHRASE)
    expected = {given: back, on_the_day: TODAY, undone: None}
    for device in (coord,):
        found = {pid: device.participant(pid) for pid in expected}
        assert {pid: p.came_back_on for pid, p in found.items()} == expected
        assert {p.status for p in found.values()} == {S.ACTIVE}
        assert {p.ended_on for p in found.values()} == {None}
    assert not merge_bundle(coord, path, PASSPHRASE).changed_anything
    # Passed on by the coordinator, or straight from the laptop: the same days.
    merge_bundle(other, _bundle(coord, tmp_path), PASSPHRASE)
    assert {pid: other.participant(pid).came_back_on for pid in expected} == expected
    assert coord.exchange.decisions() == []
    assert other.exchange.decisions() == []
