"""The journey log's size: a demo caseload's log per 1,000 parents, beside the same log as m009 and
every version before it stored it (same run, same file), the whole file's, and the backups' share.

The baselines are made from the very same file: the log copied back into the old table (as the
migration tests do) and, for m009's form, migrated again with m009's own SQL; the words index and
the indexes as every version before m012 and m013 kept them (the same entries under the same ids,
as tests/store/test_compact_search.py does); every file vacuumed so free pages count for none.
The backups: 60 days of start-up backups (two a day) rotated as the app rotates them, beside the
copy the last upgrade kept, each the caseload's size (sparse files: no disk is written).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
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


# The words index, its keys and the indexes m013 drops, as m004 and m001 made them.
OLD_SEARCH = (
    "CREATE VIRTUAL TABLE text_search USING fts5(text, tokenize = 'trigram')",
    "CREATE TABLE text_search_keys (id INTEGER PRIMARY KEY, participant_id TEXT NOT NULL, "
    "kind TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL)",
    "CREATE INDEX idx_text_search_keys_record ON text_search_keys(record_id)",
    "CREATE INDEX idx_text_search_keys_participant ON text_search_keys(participant_id)",
    "INSERT INTO text_search(text_search, rank) VALUES ('secure-delete', 1)",
    'CREATE INDEX "idx_contacts_participant_id" ON "contacts" ("participant_id")',
    'CREATE INDEX "idx_pace_participant_id" ON "pace" ("participant_id")',
    'CREATE INDEX "idx_pace_participant_id_changed_on" ON "pace" ("participant_id", "changed_on")',
)


def _search_bytes(path: Path) -> int:
    """Bytes of the words index, its keys and their indexes."""
    return _log_bytes(
        path, ("text_search", "text_search_keys", "text_search_parents", "text_search_fields")
    ) + _shadow_bytes(path, "text_search_%")


def _shadow_bytes(path: Path, pattern: str) -> int:
    conn = sqlite3.connect(path)
    try:
        found = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE ? AND name NOT IN "
            "('text_search', 'text_search_keys', 'text_search_parents', 'text_search_fields')",
            [pattern],
        ).fetchone()[0]
        return int(found or 0)
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _old_search(path: Path) -> None:
    """The words index and indexes as before m012 and m013 (the same entries, the same ids)."""
    import sqlcipher3.dbapi2 as sqlcipher  # the SQLite JourneyApp ships (FTS5 trigram)

    conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        keys = [
            (n, pid, kind, str(uuid.UUID(bytes=rid)) if isinstance(rid, bytes) else rid, field)
            for n, pid, kind, rid, field in conn.execute(
                "SELECT k.id, p.participant_id, f.kind, k.record_id, f.field "
                "FROM text_search_keys k JOIN text_search_parents p ON p.id = k.parent "
                "JOIN text_search_fields f ON f.id = k.field ORDER BY k.id"
            )
        ]
        texts = conn.execute("SELECT rowid, text FROM text_search ORDER BY rowid").fetchall()
        conn.execute("BEGIN")
        for table in ("text_search", "text_search_keys", "text_search_parents"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE text_search_fields")
        for sql in OLD_SEARCH:
            conn.execute(sql)
        conn.executemany("INSERT INTO text_search(rowid, text) VALUES (?, ?)", texts)
        conn.executemany("INSERT INTO text_search_keys VALUES (?, ?, ?, ?, ?)", keys)
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


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
        conn.execute("DROP VIEW IF EXISTS journal_named")
        for table in ("journal", "journal_devices", "journal_actors"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE old_log RENAME TO journey_log")
        for column in ("participant_id", "record_id", "txn"):
            conn.execute(f"CREATE INDEX idx_journey_log_{column} ON journey_log({column})")
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


def _m009_format(path: Path) -> None:
    """The log as m009 stored it: back into the old table, then m009's own migration."""
    import sqlcipher3.dbapi2 as sqlcipher  # m009's SQL needs unhex (SQLite 3.41)

    from journeyapp.store import eventlog

    _old_format(path)
    conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        conn.execute("BEGIN")
        eventlog.migrate(conn)
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


def _backups_share(caseload: Path, upgrade_copy: int, days: int = 60) -> tuple[float, int]:
    """The most the caseload and every copy beside it held, as a multiple of the caseload, over
    `days` days of two start-up backups a day, each rotated as the app does; and how many
    backups were kept at the end. The copies are sparse files of the real sizes."""
    from datetime import UTC, datetime, timedelta

    from journeyapp.store.backup import backup_folder, rotate, upgrade_copies

    size = caseload.stat().st_size
    folder = backup_folder(caseload)
    folder.mkdir(exist_ok=True)
    with open(
        caseload.with_name(f"{caseload.name}.before-m015_smaller_journey_log.bak"), "wb"
    ) as f:
        f.truncate(upgrade_copy)
    start = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
    worst = 0.0
    for n in range(days * 2):
        made = start + timedelta(days=n // 2, hours=5 * (n % 2))
        with open(folder / f"{caseload.stem}-{made:%Y%m%d-%H%M%S}.db", "wb") as f:
            f.truncate(size)
        rotate(caseload)
        copies = [p for p in folder.iterdir() if p.suffix == ".db"] + upgrade_copies(caseload)
        worst = max(worst, (size + sum(p.stat().st_size for p in copies)) / size)
    kept = sum(1 for p in folder.iterdir() if p.suffix == ".db")
    return worst, kept


def main() -> None:
    """Print the demo log's size per 1,000 parents beside the older forms', and verdicts."""
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
    m009 = folder / "m009-log.db"
    shutil.copyfile(ours, m009)
    _m009_format(m009)
    old = folder / "old-log.db"
    shutil.copyfile(ours, old)
    _old_format(old)
    old_search = folder / "old-search.db"
    shutil.copyfile(ours, old_search)
    _old_search(old_search)
    per = 1000 / parents
    mb = {path: path.stat().st_size * per / 1e6 for path in (ours, m009, old, old_search)}
    compact = ("journal", "journal_devices", "journal_actors")
    log = _log_bytes(ours, compact) * per / 1e6
    log_m009 = _log_bytes(m009, compact) * per / 1e6
    log_old = _log_bytes(old, ("journey_log",)) * per / 1e6
    if log and log_m009 and log_old:
        figure(
            "journey log and its indexes per 1,000 demo parents",
            log,
            "MB",
            baseline=log_m009,
            baseline_name="the same log as m009 stored it, before m015",
            target="<= 15 MB",
            ok=log <= 15,
        )
        figure(
            "journey log and its indexes per 1,000 demo parents",
            log,
            "MB",
            baseline=log_old,
            baseline_name="the same log as every version before m009 stored it",
        )
    else:
        print("(this Python's SQLite has no dbstat table: the log's own size is not measured)")
    figure(
        "whole demo caseload file per 1,000 parents (for information)",
        mb[ours],
        "MB",
        baseline=mb[m009],
        baseline_name="the same caseload, the log as m009 stored it",
    )
    figure(
        "whole demo caseload file per 1,000 parents (for information)",
        mb[ours],
        "MB",
        baseline=mb[old],
        baseline_name="the same caseload, the log as before m009",
    )
    figure(
        "whole demo caseload file per 1,000 parents (for information)",
        mb[ours],
        "MB",
        baseline=mb[old_search],
        baseline_name="the same caseload, search index and indexes as before m012/m013",
    )
    search, old_search_size = _search_bytes(ours) * per / 1e6, _search_bytes(old_search) * per / 1e6
    if search and old_search_size:
        figure(
            "  of which the words index, its keys and their indexes",
            search,
            "MB",
            baseline=old_search_size,
            baseline_name="as before m012",
        )
    if log:
        figure("  of which the journey log and its indexes", log, "MB")
        figure("  the rest (records, search index, settings)", mb[ours] - log, "MB")
    # Backups: the rotation's worst day, everything kept beside the caseload counted.
    from journeyapp.store.backup import KEEP_DAILY, KEEP_WEEKLY, MAX_TIMES_CASELOAD

    worst, kept = _backups_share(ours, m009.stat().st_size)
    figure(
        "caseload and every copy beside it, worst day of 60 (two backups a day, rotated; "
        "the last upgrade's copy counted)",
        worst,
        "x the caseload",
        target=f"< {MAX_TIMES_CASELOAD}x",
        ok=worst < MAX_TIMES_CASELOAD,
    )
    print(
        f"(backups kept at the end: {kept}; at most {KEEP_DAILY} daily and {KEEP_WEEKLY} weekly, "
        f"as many as fit while the caseload and its copies stay under {MAX_TIMES_CASELOAD}x)",
        flush=True,
    )


if __name__ == "__main__":
    main()
