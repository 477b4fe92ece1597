"""A keyworker's bad day: the caseload's own disk fills up. Every command says the disk is full
and what to do, in one line (never the system's bare "No space left on device", never a
traceback), and leaves the caseload as it was, so `check` passes once space is made. Real
small file systems (a tmpfs), real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from tests.clock import in_real_past, ticking_clock
from tests.conftest import TODAY
from tests.small_disk import fill, small_disk

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["small_disk"]  # the fixture, for pytest
FULL = "is full, so JourneyApp could not"


def _demo(path: Path, parents: int = 20) -> str:
    """A demo caseload made elsewhere and copied to `path` (as onto a USB stick); the id of
    one of its parents (their names are not always told apart by name alone)."""
    made = path.parent.parent / f"made-{path.name}"
    today = in_real_past(TODAY)
    caseload = Caseload.open(made, create=True, demo=True)
    caseload.clock = ticking_clock(today)
    build_demo(caseload, participants=parents, seed=3, today=today)
    pid = caseload.participants()[0].id
    caseload.close()
    shutil.copyfile(made, path)
    return pid


def _journeyapp(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeyapp", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("JOURNEYAPP_")},
            "PYTHONPATH": str(ROOT),
        },
    )


def _said_full(done: subprocess.CompletedProcess[str]) -> None:
    said = done.stdout + done.stderr
    assert done.returncode == 1, said
    assert FULL in said, said
    assert "Free some space" in said, said
    assert "Traceback" not in said, said
    assert "Exception ignored" not in said, said
    assert "No space left on device" not in said, said
    assert "Unexpected error" not in said, said


def _checks(db: Path) -> None:
    done = _journeyapp("check", "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Integrity: ok" in done.stdout


def test_a_caseload_on_a_disk_with_no_room_left_is_refused_in_words(small_disk: Path) -> None:
    """Opening takes a lock whose file names who holds it; with not a byte free, writing that
    name stopped every command with the system's bare "No space left on device"."""
    db = small_disk / "caseload.db"
    name = _demo(db)
    before = db.read_bytes()
    filler = fill(small_disk)
    for argv in (
        ["contact", name, "--log", "--kind", "phone_text"],
        ["backup"],
        ["report", "--out", str(small_disk.parent / "report.pdf")],
    ):
        _said_full(_journeyapp(*argv, "--db", str(db)))
    assert db.read_bytes() == before
    # SQLite's own companions (its write-ahead log, empty) may stay until the next open; no
    # lock file, backup or copy is left.
    beside = {p.name for p in small_disk.iterdir()} - {"caseload.db", "filler"}
    assert beside <= {"caseload.db-wal", "caseload.db-shm"}, beside
    filler.unlink()
    _checks(db)


def test_a_workbook_export_stopped_by_a_full_disk_says_so(small_disk: Path) -> None:
    """The spreadsheet's XML writer says a full disk as "IO_ENOSPC", not as an OSError: it was
    an "Unexpected error ... Please report it", with a traceback printed under it."""
    db = small_disk.parent / "caseload.db"
    _demo(db)
    filler = fill(small_disk, leave_kib=150)
    out = small_disk / "quarter.xlsx"
    _said_full(_journeyapp("export", "--db", str(db), "--format", "xlsx", "--out", str(out)))
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # nothing half-written
    filler.unlink()
    done = _journeyapp("export", "--db", str(db), "--format", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.stat().st_size > 0
    _checks(db)


def test_a_plan_or_report_pdf_on_a_full_disk_names_the_pdf(small_disk: Path) -> None:
    """It said "could not write the file", which file left to guess."""
    db = small_disk.parent / "caseload.db"
    name = _demo(db)
    filler = fill(small_disk)
    for argv in (
        ["plan", name, "--out", str(small_disk / "plan.pdf")],
        ["report", "--format", "pdf", "--out", str(small_disk / "report.pdf")],
    ):
        done = _journeyapp(*argv, "--db", str(db))
        _said_full(done)
        assert "could not write the PDF" in done.stdout + done.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    filler.unlink()
