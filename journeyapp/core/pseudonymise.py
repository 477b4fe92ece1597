"""The pseudonymiser: how each field of a record leaves the laptop, read from the registry.

A pseudonymised output keeps coded values, dates and numbers, replaces a parent's id by the
partnership's keyed pseudonym, turns free text that names a partner (or a service) into its
catalogue key ("other" when it names nothing there), turns exact birth dates and years into age
bands and drops everything else about the parent. An identifiable output keeps every field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.classification import OTHER, FieldSpec, Holds, Pseudonymised
from journeyapp.core.derived import age_band, child_age_band
from journeyapp.core.records import Record, field_specs

_BANDS: dict[str, Callable[[Any, date], str]] = {"age": age_band, "child_age": child_age_band}
# Fields holding a dict of scores per outcome area go out as one column per area.
_SCORE_PREFIX = {"scores": "score_", "keyworker_scores": "keyworker_score_"}


def coded(spec: FieldSpec, value: str | None, catalogue: Catalogue) -> str:
    """Free text as its catalogue key: kept words ("me") as they are, else the key it names,
    else "other" (nothing typed stays "")."""
    if not value or not value.strip():
        return ""
    if value in spec.keep:
        return value
    return catalogue.find_key(spec.codes, value) or OTHER


@dataclass(frozen=True)
class _Out:
    name: str  # the record's field
    spec: FieldSpec
    columns: tuple[str, ...]


class Outgoing:
    """The columns of one record type in an output, and each record as a row of them."""

    def __init__(
        self,
        cls: type[Record],
        *,
        identifiable: bool,
        catalogue: Catalogue,
        today: date,
        pseudonym: Callable[[str | None], str | None],
    ) -> None:
        self.cls = cls
        self.identifiable = identifiable
        self.catalogue = catalogue
        self.today = today
        self.pseudonym = pseudonym
        self.areas = catalogue.keys("outcome_areas")
        self._out = tuple(
            out
            for name, spec in field_specs(cls).items()
            if (out := self._plan(name, spec)) is not None
        )
        self.columns: list[str] = [c for out in self._out for c in out.columns]
        # What `row` does with each field, worked out once rather than for every cell.
        self._steps = tuple((out.name, self._step(out), out.spec) for out in self._out)

    def _step(self, out: _Out) -> str:
        """What `row` does with a field: scores, pseudonymise, code, band or keep (by type)."""
        if out.name in _SCORE_PREFIX:
            return "scores"
        how = Pseudonymised.KEEP if self.identifiable else out.spec.pseudonymised
        if how in (Pseudonymised.PSEUDONYMISE, Pseudonymised.CODE, Pseudonymised.BAND):
            return str(how)
        return "keep"

    def _plan(self, name: str, spec: FieldSpec) -> _Out | None:
        if self.identifiable and not spec.identifiable:
            return None
        how = Pseudonymised.KEEP if self.identifiable else spec.pseudonymised
        if spec.holds is Holds.PARENT:
            # Named for what it holds: the parent's id, or their pseudonym.
            return _Out(name, spec, ("participant",))
        if how is Pseudonymised.DROP:
            return None
        if how is Pseudonymised.BAND:
            return _Out(name, spec, (spec.column,))
        if name in _SCORE_PREFIX:
            return _Out(name, spec, tuple(_SCORE_PREFIX[name] + a for a in self.areas))
        return _Out(name, spec, (name,))

    def row(self, record: Record) -> list[Any]:
        """One record's cells, in `columns` order (dates as ISO text, enums as their value)."""
        values = record.__dict__
        row: list[Any] = []
        append = row.append
        for name, step, spec in self._steps:
            value = values[name]
            if step == "keep":
                kind = type(value)
                if kind is str or value is None or kind is int or kind is bool or kind is float:
                    append(value)  # most cells: none of the kinds below
                elif isinstance(value, StrEnum):
                    append(str(value))
                elif isinstance(value, date):
                    append(value.isoformat())
                elif isinstance(value, list):  # a list of answer codes: one cell, ";" between
                    append(";".join(map(str, value)))
                else:
                    append(value)
            elif step == "scores":
                row.extend(value.get(a) for a in self.areas)
            elif step == "pseudonymise":
                append(self.pseudonym(value))
            elif step == "code":
                append(coded(spec, value, self.catalogue))
            else:
                append(_BANDS[spec.codes](value, self.today))
        return row


def event_fields_to_drop(
    kinds: Sequence[tuple[str, dict[str, FieldSpec]]],
) -> dict[str, Sequence[str]]:
    """For journey-log events of each kind, the fields a pseudonymised output leaves out:
    everything not kept as it is (a parent's id cannot be pseudonymised inside an event's
    fields, and coded and banded values go out in the tables instead)."""
    return {
        kind: sorted(n for n, spec in specs.items() if spec.pseudonymised is not Pseudonymised.KEEP)
        for kind, specs in kinds
    }
