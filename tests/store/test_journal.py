"""A big journey log's CSV is written by two processes: the result is the same as one writing it."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import StorageError
from journeyapp.core.records import Event
from journeyapp.core.text import defuse
from journeyapp.demo import build_demo
from journeyapp.exchange.export import ExportOptions, Pseudonyms, export
from journeyapp.store import journal
from journeyapp.store.records import append_events
from tests.clock import ticking_clock
from tests.conftest import TODAY

PASSPHRASE = "plenty of words for a passphrase"


def written(
    caseload: Caseload, source: journal.Source | None, **query: object
) -> tuple[bytes, int]:
    """The CSV lines and the number of processes that wrote them."""
    out = io.BytesIO()
    scratch = caseload.path.with_name("part.csv") if caseload.path else Path("part.csv")
    counted: list[int] = []
    lines, processes = journal.write_csv_lines(
        caseload.db, out, source=source, scratch=scratch, progress=counted.append, **query
    )
    assert not scratch.exists()  # the second half's file is gone once appended
    assert sum(counted) == lines == out.getvalue().count(b"\r\n")
    return out.getvalue(), processes


def demo(path: Path, key: str | None = None) -> Caseload:
    caseload = Caseload.open(path, key, create=True, demo=key is None)
    caseload.clock = ticking_clock(TODAY)
    build_demo(caseload, participants=12, seed=3, today=TODAY)
    return caseload


@pytest.mark.parametrize("key", [None, PASSPHRASE])
def test_two_processes_write_exactly_what_one_does(
    tmp_path: Path, key: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload = demo(tmp_path / "c.db", key)
    queries: list[dict[str, object]] = [
        {"neutralise": True},
        {
            "neutralise": True,
            "omit": {"contacts": ["note"], "participants": ["full_name", "id"]},
            "omit_everywhere": ["participant_id"],
            "pseudonym": Pseudonyms(b"k" * 32),
            "since": "2026-01-01",
        },
    ]
    try:
        for query in queries:
            monkeypatch.setattr(journal, "SPLIT_FROM", 10**12)
            alone, one = written(caseload, (tmp_path / "c.db", key), **query)
            monkeypatch.setattr(journal, "SPLIT_FROM", 1)
            together, two = written(caseload, (tmp_path / "c.db", key), **query)
            assert (one, two) == (1, 2)
            assert together == alone
            assert alone.count(b"\r\n") > 100
    finally:
        caseload.close()


def test_if_the_second_process_cannot_read_the_file_this_one_writes_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caseload = demo(tmp_path / "c.db", PASSPHRASE)
    try:
        monkeypatch.setattr(journal, "SPLIT_FROM", 10**12)
        alone, _ = written(caseload, None, neutralise=True)
        monkeypatch.setattr(journal, "SPLIT_FROM", 1)
        wrong_key, processes = written(caseload, (tmp_path / "c.db", "not it"), neutralise=True)
        assert processes == 1
        assert wrong_key == alone
        no_file, processes = written(caseload, (tmp_path / "gone.db", None), neutralise=True)
        assert processes == 1
        assert no_file == alone
    finally:
        caseload.close()


def test_an_erasure_during_a_split_export_leaves_no_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "SPLIT_FROM", 1)
    caseload = demo(tmp_path / "c.db")
    try:
        parent = caseload.caseload()[0]
        erased: list[str] = []

        def progress(done: int, total: int) -> None:
            # The window keeps its events flowing during an export; here one erases a parent.
            if done and not erased:
                erased.append(parent.id)
                caseload.safety.erase_participant(parent.id, parent.preferred_name)

        with pytest.raises(StorageError, match="erased while the export was written"):
            export(
                caseload,
                tmp_path / "out",
                ExportOptions(tables=("journey_log",), since=date(2020, 1, 1)),
                progress=progress,
            )
        assert erased
        assert not (tmp_path / "out").exists()
        assert not list(tmp_path.glob("out*"))
        # Exporting again gives a log where only the erasure itself mentions them.
        export(caseload, tmp_path / "again", ExportOptions(tables=("journey_log",)))
        text = (tmp_path / "again" / "journey_log.csv").read_text("utf-8-sig")
        pseudonym = Pseudonyms(caseload.exchange.pseudonym_key())(parent.id)
        assert pseudonym
        mentions = [line for line in text.splitlines() if pseudonym in line]
        assert len(mentions) == 1
        assert '"erase"' in mentions[0]
    finally:
        caseload.close()


def test_fields_are_neutralised_exactly_as_python_does_it(tmp_path: Path) -> None:
    """SQLite sends a fields text to Python's defuse only when it may need it: every text comes
    out as defuse makes it (a formula after a delimiter and no, one or several spaces)."""
    caseload = demo(tmp_path / "c.db")
    try:
        pid = caseload.caseload()[0].id
        notes = [
            "x;=1",
            "y, +2",
            "z|  @3",
            "w,\t-4",
            "on 2026-01-01, fine",
            "a , b - c",
            "q,    =5",
            "tab\t=6",
            "plain words",
            "-7 at the start",
        ]
        events = [
            Event(
                f"odd-{i}",
                f"2026-03-01T10:00:{i:02d}Z",
                "dev",
                "Ann",
                pid,
                "contacts",
                f"c-{i}",
                "update",
                {"note": note, "values": [1, -2], "pair": {"a": 1, "b": "=x"}},
                "t",
            )
            for i, note in enumerate(notes)
        ]
        with caseload.db.atomic():
            append_events(caseload.db, events)
        raw = [r for b in journal.journal_rows(caseload.db) for r in b]
        safe = [r for b in journal.journal_rows(caseload.db, neutralise=True) for r in b]
        assert [r[8] for r in safe] == [defuse(r[8]) for r in raw]
        assert sum(defuse(r[8]) != r[8] for r in raw) >= len(notes)
        lines, _ = written(caseload, None, neutralise=True)
        cells = [row[8] for row in csv.reader(io.StringIO(lines.decode("utf-8")))]
        assert cells == [defuse(r[8]) for r in raw]
    finally:
        caseload.close()
