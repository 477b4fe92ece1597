"""The table of bundles merged whole (m014): the migration keeps every record and export the
same, byte for byte, after a verified backup, on a demo caseload and the oldest-schema fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.store import migrations as schema
from tests.conftest import TODAY
from tests.store.test_compact_log import (
    FIXTURE,
    _fixed,
    assert_same_exports,
    exports,
    user_tables,
)

M014 = "m014_merged_bundles"


def assert_migration_keeps_everything(path: Path, tmp_path: Path, mp: pytest.MonkeyPatch) -> None:
    """Open `path` as a version before m014 left it and export everything; then migrate it (a
    verified backup first) and find every row and every export the same, and the table empty."""
    kept = [m for m in schema.migrations._migrations if m.name != M014]
    with mp.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        caseload = Caseload.open(path, clock=_fixed)
        try:
            assert M014 not in caseload.schema_version()
            before_exports = exports(caseload, tmp_path / "before")
        finally:
            caseload.close()
    before = user_tables(path)
    assert "merged_bundles" not in before
    caseload = Caseload.open(path, clock=_fixed)  # migrates, a verified backup first
    try:
        assert M014 in caseload.schema_version()
        assert caseload.safety.problems() == []
        after_exports = exports(caseload, tmp_path / "after")
    finally:
        caseload.close()
    assert list(path.parent.glob(f"{path.name}.before-{M014}*.bak")), "no backup before m014"
    after = user_tables(path)
    assert after.pop("merged_bundles") == []
    assert after == before
    assert_same_exports(before_exports, after_exports)


def test_demo_caseload_migrates_with_every_record_and_export_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    kept = [m for m in schema.migrations._migrations if m.name != M014]
    with monkeypatch.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        caseload = Caseload.open(path, create=True, demo=True)
        build_demo(caseload, participants=30, seed=7, today=TODAY)
        first = caseload.caseload()[0]
        caseload.safety.erase_participant(first.id, first.preferred_name)
        caseload.close()
    assert_migration_keeps_everything(path, tmp_path, monkeypatch)


def test_oldest_schema_fixture_migrates_with_every_record_and_export_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "oldest.db"
    shutil.copyfile(FIXTURE, path)
    assert_migration_keeps_everything(path, tmp_path, monkeypatch)
