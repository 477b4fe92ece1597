"""The table of bundles merged whole (m014): the migration keeps every record and export the
same, byte for byte, after a verified backup, on a demo caseload and the oldest-schema fixture
(test_oldest_schema.py); the new table starts empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.store import migrations as schema
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store.migrating import assert_migration_keeps_everything, user_tables

M014 = "m014_merged_bundles"


def assert_m014_keeps_everything(path: Path, tmp_path: Path, mp: pytest.MonkeyPatch) -> None:
    """Open `path` as a version before m014 left it and export everything; then migrate it (a
    verified backup first) and find every row and every export the same, and the table empty."""
    assert_migration_keeps_everything(path, tmp_path, mp, [M014])
    assert user_tables(path)["merged_bundles"] == []


def test_demo_caseload_migrates_with_every_record_and_export_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    kept = [m for m in schema.migrations._migrations if m.name != M014]
    with monkeypatch.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        caseload = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
        build_demo(caseload, participants=30, seed=7, today=TODAY)
        first = caseload.caseload()[0]
        caseload.safety.erase_participant(first.id, first.preferred_name)
        caseload.close()
    assert "merged_bundles" not in user_tables(path)
    assert_m014_keeps_everything(path, tmp_path, monkeypatch)
