"""Correcting and removing stage moves: any mix of moves, corrections, removals and undo keeps
the parent's stage as held, their stage by today, the caseload list's Stage column and the
report's stage figures agreeing with a model (the latest move by day, then recorded last);
refused changes change nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from journeyapp.caseload import Caseload
from journeyapp.core.dates import long_date
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Participant
from journeyapp.exchange.report import build_report
from tests.clock import ticking_clock
from tests.conftest import TODAY

STAGES = ["getting_started", "getting_connected", "building_confidence", "in_work"]
JOINED_DAYS_AGO = 40
# Days ago: a few after today and before the parent joined, which are refused.
DAYS_AGO = st.integers(-2, JOINED_DAYS_AGO + 2)


@dataclass(frozen=True)
class Move:
    """The model of one stage move: `order` is when it was recorded."""

    id: str
    stage: str
    days_ago: int
    order: int
    note: str = ""


def latest(moves: list[Move]) -> str:
    return max(moves, key=lambda m: (-m.days_ago, m.order)).stage


class StageMachine(RuleBasedStateMachine):
    """Two parents in one real caseload file; a model of each one's moves and of undo."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="stage-machine-"))
        self.caseload = Caseload.open(self.folder / "c.db", create=True, plain=True)
        self.caseload.clock = ticking_clock(TODAY)
        joined = TODAY - timedelta(days=JOINED_DAYS_AGO)
        self.moves: dict[str, list[Move]] = {}
        self.order = 0
        for name in ("Aileen", "Morag"):
            pid = self.caseload.enrol_participant(name, "fife", joined_on=joined).id
            (first,) = self.caseload.journey(pid).stages
            self.moves[pid] = [self._move(first.id, first.stage, JOINED_DAYS_AGO)]
        self.history: list[dict[str, list[Move]]] = [self._stored(), self._stored()]

    def teardown(self) -> None:
        self.caseload.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _move(self, move_id: str, stage: str, days_ago: int, note: str = "") -> Move:
        self.order += 1
        return Move(move_id, stage, days_ago, self.order, note)

    def _stored(self) -> dict[str, list[Move]]:
        return {pid: list(moves) for pid, moves in self.moves.items()}

    def _refused(self, change: object) -> None:
        before = self.caseload.events()
        with pytest.raises(ValidationError, match=r"Nothing was changed|check the date"):
            change()  # type: ignore[operator]
        assert self.caseload.events() == before

    @rule(which=st.integers(0, 1), stage=st.sampled_from(STAGES), days_ago=DAYS_AGO)
    def move(self, which: int, stage: str, days_ago: int) -> None:
        pid = list(self.moves)[which]
        on = TODAY - timedelta(days=days_ago)
        if not 0 <= days_ago <= JOINED_DAYS_AGO:
            self._refused(lambda: self.caseload.set_stage(pid, stage, on=on))
            return
        self.history.append(self._stored())
        ids = {s.id for s in self.caseload.journey(pid).stages}
        self.caseload.set_stage(pid, stage, on=on, note="moved")
        (made,) = [s for s in self.caseload.journey(pid).stages if s.id not in ids]
        self.moves[pid].append(self._move(made.id, stage, days_ago, "moved"))

    @rule(
        which=st.integers(0, 1),
        index=st.integers(0, 20),
        stage=st.none() | st.sampled_from(STAGES),
        days_ago=st.none() | DAYS_AGO,
        note=st.none() | st.sampled_from(["", "typed wrong", "her words"]),
    )
    def correct(
        self, which: int, index: int, stage: str | None, days_ago: int | None, note: str | None
    ) -> None:
        pid = list(self.moves)[which]
        moves = self.moves[pid]
        old = moves[index % len(moves)]
        on = None if days_ago is None else TODAY - timedelta(days=days_ago)
        typed = days_ago is not None and days_ago != old.days_ago
        if typed and not 0 <= (days_ago or 0) <= JOINED_DAYS_AGO:
            self._refused(
                lambda: self.caseload.correct_stage_move(old.id, stage=stage, on=on, note=note)
            )
            return
        new = replace(
            old,
            stage=old.stage if stage is None else stage,
            days_ago=old.days_ago if days_ago is None else days_ago,
            note=old.note if note is None else note,
        )
        if new != old:
            self.history.append(self._stored())
        self.caseload.correct_stage_move(old.id, stage=stage, on=on, note=note)
        moves[moves.index(old)] = new

    @rule(which=st.integers(0, 1), index=st.integers(0, 20))
    def remove(self, which: int, index: int) -> None:
        pid = list(self.moves)[which]
        moves = self.moves[pid]
        gone = moves[index % len(moves)]
        if len(moves) == 1:  # their only move holds their stage
            self._refused(lambda: self.caseload.remove_stage_move(gone.id))
            return
        self.history.append(self._stored())
        self.caseload.remove_stage_move(gone.id)
        moves.remove(gone)

    @precondition(lambda self: len(self.history) > 2)  # the enrolments stay
    @rule()
    def undo(self) -> None:
        self.moves = self.history.pop()
        self.caseload.undo()

    @invariant()
    def moves_are_as_modelled(self) -> None:
        for pid, moves in self.moves.items():
            held = sorted(
                (s.id, s.stage, (TODAY - s.on).days, s.note)
                for s in self.caseload.journey(pid).stages
            )
            model = sorted((m.id, m.stage, m.days_ago, m.note) for m in moves)
            assert held == model

    @invariant()
    def every_reader_tells_the_latest_move_by_day(self) -> None:
        expected = {pid: latest(moves) for pid, moves in self.moves.items()}
        for pid, stage in expected.items():
            assert self.caseload.participant(pid).stage == stage
            assert self.caseload.journey(pid).stage_by(TODAY) == stage
        listed = {row.id: row.stage for row in self.caseload.caseload(today=TODAY)}
        assert listed == expected
        counted = Counter(expected.values())
        for report in (
            build_report(self.caseload),
            build_report(self.caseload, since=TODAY - timedelta(days=JOINED_DAYS_AGO), until=TODAY),
        ):
            rows = report.section("by_stage").rows
            assert {r.key: r.value for r in rows if r.value} == counted

    @invariant()
    def undo_is_there_after_the_enrolments(self) -> None:
        assert self.caseload.can_undo


StageMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_stage_machine = StageMachine.TestCase


def _parent(caseload: Caseload) -> Participant:
    return caseload.enrol_participant("Aileen", "fife", joined_on=TODAY - timedelta(days=30))


def test_a_move_dated_before_a_later_one_does_not_become_the_stage(caseload: Caseload) -> None:
    parent = _parent(caseload)
    caseload.set_stage(parent.id, "building_confidence", on=TODAY - timedelta(days=5))
    caseload.set_stage(parent.id, "getting_connected", on=TODAY - timedelta(days=10))
    assert caseload.participant(parent.id).stage == "building_confidence"
    rows = build_report(caseload).section("by_stage").rows
    assert {r.key: r.value for r in rows if r.value} == {"building_confidence": 1}


def test_a_corrected_day_makes_another_move_the_latest(caseload: Caseload) -> None:
    parent = _parent(caseload)
    caseload.set_stage(parent.id, "getting_connected", on=TODAY - timedelta(days=10))
    caseload.set_stage(parent.id, "building_confidence", on=TODAY - timedelta(days=5))
    late = next(s for s in caseload.journey(parent.id).stages if s.stage == "building_confidence")
    caseload.correct_stage_move(late.id, on=TODAY - timedelta(days=20), note="typed wrong")
    assert caseload.participant(parent.id).stage == "getting_connected"
    assert caseload.undo() == "correct a stage move"
    assert caseload.participant(parent.id).stage == "building_confidence"
    caseload.remove_stage_move(late.id)
    assert caseload.participant(parent.id).stage == "getting_connected"
    assert caseload.undo() == "remove a stage move"
    assert caseload.participant(parent.id).stage == "building_confidence"
    events = caseload.record_history(late.id)
    assert [e.action for e in events][-4:] == ["update", "update", "delete", "create"]


def test_refusals_say_what_is_wrong_and_change_nothing(caseload: Caseload) -> None:
    parent = _parent(caseload)
    (first,) = caseload.journey(parent.id).stages
    before = caseload.events()
    with pytest.raises(ValidationError) as where:
        caseload.remove_stage_move(first.id)
    assert str(where.value) == (
        f"The move to Getting started on {long_date(first.on)} is their only stage move, so it "
        "cannot be removed: correct its stage or day instead. Nothing was changed."
    )
    with pytest.raises(ValidationError, match=r"is before they joined .*: check the date"):
        caseload.correct_stage_move(first.id, on=TODAY - timedelta(days=31))
    with pytest.raises(ValidationError, match="today"):
        caseload.correct_stage_move(first.id, stage="in_work", on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="before they joined"):
        caseload.set_stage(parent.id, "in_work", on=TODAY - timedelta(days=31))
    with pytest.raises(ValidationError, match="Stage"):
        caseload.correct_stage_move(first.id, stage="nowhere")
    assert caseload.events() == before
    assert caseload.participant(parent.id).stage == "getting_started"
