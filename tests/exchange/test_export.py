"""Exports: nothing personal in a pseudonymised export, formula-like cells neutralised, real readers."""

from __future__ import annotations

import csv
import itertools
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.classification import Holds
from journeyapp.core.records import (
    BY_KIND,
    RECORD_TYPES,
    Event,
    field_specs,
    fields_where,
    not_kept_when_pseudonymised,
)
from journeyapp.exchange.export import (
    TABLES,
    ExportError,
    ExportOptions,
    Pseudonyms,
    export,
    neutralise,
)
from journeyapp.store import journal
from journeyapp.store.records import append_events
from tests.held_words import written_elsewhere

FORMULAS = (
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\tTab",
    "\rCR",
)


def cells(out: Path, fmt: str) -> Iterator[tuple[str, str, str]]:
    """(table, column, cell text) for every cell of an export, read back with real readers."""
    if fmt == "csv":
        for path in sorted(out.glob("*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                for row in reader:
                    for column, value in zip(header, row, strict=True):
                        yield path.stem, column, value
    elif fmt == "jsonl":
        for path in sorted(out.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                for column, value in json.loads(line).items():
                    text = (
                        json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
                    )
                    yield path.stem, column, "" if text is None else str(text)
    else:
        book = openpyxl.load_workbook(out, read_only=True)
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows)
            for row in rows:
                # read-only sheets leave off empty cells at the end of a row
                for column, value in itertools.zip_longest(header, row):
                    yield sheet.title, str(column), "" if value is None else str(value)
        book.close()


def personal_values(caseload: Caseload) -> tuple[set[str], re.Pattern[str]]:
    """Every personal value held (personal and free-text fields, refs, dates of birth, raw
    participant ids), as the registry classifies them."""
    exact: set[str] = set()
    public: set[str] = set()  # the same words in a non-personal field (a group's activity)
    for cls in RECORD_TYPES:
        personal = set(fields_where(cls, Holds.PERSONAL, Holds.FREE_TEXT, Holds.PARENT))
        specs = field_specs(cls)
        for record in caseload.all_records(cls):
            for name, value in vars(record).items():
                if (
                    isinstance(value, str) and value in specs[name].keep
                ):  # a step's "me": a code, not someone's words
                    public.add(value)
                elif isinstance(value, date) and name in personal:
                    exact.update({value.isoformat(), value.strftime("%d/%m/%Y")})
                elif isinstance(value, str) and value.strip():
                    (exact if name in personal else public).add(value)
    exact -= public
    words = sorted((v for v in exact if len(v) >= 3), key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    return exact, pattern


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_a_pseudonymised_export_holds_no_name_contact_detail_or_birth_date(
    demo_caseload: Caseload, tmp_path: Path, fmt: str
) -> None:
    parent = demo_caseload.participants()[0]
    demo_caseload.update_participant(
        parent.id, email="siobhan.canary@example.org", address="1 Canary Row", ref="REF-CANARY-1"
    )
    out = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export")
    result = export(demo_caseload, out, ExportOptions(format=fmt))
    exact, pattern = personal_values(demo_caseload)
    assert len(exact) > 200  # names, phones, birth dates, notes, ids...
    seen = 0
    for table, column, text in cells(out, fmt):
        seen += 1
        assert text not in exact, (table, column, text)
        found = pattern.search(text)
        assert found is None, (table, column, found.group(0) if found else "")
    assert seen > 20_000
    assert result.rows["participants"] == 30
    assert result.pseudonymised


def test_pseudonyms_are_stable_keyed_and_not_the_ids(
    demo_caseload: Caseload, tmp_path: Path
) -> None:
    key = b"k" * 32
    one = export(demo_caseload, tmp_path / "one", ExportOptions(key=key))
    two = export(demo_caseload, tmp_path / "two", ExportOptions(key=key))
    other = export(demo_caseload, tmp_path / "three", ExportOptions(key=b"x" * 32))
    column = [
        list(csv.reader((r.out / "participants.csv").open(encoding="utf-8-sig")))[1:]
        for r in (one, two, other)
    ]
    first = [row[0] for row in column[0]]
    assert first == [row[0] for row in column[1]]
    assert set(first).isdisjoint(row[0] for row in column[2])
    ids = {p.id for p in demo_caseload.participants()}
    assert set(first).isdisjoint(ids)
    assert {Pseudonyms(key)(i) for i in ids} == set(first)


def test_formula_like_cells_come_out_neutralised(caseload: Caseload, tmp_path: Path) -> None:
    parent = caseload.enrol_participant(
        "Ava", "fife", date(2026, 1, 5), notes="=1+1", keyworker="@Kim"
    )
    for text in FORMULAS:
        if text.isprintable():
            caseload.log_contact(parent.id, on=date(2026, 2, 1), venue=text, note=text)
        else:
            # A tab or a line break starting a one-line field is a space when typed here
            # (core.typed), but a record merged from another laptop is kept as written.
            made = caseload.log_contact(parent.id, on=date(2026, 2, 1), venue="x", note="x")
            written_elsewhere(caseload, "contacts", made.id, venue=text, note=text)
    caseload.create_group_session("=cmd|' /C calc'!A0", on=date(2026, 2, 2), venue="-£20 owed")
    # Venues and notes go out only in an identifiable export; a pseudonymised one keeps the
    # keyworker's name (staff), which can be typed as a formula too.
    export(caseload, tmp_path / "pseudonymised", ExportOptions())
    export(caseload, tmp_path / "csv", ExportOptions(identifiable=True))
    export(caseload, tmp_path / "x.xlsx", ExportOptions(format="xlsx", identifiable=True))
    export(caseload, tmp_path / "id", ExportOptions(identifiable=True))

    participants = tmp_path / "pseudonymised" / "participants.csv"
    with participants.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["keyworker"] == "'@Kim"
    with (tmp_path / "csv" / "contacts.csv").open(encoding="utf-8-sig", newline="") as handle:
        venues = [row["venue"] for row in csv.DictReader(handle)]
    assert sorted(venues) == sorted("'" + t for t in FORMULAS)
    with (tmp_path / "id" / "participants.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["notes"] == "'=1+1"
    with (tmp_path / "csv" / "groups.csv").open(encoding="utf-8-sig", newline="") as handle:
        group = next(csv.DictReader(handle))
    assert (group["activity"], group["venue"]) == ("'=cmd|' /C calc'!A0", "'-£20 owed")

    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    texts = [
        c for row in book["contacts"].iter_rows(min_row=2) for c in row if c.column_letter == "H"
    ]
    assert book["contacts"]["H1"].value == "venue"
    assert len(texts) == len(FORMULAS)
    assert all(c.value.startswith("'") for c in texts)
    assert all(
        c.data_type != "f" for sheet in book.worksheets for r in sheet.iter_rows() for c in r
    )
    with zipfile.ZipFile(tmp_path / "x.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_neutralise() -> None:
    assert [neutralise(t) for t in ("=1", "+1", "-1", "@a", "\t", "\r", "\0x", "a=1", "", "'")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\t",
        "'\r",
        "'\0x",
        "a=1",
        "",
        "'",
    ]


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui to run this)",
)
def test_libreoffice_opens_the_csv_without_running_anything(
    caseload: Caseload, tmp_path: Path
) -> None:
    parent = caseload.enrol_participant("Ava", "fife", date(2026, 1, 5))
    caseload.log_contact(parent.id, on=date(2026, 2, 1), venue="=1+2", minutes=45)
    export(caseload, tmp_path / "csv", ExportOptions(identifiable=True))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office is not None
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "csv" / "contacts.csv"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = openpyxl.load_workbook(tmp_path / "lo" / "contacts.xlsx").active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert header[0] == "id"  # the BOM was read as UTF-8, not shown as junk
    assert (row["venue"].value, row["venue"].data_type) == ("'=1+2", "s")
    assert (row["minutes"].value, row["on"].value.date()) == (45, date(2026, 2, 1))


def test_identifiable_export_asks_and_is_recorded(demo_caseload: Caseload, tmp_path: Path) -> None:
    db = demo_caseload.path
    before = demo_caseload.counts()["journey_log"]
    demo_caseload.close()
    runner = CliRunner()
    refused = runner.invoke(
        cli,
        ["export", "--db", str(db), "--out", str(tmp_path / "a"), "--identifiable"],
        input="n\n",
    )
    assert refused.exit_code == 1
    assert not (tmp_path / "a").exists()
    done = runner.invoke(
        cli, ["export", "--db", str(db), "--out", str(tmp_path / "b"), "--identifiable", "--yes"]
    )
    assert done.exit_code == 0, done.output
    assert "IDENTIFIABLE" in done.output
    reopened = Caseload.open(db)
    try:
        events = reopened.events()
    finally:
        reopened.close()
    assert len(events) == before + 1
    assert events[-1].kind == "exports"
    assert events[-1].fields["format"] == "csv"


def test_an_export_never_overwrites(demo_caseload: Caseload, tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_text("keep me")
    with pytest.raises(ExportError, match="already exists"):
        export(demo_caseload, tmp_path / "x.xlsx", ExportOptions(format="xlsx"))
    assert (tmp_path / "x.xlsx").read_text() == "keep me"


def test_filters_by_locality_and_dates(demo_caseload: Caseload, tmp_path: Path) -> None:
    fife = {p.id for p in demo_caseload.participants() if p.locality == "fife"}
    key = demo_caseload.exchange.pseudonym_key()
    result = export(
        demo_caseload,
        tmp_path / "f",
        ExportOptions(locality="fife", since=date(2026, 6, 1), until=date(2026, 8, 31), key=key),
    )
    pseudonym = Pseudonyms(key)
    with (tmp_path / "f" / "contacts.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {r["participant"] for r in rows} <= {pseudonym(i) for i in fife}
    assert all("2026-06-01" <= r["on"] <= "2026-08-31" for r in rows)
    assert result.rows["participants"] <= len(fife)
    assert len(TABLES) == len(RECORD_TYPES)


@pytest.mark.parametrize("identifiable", [False, True])
def test_journey_log_cells_are_neutralised_too(
    caseload: Caseload, tmp_path: Path, identifiable: bool
) -> None:
    caseload.actor = "=HYPERLINK(1)"  # a name typed into settings, or arriving in a bundle
    parent = caseload.enrol_participant("Ava", "fife", date(2026, 1, 5))
    caseload.log_contact(parent.id, on=date(2026, 2, 1), venue='say "hi", then =1+2')
    export(caseload, tmp_path / "csv", ExportOptions(identifiable=identifiable))
    logged = len(caseload.events())  # an identifiable export notes itself in the log first
    export(caseload, tmp_path / "x.xlsx", ExportOptions(format="xlsx", identifiable=identifiable))
    with (tmp_path / "csv" / "journey_log.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == logged
    assert {r["actor"] for r in rows} == {"'=HYPERLINK(1)"}
    venues = [json.loads(r["fields"]).get("venue") for r in rows if r["kind"] == "contacts"]
    # A venue is free text: only an identifiable export carries it.
    assert venues == (['say "hi", then =1+2'] if identifiable else [None])
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["journey_log"]
    actors = {row[3].value for row in sheet.iter_rows(min_row=2)}
    assert actors == {"'=HYPERLINK(1)"}


@pytest.mark.parametrize(
    ("identifiable", "split"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_journey_log_csv_cells_match_the_database(
    demo_caseload: Caseload,
    tmp_path: Path,
    identifiable: bool,
    split: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every journey-log cell SQLite writes equals the stored value, prepared in Python.

    With `split`, the log is written by two processes (as a big log is), so their halves must
    join into exactly the same file.
    """
    monkeypatch.setattr(journal, "SPLIT_FROM", 1 if split else 10**12)
    pid = demo_caseload.caseload()[0].id
    odd = [
        Event(
            "=1+1",
            "2026-03-01T10:00:00Z",
            "+dev",
            'a,"b"\nc',
            pid,
            "exports",
            "@r",
            "note",
            {"note": "=x", "minutes": 5},
            "\ttxn",
        ),
        Event(
            "e-2",
            "2026-03-01T10:00:01Z",
            "dev",
            "\0nul",
            None,
            "imports",
            "-g",
            "note",
            {"venue": 'say "hi"'},
            "",
        ),
        Event(
            "e-3",
            "2026-03-01T10:00:02Z",
            "dev",
            "Ann",
            pid,
            "participants",
            pid,
            "update",
            {"full_name": "Secret Name", "locality": "fife"},
            "t",
        ),
    ]
    # Odd cells straight into the log (a merge now refuses such events; an older log may
    # still hold them, and the export must write them safely).
    with demo_caseload.db.atomic():
        append_events(demo_caseload.db, odd)
    key = b"k" * 32
    export(
        demo_caseload,
        tmp_path / "out",
        ExportOptions(tables=("journey_log",), identifiable=identifiable, key=key),
    )
    with (tmp_path / "out" / "journey_log.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "event_id",
        "at",
        "device_id",
        "actor",
        "participant",
        "kind",
        "record_id",
        "action",
        "fields",
        "txn",
    ]
    pseudonym = Pseudonyms(key)
    omitted = {kind: not_kept_when_pseudonymised(cls) for kind, cls in BY_KIND.items()}
    expected = []
    for e in demo_caseload.events():
        fields = dict(e.fields)
        participant, record_id = e.participant_id, e.record_id
        if not identifiable:
            fields = {
                k: v
                for k, v in fields.items()
                if k not in omitted.get(e.kind, ())
                and k not in ("participant_id", "ref")
                and not (e.kind == "participants" and k == "id")
            }
            participant = pseudonym(participant)
            record_id = pseudonym(record_id) if e.kind == "participants" else record_id
        texts = [e.event_id, e.at, e.device_id, e.actor, participant, e.kind, record_id, e.action]
        # SQLite's text functions end a text at a NUL character: what follows it is left out.
        texts = ["" if t is None else neutralise(t).split("\0", 1)[0] for t in texts]
        expected.append([*texts, fields, neutralise(e.txn)])
    got = [[*r[:8], json.loads(r[8]), r[9]] for r in rows[1:]]
    assert got == expected
    assert any(r[0] == "'=1+1" and r[3] == 'a,"b"\nc' and r[9] == "'\ttxn" for r in got)
    assert any(r[3] == "'" and r[4] == "" and r[6] == "'-g" for r in got)  # no parent: empty
    assert "Secret Name" not in (tmp_path / "out" / "journey_log.csv").read_text("utf-8") or (
        identifiable
    )
