"""An export of everything streams each table from the caseload: never a whole table in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.records import BY_KIND
from journeyapp.exchange.export import ExportOptions, export


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_an_export_of_everything_reads_no_table_whole(
    demo_caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    counts = demo_caseload.counts()
    streamed = export(demo_caseload, tmp_path / "whole", ExportOptions(format=fmt))

    def whole_table(cls: type) -> list[object]:
        raise AssertionError(f"read the whole {cls.__name__} table at once")

    monkeypatch.setattr(demo_caseload, "all_records", whole_table)
    again = export(demo_caseload, tmp_path / "again", ExportOptions(format=fmt))
    assert again.rows == streamed.rows
    for kind in BY_KIND:
        if kind in streamed.rows:
            assert streamed.rows[kind] == counts[kind], kind


def test_the_stream_reads_records_as_the_whole_table_does(demo_caseload: Caseload) -> None:
    for cls in BY_KIND.values():
        assert list(demo_caseload.iter_records(cls)) == demo_caseload.all_records(cls)
        assert demo_caseload.record_count(cls) == len(demo_caseload.all_records(cls))
