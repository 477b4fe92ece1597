"""The oldest-schema fixture (a caseload as the first version wrote it) upgraded through each
migration that rewrites what is stored: every record and every export the same, byte for byte,
and the journey log read back as it was written."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.store.migrating import FIXTURE
from tests.store.test_compact_log import assert_m009_keeps_everything
from tests.store.test_meeting_times import assert_m017_keeps_everything
from tests.store.test_merged_bundles import assert_m014_keeps_everything
from tests.store.test_smaller_log import assert_m015_keeps_everything

KeepsEverything = Callable[[Path, Path, pytest.MonkeyPatch], None]
CHECKS: dict[str, KeepsEverything] = {
    "m009-compact-log": assert_m009_keeps_everything,
    "m014-merged-bundles": assert_m014_keeps_everything,
    "m015-smaller-log": assert_m015_keeps_everything,
    "m017-meeting-times": assert_m017_keeps_everything,
}


def _log(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT * FROM journey_log ORDER BY seq").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("keeps_everything", CHECKS.values(), ids=CHECKS.keys())
def test_oldest_schema_fixture_migrates_with_every_record_and_export_equal(
    keeps_everything: KeepsEverything, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "oldest.db"
    shutil.copyfile(FIXTURE, path)
    written = _log(path)
    assert written
    keeps_everything(path, tmp_path, monkeypatch)
    assert _log(path) == written
