"""Private files and folders (0600/0700), core dumps off at every entry point, nothing left by
a killed demo, one passphrase rule for bundles on the command line, and wrong tries that are
remembered from one run to the next (issue 17)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from tests.clock import ticking_clock
from tests.conftest import TODAY

KEY = "four quiet river stones"
ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> object:
    """A generous umask (as most desktops have), so only our own chmods make files private."""
    old = os.umask(0o022)
    yield old
    os.umask(old)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "caseload.db"
    caseload = Caseload.open(path, KEY, create=True)
    caseload.clock = ticking_clock(TODAY)
    caseload.enrol_participant("Morag", "fife", full_name="Morag Quill")
    caseload.close()
    return path


def test_exports_keys_bundles_plans_and_backups_are_private(
    open_umask: object, db: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    env = {"JOURNEYAPP_PASSPHRASE": KEY, "JOURNEYAPP_BUNDLE_PASSPHRASE": "five loud canal bricks"}
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["backup", "--db", str(db)],
        ["backup", "--db", str(db), "--out", str(out / "copy.db")],
        ["export", "--db", str(db), "--identifiable", "--yes", "--out", str(out / "csv")],
        [
            "export",
            "--db",
            str(db),
            "--identifiable",
            "--yes",
            "--format",
            "xlsx",
            "--out",
            str(out / "all.xlsx"),
        ],
        ["partnership-key", "--db", str(db), "--save", str(out / "partnership.key")],
        ["bundle", "--db", str(db), "--out", str(out / "mine.jlb")],
        ["plan", "Morag", "--db", str(db), "--out", str(out / "plan.pdf")],
        ["plans", "--db", str(db), "--out", str(out / "plans")],
    ]
    for args in commands:
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 0, (args, result.output)
    backups = db.parent / "backups"
    assert _mode(backups) == 0o700
    files = [p for p in [*backups.iterdir(), *out.rglob("*")] if p.is_file()]
    folders = [out / "csv", out / "plans"]
    assert len(files) >= 10
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert {p.name: _mode(p) for p in folders} == {p.name: 0o700 for p in folders}


@pytest.mark.parametrize(
    "entry",
    [
        "import runpy, sys; sys.argv = ['journeyapp', '--version']; "
        "runpy.run_module('journeyapp', run_name='__main__')",
        "import sys; sys.argv = ['journeyapp', '--version']; "
        "from journeyapp.cli import main; main()",
    ],
)
def test_every_entry_point_turns_core_dumps_off(entry: str) -> None:
    code = (
        "import atexit, os, resource\n"
        "atexit.register(lambda: print('CORE', resource.getrlimit(resource.RLIMIT_CORE), "
        "'UMASK', oct(os.umask(0))))\n" + entry
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "CORE (0, 0)" in done.stdout, done.stdout + done.stderr
    assert "UMASK 0o77" in done.stdout


def test_the_window_turns_core_dumps_off_too() -> None:
    source = (ROOT / "journeyapp" / "ui" / "app.py").read_text(encoding="utf-8")
    run_body = source[source.index("def run(") :]
    # The first thing run() does, before the QApplication exists (made by theme.application,
    # with the Fusion style from the start).
    assert run_body.index("harden_process()") < run_body.index("theme.application(")


def test_a_killed_demo_leaves_no_unmarked_caseload(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "journeyapp", "demo", "--db", str(target), "-n", "3000"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    partial = tmp_path / "demo.db.partial"
    deadline = time.monotonic() + 60
    while not partial.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not target.exists()  # never under the name asked for until whole and marked DEMO
    result = CliRunner().invoke(cli, ["demo", "--db", str(target), "-n", "2"])
    assert result.exit_code == 0, result.output
    assert not partial.exists()
    opened = Caseload.open(target)
    try:
        assert opened.is_demo
    finally:
        opened.close()


def dead_pid() -> str:
    """The process id of a run that has ended (a scratch folder named for it is stale)."""
    return subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_stale_scratch_folders_go_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from journeyapp.store import leftovers

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = dead_pid()
    stale = tmp_path / f"{leftovers.SCRATCH_PREFIX}demo-{dead}-abc"
    stale.mkdir()
    (stale / "demo.db").write_bytes(b"SQLite format 3\0" + b"x" * 500)
    old_style = tmp_path / "journeyapp-demo-xyz"
    old_style.mkdir()
    os.utime(old_style, (time.time() - 2 * 86_400,) * 2)  # a day old: its run is long over
    fresh_old_style = tmp_path / "journeyapp-demo-now"
    fresh_old_style.mkdir()  # may belong to a running older version: left alone
    # Its age is read against time.time(): say "now" in that clock (the kernel stamps mkdir
    # with the real time, which differs under faketime).
    os.utime(fresh_old_style, (time.time(),) * 2)
    mine = leftovers.scratch_folder("smoke")
    assert _mode(mine) == 0o700
    removed = leftovers.remove_stale_scratch()
    assert set(removed) == {stale, old_style}
    assert mine.exists()
    assert fresh_old_style.exists()
    leftovers.remove_folder(mine)
    assert not mine.exists()


def test_only_scratch_folders_are_removed_not_links_files_or_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Told by name first, then by being a folder (not a link to one, not a file): a link
    named like a dead run's folder, and the folder it points to, stay (#18)."""
    import tempfile

    from journeyapp.store import leftovers

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = dead_pid()
    elsewhere = tmp_path / "someone-elses-folder"
    elsewhere.mkdir()
    (elsewhere / "theirs.txt").write_text("kept", encoding="utf-8")
    link = tmp_path / f"{leftovers.SCRATCH_PREFIX}demo-{dead}-link"
    link.symlink_to(elsewhere, target_is_directory=True)
    file = tmp_path / f"{leftovers.SCRATCH_PREFIX}demo-{dead}-file"
    file.write_text("a file, not a scratch folder", encoding="utf-8")
    other = tmp_path / f"not-{leftovers.SCRATCH_PREFIX}demo-{dead}-abc"
    other.mkdir()
    stale = tmp_path / f"{leftovers.SCRATCH_PREFIX}demo-{dead}-abc"
    stale.mkdir()
    assert leftovers.remove_stale_scratch() == [stale]
    assert link.is_symlink()
    assert (elsewhere / "theirs.txt").read_text(encoding="utf-8") == "kept"
    assert file.exists()
    assert other.exists()


@pytest.mark.parametrize("weak", ["password", "12345678", "aaaaaaaa", KEY])
def test_the_command_line_refuses_weak_bundle_passphrases(
    db: Path, tmp_path: Path, weak: str
) -> None:
    result = CliRunner().invoke(
        cli,
        ["bundle", "--db", str(db), "--out", str(tmp_path / "x.jlb")],
        env={"JOURNEYAPP_PASSPHRASE": KEY, "JOURNEYAPP_BUNDLE_PASSPHRASE": weak},
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.jlb").exists()
    if weak == KEY:
        assert "caseload's own passphrase" in result.output


def test_wrong_tries_carry_over_from_one_run_to_the_next(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeyapp.core import passphrase

    waited: list[float] = []
    monkeypatch.setattr(passphrase.time, "sleep", waited.append)
    runner = CliRunner()
    for _ in range(4):  # four separate runs, each with one wrong passphrase from the variable
        result = runner.invoke(
            cli, ["check", "--db", str(db)], env={"JOURNEYAPP_PASSPHRASE": "not the one at all"}
        )
        assert result.exit_code == 1
    # The fourth run waited before trying: the count was not reset by starting again.
    assert waited
    assert max(waited) > 0


def test_smoke_test_and_demo_windows_leave_no_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    done = subprocess.run(
        [sys.executable, "-m", "journeyapp", "--smoke-test"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list(temp.iterdir()) == []
