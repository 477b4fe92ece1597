"""Decisions waiting after merges, in words a coordinator reads: whose, what, which laptop."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from journeyapp.caseload import Caseload
from journeyapp.core.describe import (
    KIND_WORDS,
    field_words,
    typed_or_coded_words,
    unit_about,
    unit_words,
)
from journeyapp.core.enums import label
from journeyapp.core.errors import JourneyError
from journeyapp.core.merge import MergeDecision, Side
from journeyapp.core.text import fold, with_family_initial


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


def describe_all(caseload: Caseload, decisions: Iterable[MergeDecision]) -> list[DecisionLine]:
    """Decisions in words, each parent named as the caseload list names them: "Ana M." where
    two parents are called Ana (a coordinator's merged caseload has many who share a name)."""
    names = Counter(fold(name) for name in caseload.caseload_outline().names)
    shared = frozenset(name for name, count in names.items() if count > 1)
    devices = caseload.exchange.enrolled_devices()  # read once for every line
    return [describe(caseload, decision, shared, devices) for decision in decisions]


def describe(
    caseload: Caseload,
    decision: MergeDecision,
    shared: frozenset[str] = frozenset(),
    devices: dict[str, str] | None = None,
) -> DecisionLine:
    """A decision in words (the parent's preferred name, with their family initial when it is
    one of the `shared` names, folded; labels; laptop names, from `devices` when given)."""
    if devices is None:
        devices = caseload.exchange.enrolled_devices()
    parent = "(no parent)"
    if decision.participant_id:
        found = caseload.find_participants(decision.participant_id)
        parent = "(a parent not on this laptop)"
        if found:
            parent = found[0].preferred_name
            if fold(parent) in shared:
                parent = with_family_initial(parent, found[0].full_name)
    if decision.field == "_erase":
        about = "erase this parent? (asked by a laptop the partnership has not enrolled)"
    elif decision.field == "_duplicate":
        what = KIND_WORDS.get(decision.kind, decision.kind)
        about = f"{what}{_which(caseload, decision)}, recorded twice (on two laptops, before "
        about += "they were merged): keep which?"
    elif decision.field == "_remove" and decision.here.value == "unseen":
        what = KIND_WORDS.get(decision.kind, decision.kind)
        about = f"{what}{_which(caseload, decision)}, removed on one laptop and changed on "
        about += "another that had not seen the removal (kept, with the change, until you decide)"
    elif decision.field == "_remove":
        what = KIND_WORDS.get(decision.kind, decision.kind)
        about = f"{what}{_which(caseload, decision)}: remove this record? (asked in events no "
        about += "enrolled laptop vouched for)"
    elif unit_words(decision.kind, decision.here.value) is not None:
        # A consent, or where a journey stands: decided as one (core.merge.Unit).
        what = KIND_WORDS.get(decision.kind, decision.kind)
        about = f"{what}{_which(caseload, decision)}, {unit_about(decision.kind)}"
        if decision.kind == "participants":  # not "details, where their journey stands"
            about = unit_about(decision.kind)
    else:
        # The field's own name in words: an enum value's label can share its name (a
        # parent's "keyworker" is not the "keyworker's note" a voice means).
        about = f"{KIND_WORDS.get(decision.kind, decision.kind)}{_which(caseload, decision)}, "
        about += field_words(decision.field)
    kind = decision.kind
    return DecisionLine(
        id=decision.id,
        parent=parent,
        about=about,
        here=_value(caseload, kind, decision.field, decision.here.value),
        here_from=_where(decision.here, devices),
        incoming=_value(caseload, kind, decision.field, decision.incoming.value),
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


def _value(caseload: Caseload, kind: str, field: str, value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if field == "_erase":
        return "erase" if value == "erase" else "keep"
    if field == "_remove":
        return "remove" if value == "remove" else "keep"
    if field == "_duplicate" and isinstance(value, dict):
        return ", ".join(
            f"{field_words(k)} {_value(caseload, kind, k, v)}" for k, v in value.items()
        )
    whole = unit_words(kind, value)
    if whole is not None:
        return whole
    words = typed_or_coded_words(value, kind, field, caseload.catalogue, caseload.codes)
    return repr(value) if words == str(value) else repr(words)  # typed: exactly as typed


def _where(side: Side, devices: dict[str, str]) -> str:
    laptop = devices.get(side.device_id) or f"laptop {side.device_id[:8]}"
    when = side.at[:10] if side.at else "?"
    return f"{side.actor or 'someone'} on {laptop}, {when}"
