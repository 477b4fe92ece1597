"""Merging a bundle file reads only the events the caseload lacks (store.bundle_merge), and ends
exactly as reading the whole bundle would: the same tables, the same counts, the same refusals."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.caseload.exchange import Exchange
from journeyapp.core import file_digests, key_derivation
from journeyapp.core.errors import JourneyError
from journeyapp.core.merge import REPLACED, MergeResult
from journeyapp.core.records import Event
from journeyapp.exchange.bundle import (
    merge_bundle,
    merge_bundles,
    read_bundle,
    read_sealed_bundle,
    write_bundle,
)
from journeyapp.store import bundle_merge, merged_bundles, search
from journeyapp.store import merge as store_merge
from journeyapp.store.bundle_file import SealedBundle
from tests.exchange.conftest import PASSPHRASE, _tables
from tests.exchange.test_hostile_bundles import Laptop, forge
from tests.exchange.test_merge import bundle


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


def _schema(coord: Caseload) -> list[tuple[str, str, str]]:
    """Every index and trigger, with its SQL."""
    return coord.db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        "ORDER BY type, name"
    ).fetchall()


@pytest.mark.parametrize("bulk", [None, 20], ids=["few-per-chunk", "indexes-dropped-once"])
def test_a_big_bundle_merged_in_chunks_ends_as_one_merge_of_every_event(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk: int | None
) -> None:
    a = laptop("a", 6, seed=8)
    pid = a.participants()[0].id
    for phone in ("07700 900301", "07700 900302", "07700 900303"):
        a.update_participant(pid, phone=phone)
    path = tmp_path / "a.jlb"
    write_bundle(a, path, PASSPHRASE)
    chunked, whole = laptop("chunked"), laptop("whole")
    schema = _schema(chunked)
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)  # many chunks, records split across them
    monkeypatch.setattr(bundle_merge, "PART", 3)  # and parts of chunks, read and checked
    dropped: list[int] = []
    if bulk is not None:
        # A bundle of more than BULK new events: the plain indexes and the caseload list's
        # triggers are dropped once before the first chunk and rebuilt once after the last.
        monkeypatch.setattr(store_merge, "BULK", bulk)
        deferring = store_merge.deferred_indexes

        @contextlib.contextmanager
        def watched(db: Any, incoming: int) -> Iterator[store_merge.DeferredIndexes]:
            with deferring(db, incoming) as deferred:
                dropped.append(len(deferred.dropped))
                yield deferred
                assert len(deferred.dropped) == dropped[-1]  # no chunk rebuilt any

        monkeypatch.setattr(store_merge, "deferred_indexes", watched)
    found = new_events(chunked, path)
    assert found is not None
    assert len(found[0]) > 7 * 10
    result = merge_bundle(chunked, path, PASSPHRASE)
    expected = whole.exchange.merge_events(read_bundle(path, PASSPHRASE)[1])
    assert (result.received, result.applied) == (expected.received, expected.applied)
    assert _tables(chunked.db) == _tables(whole.db)
    assert chunked.participant(pid).phone == "07700 900303"
    assert _schema(chunked) == schema  # every index and trigger back as it was
    if bulk is not None:
        assert len(dropped) == 1
        assert dropped[0] >= 3  # the journal's and the record tables' plain indexes

    # An erasure in a bundle bigger than one chunk: read whole (erasures come first).
    a.safety.erase_participant(pid, a.participant(pid).preferred_name)
    erased = tmp_path / "erased.jlb"
    write_bundle(a, erased, PASSPHRASE)
    assert new_events(laptop("fresh"), erased) is None
    assert new_events(whole, erased) is not None  # one new event: one chunk, merged as any


def test_big_bundles_merged_together_look_up_what_an_earlier_one_brought(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's ids are looked up only when something but its own bundle's earlier chunks
    wrote to the log since its new events were found: two bundles of the same events merged
    together (each found new before either merged) end as one merge of them."""
    a = laptop("a", 4, seed=12)
    first, second = bundle(a, tmp_path), bundle(a, again(tmp_path))
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)
    monkeypatch.setattr(bundle_merge, "PART", 3)
    looked_up: list[bool] = []
    known = bundle_merge.ChunkedEvents.known

    def watched(self: bundle_merge.ChunkedEvents, chunk: list[Event]) -> set[str] | None:
        found = known(self, chunk)
        looked_up.append(found is None)
        return found

    monkeypatch.setattr(bundle_merge.ChunkedEvents, "known", watched)
    total = len(read_bundle(first, PASSPHRASE)[1])
    together, alone = laptop("together"), laptop("alone")
    result = merge_bundles(together, [first, second], PASSPHRASE)
    assert (result.received, result.applied, result.already_had) == (2 * total, total, total)
    chunks = -(-total // 7)
    # The first bundle's chunks: none looked up; the second's: every one.
    assert looked_up == [False] * chunks + [True] * chunks
    merge_bundle(alone, first, PASSPHRASE)
    assert _tables(together.db) == _tables(alone.db)


def _outcome(read: Callable[[], SealedBundle | None]) -> tuple[str, ...]:
    """What a sealed read gives: refused (with its words), or the events' ids and the unsealed."""
    try:
        found = read()
        assert found is not None
        # Many new events are read (and checked) only as they are merged: here, all of them.
        ids = [e.event_id for e in found.events]
    except JourneyError as exc:
        return ("refused", type(exc).__name__, str(exc))
    return ("read", *ids, "unsealed:", *sorted(found.unsealed))


def both_reads(coord: Caseload, path: Path) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """The shortcut's sealed read and the whole sealed read of one bundle (the whole read's
    events limited to those the caseload lacks), and how many the shortcut found held here."""
    held = {r[0] for r in coord.db.execute("SELECT event_id FROM journey_log")}
    reading = coord.exchange.open_bundle(path, PASSPHRASE)
    assert reading is not None, "the shortcut declined"
    try:
        shortcut = _outcome(
            lambda: reading.sealed(coord.exchange.device_keys(), coord.exchange.enrolled_devices())
        )
        already = reading.total - len(reading.fresh)
    finally:
        reading.close()

    def whole_fresh() -> SealedBundle:
        found = read_sealed_bundle(coord, path, PASSPHRASE)
        fresh = [e for e in found.events if e.event_id not in held]
        return SealedBundle(found.info, fresh, found.unsealed - held, found.writer)

    return shortcut, _outcome(whole_fresh), already


def again(tmp_path: Path) -> Path:
    folder = tmp_path / "again"
    folder.mkdir(exist_ok=True)
    return folder


def tamper(path: Path, sql: str, *args: object) -> None:
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA key = '" + PASSPHRASE + "'")
    conn.execute(sql, list(args))
    conn.close()


def test_a_sealed_bundle_gives_the_same_refusals_by_the_shortcut_and_whole(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, coord = laptop("a", 3, seed=11), laptop("coord")
    merge_bundle(coord, bundle(a, tmp_path), PASSPHRASE)
    pid = a.participants()[0].id
    a.update_participant(pid, phone="07700 900111")
    a.enrol_participant("Newly met", "fife", joined_on=date(2026, 11, 2))
    good = bundle(a, again(tmp_path))
    shortcut, whole, already = both_reads(coord, good)
    assert shortcut == whole
    assert shortcut[0] == "read"
    assert already > 0
    assert shortcut[-1] == "unsealed:"  # everything from an enrolled laptop is vouched for
    events = read_bundle(good, PASSPHRASE)[1]
    held = {r[0] for r in coord.db.execute("SELECT event_id FROM journey_log")}
    fresh_number = next(
        n for n, e in enumerate(events, 1) if e.fields.get("phone") == "07700 900111"
    )
    assert events[fresh_number - 1].event_id not in held

    # A new event altered after sealing: both refuse, naming it, in the same words.
    altered = tmp_path / "altered.jlb"
    shutil.copy(good, altered)
    tamper(
        altered,
        "UPDATE events SET fields = replace(fields, '900111', '900666') WHERE seq = ?",
        fresh_number,
    )
    shortcut, whole, _ = both_reads(coord, altered)
    assert shortcut == whole
    assert re.search(rf"Event {fresh_number:,} \(update of .*does not carry the seal", whole[2])
    with pytest.raises(JourneyError, match="does not carry the seal"):
        merge_bundle(coord, altered, PASSPHRASE)

    # An event left out (with its mark): the bundle's seal does not hold, both say so.
    left_out = tmp_path / "left-out.jlb"
    shutil.copy(good, left_out)
    tamper(left_out, "DELETE FROM events WHERE seq = 2")
    tamper(left_out, "DELETE FROM seals WHERE seq = 2")
    shortcut, whole, _ = both_reads(coord, left_out)
    assert shortcut == whole
    assert "does not hold" in whole[2]

    # A mark changed (of an event held here): the bundle's seal, over every mark, fails too.
    remarked = tmp_path / "remarked.jlb"
    shutil.copy(good, remarked)
    tamper(remarked, "UPDATE seals SET vouched = 0 WHERE seq = 1")
    shortcut, whole, _ = both_reads(coord, remarked)
    assert shortcut == whole
    assert "does not hold" in whole[2]

    # An event with no mark at all: both name it.
    unmarked = tmp_path / "unmarked.jlb"
    shutil.copy(good, unmarked)
    tamper(unmarked, "UPDATE seals SET vouched = 7 WHERE seq = 3")
    shortcut, whole, _ = both_reads(coord, unmarked)
    assert shortcut == whole
    assert re.search(r"^Event 3 .*is not sealed by", whole[2])


def test_a_big_bundle_s_new_events_are_read_once_and_an_altered_one_refuses_the_merge(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, differential_merge: list[int]
) -> None:
    """Many new events are read, parsed and checked against their marks once, a chunk at a
    time as they are merged; one altered after sealing, in the last chunk, refuses the merge in
    the whole read's words, and nothing of the chunks merged before it stays."""
    a, coord = laptop("a", 4, seed=13), laptop("coord")
    path = bundle(a, tmp_path)
    events = read_bundle(path, PASSPHRASE)[1]
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)
    monkeypatch.setattr(bundle_merge, "PART", 3)
    assert len(events) > 3 * 7
    read: list[int] = []
    marked_rows = bundle_merge.BundleReading._marked_rows

    def counted(
        self: bundle_merge.BundleReading, rowids: Sequence[int], *, sealed: bool
    ) -> list[tuple[int, tuple[Any, ...], bool, str]]:
        read.extend(rowids)
        return marked_rows(self, rowids, sealed=sealed)

    monkeypatch.setattr(bundle_merge.BundleReading, "_marked_rows", counted)
    before = _tables(coord.db)
    altered = tmp_path / "altered.jlb"
    shutil.copy(path, altered)
    number = len(events) - 1
    tamper(altered, "UPDATE events SET actor = 'someone else' WHERE seq = ?", number)
    shortcut, whole, _ = both_reads(coord, altered)
    assert shortcut == whole
    assert re.search(rf"^Event {number:,} .*altered after the bundle was made", whole[2])
    with pytest.raises(JourneyError, match="altered after the bundle was made"):
        merge_bundle(coord, altered, PASSPHRASE)
    assert _tables(coord.db) == before
    read.clear()
    result = merge_bundle(coord, path, PASSPHRASE)
    assert result.applied == len(events)
    assert sorted(read) == list(range(1, len(events) + 1))  # each once
    assert differential_merge[0] == 1


def test_an_altered_copy_of_an_event_held_here_is_skipped_by_the_shortcut(
    laptop: Laptop, tmp_path: Path, differential_merge: list[int]
) -> None:
    """The one documented difference: the whole read refuses the bundle (the altered row no
    longer matches its mark); the shortcut never reads that row (it is skipped by its id, so
    it would change nothing) and merges the new events, exactly what was sealed."""
    a, coord, twin = laptop("a", 3, seed=12), laptop("coord"), laptop("twin")
    first = bundle(a, tmp_path)
    merge_bundle(coord, first, PASSPHRASE)
    merge_bundle(twin, first, PASSPHRASE)
    a.update_participant(a.participants()[0].id, phone="07700 900112")
    good = bundle(a, again(tmp_path))
    altered = tmp_path / "held-altered.jlb"
    shutil.copy(good, altered)
    tamper(altered, "UPDATE events SET actor = 'someone else' WHERE seq = 1")
    shortcut, whole, _ = both_reads(coord, altered)
    assert whole[0] == "refused"
    assert re.search(r"^Event 1 .*altered after", whole[2])
    assert shortcut == both_reads(coord, good)[0]  # the new events, as sealed
    merge_bundle(coord, altered, PASSPHRASE)
    merge_bundle(twin, good, PASSPHRASE)
    assert _tables(coord.db) == _tables(twin.db)


@pytest.mark.parametrize("chunk", [None, 7], ids=["read-at-once", "read-as-merged"])
def test_an_unenrolled_laptop_s_new_events_are_all_unsealed_either_way(
    laptop: Laptop,
    tmp_path: Path,
    differential_merge: list[int],
    monkeypatch: pytest.MonkeyPatch,
    chunk: int | None,
) -> None:
    if chunk is not None:
        monkeypatch.setattr(bundle_merge, "CHUNK", chunk)
        monkeypatch.setattr(bundle_merge, "PART", 3)
    a, coord = laptop("a", 2, seed=13, enrolled=False), laptop("coord")
    first = bundle(a, tmp_path)
    merge_bundle(coord, first, PASSPHRASE)
    a.enrol_participant("Newly met", "fife", joined_on=date(2026, 11, 2))
    second = bundle(a, again(tmp_path))
    shortcut, whole, already = both_reads(coord, second)
    assert shortcut == whole
    assert already > 0
    ids = shortcut[1 : shortcut.index("unsealed:")]
    assert ids
    assert sorted(ids) == list(shortcut[shortcut.index("unsealed:") + 1 :])
    before = differential_merge[0]
    result = merge_bundle(coord, second, PASSPHRASE)
    assert result.unsealed == len(ids)
    assert result.already_had == already
    assert differential_merge[0] == before + 1


def test_events_relayed_without_a_vouch_stay_unsealed_when_many_are_new(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, differential_merge: list[int]
) -> None:
    """A laptop passes on events it took in unsealed (its marks do not vouch for them): read
    a chunk at a time, they are found unvouched from the seals alone, as the whole read finds
    them."""
    outsider, b, coord = laptop("x", 1, seed=14, enrolled=False), laptop("b", 1), laptop("coord")
    merge_bundle(b, bundle(outsider, tmp_path), PASSPHRASE)
    relayed = {e.event_id for e in outsider.events()}
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)
    monkeypatch.setattr(bundle_merge, "PART", 3)
    path = bundle(b, again(tmp_path))
    shortcut, whole, _ = both_reads(coord, path)
    assert shortcut == whole
    assert set(shortcut[shortcut.index("unsealed:") + 1 :]) == relayed
    before = differential_merge[0]
    result = merge_bundle(coord, path, PASSPHRASE)
    assert result.unsealed == len(relayed)
    assert differential_merge[0] == before + 1


def noted(coord: Caseload) -> list[tuple[str, int]]:
    """The bundles noted as merged here (writer, event count)."""
    return coord.db.execute("SELECT writer, events FROM merged_bundles").fetchall()


def test_a_bundle_merged_again_is_recognised_by_its_file(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, coord = laptop("a", 3, seed=21), laptop("coord")
    first = bundle(a, tmp_path)
    total = len(read_bundle(first, PASSPHRASE)[1])
    result = merge_bundle(coord, first, PASSPHRASE)
    assert result.applied == total
    assert noted(coord) == [(a.device_id, total)]
    before = _tables(coord.db)

    # Again, the same file (the same SHA-256, the seal and writer noted, the writer still
    # enrolled): recognised; its events are not counted, no mark or event is read.
    def no_per_event_work(*_args: object) -> None:
        raise AssertionError("a recognised bundle's events or marks were looked at")

    with monkeypatch.context() as patch:
        patch.setattr(bundle_merge.BundleReading, "_count", no_per_event_work)
        patch.setattr(bundle_merge.BundleReading, "_seals_as_written", no_per_event_work)
        patch.setattr(bundle_merge.BundleReading, "_numbered", no_per_event_work)
        patch.setattr(bundle_merge.BundleReading, "_find_new", no_per_event_work)
        patch.setattr(bundle_merge.BundleReading, "_marked_rows", no_per_event_work)
        patch.setattr(bundle_merge.BundleReading, "_rows_match_marks", no_per_event_work)
        again = merge_bundle(coord, first, PASSPHRASE)
    assert (again.received, again.already_had, again.applied) == (total, total, 0)
    assert _tables(coord.db) == before

    # A copy whose bytes differ but whose events are all as sealed (the file rewritten, e.g.
    # vacuumed with the sqlcipher tool): every event is checked, then merged honestly.
    rewritten = tmp_path / "rewritten.jlb"
    shutil.copy(first, rewritten)
    tamper(rewritten, "VACUUM")
    assert rewritten.read_bytes() != first.read_bytes()
    honest = merge_bundle(coord, rewritten, PASSPHRASE)
    assert (honest.received, honest.already_had, honest.applied) == (total, total, 0)
    assert _tables(coord.db) == before

    # A copy with the same seal, writer and count but a mark changed (so its bytes differ):
    # not recognised; its seal is checked and does not hold.
    broken = tmp_path / "broken.jlb"
    shutil.copy(first, broken)
    tamper(broken, "UPDATE seals SET vouched = 0 WHERE seq = 2")
    with pytest.raises(JourneyError, match="does not hold"):
        merge_bundle(coord, broken, PASSPHRASE)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE events SET actor = 'someone else' WHERE seq = 2",
        "UPDATE events SET fields = fields || ' ' WHERE seq = 1",
        # An event given a new id: it would be new here, so it must not go unseen.
        "UPDATE events SET event_id = '11111111-2222-4333-8444-555555555555' WHERE seq = 3",
    ],
)
def test_a_tampered_copy_of_a_merged_bundle_is_refused_not_skipped(
    laptop: Laptop, tmp_path: Path, change: str
) -> None:
    """One event altered after sealing, the seal and the event count kept: not recognised as
    the bundle merged before (its bytes differ), and refused by the seal check, naming it."""
    a, coord = laptop("a", 2, seed=22), laptop("coord")
    first = bundle(a, tmp_path)
    merge_bundle(coord, first, PASSPHRASE)
    before = _tables(coord.db)
    altered = tmp_path / "altered.jlb"
    shutil.copy(first, altered)
    tamper(altered, change)
    assert len(read_bundle(altered, PASSPHRASE)[1]) == len(read_bundle(first, PASSPHRASE)[1])
    with pytest.raises(JourneyError, match=r"^Event [1-3] .*altered after"):
        merge_bundle(coord, altered, PASSPHRASE)
    assert _tables(coord.db) == before


def test_a_merged_bundle_with_any_one_byte_flipped_is_not_recognised(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One bit flipped anywhere in a bundle merged whole here (its salt, the encrypted header,
    any page's data, IV or HMAC, the last byte): the file is not recognised as the one merged,
    and the merge treats it as the bundle it is: refused as damaged or unsealed, or merged
    honestly with nothing new (a page the reads never needed), the caseload unchanged."""
    # Not compared with the whole read here (differential_merge undone): that refuses a file
    # with any damaged page, one the shortcut never needs to read too (it reads no page it
    # does not need, and SQLCipher checks every page it reads).
    monkeypatch.undo()
    monkeypatch.setattr(file_digests, "PART", 1000)  # many parts, as a big bundle has
    a, coord = laptop("a", 2, seed=27), laptop("coord")
    first = bundle(a, tmp_path)
    total = merge_bundle(coord, first, PASSPHRASE).applied
    assert noted(coord) == [(a.device_id, total)]
    before = _tables(coord.db)
    found: list[int | None] = []
    recognised = merged_bundles.recognised

    def spied(*args: Any) -> int | None:
        found.append(recognised(*args))
        return found[-1]

    monkeypatch.setattr(merged_bundles, "recognised", spied)
    assert merge_bundle(coord, first, PASSPHRASE).applied == 0
    assert found == [total]  # the very file: recognised
    data = first.read_bytes()
    page = 4096
    rng = random.Random(27)
    # The salt, the first encrypted byte, page 1's data and its HMAC, three pages' data, the
    # last page's IV and HMAC (each page ends with 16 bytes of IV and 64 of HMAC).
    places = {0, 16, 1000, page - 1, len(data) - 80, len(data) - 1}
    places |= {
        start + rng.randrange(page - 80) for start in rng.sample(range(page, len(data), page), 3)
    }
    outcomes = set()
    for at in sorted(places):
        flipped = bytearray(data)
        flipped[at] ^= 1 << rng.randrange(8)
        copy = tmp_path / f"flipped-{at}.jlb"
        copy.write_bytes(flipped)
        found.clear()
        try:
            result = merge_bundle(coord, copy, PASSPHRASE)
        except JourneyError:
            outcomes.add("refused")
        else:
            outcomes.add("merged")
            assert (result.received, result.applied) == (total, 0)
        assert all(held is None for held in found), at
        assert _tables(coord.db) == before, at
    assert "refused" in outcomes


def test_a_bundle_s_key_derived_ahead_opens_it_as_its_passphrase_does(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, coord = laptop("a", 2, seed=28), laptop("coord")
    first = bundle(a, tmp_path)
    given: list[bytes | None] = []
    derived = key_derivation.derived

    def spied(path: Path, passphrase: str) -> bytes | None:
        given.append(derived(path, passphrase))
        return given[-1]

    monkeypatch.setattr(key_derivation, "derived", spied)
    key_derivation.begin(first, PASSPHRASE)  # as `journeyapp merge` does
    result = merge_bundle(coord, first, PASSPHRASE)
    assert result.applied == len(read_bundle(first, PASSPHRASE)[1])
    assert given[0] is not None  # opened with the key derived ahead
    # A wrong passphrase derived ahead: refused as any wrong passphrase is.
    key_derivation.begin(first, "not the passphrase")
    with pytest.raises(JourneyError, match="passphrase"):
        merge_bundle(coord, first, "not the passphrase")


def test_a_bundle_is_noted_only_when_every_event_of_it_landed(
    laptop: Laptop, tmp_path: Path
) -> None:
    # From a laptop not enrolled here: its seal cannot be checked here, so it is never noted.
    stranger, coord = laptop("stranger", 2, seed=23, enrolled=False), laptop("coord")
    merge_bundle(coord, bundle(stranger, tmp_path), PASSPHRASE)
    assert noted(coord) == []
    # An erasure in it: the erasure event itself is not appended as merged events are, so the
    # bundle is not noted (merging it again takes the per-event way, with the same outcome).
    a = laptop("a", 2, seed=24)
    pid = a.participants()[0].id
    a.safety.erase_participant(pid, a.participant(pid).preferred_name)
    erased = bundle(a, again(tmp_path))
    result = merge_bundle(coord, erased, PASSPHRASE)
    assert result.erased == 0 or noted(coord) == []
    again_result = merge_bundle(coord, erased, PASSPHRASE)
    assert again_result.applied == 0


def test_a_bundle_that_cannot_be_read_again_mid_merge_changes_nothing(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, coord = laptop("a", 3, seed=25), laptop("coord")
    path = bundle(a, tmp_path)
    before = _tables(coord.db)
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)
    calls = [0]
    read_chunk = bundle_merge.ChunkedEvents._chunk

    def fails_on_the_second(self: bundle_merge.ChunkedEvents, start: int) -> list[Event]:
        calls[0] += 1
        if calls[0] == 2:
            raise sqlcipher.DatabaseError("file is not a database")
        return read_chunk(self, start)

    monkeypatch.setattr(bundle_merge.ChunkedEvents, "_chunk", fails_on_the_second)

    # Not compared with a whole read on a copy (differential_merge): that one reads the file
    # once, before merging, so nothing fails there.
    def merge_only(self: Exchange, bundles: Sequence[SealedBundle]) -> MergeResult:
        return self._merge_all([(b.events, b.unsealed, b.receipt) for b in bundles])

    monkeypatch.setattr(Exchange, "merge_sealed", merge_only)
    with pytest.raises(JourneyError, match=r"could not be read again while it was merged"):
        merge_bundle(coord, path, PASSPHRASE)
    assert calls[0] == 2
    assert _tables(coord.db) == before
    assert noted(coord) == []


def _search_entries(db: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """What search finds, comparable across two caseloads: each parent's names, and each text
    with its parent, record and field (the entries' own numbers left out)."""
    names = db.execute("SELECT participant_id, names FROM participant_search").fetchall()
    texts = db.execute(
        "SELECT t.text, p.participant_id, f.kind, k.record_id, f.field FROM text_search_keys k "
        "JOIN text_search_parents p ON p.id = k.parent JOIN text_search_fields f "
        "ON f.id = k.field JOIN text_search t ON t.rowid = k.id"
    ).fetchall()
    return sorted(names, key=repr), sorted(texts, key=repr)


def test_words_changed_in_a_later_chunk_are_searched_as_after_one_merge(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big bundle's records whose names or notes change in a later chunk than the one that
    made them: their old words leave the search index and their new ones are found, as after
    one merge of every event, though the index of the keys' record ids is built only at the
    end (many records taken out at once, store.search._unindex_many)."""
    a = laptop("a", 6, seed=8)
    contacts = [r[0] for r in a.db.execute("SELECT id FROM contacts ORDER BY id LIMIT 8")]
    for n, contact_id in enumerate(contacts):
        a.update_record("contacts", contact_id, note=f"Went to the allotment together {n}")
    for n, parent in enumerate(a.participants()):
        a.update_participant(parent.id, preferred_name=f"Renamed{n}")
    path = tmp_path / "a.jlb"
    write_bundle(a, path, PASSPHRASE)
    chunked, whole = laptop("chunked"), laptop("whole")
    schema = _schema(chunked)
    monkeypatch.setattr(bundle_merge, "CHUNK", 7)
    monkeypatch.setattr(bundle_merge, "PART", 3)
    monkeypatch.setattr(store_merge, "BULK", 20)  # every plain index dropped once
    monkeypatch.setattr(search, "_CHUNK", 2)  # more than a few records: taken out at once
    many: list[int] = []
    unindex_many = search._unindex_many

    def counted(db: Any, kind: str, record_ids: Sequence[str]) -> None:
        many.append(len(record_ids))
        unindex_many(db, kind, record_ids)

    monkeypatch.setattr(search, "_unindex_many", counted)
    merge_bundle(chunked, path, PASSPHRASE)
    whole.exchange.merge_events(read_bundle(path, PASSPHRASE)[1])
    assert many  # records made in one chunk and changed in a later one, taken out at once
    assert _search_entries(chunked.db) == _search_entries(whole.db)
    assert search.problems(chunked.db) == []
    assert _schema(chunked) == schema  # the keys' indexes back as they were
    assert len(search.find_parents(chunked.db, "Renamed")) == len(a.participants())
    assert search.search_everything(chunked.db, "allotment", names=False)
