"""Stage moves corrected or removed on two laptops: the journey-log events travel in bundles; a
different correction of the same move becomes a decision, as for any record, and whichever is
kept, the parent's stage is that of their latest move by day."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _latest(caseload: Caseload, pid: str) -> str:
    moves = caseload.journey(pid).stages
    return max(moves, key=lambda s: (s.on, s.created_at)).stage


def test_corrections_and_removals_travel_and_clash_as_decisions(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, coord = laptop("a"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", date(2026, 3, 2)).id
    a.set_stage(pid, "building_confidence", on=date(2026, 4, 1))
    a.set_stage(pid, "looking_for_work", on=date(2026, 6, 1))
    move = next(s for s in a.journey(pid).stages if s.on == date(2026, 4, 1))
    late = next(s for s in a.journey(pid).stages if s.on == date(2026, 6, 1))
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)

    # A correction and a removal on the laptop arrive as they were made.
    a.correct_stage_move(move.id, note="Came to the group")
    a.remove_stage_move(late.id)
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    assert coord.record("stages", move.id).note == "Came to the group"
    assert [s.id for s in coord.journey(pid).stages if s.id == late.id] == []
    assert coord.participant(pid).stage == "building_confidence" == _latest(coord, pid)

    # The same move corrected differently on each: a decision; either way kept, the parent's
    # stage follows their latest move.
    coord.correct_stage_move(move.id, stage="getting_connected")
    a.correct_stage_move(move.id, stage="in_work")
    merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    clashes = coord.exchange.decisions()
    assert clashes, "a different correction of the same move waits for a decision"
    # Only the move is asked about: the parent's stage is their latest move's, not a choice
    # of its own (core.merge.DERIVED).
    assert sorted((c.kind, c.field) for c in clashes) == [("stages", "stage")]
    assert coord.participant(pid).stage == _latest(coord, pid)
    for clash in coord.exchange.decisions():
        coord.exchange.resolve_decision(clash.id, "incoming")
    assert coord.record("stages", move.id).stage == "in_work"
    assert coord.participant(pid).stage == _latest(coord, pid) == "in_work"
    assert coord.journey(pid).stage_by(date(2026, 11, 28)) == "in_work"
