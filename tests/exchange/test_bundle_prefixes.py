"""A bundle that starts with the events of a bundle from the same laptop merged whole here (its
first marks digest as that bundle's did, store.merged_bundles) has only the rest looked up
(store.bundle_merge), and ends exactly as the full merge: the same tables, the same counts, the
same refusals, whether it shares, extends, diverges from or rewrites the earlier bundle, and
whichever laptop sealed it."""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError
from journeyapp.core.records import Event
from journeyapp.exchange.bundle import merge_bundle, read_bundle
from journeyapp.store import bundle_file, bundle_merge, merged_bundles
from journeyapp.store.records import encode_event_fields, event_rows
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE, _made_here
from tests.exchange.test_merge import bundle

# A bundle to merge: whose log (before or after the laptop erased a parent), how many of its
# events, which one (if any) is altered into another event, and who seals it ("a": laptop a,
# its writer; "b": laptop b, relaying a's events; "forged": b's key, a's name).
Spec = tuple[str, int, int | None, str]


@dataclasses.dataclass
class World:
    """Laptop a's log before and after it erased a parent, the laptops' keys and device ids, a
    coordinator's caseload (both laptops enrolled) to copy, and a folder for bundles."""

    logs: dict[str, list[Event]]
    keys: dict[str, bytes]
    devices: dict[str, str]
    coordinator: Path
    folder: Path
    erasable: str  # a parent in a's first log, for the coordinator to erase


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from journeyapp.demo import build_demo

    folder = tmp_path_factory.mktemp("prefixes")
    opened = []

    def make(name: str, participants: int, seed: int) -> Caseload:
        c = Caseload.open(folder / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        if participants:
            build_demo(c, participants=participants, seed=seed, today=TODAY)
        opened.append(c)
        return c

    a, b, coord = make("a", 3, 31), make("b", 0, 1), make("coord", 0, 1)
    for one in (a, b):
        coord.exchange.enrol_code(one.exchange.enrolment_code(), f"{one.actor}'s laptop")
    first = read_bundle(bundle(a, folder), PASSPHRASE)[1]
    parents = a.participants()
    a.update_participant(parents[1].id, phone="07700 900401")
    a.safety.erase_participant(parents[0].id, parents[0].preferred_name)
    a.update_participant(parents[2].id, phone="07700 900402")
    later = read_bundle(bundle(a, folder), PASSPHRASE)[1]
    world = World(
        logs={"first": first, "later": later},
        keys={"a": a.exchange.device_key(), "b": b.exchange.device_key()},
        devices={"a": a.device_id, "b": b.device_id},
        coordinator=folder / "coord.db",
        folder=folder,
        erasable=parents[1].id,
    )
    for c in opened:
        c.close()
    return world


def sealed(world: World, spec: Spec) -> Path:
    """The bundle `spec` describes, sealed as it says (every event vouched for)."""
    log, count, altered, sealer = spec
    events = list(world.logs[log][:count])
    if altered is not None and altered < len(events):
        # Another event in its place: a new id, the same record and change.
        events[altered] = dataclasses.replace(events[altered], event_id=str(uuid.uuid4()))
    out = world.folder / f"{uuid.uuid4().hex}.jlb"
    rows = event_rows(events, [encode_event_fields(e.fields) for e in events])
    writer = world.devices["b" if sealer == "b" else "a"]
    bundle_file.write(
        out,
        PASSPHRASE,
        {"device_id": writer, "events": str(len(rows))},
        [rows],
        total=len(rows),
        sealing=bundle_file.Sealing(world.keys["a" if sealer == "a" else "b"], lambda _id: True),
    )
    return out


def outcome(coord: Caseload, path: Path) -> tuple[Any, ...]:
    try:
        return ("merged", merge_bundle(coord, path, PASSPHRASE))
    except JourneyError as exc:
        return ("refused", type(exc).__name__, str(exc))


SPEC = st.tuples(
    st.sampled_from(["first", "later"]),
    st.integers(min_value=1, max_value=400),
    st.none() | st.integers(min_value=0, max_value=400),
    st.sampled_from(["a", "a", "a", "b", "forged"]),
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bundles=st.lists(SPEC, min_size=2, max_size=3), erase_between=st.booleans())
@example(bundles=[("first", 1, None, "a"), ("first", 107, None, "a")], erase_between=False)
def test_a_bundle_starting_with_one_merged_before_merges_as_the_full_merge(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    bundles: list[Spec],
    erase_between: bool,
) -> None:
    """The same bundles merged in turn into two copies of one caseload, one taking the prefix
    shortcut and one not (every event looked up): the same outcome each time and the same
    tables; a coordinator's erasure between two merges forgets the prefixes."""
    sizes = {"first": len(world.logs["first"]), "later": len(world.logs["later"])}
    bundles = [(log, min(count, sizes[log]), alt, who) for log, count, alt, who in bundles]
    folder = tmp_path_factory.mktemp("pair")
    paths = [folder / "with.db", folder / "without.db"]
    copies: list[Caseload] = []

    def reopen(start: Path) -> None:
        for c in copies:
            c.close()
        copies.clear()
        for path in paths:
            if path != start:
                shutil.copy(start, path)
            c = Caseload.open(path, plain=True, actor="coord")
            c.clock = ticking_clock(TODAY)
            copies.append(c)

    reopen(world.coordinator)
    noted = merged_bundles.prefixes
    try:
        for number, spec in enumerate(bundles):
            path = sealed(world, spec)
            here = {p.id: p for p in copies[0].participants()}
            if erase_between and number == 1 and world.erasable in here:
                # Erased here between two merges (once, then copied: the same erasure event).
                copies[0].safety.erase_participant(
                    world.erasable, here[world.erasable].preferred_name
                )
                reopen(paths[0])
            before = {r[0] for r in copies[0].db.execute("SELECT event_id FROM journey_log")}
            with_prefix = outcome(copies[0], path)
            monkeypatch.setattr(merged_bundles, "prefixes", lambda *_a: {})
            try:
                without = outcome(copies[1], path)
            finally:
                monkeypatch.setattr(merged_bundles, "prefixes", noted)
            assert with_prefix == without, spec
            # (events this laptop wrote in the merge, e.g. folding old repeats: their random
            # ids, moments and transactions left out, as the differential test leaves them)
            mine, theirs = _made_here(copies[0], before), _made_here(copies[1], before)
            for name in mine:
                differ = sorted(set(mine[name]) ^ set(theirs[name]), key=repr)
                assert mine[name] == theirs[name], (spec, name, differ[:4])
    finally:
        for c in copies:
            c.close()


def test_a_longer_bundle_from_the_same_laptop_looks_up_only_its_new_end(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copy(world.coordinator, tmp_path / "coord.db")
    coord = Caseload.open(tmp_path / "coord.db", plain=True, actor="coord")
    coord.clock = ticking_clock(TODAY)
    taken: list[int] = []
    find_new = bundle_merge.BundleReading._find_new

    def watched(self: bundle_merge.BundleReading, after: int = 0) -> bool:
        taken.append(after)
        return find_new(self, after)

    monkeypatch.setattr(bundle_merge.BundleReading, "_find_new", watched)
    try:
        log = world.logs["first"]
        head = merge_bundle(coord, sealed(world, ("first", 40, None, "a")), PASSPHRASE)
        assert head.applied == 40
        # The same events and more, sealed by the same laptop: the first 40 not looked up.
        longer = merge_bundle(coord, sealed(world, ("first", len(log), None, "a")), PASSPHRASE)
        assert (longer.already_had, longer.applied) == (40, len(log) - 40)
        assert taken == [0, 40]
        # The same events relayed by another laptop: that laptop's own bundles were never
        # merged here, so every event is looked up.
        relayed = merge_bundle(coord, sealed(world, ("first", len(log), None, "b")), PASSPHRASE)
        assert (relayed.already_had, relayed.applied) == (len(log), 0)
        assert taken[-1] == 0
        # One event of the first 40 replaced by another: the prefix is not taken.
        outcome(coord, sealed(world, ("first", len(log), 5, "a")))
        assert taken[-1] == 0
        # After an erasure here, no prefix is known any more.
        coord.safety.erase_participant(
            world.erasable, coord.participant(world.erasable).preferred_name
        )
        assert coord.db.execute("SELECT count(*) FROM bundle_prefixes").fetchone()[0] == 0
        merge_bundle(coord, sealed(world, ("later", 60, None, "a")), PASSPHRASE)
        assert taken[-1] == 0
    finally:
        coord.close()


def test_any_event_leaving_the_journal_forgets_every_noted_prefix(tmp_path: Path) -> None:
    """A noted prefix promises its events are all in the journal: an event deleted by any path
    (not only an erasure, which forgets them itself) forgets every prefix."""
    caseload = Caseload.open(
        tmp_path / "c.db", create=True, plain=True, actor="coord", clock=ticking_clock(TODAY)
    )
    try:
        caseload.enrol_participant("Ana", "fife", TODAY, full_name="Ana Moore")
        db = caseload.db
        with db.atomic():
            for writer, events in (("laptop-a", 1), ("laptop-b", 7)):
                db.execute(
                    "INSERT INTO bundle_prefixes(writer, events, marks_sha256) VALUES (?, ?, ?)",
                    [writer, events, "00" * 32],
                )
        assert merged_bundles.prefixes(db, "laptop-b", 10) == {7: {"00" * 32}}
        with db.atomic():
            db.execute("DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)")
        assert db.execute("SELECT count(*) FROM bundle_prefixes").fetchone()[0] == 0
        assert merged_bundles.prefixes(db, "laptop-b", 10) == {}
    finally:
        caseload.close()
