"""Laptops and coordinators swap real bundle files in any enrolment topology: every clashing
value stays on offer, no value goes silently, and no answered question comes back.

A Hypothesis state machine over real SQLite caseloads and real encrypted bundles. Who has
enrolled whom is drawn first: everyone everyone, a coordinator who enrolled only another
coordinator (the laptops' bundles reach it directly, or relayed), one who enrolled nobody, or
any mix. Every edit writes a value never used before, so a value names the edit or decision that
made it, and the test knows what each device had seen when it wrote.

What a device *shows* for a detail is its value and every value in a decision waiting about it.
Invariants, after every merge and every decision:
- a value shown goes away only when its device holds a write made knowing it (a later edit, or
  a decision that had it on offer): nothing is dropped or swapped silently, whatever vouches;
- a decision takes away exactly the value not kept (every other value still waits);
- a question answered on a device (these two values) is not asked there again unless one of
  them was written anew since (another device's decision);
- a merge of a bundle already merged changes nothing;
- a bundle from a device enrolled there, altered after it was sealed, is refused and changes
  nothing.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from journeyapp.caseload import Caseload
from journeyapp.core.records import Participant
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.store.bundle_file import read
from journeyapp.store.merge_checks import MergeRefused
from tests.clock import ticking_clock
from tests.conftest import TODAY

PASSPHRASE = "correct horse battery"
NAMES = ("laptop A", "laptop B", "area coordinator", "programme coordinator")
A, B, AREA, PROGRAMME = range(4)
DEVICES = len(NAMES)
SKEWS = (0, 0, 3, -3, 90, -400)  # days a device's clock is out by
FIELDS = ("keyworker", "phone")
PAIRS = [(r, s) for r in range(DEVICES) for s in range(DEVICES) if r != s]


def _both_ways(*pairs: tuple[int, int]) -> frozenset[tuple[int, int]]:
    return frozenset(p for a, b in pairs for p in ((a, b), (b, a)))


# (receiver, sender): the receiver enrolled the sender's code.
TOPOLOGIES = {
    "everyone enrolled everyone": frozenset(PAIRS),
    # The area coordinator and the laptops enrolled one another; the programme coordinator
    # and the area coordinator too, but not the laptops (the reported case).
    "programme coordinator enrolled only the area one": _both_ways(
        (AREA, A), (AREA, B), (PROGRAMME, AREA)
    ),
    "programme coordinator enrolled nobody": _both_ways((AREA, A), (AREA, B)),
    "nobody enrolled anybody": frozenset(),
}


@dataclass(frozen=True)
class Write:
    """One value written by the test: where, and every value of that detail its device knew."""

    field: str
    value: str
    knew: frozenset[str]


class Relays(RuleBasedStateMachine):
    """Devices A, B (keyworkers' laptops) and two coordinators, enrolled as drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="journeyapp-relay-"))
        self.devices: list[Caseload] = []
        for n, name in enumerate(NAMES):
            c = Caseload.open(self.folder / f"d{n}.db", create=True, plain=True, actor=name)
            c.clock = ticking_clock(TODAY)
            self.devices.append(c)
        self.counter = itertools.count()
        self.writes: list[Write] = []
        self.known: list[set[int]] = [set() for _ in range(DEVICES)]
        # Per device: the questions answered there (the two values) and the writes it knew then.
        self.answered: list[list[tuple[frozenset[str], frozenset[int]]]] = [
            [] for _ in range(DEVICES)
        ]
        self.bundles: dict[int, tuple[int, Path]] = {}  # device -> (its log's size, bundle)
        self.merged: set[tuple[int, Path]] = set()
        self.parent = ""
        self.enrolled: frozenset[tuple[int, int]] = frozenset()

    def teardown(self) -> None:
        for c in self.devices:
            c.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the oracle ---------------------------------------------------------------------------

    def write(self, device: int, field: str, value: str) -> None:
        knew = frozenset(
            self.writes[i].value for i in self.known[device] if self.writes[i].field == field
        )
        self.writes.append(Write(field, value, knew))
        self.known[device].add(len(self.writes) - 1)

    def shown(self, device: int) -> dict[str, set[str]]:
        """Per detail, its value and every value waiting in a decision about it."""
        c = self.devices[device]
        found: dict[str, set[str]] = {name: set() for name in FIELDS}
        for p in c.all_records(Participant):
            for name in FIELDS:
                found[name].add(getattr(p, name))
        for d in c.exchange.decisions():
            if d.field in FIELDS:
                found[d.field] |= {d.here.value, d.incoming.value}
        return found

    def gone_knowingly(self, device: int, field: str, value: str) -> bool:
        return any(
            w.field == field and value in w.knew
            for i in self.known[device]
            if (w := self.writes[i])
        )

    # -- rules ----------------------------------------------------------------------------------

    @initialize(
        topology=st.one_of(
            st.sampled_from(sorted(TOPOLOGIES)),
            st.sets(st.sampled_from(PAIRS)).map(frozenset),
        ),
        skews=st.lists(st.sampled_from(SKEWS), min_size=DEVICES, max_size=DEVICES),
    )
    def enrol(self, topology: str | frozenset[tuple[int, int]], skews: list[int]) -> None:
        # Each device's clock is right or some days out (ahead, behind): no merge may fail for
        # it, relayed or not.
        for c, skew in zip(self.devices, skews, strict=True):
            c.clock = ticking_clock(TODAY + timedelta(days=skew))
        pairs = TOPOLOGIES[topology] if isinstance(topology, str) else topology
        self.enrolled = pairs
        for receiver, sender in sorted(pairs):
            code = self.devices[sender].exchange.enrolment_code()
            self.devices[receiver].exchange.enrol_code(code, NAMES[sender])
        values = {name: self.value() for name in FIELDS}
        p = self.devices[A].enrol_participant("Siobhán", "fife", **values)  # joined on its today
        self.parent = p.id
        for name, value in values.items():
            self.write(A, name, value)
        # Laptop B holds the parent too (as the area coordinator passed her on, or a bundle
        # of A's own where the coordinator did not enrol A).
        self.merge(A, AREA)
        self.merge(AREA, B)

    def value(self) -> str:
        return f"v{next(self.counter)}"

    @rule(device=st.sampled_from([A, B, AREA, PROGRAMME]), field=st.sampled_from(FIELDS))
    def edit(self, device: int, field: str) -> None:
        c = self.devices[device]
        if not c.find_participants(self.parent):
            return
        value = self.value()
        c.update_participant(self.parent, **{field: value})
        self.write(device, field, value)

    @rule(field=st.sampled_from(FIELDS))
    def both_laptops_edit(self, field: str) -> None:
        """Both keyworkers change the same detail, each before seeing the other's change."""
        for laptop in (A, B):
            self.edit(laptop, field)

    @rule(
        device=st.sampled_from([A, B, AREA, PROGRAMME]),
        which=st.integers(0, 3),
        keep=st.sampled_from(["here", "incoming"]),
    )
    def decide(self, device: int, which: int, keep: str) -> None:
        c = self.devices[device]
        waiting = [d for d in c.exchange.decisions() if d.field in FIELDS]
        if not waiting:
            return
        d = waiting[which % len(waiting)]
        before = self.shown(device)
        c.exchange.resolve_decision(d.id, keep)
        kept, dropped = (
            (d.here.value, d.incoming.value) if keep == "here" else (d.incoming.value, d.here.value)
        )
        # The decision's author saw both values (and nothing else went).
        self.writes.append(Write(d.field, kept, frozenset({d.here.value, d.incoming.value})))
        self.known[device].add(len(self.writes) - 1)
        self.answered[device].append(
            (frozenset({d.here.value, d.incoming.value}), frozenset(self.known[device]))
        )
        after = self.shown(device)
        assert after[d.field] == before[d.field] - {dropped}, (
            f"{NAMES[device]} kept {kept!r} over {dropped!r}: offered before {before[d.field]}, "
            f"after {after[d.field]}"
        )
        for name in FIELDS:
            if name != d.field:
                assert after[name] == before[name]

    @rule(
        src=st.sampled_from([A, B, AREA, PROGRAMME]),
        dst=st.sampled_from([A, B, AREA, PROGRAMME]),
        altered=st.sampled_from([False, False, True]),
    )
    def send(self, src: int, dst: int, altered: bool) -> None:
        """One device's bundle merged on another (or, `altered`, refused there)."""
        if src == dst:
            return
        if altered:
            self.altered(src, dst)
        else:
            self.merge(src, dst)

    @precondition(lambda self: bool(self.parent))
    @rule(hub=st.sampled_from([AREA, PROGRAMME]), back=st.booleans())
    def round_through(self, hub: int, back: bool) -> None:
        """Both laptops send to a coordinator (and, if `back`, take its log back)."""
        for laptop in (A, B):
            self.merge(laptop, hub)
        if back:
            for laptop in (A, B):
                self.merge(hub, laptop)

    def altered(self, src: int, dst: int) -> None:
        """A bundle from a device `dst` enrolled, one of its events new to `dst` altered after
        it was sealed: refused whole, saying what to do, and nothing changes."""
        if (dst, src) not in self.enrolled:
            return  # (from a device not enrolled there, an altered event is merely unvouched)
        target = self.devices[dst]
        held = {e.event_id for e in target.events()}
        new = [e.event_id for e in read(self.bundle(src), PASSPHRASE)[1] if e.event_id not in held]
        if not new:
            return
        path = self.folder / f"altered-{next(self.counter)}.jlb"
        shutil.copy(self.bundle(src), path)
        conn = sqlcipher.connect(str(path), isolation_level=None)
        conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
        conn.execute("UPDATE events SET actor = actor || '!' WHERE event_id = ?", [new[-1]])
        conn.close()
        before = (self.shown(dst), len(target.events()), target.find_participants(self.parent))
        with pytest.raises(MergeRefused, match="altered after the bundle was made") as refused:
            merge_bundle(target, path, PASSPHRASE)
        assert "nothing was merged. Ask " in str(refused.value)
        assert (
            self.shown(dst),
            len(target.events()),
            target.find_participants(self.parent),
        ) == before

    # -- merging --------------------------------------------------------------------------------

    def bundle(self, src: int) -> Path:
        """The device's log as a bundle file (written again only when its log grew)."""
        size = len(self.devices[src].events())
        held = self.bundles.get(src)
        if held is not None and held[0] == size:
            return held[1]
        path = self.folder / f"d{src}-{next(self.counter)}.jlb"
        write_bundle(self.devices[src], path, PASSPHRASE)
        self.bundles[src] = (size, path)
        return path

    def merge(self, src: int, dst: int) -> None:
        before = self.shown(dst)
        target, path = self.devices[dst], self.bundle(src)
        again = (dst, path) in self.merged
        held = target.find_participants(self.parent)
        result = merge_bundle(target, path, PASSPHRASE)
        if again:  # a bundle merged before: nothing changes
            assert not result.changed_anything, result
            assert (self.shown(dst), target.find_participants(self.parent)) == (before, held)
        self.merged.add((dst, path))
        self.known[dst] |= self.known[src]
        after = self.shown(dst)
        for field, values in before.items():
            for value in values - after[field]:
                assert self.gone_knowingly(dst, field, value), (
                    f"{NAMES[dst]} no longer shows {value!r} ({field}) after merging "
                    f"{NAMES[src]}'s bundle, and nobody who saw it replaced it "
                    f"(shown before {sorted(values)}, after {sorted(after[field])})"
                )

    @invariant()
    def no_question_twice(self) -> None:
        for device, c in enumerate(self.devices):
            for d in c.exchange.decisions():
                pair = frozenset({d.here.value, d.incoming.value})
                for asked, then in self.answered[device]:
                    if asked != pair:
                        continue
                    anew = [
                        i
                        for i in self.known[device] - then
                        if self.writes[i].value in pair and self.writes[i].field == d.field
                    ]
                    assert anew, f"{NAMES[device]} asks again {sorted(pair)} ({d.field})"

    @invariant()
    def each_value_offered_once(self) -> None:
        """Every open decision about a detail puts the value here against one other value."""
        for c in self.devices:
            if not c.find_participants(self.parent):
                continue
            held = c.participant(self.parent)
            for field in FIELDS:
                waiting = [d for d in c.exchange.decisions() if d.field == field]
                assert all(d.here.value == getattr(held, field) for d in waiting)
                incoming = [d.incoming.value for d in waiting]
                assert len(set(incoming)) == len(incoming)


Relays.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_relays = Relays.TestCase
