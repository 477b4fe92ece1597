"""The registry: every record type and every field carries a decision, and the decisions hold."""

from __future__ import annotations

import dataclasses

import pytest

from journeyapp.core import records
from journeyapp.core.classification import FieldSpec, Holds, Pseudonymised
from journeyapp.core.records import (
    AUDIT_EVENTS,
    BY_KIND,
    RECORD_TYPES,
    Journey,
    Participant,
    Record,
    belongs_to_a_parent,
    field_specs,
    not_kept_when_pseudonymised,
    period_field,
)


def _every_record_type(cls: type[Record] = Record) -> set[type[Record]]:
    found: set[type[Record]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_every_record_type(sub)}
    return found


def test_every_record_type_is_registered() -> None:
    # A new record class that is not in RECORD_TYPES would be missed by exports and erasure.
    defined = {
        obj
        for obj in vars(records).values()
        if isinstance(obj, type) and issubclass(obj, Record) and obj is not Record
    }
    assert defined == set(RECORD_TYPES)
    assert _every_record_type() >= set(RECORD_TYPES)
    assert len(BY_KIND) == len(RECORD_TYPES)


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda c: c.KIND)
def test_every_field_has_a_decision_and_every_decision_a_field(cls: type[Record]) -> None:
    declared = [f.name for f in dataclasses.fields(cls)]
    decided = list(field_specs(cls))
    missing = set(declared) - set(decided)
    assert not missing, f"{cls.__name__}: decide how {sorted(missing)} is held and exported"
    stale = set(decided) - set(declared)
    assert not stale, f"{cls.__name__}: FIELDS names {sorted(stale)}, which it does not have"
    assert decided == declared  # in field order, so exports keep their column order
    assert cls.HELD_AS, f"{cls.__name__}: say how 'What we hold about you' names it"
    assert all(isinstance(spec, FieldSpec) for spec in field_specs(cls).values())


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda c: c.KIND)
def test_nothing_personal_or_free_text_is_kept_as_it_is(cls: type[Record]) -> None:
    for name, spec in field_specs(cls).items():
        if spec.holds in (Holds.PERSONAL, Holds.FREE_TEXT):
            assert name in not_kept_when_pseudonymised(cls)
        if spec.holds is Holds.PARENT:
            assert spec.pseudonymised is Pseudonymised.PSEUDONYMISE
    assert sum(spec.period for spec in field_specs(cls).values()) <= 1
    if period_field(cls) is not None:
        assert field_specs(cls)[period_field(cls) or ""].holds is Holds.DATE


def test_a_decision_that_lets_words_through_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be kept"):
        FieldSpec(Holds.FREE_TEXT, Pseudonymised.KEEP)
    with pytest.raises(ValueError, match="cannot be kept"):
        FieldSpec(Holds.PERSONAL, Pseudonymised.PSEUDONYMISE)
    with pytest.raises(ValueError, match="catalogue list"):
        FieldSpec(Holds.FREE_TEXT, Pseudonymised.CODE)


def test_audit_events_carry_no_file_names() -> None:
    for kind, specs in AUDIT_EVENTS.items():
        assert kind not in BY_KIND
        for name in ("file", "to"):
            if name in specs:
                assert specs[name].pseudonymised is Pseudonymised.DROP


def test_a_journey_holds_every_kind_of_record_about_a_parent() -> None:
    # "What we hold about you" and the plan read a Journey: a kind missing there is never shown.
    about_a_parent = {
        cls.KIND for cls in RECORD_TYPES if belongs_to_a_parent(cls) and cls is not Participant
    }
    assert {f.name for f in dataclasses.fields(Journey)} == about_a_parent | {"participant"}
