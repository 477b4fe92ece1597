"""The erasure register: which parents were erased and when (ids and dates only, no names),
kept in its own file beside the caseload, apart from the caseload and its backups.

A backup made before an erasure still holds that parent; restoring it (or copying an old file
back by hand) would bring them back. The register outlives any restore, and every open
re-applies it, so an erasure stays an erasure (issue 17).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from journeyapp.core.private_files import private_file
from journeyapp.store.db import Database, DatabaseError, plain_connection

SUFFIX = ".erasures"
_HEADER = "# JourneyApp erasure register: participant id<TAB>erased at (UTC). No names.\n"


def register_path(db_path: Path) -> Path:
    """The register's file, beside the caseload (not in backups/)."""
    return db_path.with_name(db_path.name + SUFFIX)


def entries(db_path: Path) -> dict[str, str]:
    """Participant id -> when they were erased, from the register (empty when there is none)."""
    path = register_path(db_path)
    found: dict[str, str] = {}
    with contextlib.suppress(FileNotFoundError):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                pid, _, at = line.partition("\t")
                found.setdefault(pid.strip(), at.strip())
    return found


def note(db_path: Path, erased: Iterable[tuple[str, str]]) -> int:
    """Add (participant id, erased at) pairs not yet in the register; returns how many.

    Written before the caseload forgets them for good is not possible (the erasure is one
    transaction), so callers note right after commit and `sync` catches up at every open.
    """
    known = entries(db_path)
    new = [(pid, at) for pid, at in erased if pid not in known]
    if not new:
        return 0
    path = register_path(db_path)
    fresh = not path.exists()
    with path.open("a", encoding="utf-8") as handle:
        if fresh:
            handle.write(_HEADER)
        for pid, at in dict(new).items():
            handle.write(f"{pid}\t{at}\n")
        handle.flush()
        os.fsync(handle.fileno())
    private_file(path)
    return len(new)


def tombstones(db: Database) -> list[tuple[str, str]]:
    """Every (participant id, erased at) the caseload itself knows (its tombstones)."""
    rows = db.execute("SELECT participant_id, erased_at FROM tombstones").fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def erased_at(db: Database, participant_id: str) -> str | None:
    """When the parent with this id was erased (their tombstone's UTC time), or None."""
    row = db.execute(
        "SELECT erased_at FROM tombstones WHERE participant_id = ?", [participant_id]
    ).fetchone()
    return None if row is None else str(row[0])


def sync(db: Database, db_path: Path) -> list[str]:
    """Bring the register and the caseload into step: its tombstones go into the register,
    and the ids of the register the caseload has no tombstone for are returned (to erase)."""
    known = tombstones(db)
    note(db_path, known)
    return not_erased(db, db_path, known)


def not_erased(
    db: Database, db_path: Path, known: list[tuple[str, str]] | None = None
) -> list[str]:
    """The ids of the register the caseload has no tombstone for (to erase), writing nothing."""
    erased = {pid for pid, _at in (tombstones(db) if known is None else known)}
    return sorted(pid for pid in entries(db_path) if pid not in erased)


def held_in(backup: Path, key: str | bytes | None, db_path: Path) -> list[str]:
    """The register's parents that the backup at `backup` still holds (they will be erased
    again after it is restored)."""
    wanted = entries(db_path)
    if not wanted:
        return []
    conn = plain_connection(backup, key)
    try:
        rows = conn.execute("SELECT id FROM participants").fetchall()
    except DatabaseError:
        return []
    finally:
        conn.close()
    return sorted(str(r[0]) for r in rows if str(r[0]) in wanted)
