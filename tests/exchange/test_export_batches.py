"""The journey log is exported a batch at a time: any batch size writes the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.exchange.export import ExportOptions, export
from journeyapp.store import journal


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("split", [False, True])
def test_a_tiny_batch_writes_the_same_export_byte_for_byte(
    demo_caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    monkeypatch.setattr(journal, "SPLIT_FROM", 1 if split else 10**12)
    export(demo_caseload, tmp_path / "usual", ExportOptions())
    monkeypatch.setattr(journal, "EXPORT_BATCH", 3)
    export(demo_caseload, tmp_path / "tiny", ExportOptions())
    usual, tiny = _files(tmp_path / "usual"), _files(tmp_path / "tiny")
    assert usual.keys() == tiny.keys()
    # The manifest says when each was made; everything else is the same, byte for byte.
    usual.pop("about-this-export.json"), tiny.pop("about-this-export.json")
    assert usual == tiny
    assert usual["journey_log.csv"].count(b"\r\n") == demo_caseload.exchange.journal_count() + 1


def test_the_page_cache_is_as_it_was_after_an_export(
    demo_caseload: Caseload, tmp_path: Path
) -> None:
    before = demo_caseload.db.execute("PRAGMA cache_size").fetchone()[0]
    export(demo_caseload, tmp_path / "out", ExportOptions())
    assert demo_caseload.db.execute("PRAGMA cache_size").fetchone()[0] == before
