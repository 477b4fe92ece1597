"""Before a newer version migrates an existing caseload, keep a verified copy of the old file."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeyapp.core.errors import StorageError
from journeyapp.core.lazy_log import LazyLogger
from journeyapp.store import migrations as schema
from journeyapp.store.connection import Database

log = LazyLogger("journeyapp.store")  # logging loaded only when needed

# An upgrade that leaves at least this share of the file's pages free gives them back to the disk
# (VACUUM): SQLite only reuses free pages for later writes, so a file a migration made smaller
# inside would otherwise keep its old size (m015 frees 16% of the pages of a 3,115-parent
# caseload; VACUUM then takes it from 156 MB to 127 MB).
# VACUUM's copy is built in memory (temp_store = MEMORY): about the smaller file's size, once.
FREE_SHARE = 0.10

# A connection to the backup file, keyed like the original (SQLCipher's backup API copies pages
# only between databases with the same key): db.py passes `lambda target: _connect(target, key)`.
Connect = Callable[[str], Any]


def backup_path(file: Path, migration: str) -> Path:
    """A name beside `file` for the copy made before `migration`, never one already taken."""
    candidate = file.with_name(f"{file.name}.before-{migration}.bak")
    number = 2
    while candidate.exists():
        candidate = file.with_name(f"{file.name}.before-{migration}.{number}.bak")
        number += 1
    return candidate


def batch_label(pending: list[str]) -> str:
    """What a copy made before `pending` is named after: the one migration, or the first and
    (by its number) the last of a batch, so the name says the copy is the file before all of
    them (`before-m002_merge_decisions-to-m015`)."""
    if len(pending) == 1:
        return pending[0]
    return f"{pending[0]}-to-{pending[-1].split('_', 1)[0]}"


def upgrade_copies(file: Path) -> list[Path]:
    """The copies kept beside `file` before an upgrade (`<name>.before-mNNN….bak`)."""
    return sorted(file.parent.glob(file.name + ".before-m*.bak"))


def backup_before_upgrade(db: Database, path: Path | str | None, connect: Connect) -> Path | None:
    """If `db` (opened from `path`) holds a caseload that migrations will change, copy it first.

    One copy however many migrations are pending (they run one after another on the same
    open), named after them (batch_label). The copy is made with the SQLite backup API, then reopened and checked (integrity check, same
    migrations applied, same number of journey-log events) before anything is migrated. Returns
    the backup's path, or None when there is nothing to upgrade (a new or in-memory database,
    one that is up to date, or one from a newer version, which open_database refuses).

    Raises:
        StorageError: the copy could not be made or did not check out; the caseload is unchanged.
    """
    if path is None:
        return None
    tables = set(db.table_names())
    if schema.migrations.migrations_table not in tables:
        return None  # a new file: nothing to keep
    applied = [m.name for m in schema.migrations.applied(db)]
    pending = [m.name for m in schema.migrations.pending(db)]
    if not applied or not pending:
        return None
    file = Path(path)
    target = backup_path(file, batch_label(pending))
    try:
        # Imported here: store.backup imports store.db, which calls this module while opening.
        from journeyapp.store.backup import write_copy

        write_copy(db, target, connect)
        _verify(target, connect, applied, _events(db))
    except Exception as exc:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        reason = getattr(exc, "message", None) or getattr(exc, "strerror", None) or str(exc)
        raise StorageError(
            f"Before upgrading {file} this version makes a backup copy, and that failed "
            f"({reason}). Nothing was changed. Free some space or make the folder "
            f"{file.parent} writable, then open the caseload again."
        ) from None
    return target


def remove_older_copies(file: Path, kept: Path, check: Callable[[], list[str]]) -> list[Path]:
    """After an upgrade committed, keep only its copy (`kept`): the copies made before earlier
    upgrades (older than `kept`) are deleted, and the log says which.

    Only once `check()` (the whole upgraded file checked) finds nothing, and only while `kept`,
    the copy verified before this upgrade, is still there: a copy is never removed when it may
    be the only good one. Called only when every migration succeeded: after a failed one every
    copy stays. A copy that cannot be deleted is left (and logged). Returns what was deleted.
    """
    try:
        newest = kept.stat().st_mtime_ns
    except OSError:
        return []
    older = []
    for copy in upgrade_copies(file):
        # Older than `kept` only: another program upgrading the same file at the same moment
        # keeps its own, newer copy, and never deletes this one.
        with contextlib.suppress(OSError):
            if copy != kept and copy.stat().st_mtime_ns < newest:
                older.append(copy)
    if not older:
        return []
    problems = check()
    if problems:
        log.warning(
            "After the upgrade the caseload did not check out (%s); the %d earlier upgrade "
            "copies are kept",
            problems[0][:120],
            len(older),
        )
        return []
    removed = []
    for copy in older:
        try:
            copy.unlink()
        except OSError as exc:
            log.warning("Could not delete the earlier upgrade copy %s (%s)", copy.name, exc)
            continue
        removed.append(copy)
    if removed:
        log.info(
            "Upgrade checked; deleted %d earlier upgrade copies (%s), kept %s",
            len(removed),
            ", ".join(p.name for p in removed),
            kept.name,
        )
    return removed


def _verify(target: Path, connect: Connect, applied: list[str], events: int | None) -> None:
    copy = connect(str(target))
    try:
        result = [str(row[0]) for row in copy.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            raise StorageError(f"the copy failed its integrity check: {'; '.join(result[:3])}")
        names = [
            str(row[0])
            for row in copy.execute(
                f"SELECT name FROM [{schema.migrations.migrations_table}] "
                "WHERE migration_set = ? ORDER BY rowid",
                [schema.migrations.name],
            ).fetchall()
        ]
        if names != applied:
            raise StorageError("the copy does not have the same schema as the original")
        if events is not None:
            copied = copy.execute("SELECT count(*) FROM journey_log").fetchone()[0]
            if copied != events:
                raise StorageError("the copy does not hold every journey-log event")
    finally:
        copy.close()


def _events(db: Database) -> int | None:
    if "journey_log" not in {*db.table_names(), *db.view_names()}:
        return None
    return int(db.execute("SELECT count(*) FROM journey_log").fetchone()[0])


def give_back_room(db: Database) -> bool:
    """After migrations have run and committed, VACUUM `db` once if they left much of it free.

    Plain and encrypted caseloads alike (SQLCipher's VACUUM keeps the key); the write-ahead log
    is checkpointed after, so the file itself is the smaller size. VACUUM is all or nothing: if
    it fails (no room for its copy, another program holding the file), the caseload stays as the
    migrations left it, usable, and the failure is logged, never raised. True when it ran.
    """
    conn = db.conn
    if conn.in_transaction:
        return False  # VACUUM cannot run inside a transaction; never the case after apply()
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    if pages == 0 or free < FREE_SHARE * pages:
        return False
    try:
        conn.execute("VACUUM")
    except Exception as exc:  # sqlite or SQLCipher: busy, locked, disk full, interrupted
        log.warning("Upgrade left %d of %d pages free; VACUUM failed (%s)", free, pages, exc)
        return False
    try:
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:  # the vacuum is committed; a reader may delay the checkpoint
        log.warning("VACUUM after the upgrade ran; its checkpoint did not finish (%s)", exc)
    return True
