"""Pseudonymised means pseudonymised: a canary name planted in every free-text and personal field
of every record kind (driven by the registry, so a new field is covered without touching this
file) appears in no cell of any pseudonymised output, and is in the identifiable export and in
"What we hold about you"."""

from __future__ import annotations

import csv
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.classification import Holds
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.records import (
    RECORD_TYPES,
    Equalities,
    GroupSession,
    Participant,
    Record,
    belongs_to_a_parent,
    field_specs,
)
from journeyapp.exchange.export import ExportOptions, export
from journeyapp.exchange.report import build_report
from tests.exchange.test_export import cells

CANARY = "Zebedee Quillfeather"
PLANTED = (Holds.FREE_TEXT, Holds.PERSONAL)
# Which catalogue list a coded text field takes its keys from (the rest are enums or dates).
CODED_FROM = {
    "service": "services",
    "stage": "stages",
    "type": "milestone_types",
    "kind": "contact_kinds",
    "area": "outcome_areas",
    "locality": "localities",
}


# Fields whose text must have a shape: the canary goes in as that shape.
SHAPED = {
    "email": "zebedee.quillfeather@example.org",
    "phone": "07700 900123",
    "postcode": "QQ9 9QQ",  # no real postcode starts QQ: a canary of its own
}


def planted(cls: type[Record], name: str) -> str:
    """The canary as planted in one field: the same name, and where it was put."""
    return SHAPED.get(name, f"{CANARY} {cls.KIND}.{name}")


def _sample(cls: type[Record], caseload: Caseload, links: dict[str, str]) -> Record:
    """One record of `cls` with the canary in every free-text and personal text field."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    specs = field_specs(cls)
    for f in fields(cls):
        spec, hint = specs[f.name], hints[f.name]
        optional = isinstance(hint, types.UnionType)
        kind = next(a for a in typing.get_args(hint) if a is not type(None)) if optional else hint
        if f.name in ("id", "created_at", "updated_at", "recorded_by"):
            continue
        if spec.holds is Holds.PARENT:
            values[f.name] = links["participant"]
        elif spec.holds is Holds.KEY:
            values[f.name] = links[f.name]
        elif spec.holds in PLANTED and kind is str:
            values[f.name] = planted(cls, f.name)
        elif kind is date:
            values[f.name] = date(1990, 5, 17) if spec.holds is Holds.PERSONAL else date(2026, 3, 2)
        elif kind is int:
            values[f.name] = 2019 if spec.holds is Holds.PERSONAL else 30
        elif kind is bool:
            values[f.name] = True
        elif typing.get_origin(kind) is dict:
            values[f.name] = {a: 6 for a in caseload.catalogue.keys("outcome_areas")}
        elif typing.get_origin(kind) is list:  # a list of answer codes (benefits)
            values[f.name] = list(caseload.codes.keys(f.name)[:2])
        elif caseload.codes.keys(f.name):  # an answer code from the registry (issue 19)
            values[f.name] = caseload.codes.keys(f.name)[0]
        elif f.name == "purpose":  # the consent that lets equalities answers be kept
            values[f.name] = ConsentPurpose.EQUALITIES_MONITORING
        elif isinstance(kind, type) and issubclass(kind, StrEnum):
            values[f.name] = next(iter(kind))
        elif spec.holds is Holds.STAFF:
            values[f.name] = "Kim"
        elif f.name == "language":
            values[f.name] = "uk"  # a code from core.documents.LANGUAGES, not the catalogue
        elif f.name == "time":
            values[f.name] = "10:30"  # a meeting's time of day, not the catalogue
        else:
            values[f.name] = caseload.catalogue.keys(CODED_FROM[f.name])[0]
    return cls(**values)


@pytest.fixture
def planted_caseload(caseload: Caseload) -> Caseload:
    """A caseload with one record of every kind, the canary in each free-text field."""
    links: dict[str, str] = {}
    made: dict[type[Record], Record] = {}
    # Records that others point at come first.
    for cls in (Participant, GroupSession, *RECORD_TYPES):
        if cls in made:
            continue
        record = _sample(cls, caseload, links)
        caseload.add_records([record])
        made[cls] = record
        if cls is Participant:
            links["participant"] = record.id
        if cls is GroupSession:
            links["session_id"] = links["group_session_id"] = record.id
        if cls.KIND == "goals":
            links["goal_id"] = record.id
        if cls.KIND == "milestones":
            links["milestone_id"] = record.id
    assert set(made) == set(RECORD_TYPES)
    # Audit events: an import and an identifiable export, and one written by an older version
    # that still held a file name.
    caseload.exchange.record_audit("imports", {"file": f"{CANARY}.xlsx", "kind": "participants"})
    # An event of a kind this version does not know (a newer laptop's): nothing says what it
    # holds, so a pseudonymised output keeps none of its fields.
    caseload.exchange.record_audit("wishes", {"said": f"{CANARY} wishes"})
    return caseload


def _every_text_field() -> Iterator[tuple[type[Record], str]]:
    for cls in RECORD_TYPES:
        for name, spec in field_specs(cls).items():
            if spec.holds in PLANTED:
                yield cls, name


def _leaks(text: str) -> bool:
    folded = text.casefold()
    return "zebedee" in folded or "quillfeather" in folded or "qq9 9qq" in folded


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_no_canary_in_any_cell_of_a_pseudonymised_export(
    planted_caseload: Caseload, tmp_path: Path, fmt: str
) -> None:
    export(
        planted_caseload,
        tmp_path / f"{CANARY}.ok",
        ExportOptions(format=fmt, identifiable=True),
    )  # its audit event must not carry the file's name either
    out = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export")
    result = export(planted_caseload, out, ExportOptions(format=fmt))
    assert set(result.rows) == {cls.KIND for cls in RECORD_TYPES} | {"journey_log"}
    assert all(result.rows[cls.KIND] == 1 for cls in RECORD_TYPES)
    seen = 0
    for table, column, text in cells(out, fmt):
        seen += 1
        assert not _leaks(text), (table, column, text)
    assert seen > 100
    names = [p.name for p in out.iterdir()] if out.is_dir() else [out.name]
    assert not any(_leaks(n) for n in names)


def test_coded_and_banded_values_say_what_they_can(
    planted_caseload: Caseload, tmp_path: Path
) -> None:
    export(planted_caseload, tmp_path / "out", ExportOptions())

    def first(kind: str) -> dict[str, str]:
        with (tmp_path / "out" / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as f:
            return next(csv.DictReader(f))

    assert first("referrals")["to"] == "other"
    assert first("choices")["provider"] == "other"
    assert first("steps")["who"] == "other"
    assert first("groups")["activity"] == "other"
    assert "venue" not in first("contacts")
    assert "venue" not in first("groups")
    child = first("children")
    assert "birth_year" not in child
    assert child["age_band"] == "5-11"  # born 2019, in 2026
    assert first("participants")["age_band"] == "35-44"
    planted_caseload.add_step(
        next(iter(planted_caseload.journey(first_parent(planted_caseload)).goals)).id,
        "Phone the college",
        who="Local college",
    )
    export(planted_caseload, tmp_path / "again", ExportOptions())
    with (tmp_path / "again" / "steps.csv").open(encoding="utf-8-sig", newline="") as f:
        assert sorted(r["who"] for r in csv.DictReader(f)) == ["college", "other"]


def first_parent(caseload: Caseload) -> str:
    return caseload.participants()[0].id


def test_no_canary_in_the_programme_report(planted_caseload: Caseload) -> None:
    report = build_report(planted_caseload)
    for text in (report.to_text(), report.to_json(), report.to_csv()):
        assert not _leaks(text)
    assert not _leaks(json.dumps(report.to_json_data(suppress=False)))
    assert not _leaks(report.to_text(suppress=False))


def test_the_identifiable_export_holds_every_planted_field(
    planted_caseload: Caseload, tmp_path: Path
) -> None:
    export(planted_caseload, tmp_path / "id", ExportOptions(identifiable=True))
    for cls, name in _every_text_field():
        with (tmp_path / "id" / f"{cls.KIND}.csv").open(encoding="utf-8-sig", newline="") as f:
            row = next(csv.DictReader(f))
        if name in ("date_of_birth", "birth_year"):
            assert row[name] in ("1990-05-17", "2019")  # personal, but not text
        else:
            assert row[name] == planted(cls, name)


def test_what_we_hold_lists_every_planted_field(planted_caseload: Caseload) -> None:
    text = planted_caseload.document(first_parent(planted_caseload), what_we_hold=True).text()
    missing = [
        f"{cls.KIND}.{name}"
        for cls, name in _every_text_field()
        if belongs_to_a_parent(cls) or cls is GroupSession
        if name not in ("date_of_birth", "birth_year")
        if planted(cls, name) not in text
    ]
    assert missing == []


def test_special_category_answers_leave_only_in_an_identifiable_export(
    planted_caseload: Caseload, tmp_path: Path
) -> None:
    # Every equalities answer is special-category: a pseudonymised export has no column for
    # it and no journey-log event carries it; the identifiable export keeps the codes.
    special = [n for n, spec in field_specs(Equalities).items() if spec.special]
    assert len(special) == 8
    export(planted_caseload, tmp_path / "out", ExportOptions())
    with (tmp_path / "out" / "equalities.csv").open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert not set(special) & set(row)
    with (tmp_path / "out" / "journey_log.csv").open(encoding="utf-8-sig", newline="") as f:
        events = [e for e in csv.DictReader(f) if e["kind"] == "equalities"]
    assert events
    for event in events:
        assert not set(special) & set(json.loads(event["fields"]))
    with (tmp_path / "out" / "circumstances.csv").open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert "postcode" not in row
    assert row["benefits"] == ";".join(planted_caseload.codes.keys("benefits")[:2])
    export(planted_caseload, tmp_path / "id", ExportOptions(identifiable=True))
    with (tmp_path / "id" / "equalities.csv").open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    assert row["sex"] == planted_caseload.codes.keys("sex")[0]


def test_no_canary_or_date_of_birth_in_the_funders_return(
    planted_caseload: Caseload, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from journeyapp.core.areas import Area
    from journeyapp.core.returns import parse_quarter
    from journeyapp.exchange.returns import build_return, load_mapping

    # The planted postcode is in the lookup, so the return uses it (and must not show it).
    planted_caseload.areas.replace([Area("QQ9 9QQ", 2, 3)], scheme=6, sha256="test")
    result = build_return(planted_caseload, parse_quarter("2026Q1"), today=date(2026, 11, 28))
    assert len(result.people) == 1
    assert result.people[0].values["simd_quintile"] == 2
    out = tmp_path / "return.xlsx"
    result.write_xlsx(out, load_mapping())
    book = load_workbook(out)
    values = [c.value for s in book.worksheets for row in s.iter_rows() for c in row]
    assert sum(v is not None for v in values) > 100
    for value in values:
        assert not _leaks(str(value)), value
        assert value != date(1990, 5, 17)  # the planted date of birth
        assert getattr(value, "date", lambda: None)() != date(1990, 5, 17)
    assert "1990-05-17" not in " ".join(str(v) for v in values)
