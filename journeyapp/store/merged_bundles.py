"""The bundles this caseload merged whole (m014): a bundle merged again is recognised by them.

A bundle is noted inside the merge's transaction, and only when every one of its events landed
in the journey log (none held for a decision, left out or skipped), by its seal (the writer's
HMAC over its details and every event's mark, core.seals), the enrolled laptop that sealed it,
its event count and a digest of the file's bytes (core.file_digests: BLAKE3 over the file's
16 MiB parts, worked out on every core; the column keeps its first name, file_sha256). The same
seal, writer and count name the same sealed content; the same file digest says no byte of the
file (no event row either) was changed since it was checked and merged, so nothing in it can be
new here: merged again, it is recognised without counting or reading its events or marks
(store.bundle_merge).

Beside it (m016, `bundle_prefixes`): the SHA-256 of the bundle's marks in order (each led by a
NUL, as its seal takes them in), by the laptop that sealed it and its event count. A later
bundle from the same laptop whose seal holds and whose first N marks digest to one noted for N
starts with exactly the N events of a bundle merged whole here (each mark is the digest of its
event's stored values), every one of which landed in the journey log: those N events are not
looked up again (store.bundle_merge), only the rest. Events leave the journey log only when a
parent is erased, so an erasure forgets every noted prefix, and a merge that erases notes none.

A digest's text starts with the name of its form ("blake3-parts-16MiB:"); a bundle noted by an
earlier version (a plain SHA-256, no name) is simply not recognised: merging it again reads it
as any bundle whose file differs, and notes it anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journeyapp.core import file_digests
from journeyapp.store.connection import Database

TABLE = (
    "CREATE TABLE merged_bundles (seal TEXT NOT NULL, writer TEXT NOT NULL, "
    "events INTEGER NOT NULL, file_sha256 TEXT NOT NULL, merged_at TEXT NOT NULL, "
    "PRIMARY KEY (seal, writer, events)) WITHOUT ROWID"
)


@dataclass(frozen=True)
class Receipt:
    """What notes a sealed bundle as merged: its seal, writer (device id), event count and the
    digest of its file (core.file_digests); `fresh`: how many of its events were new here;
    `marks`: the SHA-256 of its marks in order (None: not worked out)."""

    seal: str
    writer: str
    events: int
    file_digest: str
    fresh: int
    marks: str | None = None


PREFIXES = (
    "CREATE TABLE bundle_prefixes (writer TEXT NOT NULL, events INTEGER NOT NULL, "
    "marks_sha256 TEXT NOT NULL, PRIMARY KEY (writer, events, marks_sha256)) WITHOUT ROWID"
)
# A noted prefix promises that its events are all in the journal: any event leaving it (an
# erasure does this through forget_prefixes too; any future path that deletes journal rows
# is held to it here) forgets every noted prefix, so no later bundle skips an event.
PREFIXES_FORGOTTEN = (
    "CREATE TRIGGER journal_forgets_bundle_prefixes AFTER DELETE ON journal "
    "BEGIN DELETE FROM bundle_prefixes; END"
)


def create(db: Database) -> None:
    """The table (m014)."""
    db.execute(TABLE)


def create_prefixes(db: Database) -> None:
    """The table of merged bundles' marks, emptied whenever an event leaves the journal (m016)."""
    db.execute(PREFIXES)
    # The journal is there in every caseload that reaches m016 (m009 made it); a test's
    # version built without m009 has none (and nothing to delete from it).
    if db.has_table("journal"):
        db.execute(PREFIXES_FORGOTTEN)


def begin_digest(path: Path) -> file_digests.FileDigest | None:
    """The digest of a bundle's file, worked out on background threads from now (or from when
    the command line began it ahead, core.file_digests); None: the file cannot be looked at."""
    try:
        return file_digests.begin(path)
    except OSError:
        return None


def recorded(db: Database, seal: str, writer: str, events: int) -> str | None:
    """The file digest noted for this sealed bundle, or None when it was never merged whole."""
    row = db.execute(
        "SELECT file_sha256 FROM merged_bundles WHERE seal = ? AND writer = ? AND events = ?",
        [seal, writer, events],
    ).fetchone()
    return None if row is None else str(row[0])


def recognised(db: Database, seal: str, writer: str, file_digest: str) -> int | None:
    """How many events the bundle with this seal and writer held when this very file (the same
    digest, of the same form) was merged whole here; None: no such file was. (The table's key
    starts with the seal and writer: a lookup, whatever the count.)"""
    row = db.execute(
        "SELECT events FROM merged_bundles WHERE seal = ? AND writer = ? AND file_sha256 = ?",
        [seal, writer, file_digest],
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


def note(db: Database, receipt: Receipt, at: str, *, prefix: bool = True) -> None:
    """Note a bundle merged whole (inside the merge's transaction), and its marks unless not
    `prefix` (a merge that erased a parent: some of its events may have left the log)."""
    db.execute(
        "INSERT OR REPLACE INTO merged_bundles(seal, writer, events, file_sha256, merged_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [receipt.seal, receipt.writer, receipt.events, receipt.file_digest, at],
    )
    if prefix and receipt.marks is not None and receipt.events:
        db.execute(
            "INSERT OR IGNORE INTO bundle_prefixes(writer, events, marks_sha256) VALUES (?, ?, ?)",
            [receipt.writer, receipt.events, receipt.marks],
        )


def prefixes(db: Database, writer: str, events: int) -> dict[int, set[str]]:
    """The noted marks of bundles from `writer` merged whole here with at most `events` events:
    by event count."""
    found: dict[int, set[str]] = {}
    for count, marks in db.execute(
        "SELECT events, marks_sha256 FROM bundle_prefixes WHERE writer = ? AND events <= ?",
        [writer, events],
    ).fetchall():
        found.setdefault(int(count), set()).add(str(marks))
    return found


def forget_prefixes(db: Database) -> None:
    """Forget every noted prefix (a parent's events left the journey log: an erasure)."""
    if db.has_table("bundle_prefixes"):
        db.execute("DELETE FROM bundle_prefixes")
