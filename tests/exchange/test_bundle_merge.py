"""Merging a bundle file reads only the events the caseload lacks (store.bundle_merge), and ends
exactly as reading the whole bundle would: the same tables, the same counts, the same refusals."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.merge import REPLACED
from journeyapp.core.records import Event
from journeyapp.exchange.bundle import merge_bundle, read_bundle, write_bundle
from journeyapp.store import bundle_merge
from tests.exchange.conftest import PASSPHRASE, _tables
from tests.exchange.test_hostile_bundles import Laptop, forge


def new_events(coord: Caseload, path: Path) -> tuple[list[Event], int] | None:
    """What the shortcut finds new in a bundle, and how many events it holds (None: read whole)."""
    reading = coord.exchange.open_bundle(path, PASSPHRASE)
    if reading is None:
        return None
    try:
        return [e for chunk in reading.chunks() for e in chunk], reading.total
    finally:
        reading.close()


def test_only_new_events_are_read_and_a_re_merge_changes_nothing(
    laptop: Laptop, tmp_path: Path, differential_merge: list[int]
) -> None:
    a, coord = laptop("a", 4, seed=3), laptop("coord")
    first = tmp_path / "first.jlb"
    write_bundle(a, first, PASSPHRASE)
    everything = read_bundle(first, PASSPHRASE)[1]
    assert new_events(coord, first) == (everything, len(everything))
    result = merge_bundle(coord, first, PASSPHRASE)
    assert result.applied == len(everything)

    # Again: nothing is new, nothing is read, nothing changes.
    before = _tables(coord.db)
    assert new_events(coord, first) == ([], len(everything))
    again = merge_bundle(coord, first, PASSPHRASE)
    assert (again.received, again.already_had, again.applied) == (
        len(everything),
        len(everything),
        0,
    )
    assert _tables(coord.db) == before

    # A few more events on the laptop: its whole log again, and only those few come out.
    a.enrol_participant("Newly met", "fife", joined_on=date(2026, 11, 2))
    pid = a.participants()[0].id
    a.update_participant(pid, phone="07700 900111")
    second = tmp_path / "second.jlb"
    write_bundle(a, second, PASSPHRASE)
    whole = read_bundle(second, PASSPHRASE)[1]
    found = new_events(coord, second)
    assert found is not None
    fresh = [e for e in whole if e.event_id not in {x.event_id for x in everything}]
    assert found == (fresh, len(whole))
    assert 0 < len(fresh) < 10
    result = merge_bundle(coord, second, PASSPHRASE)
    assert result.received == len(whole)
    assert result.applied == len(fresh)
    assert coord.participant(pid).phone == "07700 900111"
    assert differential_merge[0] == 3  # each merge above was also run whole, on a copy


def test_what_the_shortcut_cannot_vouch_for_is_read_whole(laptop: Laptop, tmp_path: Path) -> None:
    a, coord = laptop("a", 2, seed=5), laptop("coord")
    good = tmp_path / "good.jlb"
    write_bundle(a, good, PASSPHRASE)
    merge_bundle(coord, good, PASSPHRASE)
    events = read_bundle(good, PASSPHRASE)[1]
    pid = a.participants()[0].id
    # An edit written before edits said what they replaced: its meaning needs the whole log.
    legacy = dataclasses.replace(
        next(e for e in events if e.record_id == pid),
        event_id="11111111-2222-4333-8444-555555555555",
        action="update",
        fields={"phone": "07700 900222"},
    )
    assert REPLACED not in legacy.fields
    assert new_events(coord, forge(tmp_path / "old.jlb", [*events, legacy])) is None
    # A wrong passphrase, a missing file and a file that is not a bundle: read whole (which
    # says what is wrong).
    assert coord.exchange.open_bundle(good, "not the passphrase at all") is None
    assert new_events(coord, tmp_path / "missing.jlb") is None
    plain = tmp_path / "plain.db"
    other = Caseload.open(plain, create=True, plain=True)
    other.close()
    assert new_events(coord, plain) is None
    # Nothing stays attached: the caseload's connection has only its own database.
    names = [r[1] for r in coord.db.execute("PRAGMA database_list").fetchall()]
    assert names == ["main"] or names == ["main", "temp"]


def test_a_big_bundle_merged_in_chunks_ends_as_one_merge_of_every_event(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = laptop("a", 6, seed=8)
    pid = a.participants()[0].id
    for phone in ("07700 900301", "07700 900302", "07700 900303"):
        a.update_participant(pid, phone=phone)
    path = tmp_path / "a.jlb"
    write_bundle(a, path, PASSPHRASE)
    chunked, whole = laptop("chunked"), laptop("whole")
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)  # many chunks, records split across them
    found = new_events(chunked, path)
    assert found is not None
    assert len(found[0]) > 7 * 10
    result = merge_bundle(chunked, path, PASSPHRASE)
    expected = whole.exchange.merge_events(read_bundle(path, PASSPHRASE)[1])
    assert (result.received, result.applied) == (expected.received, expected.applied)
    assert _tables(chunked.db) == _tables(whole.db)
    assert chunked.participant(pid).phone == "07700 900303"

    # An erasure in a bundle bigger than one chunk: read whole (erasures come first).
    a.safety.erase_participant(pid, a.participant(pid).preferred_name)
    erased = tmp_path / "erased.jlb"
    write_bundle(a, erased, PASSPHRASE)
    assert new_events(laptop("fresh"), erased) is None
    assert new_events(whole, erased) is not None  # one new event: one chunk, merged as any
