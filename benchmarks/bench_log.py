"""The journey log's size: a demo caseload's file per 1,000 parents, beside the same caseload with
the log as every version before the compact log stored it (same run), and the backups' share.

The baseline is made from the very same file: the log copied back into the old table (as the
migration test does), both files vacuumed so free pages count for neither.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from benchmarks.caseloads import SMALL, TODAY
from benchmarks.common import figure, heading, scratch

OLD_LOG = """
    CREATE TABLE old_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, at TEXT NOT NULL,
        device_id TEXT NOT NULL, actor TEXT NOT NULL, participant_id TEXT, kind TEXT NOT NULL,
        record_id TEXT NOT NULL, action TEXT NOT NULL, fields TEXT NOT NULL,
        txn TEXT NOT NULL DEFAULT ''
    )
"""


def _log_bytes(path: Path, names: tuple[str, ...]) -> int:
    conn = sqlite3.connect(path)
    try:
        marks = ", ".join("?" * len(names))
        return int(
            conn.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "
                f"WHERE tbl_name IN ({marks})) OR name IN ({marks})",
                [*names, *names],
            ).fetchone()[0]
        )
    except sqlite3.OperationalError:  # a Python without the dbstat table
        return 0
    finally:
        conn.close()


def _old_format(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute(OLD_LOG)
        conn.execute("INSERT INTO old_log SELECT * FROM journey_log ORDER BY seq")
        conn.execute("DROP VIEW journey_log")
        for table in ("journal", "journal_devices", "journal_actors"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE old_log RENAME TO journey_log")
        for column in ("participant_id", "record_id", "txn"):
            conn.execute(f"CREATE INDEX idx_journey_log_{column} ON journey_log({column})")
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


def main() -> None:
    """Print the demo caseload's size per 1,000 parents, ours beside the old log's, and verdicts."""
    from journeyapp.caseload import Caseload
    from journeyapp.demo import build_demo

    parents = SMALL
    heading(f"The journey log's size: a {parents:,}-parent demo caseload, per 1,000 parents")
    folder = scratch() / "log-size"
    folder.mkdir(exist_ok=True)
    ours = folder / "demo.db"
    started = time.perf_counter()
    caseload = Caseload.open(ours, create=True, demo=True)
    build_demo(caseload, participants=parents, seed=1, today=TODAY)
    caseload.close()
    print(f"(built in {time.perf_counter() - started:.1f} s)", flush=True)
    conn = sqlite3.connect(ours)
    conn.execute("VACUUM")
    conn.close()
    old = folder / "old-log.db"
    shutil.copyfile(ours, old)
    _old_format(old)
    per = 1000 / parents
    size, old_size = ours.stat().st_size * per / 1e6, old.stat().st_size * per / 1e6
    figure(
        "demo caseload file per 1,000 parents",
        size,
        "MB",
        baseline=old_size,
        baseline_name="the same caseload, the log stored as before",
        target="<= 15 MB",
        ok=size <= 15,
    )
    log, old_log = (
        _log_bytes(ours, ("journal", "journal_devices", "journal_actors")) * per / 1e6,
        _log_bytes(old, ("journey_log",)) * per / 1e6,
    )
    if log and old_log:
        figure(
            "  of which the journey log and its indexes",
            log,
            "MB",
            baseline=old_log,
            baseline_name="the log stored as before",
        )
        figure("  the rest (records, search index, settings)", size - log, "MB")
    # Backups: the rotation's worst case, everything kept, as a multiple of the caseload.
    from journeyapp.store.backup import KEEP_DAILY, KEEP_WEEKLY, MAX_TIMES_CASELOAD

    print(
        f"(backups: at most {KEEP_DAILY} daily and {KEEP_WEEKLY} weekly, as many as fit while the "
        f"caseload and its copies stay under {MAX_TIMES_CASELOAD}x the caseload; the rotation "
        "test checks it)",
        flush=True,
    )


if __name__ == "__main__":
    main()
