"""Laptops and a coordinator edit, erase, decide and swap logs in any order: no silent swaps.

A Hypothesis state machine. Every edit writes a value never used before, so a value names the
edit (or decision) that made it, and the test knows what each device had seen when it wrote.
Invariants: a merge changes a value shown on a device only to one whose author had seen the value
replaced (a later edit, or a decision); once every log has reached every device and every
decision is made, all devices hold the same records. The devices' clocks may disagree (one
ahead, another behind): every merge still merges.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Decision
from journeyapp.core.records import Choice, Participant
from tests.clock import ticking_clock
from tests.conftest import TODAY

LAPTOPS = 3
DEVICES = LAPTOPS + 1  # the last one is the coordinator
FIELDS = ("phone", "keyworker")
SERVICES = ("vocational_training", "volunteering")
PARENTS = 2
SKEWS = (0, 0, 3, -3, 90, -400)  # days a device's clock is out by


@dataclass(frozen=True)
class Write:
    """One value written by the test: where, and every value of that field its device knew."""

    thing: tuple[str, str, str]  # (kind, record key, field)
    value: str
    knew: frozenset[str]


class Partnership(RuleBasedStateMachine):
    """Devices 0..LAPTOPS-1 are keyworkers' laptops; device LAPTOPS is the coordinator."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="journeyapp-machine-"))
        self.devices: list[Caseload] = []
        for n in range(DEVICES):
            c = Caseload.open(self.folder / f"d{n}.db", create=True, plain=True, actor=f"device{n}")
            c.clock = ticking_clock(TODAY)
            self.devices.append(c)
        for c in self.devices:  # one partnership: every device enrolled on every other
            for other in self.devices:
                c.exchange.enrol_device(other.device_id, other.actor)
        self.counter = itertools.count()
        self.writes: list[Write] = []
        # What each device holds of the test's writes (indexes into self.writes).
        self.known: list[set[int]] = [set() for _ in range(DEVICES)]
        self.parents: list[str] = []
        self.names: dict[str, str] = {}

    def teardown(self) -> None:
        try:
            if self.parents:
                self.settle_everything()
        finally:
            for c in self.devices:
                c.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- the oracle ---------------------------------------------------------------------------

    def value(self) -> str:
        return f"v{next(self.counter)}"

    def write(self, device: int, thing: tuple[str, str, str], value: str) -> None:
        knew = frozenset(
            self.writes[i].value for i in self.known[device] if self.writes[i].thing == thing
        )
        self.writes.append(Write(thing, value, knew))
        self.known[device].add(len(self.writes) - 1)

    def shown(self, device: int) -> dict[tuple[str, str, str], Any]:
        """Every watched value shown on a device: participants' fields, choices' reasons."""
        c = self.devices[device]
        found: dict[tuple[str, str, str], Any] = {}
        for p in c.all_records(Participant):
            for name in FIELDS:
                found[("participants", p.id, name)] = getattr(p, name)
        for choice in c.all_records(Choice):
            found[("choices", f"{choice.participant_id}/{choice.service}", "reason")] = (
                choice.reason
            )
        return found

    def exists(self, device: int, pid: str) -> bool:
        return self.devices[device].find_participants(pid) != []

    # -- rules ----------------------------------------------------------------------------------

    @initialize(skews=st.lists(st.sampled_from(SKEWS), min_size=DEVICES, max_size=DEVICES))
    def enrol(self, skews: list[int]) -> None:
        # Each device's clock is right or some days out (ahead, behind): no merge may fail for
        # it, and every rule below holds as it does with one clock.
        for c, skew in zip(self.devices, skews, strict=True):
            c.clock = ticking_clock(TODAY + timedelta(days=skew))
        first = self.devices[0]
        for n in range(PARENTS):
            name = f"Parent{n}"
            values = {name: self.value() for name in FIELDS}
            p = first.enrol_participant(name, "fife", **values)  # joined on its today
            self.parents.append(p.id)
            self.names[p.id] = name
            for field, value in values.items():
                self.write(0, ("participants", p.id, field), value)

    @rule(
        device=st.integers(0, DEVICES - 1),
        parent=st.integers(0, PARENTS - 1),
        field=st.sampled_from(FIELDS),
    )
    def edit(self, device: int, parent: int, field: str) -> None:
        pid = self.parents[parent]
        if not self.exists(device, pid):
            return
        value = self.value()
        self.devices[device].update_participant(pid, **{field: value})
        self.write(device, ("participants", pid, field), value)

    @rule(
        device=st.integers(0, DEVICES - 1),
        parent=st.integers(0, PARENTS - 1),
        service=st.sampled_from(SERVICES),
        decision=st.sampled_from(list(Decision)),
    )
    def choose(self, device: int, parent: int, service: str, decision: Decision) -> None:
        pid = self.parents[parent]
        if not self.exists(device, pid):
            return
        value = self.value()
        self.devices[device].choose_service(pid, service, decision, reason=value)  # on its today
        self.write(device, ("choices", f"{pid}/{service}", "reason"), value)

    @rule(device=st.integers(0, DEVICES - 1), parent=st.integers(0, PARENTS - 1))
    def erase(self, device: int, parent: int) -> None:
        pid = self.parents[parent]
        if next(self.counter) % 4 or not self.exists(device, pid):
            return  # erasures are rarer than edits
        self.devices[device].safety.erase_participant(pid, self.names[pid])

    @rule(device=st.integers(0, DEVICES - 1), keep=st.sampled_from(["here", "incoming"]))
    def decide(self, device: int, keep: str) -> None:
        self.decide_first(device, keep)

    def decide_first(self, device: int, keep: str) -> None:
        """Decide the first open decision on a device, noting the value chosen as a write."""
        c = self.devices[device]
        open_ = c.exchange.decisions()
        if not open_:
            return
        d = open_[0]
        decided = c.exchange.resolve_decision(d.id, keep)
        chosen = decided.here.value if keep == "here" else decided.incoming.value
        if d.kind == "participants":
            thing = ("participants", d.record_id, d.field)
        else:
            choice = next((x for x in c.all_records(Choice) if x.id == d.record_id), None)
            if choice is None or d.field != "reason":
                return
            thing = ("choices", f"{choice.participant_id}/{choice.service}", "reason")
        self.write(device, thing, str(chosen))

    @rule(src=st.integers(0, DEVICES - 1), dst=st.integers(0, DEVICES - 1))
    def exchange(self, src: int, dst: int) -> None:
        if src == dst:
            return
        self.merge(src, dst)

    @precondition(lambda self: bool(self.parents))
    @rule(hub=st.integers(0, DEVICES - 1))
    def relay_through(self, hub: int) -> None:
        """Everyone sends to one device, then everyone takes its log (the coordinator's round)."""
        for n in range(DEVICES):
            if n != hub:
                self.merge(n, hub)
        for n in range(DEVICES):
            if n != hub:
                self.merge(hub, n)

    # -- merging and the invariant ----------------------------------------------------------------

    def merge(self, src: int, dst: int) -> None:
        before = self.shown(dst)
        self.devices[dst].exchange.merge_events(self.devices[src].events())
        self.known[dst] |= self.known[src]
        after = self.shown(dst)
        for thing, old in before.items():
            new = after.get(thing)
            if thing not in after or new == old:
                continue
            # The new value must come from a write (edit or decision) made knowing the old one.
            reasons = [
                w
                for i in self.known[dst]
                if (w := self.writes[i]).thing == thing and w.value == new and old in w.knew
            ]
            assert reasons, (
                f"device {dst} replaced {old!r} by {new!r} in {thing} from device {src} "
                "without anyone having seen the value replaced"
            )

    def everyone_has_everything(self) -> None:
        for _round in range(2):
            for dst in range(DEVICES):
                for src in range(DEVICES):
                    if src != dst:
                        self.merge(src, dst)

    def settle_everything(self) -> None:
        coordinator = self.devices[LAPTOPS]
        for _round in range(12):
            self.everyone_has_everything()
            if not any(c.exchange.decisions() for c in self.devices):
                break
            while coordinator.exchange.decisions():
                self.decide_first(LAPTOPS, "incoming")
        assert [len(c.exchange.decisions()) for c in self.devices] == [0] * DEVICES
        first = records(self.devices[0])
        for c in self.devices[1:]:
            assert records(c) == first


def records(c: Caseload) -> dict[str, list[dict[str, Any]]]:
    """Every record a device holds, by kind and id; when this laptop last wrote it is left out."""
    from journeyapp.core.records import RECORD_TYPES

    found = {}
    for cls in RECORD_TYPES:
        rows = [{**vars(r), "updated_at": ""} for r in c.all_records(cls)]
        found[cls.KIND] = sorted(rows, key=lambda r: str(r["id"]))
    return found


Partnership.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_partnership = Partnership.TestCase
