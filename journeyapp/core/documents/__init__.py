"""What a plan and "What we hold about you" say: the model, the wording and the builders (no PDF)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.codes import Codes
from journeyapp.core.documents.model import (
    ActionPlan,
    Item,
    Radar,
    Section,
    Sender,
    Series,
    Table,
)
from journeyapp.core.documents.plan import build_action_plan
from journeyapp.core.documents.what_we_hold import build_subject_access
from journeyapp.core.documents.wording import LANGUAGES, Words, language_name, long_date
from journeyapp.core.records import Event, GroupSession, Journey

__all__ = [
    "LANGUAGES",
    "ActionPlan",
    "Item",
    "Radar",
    "Section",
    "Sender",
    "Series",
    "Table",
    "Words",
    "build_action_plan",
    "build_document",
    "build_subject_access",
    "language_name",
    "long_date",
]


def build_document(
    journey: Journey,
    catalogue: Catalogue,
    today: date,
    *,
    contact: str = "",
    what_we_hold: bool = False,
    events: Sequence[Event] = (),
    sessions: Mapping[str, GroupSession] | None = None,
    words: Words | None = None,
    sender: Sender | None = None,
    retention_years: int | None = None,
    device_id: str = "",
    codes: Codes | None = None,
) -> ActionPlan:
    """The plan, or "What we hold about you" when `what_we_hold` is set (which names the
    return's answers by their labels in `codes`; the plan never shows them)."""
    if what_we_hold:
        return build_subject_access(
            journey,
            catalogue,
            today,
            events,
            sessions,
            words=words,
            sender=sender,
            retention_years=retention_years,
            device_id=device_id,
            codes=codes,
        )
    return build_action_plan(journey, catalogue, today, contact, words=words, sender=sender)
