"""Decisions waiting after merges, in words a coordinator reads: whose, what, which laptop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeyapp.caseload import Caseload
from journeyapp.core.describe import KIND_WORDS
from journeyapp.core.enums import label
from journeyapp.core.errors import JourneyError
from journeyapp.core.merge import MergeDecision, Side

# Fields whose values are catalogue keys: the catalogue list that words them.
_CATALOGUE_FIELDS = {
    "locality": "localities",
    "stage": "stages",
    "service": "services",
    "area": "outcome_areas",
    "type": "milestone_types",
}


@dataclass(frozen=True)
class DecisionLine:
    """One open decision, worded: the parent, what it is about, both values and their laptops."""

    id: str
    parent: str
    about: str
    here: str
    here_from: str
    incoming: str
    incoming_from: str

    def text(self) -> str:
        """One line for the command line."""
        return (
            f"{self.id}  {self.parent}: {self.about}: here {self.here} ({self.here_from}) | "
            f"incoming {self.incoming} ({self.incoming_from})"
        )


def describe(caseload: Caseload, decision: MergeDecision) -> DecisionLine:
    """A decision in words (the parent's preferred name, labels, laptop names)."""
    devices = caseload.exchange.enrolled_devices()
    parent = "(no parent)"
    if decision.participant_id:
        found = caseload.find_participants(decision.participant_id)
        parent = found[0].preferred_name if found else "(a parent not on this laptop)"
    if decision.field == "_erase":
        about = "erase this parent? (asked by a laptop the partnership has not enrolled)"
    elif decision.field == "_duplicate":
        what = KIND_WORDS.get(decision.kind, decision.kind)
        about = f"{what}{_which(caseload, decision)}, recorded twice (on two laptops, before "
        about += "they were merged): keep which?"
    elif decision.field == "_remove":
        what = KIND_WORDS.get(decision.kind, decision.kind)
        about = f"{what}{_which(caseload, decision)}: remove this record? (asked in events no "
        about += "enrolled laptop vouched for)"
    else:
        about = f"{KIND_WORDS.get(decision.kind, decision.kind)}{_which(caseload, decision)}, "
        about += label(decision.field)
    return DecisionLine(
        id=decision.id,
        parent=parent,
        about=about,
        here=_value(caseload, decision.field, decision.here.value),
        here_from=_where(decision.here, devices),
        incoming=_value(caseload, decision.field, decision.incoming.value),
        incoming_from=_where(decision.incoming, devices),
    )


def _which(caseload: Caseload, decision: MergeDecision) -> str:
    """Which one of the parent's records: the service of a choice, the purpose of a consent."""
    if not decision.participant_id or decision.kind not in ("choices", "consents"):
        return ""
    try:
        journey = caseload.journey(decision.participant_id)
    except JourneyError:
        return ""
    for choice in journey.choices:
        if choice.id == decision.record_id:
            return f" about {caseload.catalogue.label('services', choice.service)}"
    for consent in journey.consents:
        if consent.id == decision.record_id:
            return f" for {label(consent.purpose)}"
    return ""


def _value(caseload: Caseload, field: str, value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if field == "_erase":
        return "erase" if value == "erase" else "keep"
    if field == "_remove":
        return "remove" if value == "remove" else "keep"
    if field == "_duplicate" and isinstance(value, dict):
        return ", ".join(f"{label(k)} {_value(caseload, k, v)}" for k, v in value.items())
    list_name = _CATALOGUE_FIELDS.get(field)
    if list_name is not None and isinstance(value, str):
        return repr(caseload.catalogue.label(list_name, value))
    if isinstance(value, str):
        worded = label(value)
        return repr(worded if worded != value.replace("_", " ").capitalize() else value)
    return repr(value)


def _where(side: Side, devices: dict[str, str]) -> str:
    laptop = devices.get(side.device_id) or f"laptop {side.device_id[:8]}"
    when = side.at[:10] if side.at else "?"
    return f"{side.actor or 'someone'} on {laptop}, {when}"
