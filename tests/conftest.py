"""Shared fixtures: offscreen Qt, the gui marker, and real caseload databases on temporary files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from journeyapp.caseload import Caseload
from tests.clock import PINNED_TODAY, in_real_past, ticking_clock

UI_TESTS = Path(__file__).parent / "ui"
TODAY = PINNED_TODAY

# The suite draws the same cases on every run and every machine (a run's result never depends on
# the run: CI proves what was proved here). `HYPOTHESIS_PROFILE=explore` draws new cases each
# run, to look for what the fixed ones miss; what it finds becomes a fixed case of its own.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def _private_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test keeps JourneyApp's own state (wrong-try delays) in a folder of its own, so a
    wrong passphrase typed in one test never slows another or a real user's next run; and its
    own data folder, so a partnership catalogue kept in the data folder of whoever runs the
    tests never changes what a test reads."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def _pyside_guard(request: pytest.FixtureRequest) -> None:
    """A test with Qt runs guarded as the app is from its first second (ui.app.run, through
    ui.pyside_fixes): PySide 6.12 drops references to None, True and False (a list's layout
    change drops two to True), and a long walk of windows used them up ("Fatal Python error:
    Aborted" in the lock walk once nothing else happened to add references back)."""
    if request.node.get_closest_marker("gui") is not None:
        from journeyapp.ui.pyside_fixes import make_none_immortal

        make_none_immortal()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """No background work outlives its test: before the test's windows and caseloads are torn
    down, any operation still running is stopped and waited for, and its result dropped (a
    result handed to the next test's event loop, or a thread still in Python when the process
    exits, is how one test's work could upset another, or the run's exit)."""
    operations = sys.modules.get("journeyapp.ui.operations")
    let_go = operations is None or operations.abandon_all(timeout=60.0)
    yield
    assert let_go, f"{item.name}: background work was still running 60 s after the test ended"


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


@pytest.fixture
def real_demo_caseload(tmp_path: Path) -> Iterator[Caseload]:
    """demo_caseload with its today moved into the real past (tests.clock.in_real_past), for a
    command run for real to read: every record it holds is on or before the real today."""
    from journeyapp.demo import build_demo

    today = in_real_past(TODAY)
    c = Caseload.open(tmp_path / "demo.db", create=True, demo=True)
    c.clock = ticking_clock(today)
    build_demo(c, participants=30, seed=7, today=today)
    yield c
    c.close()
