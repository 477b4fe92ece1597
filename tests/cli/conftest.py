"""Fixtures shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.cli import cli


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose commands ask for a passphrase rather than find one in the environment."""
    monkeypatch.delenv("JOURNEYAPP_PASSPHRASE", raising=False)
    return CliRunner()


@pytest.fixture
def demo_db(tmp_path: Path, runner: CliRunner) -> Path:
    """A 5-parent demo caseload (unencrypted), made by `journeyapp demo`."""
    path = tmp_path / "demo.db"
    made = runner.invoke(cli, ["demo", "--db", str(path), "-n", "5"])
    assert made.exit_code == 0, made.output
    return path
