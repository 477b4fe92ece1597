"""Check a built bundle does every job, not only open the window: `python3 packaging/check_bundle.py
dist/journeyapp/journeyapp` (build.sh runs it after --smoke-test).

The frozen program holds only the modules PyInstaller packed, so a module the code imports by
name, or a library left out by the spec's excludes, fails only when the job that needs it runs.
This runs each job a keyworker or a coordinator runs from the command line on a demo caseload in
a temporary folder: every command's --help, check, a plan and every plan, this week's meetings
and the calendar, every export format, a report in each format (its audit loads scipy), a
funder's return and a backup, and fails on a non-zero exit, on an unexpected error or on a
file not written. It needs only the Python that runs it (no packages): the bundle does the work.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

TIMEOUT_S = 300


def run(program: Path, *args: str, cwd: Path) -> str:
    """Run the bundle's program; its output, or SystemExit saying what failed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("JOURNEYAPP_DB", None)
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    done = subprocess.run(
        [str(program), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    out = done.stdout + done.stderr
    if done.returncode != 0 or "Unexpected error" in out or "Traceback" in out:
        raise SystemExit(f"check_bundle: `journeyapp {' '.join(args)}` failed:\n{out}")
    return out


def commands(program: Path, cwd: Path) -> list[str]:
    """Every command `journeyapp --help` lists."""
    listed = run(program, "--help", cwd=cwd).split("Commands:", 1)[1]
    return re.findall(r"^  ([a-z][a-z-]*) ", listed, flags=re.MULTILINE)


def check(program: Path) -> list[str]:
    """Run every job; the lines said about them."""
    said = []
    with tempfile.TemporaryDirectory(prefix="journeyapp-bundle-") as folder:
        cwd = Path(folder)
        names = commands(program, cwd)
        for name in names:
            run(program, name, "--help", cwd=cwd)
        said.append(f"{len(names)} commands answer --help")
        db = ["--db", "demo.db"]
        today = date.today()  # the demo's records are dated from today back
        quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
        jobs: list[tuple[str, ...]] = [
            ("demo", *db, "--participants", "60", "--seed", "4"),
            ("check", *db),
            ("plans", *db, "--out", "plans"),
            ("appointments", *db, "--ics", "meetings.ics"),
            ("export", *db, "--format", "xlsx", "--out", "log.xlsx"),
            ("export", *db, "--format", "csv", "--out", "log-csv"),
            ("export", *db, "--format", "jsonl", "--out", "log-jsonl"),
            ("report", *db),
            ("report", *db, "--format", "pdf", "--out", "report.pdf"),
            ("report", *db, "--format", "json"),
            ("return", *db, "--quarter", quarter, "--out", "return.xlsx"),
            ("backup", *db, "--out", "backup.db"),
        ]
        for job in jobs:
            run(program, *job, cwd=cwd)
            said.append("ran journeyapp " + " ".join(job))
        written = [
            "plans",
            "meetings.ics",
            "log.xlsx",
            "log-csv",
            "log-jsonl",
            "report.pdf",
            "return.xlsx",
        ]
        missing = [name for name in [*written, "backup.db"] if not (cwd / name).exists()]
        if missing:
            raise SystemExit(f"check_bundle: not written: {', '.join(missing)}")
        plans = sorted((cwd / "plans").glob("*.pdf"))
        if not plans or any(p.read_bytes()[:5] != b"%PDF-" for p in plans):
            raise SystemExit("check_bundle: `journeyapp plans` wrote no readable PDF")
        said.append(f"{len(plans)} plans printed")
    return said


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python3 packaging/check_bundle.py dist/journeyapp/journeyapp")
    for line in check(Path(sys.argv[1]).resolve()):
        sys.stdout.write(f"check_bundle: {line}\n")


if __name__ == "__main__":
    main()
