"""Undo as Hypothesis sees it: any mix of enrol, edit, child, contact, import, delete, erase
and undo leaves nothing `journeyapp check` would report, and undo puts back exactly what was
visible before the change it reverses; a write that cannot be undone clears the history."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
)

from journeyapp.caseload import Caseload
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Contact, Journey, Record
from tests.clock import ticking_clock
from tests.conftest import TODAY

Snapshot = dict[str, dict[str, tuple[Any, ...]]]
NAMES = st.sampled_from(["Aileen", "Siobhán", "Morag", "Zoë", "Kirsty", "Mhairi"])
WORDS = st.text("abcdefghij ", min_size=1, max_size=12).map(str.strip).filter(bool)


def _visible(record: Record) -> Record:
    # Undoing an edit is itself an edit: only its time stamp differs from the record before.
    return dataclasses.replace(record, updated_at="")


def _records(journey: Journey, name: str) -> tuple[Record, ...]:
    # Most fields hold many records; the parent, their equalities answers and circumstances one.
    value = getattr(journey, name)
    if value is None:
        return ()
    return (value,) if isinstance(value, Record) else tuple(value)


def snapshot(caseload: Caseload) -> Snapshot:
    """Everything a person can see of every journey, record for record."""
    seen: Snapshot = {}
    for participant in caseload.participants():
        journey = caseload.journey(participant.id)
        seen[participant.id] = {
            f.name: tuple(
                sorted((_visible(r) for r in _records(journey, f.name)), key=lambda r: r.id)
            )
            for f in dataclasses.fields(Journey)
        }
    return seen


class UndoMachine(RuleBasedStateMachine):
    """One real caseload file; a model of the undo history as the snapshots it should restore."""

    parents = Bundle("parents")
    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="undo-machine-"))
        self.caseload = Caseload.open(self.folder / "c.db", create=True, plain=True)
        self.caseload.clock = ticking_clock(TODAY)
        self.history: list[Snapshot] = []
        self.counter = 0

    def teardown(self) -> None:
        self.caseload.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _undoable(self, change: Any) -> Any:
        before = snapshot(self.caseload)
        result = change()
        if snapshot(self.caseload) != before:
            self.history.append(before)
        return result

    def _irreversible(self, change: Any) -> Any:
        result = change()
        self.history.clear()
        return result

    def _unique(self, words: str) -> str:
        self.counter += 1
        return f"{words} {self.counter}"

    @rule(target=parents, name=NAMES)
    def enrol(self, name: str) -> str:
        return self._undoable(lambda: self.caseload.enrol_participant(name, "fife").id)

    @rule(pid=parents, words=WORDS)
    def edit(self, pid: str, words: str) -> None:
        if self.caseload.safety.is_erased(pid) or not self._present(pid):
            return
        self._undoable(lambda: self.caseload.update_participant(pid, notes=self._unique(words)))

    @rule(target=records, pid=parents, year=st.integers(2008, 2026))
    def add_child(self, pid: str, year: int) -> tuple[str, str]:
        if not self._present(pid):
            return ("children", "")
        child = self._undoable(lambda: self.caseload.add_child(pid, birth_year=year))
        return ("children", child.id)

    @rule(target=records, pid=parents, words=WORDS)
    def log_contact(self, pid: str, words: str) -> tuple[str, str]:
        if not self._present(pid):
            return ("contacts", "")
        contact = self._undoable(lambda: self.caseload.log_contact(pid, note=words))
        return ("contacts", contact.id)

    @rule(target=records, pid=parents, words=WORDS)
    def import_contact(self, pid: str, words: str) -> tuple[str, str]:
        """An import (add_records): it cannot be undone, so it clears the history."""
        if not self._present(pid):
            return ("contacts", "")
        contact = Contact(participant_id=pid, on=TODAY, kind="one_to_one", note=words)
        self._irreversible(lambda: self.caseload.add_records([contact]))
        return ("contacts", contact.id)

    @rule(record=consumes(records))
    def delete(self, record: tuple[str, str]) -> None:
        kind, record_id = record
        if not record_id or not self._stored(kind, record_id):
            return
        self._undoable(lambda: self.caseload.delete_record(kind, record_id))

    @rule(pid=consumes(parents))
    def erase(self, pid: str) -> None:
        if not self._present(pid):
            return
        name = self.caseload.participant(pid).preferred_name
        self._irreversible(lambda: self.caseload.safety.erase_participant(pid, name))

    @precondition(lambda self: bool(self.history))
    @rule()
    def undo(self) -> None:
        expected = self.history.pop()
        self.caseload.undo()
        assert snapshot(self.caseload) == expected

    @rule()
    def undo_with_nothing_left(self) -> None:
        if self.history:
            return
        with pytest.raises(ValidationError, match="nothing to undo"):
            self.caseload.undo()

    @invariant()
    def history_matches_the_model(self) -> None:
        assert self.caseload.can_undo == bool(self.history)

    @invariant()
    def check_finds_nothing(self) -> None:
        assert self.caseload.safety.problems() == []

    def _present(self, pid: str) -> bool:
        return any(p.id == pid for p in self.caseload.participants())

    def _stored(self, kind: str, record_id: str) -> bool:
        return any(
            r.id == record_id
            for p in self.caseload.participants()
            for r in getattr(self.caseload.journey(p.id), kind)
        )


UndoMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_undo_state_machine = UndoMachine.TestCase


def test_an_import_after_an_enrolment_cannot_be_undone_past(caseload: Caseload) -> None:
    """The defect of issue 12: enrol, import a contact for them, undo twice."""
    pid = caseload.enrol_participant("Aileen", "fife").id
    assert caseload.can_undo
    caseload.add_records([Contact(participant_id=pid, on=TODAY, kind="one_to_one", note="x")])
    assert not caseload.can_undo
    with pytest.raises(ValidationError, match="nothing to undo"):
        caseload.undo()
    assert [p.id for p in caseload.participants()] == [pid]
    assert caseload.safety.problems() == []


@pytest.mark.parametrize(
    "irreversible",
    ["batch", "audit", "passphrase", "resolve nothing: merge"],
)
def test_every_write_that_cannot_be_undone_clears_the_history(
    caseload: Caseload, irreversible: str
) -> None:
    pid = caseload.enrol_participant("Morag", "fife").id
    caseload.log_contact(pid, note="first")
    assert caseload.can_undo
    if irreversible == "batch":
        with caseload.batch("import"):
            caseload.log_contact(pid, note="in a batch")
    elif irreversible == "audit":
        caseload.exchange.record_audit("exports", {"what": "journey log"})
    elif irreversible == "passphrase":
        caseload.safety.change_passphrase(None, "seven purple kites over the bay")
    else:
        caseload.exchange.merge_events([])
    assert not caseload.can_undo


def test_an_undoable_change_holding_an_irreversible_one_is_not_undoable(
    caseload: Caseload,
) -> None:
    pid = caseload.enrol_participant("Zoë", "fife").id
    with caseload._write("log and import"):
        caseload.log_contact(pid, note="logged")
        caseload.add_records([Contact(participant_id=pid, on=TODAY, kind="one_to_one")])
    assert not caseload.can_undo
