"""Draft: what was typed in a form not saved yet, kept so a crash or a lock loses no word."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Draft:
    """One open form's typing: which form (`form`, a name the window knows how to reopen), what
    it was about (`context`: the parent, the record being corrected...), and the fields' values."""

    key: str
    form: str
    title: str
    participant_id: str | None
    context: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    updated_at: str = ""
