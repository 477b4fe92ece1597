"""A merge does not fail because of whose clock is right.

A record is checked as if typed in here or, failing that, as if typed in on the day it was last
written, on the clock of the laptop that wrote it: a bundle whose records were valid where they
were typed merges whole, whatever the two clocks say, by either merge path (the shortcut, a
chunk at a time, and the whole read: the same records); one that holds a date in the future
for both laptops is still refused. Events written on a laptop whose clock was ahead are merged
as written, and the merge says so.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.core.enums import Voice
from journeyapp.core.errors import ValidationError
from journeyapp.core.merge import MergeResult
from journeyapp.core.records import BY_KIND, Contact
from journeyapp.demo import build_demo
from journeyapp.exchange.bundle import (
    merge_bundle,
    read_bundle,
    read_sealed_bundle,
    write_bundle,
)
from journeyapp.store import bundle_merge
from journeyapp.store.merge_checks import MergeRefused
from tests.clock import real_today, ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE, _tables
from tests.exchange.test_cli import COORDINATOR
from tests.exchange.test_hostile_bundles import forge

Laptop = Callable[..., Caseload]


def at(c: Caseload, day: date) -> Caseload:
    """`c` with its clock set to noon on `day` (and ticking)."""
    c.clock = ticking_clock(day)
    return c


def records(c: Caseload) -> dict[str, int]:
    """How many records of each kind, and journey-log events."""
    return {k: n for k, n in c.counts().items() if k in BY_KIND or k == "journey_log"}


def note(result: MergeResult) -> str:
    return result.clock_note()


def test_a_laptop_whose_clock_is_ahead_has_its_bundle_merged_whole(
    laptop: Laptop, tmp_path: Path, differential_merge: list[int]
) -> None:
    ahead = TODAY + timedelta(days=100)
    aileen = at(laptop("aileen"), ahead)
    build_demo(aileen, participants=3, seed=4, today=ahead)  # every date up to its own today
    pid = aileen.enrol_participant("Joined today", "fife").id  # joined on its today
    aileen.log_contact(pid)
    coord = laptop("coord")  # today is TODAY: 100 days behind Aileen's laptop
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    events = len(read_bundle(path, PASSPHRASE)[1])

    result = merge_bundle(coord, path, PASSPHRASE)  # refused before: "... is in the future"

    assert result.applied == events
    assert records(coord) == records(aileen)
    assert coord.participant(pid).joined_on == ahead
    assert (result.ahead, result.ahead_laptops) == (events, frozenset({"aileen's laptop"}))
    assert note(result) == (
        f"{events:,} of the new events were written on a laptop whose clock was ahead of this "
        f"one (the latest on {long_date(ahead)}; today here is {long_date(TODAY)}). They were "
        "merged as written. Check the date and time on this laptop, and on the laptop that "
        "wrote them (aileen's laptop)."
    )
    assert differential_merge[0] == 1  # the whole read, on a copy, merged the same records
    again = merge_bundle(coord, path, PASSPHRASE)
    assert (again.applied, again.ahead, note(again)) == (0, 0, "")


def test_a_coordinator_whose_clock_is_behind_merges_a_right_laptop_s_bundle(
    laptop: Laptop, tmp_path: Path
) -> None:
    aileen = laptop("aileen", 3, seed=6)  # today is TODAY, as it should be
    coord = at(laptop("coord"), TODAY - timedelta(days=400))  # a clock a year and more behind
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    result = merge_bundle(coord, path, PASSPHRASE)
    assert records(coord) == records(aileen)
    assert result.ahead == result.applied
    assert f"today here is {long_date(TODAY - timedelta(days=400))}" in note(result)


def test_the_merge_command_merges_a_bundle_from_a_laptop_ahead_and_says_so(
    tmp_path: Path,
) -> None:
    """`journeyapp merge` runs on the real clock: the laptop is 100 days ahead of it."""
    ahead = real_today() + timedelta(days=100)
    aileen = Caseload.open(tmp_path / "aileen.db", create=True, plain=True, actor="aileen")
    aileen.clock = ticking_clock(ahead)
    build_demo(aileen, participants=2, seed=3, today=ahead)
    code = aileen.exchange.enrolment_code()
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    aileen.close()
    events = len(read_bundle(path, PASSPHRASE)[1])
    db = ["--db", str(tmp_path / "coord.db")]
    runner = CliRunner(
        env={"JOURNEYAPP_PASSPHRASE": COORDINATOR, "JOURNEYAPP_BUNDLE_PASSPHRASE": PASSPHRASE}
    )
    for command in (["new", *db], ["devices", *db, "--enrol", code, "--name", "Aileen's laptop"]):
        made = runner.invoke(cli, command)
        assert made.exit_code == 0, made.output

    merged = runner.invoke(cli, ["merge", *db, str(path)])

    assert merged.exit_code == 0, merged.output  # refused before: "... is in the future"
    assert merged.stdout.splitlines() == [
        f"{events:,} events received; {events:,} new; 0 already here; 0 edits need a decision.",
        f"{events:,} of the new events were written on a laptop whose clock was ahead of this "
        f"one (the latest on {long_date(ahead)}; today here is {long_date(real_today())}). "
        "They were merged as written. Check the date and time on this laptop, and on the "
        "laptop that wrote them (Aileen's laptop).",
    ]
    again = runner.invoke(cli, ["import", *db, str(path)])  # a bundle imported: the same merge
    assert again.stdout.splitlines() == [
        f"{events:,} events received; 0 new; {events:,} already here; 0 edits need a decision."
    ]


def test_a_clock_a_few_hours_ahead_is_not_mentioned(laptop: Laptop, tmp_path: Path) -> None:
    aileen = laptop("aileen")
    aileen.clock = ticking_clock(TODAY, hour=20)
    aileen.enrol_participant("Evening", "fife")
    coord = laptop("coord")  # noon the same day
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    result = merge_bundle(coord, path, PASSPHRASE)
    assert result.applied > 0
    assert (result.ahead, note(result)) == (0, "")


def test_a_date_in_the_future_where_it_was_typed_is_still_refused(
    laptop: Laptop, tmp_path: Path
) -> None:
    ahead = TODAY + timedelta(days=100)
    aileen = at(laptop("aileen"), ahead)
    pid = aileen.enrol_participant("Ava", "fife", joined_on=ahead - timedelta(days=30)).id
    aileen.log_contact(pid, on=ahead - timedelta(days=2))
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    events = read_bundle(path, PASSPHRASE)[1]
    contact = next(e for e in events if e.kind == Contact.KIND)
    # The same contact dated 10 days after the day its laptop wrote it: impossible there.
    later = (ahead + timedelta(days=10)).isoformat()
    forged = [
        dataclasses.replace(e, fields={**e.fields, "on": later}) if e is contact else e
        for e in events
    ]
    for coordinator_day in (TODAY, ahead, ahead + timedelta(days=5)):
        coord = at(laptop(f"coord-{coordinator_day}"), coordinator_day)
        with pytest.raises(MergeRefused, match=rf"Contact date {later} is in the future"):
            merge_bundle(coord, forge(tmp_path / f"{coordinator_day}.jlb", forged), PASSPHRASE)
        assert coord.counts()["journey_log"] == 0
    # Once that day has passed here too it is taken, as it always was.
    coord = at(laptop("coord-later"), ahead + timedelta(days=11))
    merge_bundle(coord, forge(tmp_path / "later.jlb", forged), PASSPHRASE)
    assert [c.on.isoformat() for c in coord.journey(pid).contacts] == [later]


def test_records_typed_while_a_laptop_s_clock_was_wrong_then_put_right(
    laptop: Laptop, tmp_path: Path
) -> None:
    """A laptop a month ahead, then put right: what it typed on the wrong days is still its
    own to change there, and merges whole on a coordinator whose clock is right."""
    ahead = TODAY + timedelta(days=30)
    aileen = at(laptop("aileen"), ahead)
    pid = aileen.enrol_participant("Ava", "fife").id  # joined "today": 30 days ahead
    aileen.record_milestone(pid, "first_meeting")
    at(aileen, TODAY)  # the clock put right
    aileen.update_participant(pid, phone="07700 900123")  # refused before: joined_on ahead
    aileen.log_contact(pid, note="after the clock was put right")
    with pytest.raises(ValidationError, match=r"^The day they joined, .* is after today"):
        aileen.update_participant(pid, joined_on=TODAY + timedelta(days=3))  # typed now
    coord = laptop("coord")
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    result = merge_bundle(coord, path, PASSPHRASE)
    assert records(coord) == records(aileen)
    assert coord.participant(pid).phone == "07700 900123"
    typed_ahead = [e for e in aileen.events() if e.at[:10] == ahead.isoformat()]
    assert result.ahead == len(typed_ahead) >= 2  # the parent and the milestone, at least
    # The coordinator can change such a record too, keeping its date.
    coord.update_participant(pid, keyworker="Ben")
    assert coord.participant(pid).joined_on == ahead


def test_relayed_through_a_coordinator_whose_clock_is_behind(
    laptop: Laptop, tmp_path: Path
) -> None:
    ahead = TODAY + timedelta(days=60)
    aileen = at(laptop("aileen"), ahead)
    build_demo(aileen, participants=2, seed=9, today=ahead)
    first, second = at(laptop("first"), TODAY), at(laptop("second"), TODAY - timedelta(days=3))
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    merge_bundle(first, path, PASSPHRASE)
    first.update_participant(aileen.participants()[0].id, keyworker="Relayed edit")
    relayed = tmp_path / "first.jlb"
    write_bundle(first, relayed, PASSPHRASE)
    result = merge_bundle(second, relayed, PASSPHRASE)
    assert records(second) == records(first)
    # Aileen's events keep her laptop's clock, and the first coordinator's edit its own: both
    # ahead of the second coordinator's, which is three days behind the first's.
    assert result.ahead == records(aileen)["journey_log"] + 1
    assert result.ahead_laptops == frozenset({"aileen's laptop", "first's laptop"})
    assert note(result) == (
        f"{result.ahead:,} of the new events were written on laptops whose clocks were ahead "
        f"of this one (the latest on {long_date(ahead)}; today here is "
        f"{long_date(TODAY - timedelta(days=3))}). They were merged as written. Check the date "
        "and time on this laptop, and on the laptops that wrote them (aileen's laptop and "
        "first's laptop)."
    )


def _both_paths(
    folder: Path, path: Path, writer: Caseload, day: date
) -> tuple[Caseload, MergeResult, Caseload, MergeResult]:
    """The bundle merged into two new coordinators at `day`: by the shortcut (a chunk at a time
    when bundle_merge.CHUNK is small) and read whole."""
    made = []
    for name in ("shortcut", "whole"):
        c = Caseload.open(folder / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(day)
        c.exchange.enrol_code(writer.exchange.enrolment_code(), "the writer's laptop")
        made.append(c)
    shortcut, whole = made
    by_shortcut = merge_bundle(shortcut, path, PASSPHRASE)
    by_whole = whole.exchange.merge_sealed([read_sealed_bundle(whole, path, PASSPHRASE)])
    return shortcut, by_shortcut, whole, by_whole


def _outcome(result: MergeResult) -> tuple[Any, ...]:
    return (result.applied, result.ahead, result.ahead_latest, result.ahead_laptops)


def test_a_big_bundle_from_a_laptop_ahead_merges_the_same_in_chunks_and_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)  # many chunks, records split across them
    ahead = TODAY + timedelta(days=45)
    writer = Caseload.open(tmp_path / "writer.db", create=True, plain=True, actor="writer")
    writer.clock = ticking_clock(ahead)
    build_demo(writer, participants=4, seed=2, today=ahead)
    path = tmp_path / "writer.jlb"
    write_bundle(writer, path, PASSPHRASE)
    shortcut, by_shortcut, whole, by_whole = _both_paths(tmp_path, path, writer, TODAY)
    try:
        assert by_shortcut.applied > 7 * 10
        assert _tables(shortcut.db) == _tables(whole.db)
        assert _outcome(by_shortcut) == _outcome(by_whole)
        assert by_shortcut.ahead == by_shortcut.applied
        assert records(shortcut) == records(writer)
    finally:
        for c in (writer, shortcut, whole):
            c.close()


# -- the invariant, for any clocks ------------------------------------------------------------

DAYS = st.integers(min_value=-3 * 365, max_value=3 * 365)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    typed_on=st.lists(DAYS, min_size=1, max_size=3),
    coordinator=DAYS,
    chunk=st.sampled_from([5, 50_000]),
    seed=st.integers(0, 50),
)
def test_any_clock_skew_merges_what_was_valid_where_typed_the_same_way_on_both_paths(
    typed_on: list[int], coordinator: int, chunk: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For any clock skew between the writer (whose clock may also move, back or on, between
    its entries) and the coordinator, a bundle of records that were valid where they were
    typed merges completely, and the same records result by the shortcut and the whole read."""
    monkeypatch.setattr(bundle_merge, "CHUNK", chunk)
    folder = Path(tempfile.mkdtemp(prefix="journeyapp-clocks-"))
    writer = Caseload.open(folder / "writer.db", create=True, plain=True, actor="writer")
    opened = [writer]
    try:
        first: str | None = None
        for n, offset in enumerate(typed_on):
            day = TODAY + timedelta(days=offset)
            writer.clock = ticking_clock(day)
            if n == 0:
                build_demo(writer, participants=2, seed=seed, today=day)
            pid = writer.enrol_participant(f"Parent {n}", "fife").id  # joined "today" there
            writer.log_contact(pid, note=f"typed on {day}")
            writer.record_milestone(pid, "first_meeting", voice=Voice.TOGETHER)
            if first is not None:
                writer.update_participant(first, phone=f"07700 90000{n}")  # a record kept
            first = first or pid
        path = folder / "writer.jlb"
        write_bundle(writer, path, PASSPHRASE)
        events = read_bundle(path, PASSPHRASE)[1]
        here = TODAY + timedelta(days=coordinator)
        shortcut, by_shortcut, whole, by_whole = _both_paths(folder, path, writer, here)
        opened += [shortcut, whole]

        assert by_shortcut.applied == by_whole.applied == len(events)  # completely
        assert records(shortcut) == records(writer)
        assert _tables(shortcut.db) == _tables(whole.db)  # the same records either way
        assert _outcome(by_shortcut) == _outcome(by_whole)
        latest = max(TODAY + timedelta(days=d) for d in typed_on)
        if latest >= here + timedelta(days=2):
            assert by_shortcut.ahead > 0
            assert by_shortcut.ahead_latest is not None
            assert by_shortcut.ahead_latest.date() == latest
            assert f"today here is {long_date(here)}" in by_shortcut.clock_note()
        elif latest <= here:
            assert (by_shortcut.ahead, by_shortcut.clock_note()) == (0, "")
    finally:
        for c in opened:
            c.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_record_refused_in_a_later_chunk_is_named_as_the_whole_read_names_it(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)
    aileen = laptop("aileen", 3, seed=2)
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    events = read_bundle(path, PASSPHRASE)[1]
    number, contact = [(n, e) for n, e in enumerate(events, 1) if e.kind == Contact.KIND][-1]
    assert number > 7 * 3
    later = (TODAY + timedelta(days=30)).isoformat()
    events[number - 1] = dataclasses.replace(contact, fields={**contact.fields, "on": later})
    # (The differential fixture merges it whole on a copy too: the same words, or it fails.)
    with pytest.raises(MergeRefused, match=rf"^Event {number:,} .*{later} is in the future"):
        merge_bundle(laptop("coord"), forge(tmp_path / "bad.jlb", events), PASSPHRASE)
    # A bundle of which all but its last few events are here already: the same, by its number
    # in the bundle (the shortcut reads only the new ones).
    coord = laptop("coord-again")
    good = read_bundle(path, PASSPHRASE)[1]
    merge_bundle(coord, forge(tmp_path / "good.jlb", good), PASSPHRASE)
    bad = dataclasses.replace(
        contact, event_id="11111111-2222-4333-8444-555555555555", record_id=str(uuid.uuid4())
    )
    bad = dataclasses.replace(bad, fields={**bad.fields, "id": bad.record_id, "on": later})
    with pytest.raises(MergeRefused, match=rf"^Event {len(good) + 1:,} .*{later} is in the future"):
        merge_bundle(coord, forge(tmp_path / "more.jlb", [*good, bad]), PASSPHRASE)
