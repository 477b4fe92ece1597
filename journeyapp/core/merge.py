"""What a merge of journey logs from other laptops did, and the edits that need a decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MergeResult:
    """The outcome of merging journey-log events from another laptop (one transaction)."""

    received: int = 0
    already_had: int = 0
    applied: int = 0
    erased: int = 0
    dropped_erased: int = 0
    skipped_removed: int = 0
    new_decisions: int = 0
    kinds: frozenset[str] = frozenset()
    participant_ids: frozenset[str] = frozenset()

    @property
    def changed_anything(self) -> bool:
        """True when the merge added or changed something here."""
        return bool(self.applied or self.erased or self.new_decisions)

    def summary(self) -> str:
        """One plain sentence for a coordinator."""
        parts = [
            f"{self.received:,} events received",
            f"{self.applied:,} new",
            f"{self.already_had:,} already here",
        ]
        if self.erased:
            parts.append(f"{self.erased:,} parents erased as asked")
        if self.dropped_erased:
            parts.append(f"{self.dropped_erased:,} left out because the parent was erased")
        if self.skipped_removed:
            parts.append(f"{self.skipped_removed:,} about records removed here")
        parts.append(
            f"{self.new_decisions:,} edits need a decision"
            if self.new_decisions != 1
            else "1 edit needs a decision"
        )
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class Side:
    """One side of a clash: the value, and who set it, when, on which laptop."""

    value: Any
    event_id: str
    at: str
    actor: str
    device_id: str


@dataclass(frozen=True)
class MergeDecision:
    """Two different edits to the same field: both kept until the coordinator picks one."""

    id: str
    kind: str
    record_id: str
    participant_id: str | None
    field: str
    here: Side
    incoming: Side
    found_at: str
    resolved_at: str | None = None
    choice: str | None = None
    resolved_by: str | None = None

    @property
    def is_open(self) -> bool:
        """True until the coordinator has picked a value."""
        return self.resolved_at is None


CHOICES = ("here", "incoming")
