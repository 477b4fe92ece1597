"""What a plan and "What we hold about you" say: the model, the wording and the builders (no PDF)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeyapp.core.catalogue import Catalogue
    from journeyapp.core.codes import Codes
    from journeyapp.core.documents.model import (
        ActionPlan,
        Item,
        Radar,
        Section,
        Series,
        Table,
    )
    from journeyapp.core.documents.plan import build_action_plan
    from journeyapp.core.documents.sender import Sender
    from journeyapp.core.documents.what_we_hold import build_subject_access
    from journeyapp.core.documents.wording import LANGUAGES, Words, language_name, long_date
    from journeyapp.core.records import Event, GroupSession, Journey

# The package's names, each loaded from its module when first asked for: the window and the
# store import the wording or the sender (`core.documents.wording`, `.sender`), which runs this
# file, without loading the builders of a plan or of "What we hold" (issue 18).
_HOMES = {
    "ActionPlan": "model",
    "Item": "model",
    "Radar": "model",
    "Section": "model",
    "Series": "model",
    "Table": "model",
    "Sender": "sender",
    "build_action_plan": "plan",
    "build_subject_access": "what_we_hold",
    "LANGUAGES": "wording",
    "Words": "wording",
    "language_name": "wording",
    "long_date": "wording",
}


def __getattr__(name: str) -> Any:
    """One of the package's names, imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
    return's answers by their labels in `codes`; the plan never shows them). `contact` is
    printed on either instead of the phone number from the settings; one longer than a contact
    line can be is refused (sender.check_contact), before anything is laid out."""
    from journeyapp.core.documents.sender import check_contact

    contact = check_contact(contact)
    if what_we_hold:
        from journeyapp.core.documents.what_we_hold import build_subject_access

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
            contact=contact,
        )
    from journeyapp.core.documents.plan import build_action_plan

    return build_action_plan(journey, catalogue, today, contact, words=words, sender=sender)
