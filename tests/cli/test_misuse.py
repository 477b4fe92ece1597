"""The command line as a person may misuse it: one line saying what is wrong and how to fix it,
a non-zero exit, never a traceback, and nothing already saved lost or changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from journeyapp.cli import cli


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("JOURNEYAPP_PASSPHRASE", raising=False)
    return CliRunner()


@pytest.fixture
def demo_db(tmp_path: Path, runner: CliRunner) -> Path:
    path = tmp_path / "demo.db"
    made = runner.invoke(cli, ["demo", "--db", str(path), "-n", "5"])
    assert made.exit_code == 0, made.output
    return path


def refused(result: Result, *words: str) -> str:
    """The one error line of a failed command, checked to hold `words`."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0]
    return errors[0]


@pytest.mark.parametrize("how", ["same path", "another spelling", "a link"])
def test_restore_refuses_the_caseload_itself_and_leaves_it_in_place(
    runner: CliRunner, demo_db: Path, how: str
) -> None:
    before = demo_db.read_bytes()
    backup = {
        "same path": demo_db,
        "another spelling": demo_db.parent / "." / demo_db.name,
        "a link": demo_db.parent / "link.db",
    }[how]
    if how == "a link":
        os.symlink(demo_db, backup)
    result = runner.invoke(cli, ["restore", "--db", str(demo_db), str(backup)])
    refused(result, "is the caseload itself", "choose one of its backups", "Nothing was changed")
    # It used to be set aside, and then not found to copy back: no caseload was left.
    assert demo_db.read_bytes() == before
    assert sorted(p.name for p in demo_db.parent.iterdir() if p.name.startswith("demo.db.")) == [
        "demo.db.lock"
    ]
    assert runner.invoke(cli, ["check", "--db", str(demo_db)]).exit_code == 0
