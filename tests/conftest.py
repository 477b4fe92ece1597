"""Shared fixtures: offscreen Qt, the gui marker, and real caseload databases on temporary files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from journeyapp.caseload import Caseload
from tests.clock import ticking_clock

UI_TESTS = Path(__file__).parent / "ui"
TODAY = date(2026, 11, 28)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs Qt as `gui`, by folder or by fixture."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.path.is_relative_to(UI_TESTS) or "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def today() -> date:
    """A fixed "today" so tests never depend on the calendar."""
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh caseload file."""
    return tmp_path / "caseload.db"


@pytest.fixture
def caseload(db_path: Path) -> Iterator[Caseload]:
    """A real caseload on a temporary SQLite file, with a fixed today."""
    c = Caseload.open(db_path, create=True, plain=True)
    c.clock = ticking_clock(TODAY)
    yield c
    c.close()


@pytest.fixture
def demo_caseload(tmp_path: Path) -> Iterator[Caseload]:
    """A real caseload file filled with 30 fictional journeys."""
    from journeyapp.demo import build_demo

    c = Caseload.open(tmp_path / "demo.db", create=True, demo=True)
    c.clock = ticking_clock(TODAY)
    build_demo(c, participants=30, seed=7, today=TODAY)
    yield c
    c.close()


@pytest.fixture(autouse=True)
def _own_state_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test remembers wrong passphrase tries in its own state folder, never the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
