"""The bundles this caseload merged whole (m014): a bundle merged again is recognised by them.

A bundle is noted inside the merge's transaction, and only when every one of its events landed
in the journey log (none held for a decision, left out or skipped), by its seal (the writer's
HMAC over its details and every event's mark, core.seals), the enrolled laptop that sealed it,
its event count and the SHA-256 of the file's bytes. The same seal, writer and count name the
same sealed content; the same file digest says no byte of the file (no event row either) was
changed since it was checked and merged, so nothing in it can be new here: merged again, it
is recognised without counting or reading its events or marks (store.bundle_merge).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

TABLE = (
    "CREATE TABLE merged_bundles (seal TEXT NOT NULL, writer TEXT NOT NULL, "
    "events INTEGER NOT NULL, file_sha256 TEXT NOT NULL, merged_at TEXT NOT NULL, "
    "PRIMARY KEY (seal, writer, events)) WITHOUT ROWID"
)
_BLOCK = 1 << 20  # the file is hashed a MiB at a time


@dataclass(frozen=True)
class Receipt:
    """What notes a sealed bundle as merged: its seal, writer (device id), event count and the
    SHA-256 (hex) of its file; `fresh`: how many of its events were new here."""

    seal: str
    writer: str
    events: int
    file_sha256: str
    fresh: int


def create(db: Database) -> None:
    """The table (m014)."""
    db.execute(TABLE)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a block at a time (hashlib lets other threads run)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def recorded(db: Database, seal: str, writer: str, events: int) -> str | None:
    """The file digest noted for this sealed bundle, or None when it was never merged whole."""
    row = db.execute(
        "SELECT file_sha256 FROM merged_bundles WHERE seal = ? AND writer = ? AND events = ?",
        [seal, writer, events],
    ).fetchone()
    return None if row is None else str(row[0])


def recognised(db: Database, seal: str, writer: str, file_sha256: str) -> int | None:
    """How many events the bundle with this seal and writer held when this very file (the same
    SHA-256) was merged whole here; None: no such file was. (The table's key starts with the
    seal and writer: a lookup, whatever the count.)"""
    row = db.execute(
        "SELECT events FROM merged_bundles WHERE seal = ? AND writer = ? AND file_sha256 = ?",
        [seal, writer, file_sha256],
    ).fetchone()
    return None if row is None else int(row[0])


def any_with(db: Database, seal: str, writer: str) -> bool:
    """Whether a bundle with this seal and writer was merged whole here (whatever its file)."""
    return (
        db.execute(
            "SELECT 1 FROM merged_bundles WHERE seal = ? AND writer = ? LIMIT 1", [seal, writer]
        ).fetchone()
        is not None
    )


def note(db: Database, receipt: Receipt, at: str) -> None:
    """Note a bundle merged whole (inside the merge's transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO merged_bundles(seal, writer, events, file_sha256, merged_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [receipt.seal, receipt.writer, receipt.events, receipt.file_sha256, at],
    )
