"""A parent's words changed on one laptop and their record removed on another, relayed through
coordinators in any order: the words are never lost without a decision, a question answered on
one device is not asked again elsewhere, and once every bundle has reached every device and
the coordinator has decided, every device holds the same records.

A Hypothesis state machine over real SQLite caseloads and real bundle files. Every edit writes
words never used before, so a value names the edit (or decision) that made it, and the test
knows what each device had seen when it wrote, removed or decided.

Invariants, after every merge and decision:
- words shown on a device (a record's, or waiting in a decision) go away only when that device
  holds a write made knowing them: a later edit, a decision that had them on offer, or a
  removal made where they were shown;
- a bundle merged again changes nothing;
- a removal asked about (made without seeing a change) keeps the record, with the change,
  until someone decides.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from journeyapp.caseload import Caseload
from journeyapp.core.records import RECORD_TYPES, Contact, Goal
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.store.merge import REMOVE_FIELD
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE

NAMES = ("laptop A", "laptop B", "coordinator", "second coordinator")
A, B, COORD, SECOND = range(4)
DEVICES = len(NAMES)
# The watched words of each record: a contact's note, a goal's words.
WORDS = {"contacts": "note", "goals": "words"}
KINDS = tuple(WORDS)


@dataclass(frozen=True)
class Write:
    """Words written (an edit or a decision), or a removal (value None), with every value of
    those words its device knew."""

    kind: str
    value: str | None
    knew: frozenset[str]


class Removals(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="journeyapp-removals-"))
        self.devices: list[Caseload] = []
        for n, name in enumerate(NAMES):
            c = Caseload.open(self.folder / f"d{n}.db", create=True, plain=True, actor=name)
            c.clock = ticking_clock(TODAY)
            self.devices.append(c)
        for c in self.devices:
            for other in self.devices:
                if other is not c:
                    c.exchange.enrol_code(other.exchange.enrolment_code(), other.actor)
        self.counter = itertools.count()
        self.writes: list[Write] = []
        self.known: list[set[int]] = [set() for _ in range(DEVICES)]
        self.ids: dict[str, str] = {}  # kind -> the record's id
        self.bundles: dict[int, tuple[int, Path]] = {}
        # (device, bundle) -> what the device held just after merging it
        self.merged: dict[tuple[int, Path], Any] = {}

    def teardown(self) -> None:
        try:
            if self.ids:
                self.settle_everything()
        finally:
            for c in self.devices:
                c.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- the oracle ---------------------------------------------------------------------------

    def value(self) -> str:
        return f"words {next(self.counter)}"

    def knew(self, device: int, kind: str) -> frozenset[str]:
        return frozenset(
            v
            for i in self.known[device]
            if (w := self.writes[i]).kind == kind and (v := w.value) is not None
        )

    def write(self, device: int, kind: str, value: str | None, knew: frozenset[str]) -> None:
        self.writes.append(Write(kind, value, knew))
        self.known[device].add(len(self.writes) - 1)

    def shown(self, device: int) -> dict[str, set[str]]:
        """Per kind, the record's words and every value waiting in a decision about them."""
        c = self.devices[device]
        found: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for kind, cls in (("contacts", Contact), ("goals", Goal)):
            for record in c.all_records(cls):
                if record.id == self.ids[kind]:
                    found[kind].add(getattr(record, WORDS[kind]))
        for d in c.exchange.decisions():
            if d.kind in WORDS and d.field == WORDS[d.kind]:
                found[d.kind] |= {str(d.here.value), str(d.incoming.value)}
        return found

    def gone_knowingly(self, device: int, kind: str, value: str) -> bool:
        return any(
            w.kind == kind and value in w.knew for i in self.known[device] if (w := self.writes[i])
        )

    # -- rules ----------------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        a = self.devices[A]
        pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
        note, words = self.value(), self.value()
        contact = a.log_contact(pid, "one_to_one", on=TODAY - timedelta(days=30), note=note)
        goal = a.add_goal(pid, words)
        self.ids = {"contacts": contact.id, "goals": goal.id}
        self.write(A, "contacts", note, frozenset())
        self.write(A, "goals", words, frozenset())
        for dst in (B, COORD):
            self.merge(A, dst)

    def present(self, device: int, kind: str) -> bool:
        try:
            self.devices[device].record(kind, self.ids[kind])
        except Exception:  # NotFound: removed there
            return False
        return True

    @rule(device=st.sampled_from(range(DEVICES)), kind=st.sampled_from(KINDS))
    def edit(self, device: int, kind: str) -> None:
        if not self.present(device, kind):
            return
        value = self.value()
        knew = self.knew(device, kind)
        self.devices[device].update_record(kind, self.ids[kind], **{WORDS[kind]: value})
        self.write(device, kind, value, knew)

    @rule(device=st.sampled_from(range(DEVICES)), kind=st.sampled_from(KINDS))
    def remove(self, device: int, kind: str) -> None:
        if not self.present(device, kind):
            return
        shown = frozenset(self.shown(device)[kind])
        self.devices[device].delete_record(kind, self.ids[kind])
        self.write(device, kind, None, shown)

    @rule(kind=st.sampled_from(KINDS))
    def both_laptops_at_once(self, kind: str) -> None:
        """One keyworker edits the words while the other removes the record."""
        self.edit(A, kind)
        self.remove(B, kind)

    @rule(
        device=st.sampled_from(range(DEVICES)),
        which=st.integers(0, 3),
        keep=st.sampled_from(["here", "incoming"]),
    )
    def decide(self, device: int, which: int, keep: str) -> None:
        self.decide_one(device, which, keep)

    def decide_one(self, device: int, which: int, keep: str) -> None:
        c = self.devices[device]
        waiting = c.exchange.decisions()
        if not waiting:
            return
        d = waiting[which % len(waiting)]
        if d.kind not in WORDS:
            return
        before = self.shown(device)[d.kind]
        c.exchange.resolve_decision(d.id, keep)
        after = self.shown(device)[d.kind]
        if d.field == REMOVE_FIELD:
            if keep == "incoming":  # removed, knowing what it showed
                self.write(device, d.kind, None, frozenset(before))
                assert not self.present(device, d.kind)
            else:
                assert after == before
                assert self.present(device, d.kind)
            return
        kept, dropped = (
            (d.here.value, d.incoming.value) if keep == "here" else (d.incoming.value, d.here.value)
        )
        self.write(device, d.kind, str(kept), frozenset({str(d.here.value), str(d.incoming.value)}))
        assert after == before - {dropped}

    @rule(src=st.sampled_from(range(DEVICES)), dst=st.sampled_from(range(DEVICES)))
    def send(self, src: int, dst: int) -> None:
        if src != dst:
            self.merge(src, dst)

    @rule(hub=st.sampled_from([COORD, SECOND]), back=st.booleans())
    def round_through(self, hub: int, back: bool) -> None:
        """Both laptops send to a coordinator (and, if `back`, take its log back)."""
        for laptop in (A, B):
            self.merge(laptop, hub)
        if back:
            for laptop in (A, B):
                self.merge(hub, laptop)

    # -- merging --------------------------------------------------------------------------------

    def bundle(self, src: int) -> Path:
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
        held = self.held(dst)
        # Merged before, and nothing merged or written there since: nothing changes. (After
        # other merges, a removal skipped then, the record having gone, may ask now that an
        # edit it had not seen brought the record back, as when merged in the other order.)
        again = self.merged.get((dst, path)) == held
        result = merge_bundle(target, path, PASSPHRASE)
        if again:
            assert not result.changed_anything, result
            assert self.held(dst) == held
        self.merged[(dst, path)] = self.held(dst)
        self.known[dst] |= self.known[src]
        after = self.shown(dst)
        for kind, values in before.items():
            for value in values - after[kind]:
                assert self.gone_knowingly(dst, kind, value), (
                    f"{NAMES[dst]} no longer shows {value!r} ({kind}) after merging "
                    f"{NAMES[src]}'s bundle, and nobody who saw it replaced or removed it "
                    f"(shown before {sorted(values)}, after {sorted(after[kind])})"
                )

    def held(self, device: int) -> Any:
        c = self.devices[device]
        return (len(c.events()), records(c), [d.id for d in c.exchange.decisions()])

    @invariant()
    def a_removal_asked_about_keeps_its_record(self) -> None:
        for device, c in enumerate(self.devices):
            for d in c.exchange.decisions():
                if d.field == REMOVE_FIELD and d.kind in WORDS:
                    assert self.present(device, d.kind), (NAMES[device], d)

    # -- the end: everyone has everything -------------------------------------------------------

    def settle_everything(self) -> None:
        coordinator = self.devices[COORD]
        for n in range(12):
            for _round in range(2):
                for dst in range(DEVICES):
                    for src in range(DEVICES):
                        if src != dst:
                            self.merge(src, dst)
            if not any(c.exchange.decisions() for c in self.devices):
                break
            while coordinator.exchange.decisions():
                self.decide_one(COORD, 0, "here" if n % 2 else "incoming")
        assert [len(c.exchange.decisions()) for c in self.devices] == [0] * DEVICES
        first = records(self.devices[0])
        for c in self.devices[1:]:
            assert records(c) == first


def records(c: Caseload) -> dict[str, list[dict[str, Any]]]:
    """Every record a device holds, by kind and id; when this laptop last wrote it left out."""
    found = {}
    for cls in RECORD_TYPES:
        rows = [{**vars(r), "updated_at": ""} for r in c.all_records(cls)]
        found[cls.KIND] = sorted(rows, key=lambda r: str(r["id"]))
    return found


Removals.TestCase.settings = settings(
    max_examples=12,
    stateful_step_count=14,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
test_removals = Removals.TestCase
