"""Changes: which kinds of record a write touched, so views refresh only what they show."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """What one committed use case touched: record kinds and the participants concerned."""

    kinds: frozenset[str] = frozenset()
    participant_ids: frozenset[str] = frozenset()
    note: str = field(default="", compare=False)

    def touches(self, *kinds: str) -> bool:
        """True if any of `kinds` changed."""
        return bool(self.kinds.intersection(kinds))

    def __bool__(self) -> bool:
        return bool(self.kinds)
