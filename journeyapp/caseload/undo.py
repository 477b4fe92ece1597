"""Undo as typed operations: what one write did, how to reverse it, and the session's history.

The rule is Anki's `begin_undoable_operation`: a write that cannot be undone (an import, a
merge, an erasure, a passphrase change, a decision, an audit note) clears the history, so an
undo can never reach past it and leave, say, an imported contact whose parent is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from journeyapp.core.records import BY_KIND
from journeyapp.store import records as store
from journeyapp.store.db import Database


class Undo(Enum):
    """How a write stands to the undo history."""

    UNDOABLE = "undoable"  # pushed onto the history (if it changed anything)
    IRREVERSIBLE = "irreversible"  # clears the history: nothing before it can be undone
    UNDOING = "undoing"  # the undo itself: pops its entry, leaves the rest


@dataclass(frozen=True)
class RemoveCreated:
    """Undo of a create: remove the record made."""

    kind: str
    record_id: str


@dataclass(frozen=True)
class RevertUpdate:
    """Undo of an update: put back the stored values the changed fields had."""

    kind: str
    record_id: str
    old_values: Mapping[str, Any]


@dataclass(frozen=True)
class RestoreDeleted:
    """Undo of a delete: put the stored row back exactly as it was."""

    kind: str
    row: Mapping[str, Any]


UndoOp = RemoveCreated | RevertUpdate | RestoreDeleted


@dataclass(frozen=True)
class UndoEntry:
    """One committed use case that can be undone: its words and its inverse operations."""

    description: str
    ops: tuple[UndoOp, ...]
    # Whose journeys it changed: the window names them when another parent is shown.
    participants: frozenset[str] = frozenset()


@dataclass
class Txn:
    """What one use case has done so far: for the Changes value and for undo."""

    ctx: store.EventContext
    irreversible: bool = False  # a part cannot be undone: the whole clears the history
    kinds: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    inverse: list[UndoOp] = field(default_factory=list)

    def touched(self, kind: str, owner: str | None) -> None:
        """Note that `kind` changed, and whose journey (if anyone's)."""
        self.kinds.add(kind)
        if owner:
            self.participants.add(owner)


class UndoHistory:
    """The undoable use cases of this session, newest last (at most `limit`)."""

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._entries: list[UndoEntry] = []

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def last(self) -> UndoEntry | None:
        """The entry Undo would reverse, or None."""
        return self._entries[-1] if self._entries else None

    def push(self, entry: UndoEntry) -> None:
        """Remember a committed undoable use case (the oldest go beyond the limit)."""
        self._entries.append(entry)
        del self._entries[: -self.limit]

    def pop(self) -> UndoEntry:
        """Forget the newest entry (after it was undone)."""
        return self._entries.pop()

    def clear(self) -> None:
        """Forget everything: after a write that cannot be undone, or an erasure."""
        self._entries.clear()


def reverse(db: Database, op: UndoOp, txn: Txn) -> None:
    """Apply one inverse operation inside `txn` (recorded as new journey-log events)."""
    cls = BY_KIND[op.kind]
    owner: str | None = None
    match op:
        case RemoveCreated(record_id=record_id):
            existing = store.find(db, cls, record_id)
            if existing is not None:
                store.delete(db, existing, txn.ctx)
                owner = store.owner_id(existing)
        case RevertUpdate(record_id=record_id, old_values=old_values):
            existing = store.find(db, cls, record_id)
            if existing is None:
                return
            stored = store.to_row(existing)
            stored.update(old_values)
            restored = store.from_row(cls, stored)
            changes = {k: getattr(restored, k) for k in old_values}
            new, _old = store.update(db, existing, changes, txn.ctx)
            owner = store.owner_id(new)
        case RestoreDeleted(row=row):
            if store.find(db, cls, str(row["id"])) is not None:
                return
            store.restore_row(db, op.kind, dict(row), txn.ctx)
            owner = store.owner_id(store.from_row(cls, dict(row)))
    txn.touched(op.kind, owner)
