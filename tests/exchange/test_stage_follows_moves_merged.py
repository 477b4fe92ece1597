"""Stage moves recorded on two laptops, merged in either order and relayed back: the parent's
stage is their latest move's by day on every laptop, the same whichever bundle came first, and
no one is asked to choose between two stages the moves already settle."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]
JOINED = TODAY - timedelta(days=120)
STAGES = ("getting_connected", "building_confidence", "looking_for_work", "in_work")

# One laptop's stage moves: (stage, days after joining).
moves = st.lists(st.tuples(st.sampled_from(STAGES), st.integers(1, 110)), min_size=0, max_size=3)


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _latest(caseload: Caseload, pid: str) -> str:
    held = caseload.journey(pid).stages
    return max(held, key=lambda s: (s.on, s.created_at)).stage


class Partnership:
    """Laptops A and B and two coordinators, each enrolled on every other, on real files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.a, self.b, self.first, self.second = (
            self._open(name) for name in ("a", "b", "first", "second")
        )
        everyone = (self.a, self.b, self.first, self.second)
        for c in everyone:
            for other in everyone:
                if other is not c:
                    c.exchange.enrol_code(other.exchange.enrolment_code(), other.actor)

    def _open(self, name: str) -> Caseload:
        c = Caseload.open(self.folder / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        return c

    def close(self) -> None:
        for c in (self.a, self.b, self.first, self.second):
            c.close()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(on_a=moves, on_b=moves, correct=st.booleans())
def test_the_stage_follows_the_latest_move_whichever_bundle_comes_first(
    on_a: list[tuple[str, int]], on_b: list[tuple[str, int]], correct: bool
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="journeyapp-stages-"))
    p = Partnership(folder)
    try:
        pid = p.a.enrol_participant("Siobhán", "fife", JOINED).id
        merge_bundle(p.b, _bundle(p.a, folder), PASSPHRASE)
        for laptop, chosen in ((p.a, on_a), (p.b, on_b)):
            for stage, days in chosen:
                laptop.set_stage(pid, stage, on=JOINED + timedelta(days=days))
        if correct:
            # Laptop B moves the first move's day on (A still holds it as it was).
            first = min(p.b.journey(pid).stages, key=lambda s: (s.on, s.created_at))
            p.b.correct_stage_move(first.id, on=JOINED + timedelta(days=111))
        from_a, from_b = _bundle(p.a, folder), _bundle(p.b, folder)

        # One coordinator takes A's bundle first, the other B's first.
        for coordinator, order in ((p.first, (from_a, from_b)), (p.second, (from_b, from_a))):
            for path in order:
                merge_bundle(coordinator, path, PASSPHRASE)
        for coordinator in (p.first, p.second):
            asked = [
                (d.kind, d.field, d.here.value, d.incoming.value)
                for d in coordinator.exchange.decisions()
            ]
            assert ("participants", "stage") not in [a[:2] for a in asked], asked
            assert coordinator.participant(pid).stage == _latest(coordinator, pid)
        assert p.first.participant(pid).stage == p.second.participant(pid).stage

        # Relayed back: each laptop's stage is its latest move's too, the coordinators'.
        back = _bundle(p.first, folder)
        for laptop in (p.a, p.b):
            merge_bundle(laptop, back, PASSPHRASE)
            assert laptop.participant(pid).stage == p.first.participant(pid).stage
            assert [d for d in laptop.exchange.decisions() if d.kind == "participants"] == []
    finally:
        p.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_two_moves_on_other_days_ask_nothing_and_the_later_one_stands(
    laptop: Laptop, tmp_path: Path
) -> None:
    """The case a coordinator met: A moved her on to looking for work on the 1st, B (not
    having seen it) recorded building confidence back on the 5th of the month before. Before,
    the coordinator was asked which stage to keep, and whichever it kept, the parent's stage
    went back to her latest move's; merged B first, she showed building confidence."""
    a, b, coord = laptop("a"), laptop("b"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", JOINED).id
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)
    a.set_stage(pid, "looking_for_work", on=JOINED + timedelta(days=60))
    b.set_stage(pid, "building_confidence", on=JOINED + timedelta(days=30))

    merge_bundle(coord, _bundle(b, tmp_path), PASSPHRASE)
    result = merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)

    assert coord.exchange.decisions() == []
    assert result.new_decisions == 0
    assert coord.participant(pid).stage == "looking_for_work"
    assert [s.stage for s in sorted(coord.journey(pid).stages, key=lambda s: s.on)] == [
        "getting_started",
        "building_confidence",
        "looking_for_work",
    ]
    # The caseload list, filtered by stage, follows.
    assert [r.id for r in coord.caseload(stage="looking_for_work")] == [pid]
    assert coord.caseload(stage="building_confidence") == []
