"""Fixtures the store's tests share: the caseload the first schema wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.store.migrating import FIXTURE


@pytest.fixture
def old_copy(tmp_path: Path) -> Path:
    """A copy of the caseload the first schema wrote (the committed fixture stays untouched)."""
    target = tmp_path / "caseload.db"
    shutil.copyfile(FIXTURE, target)
    return target
