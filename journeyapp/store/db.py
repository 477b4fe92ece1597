"""open_database(): the one place a connection is made (SQLCipher-capable, settings of DESIGN §5)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.core import held_files, key_derivation
from journeyapp.core.errors import (
    DatabaseInUse,
    DatabaseTooNew,
    NotADatabase,
    StorageError,
    WrongPassphrase,
)
from journeyapp.core.file_trouble import Trouble, advice, storage_error
from journeyapp.store.connection import Database
from journeyapp.store.migrations import migrations
from journeyapp.store.upgrade import backup_before_upgrade, give_back_room, remove_older_copies

__all__ = [
    "Database",
    "DatabaseError",
    "checkpoint",
    "open_database",
    "quick_problems",
    "set_setting",
    "setting",
    "small_page_cache",
    "whole_file_problems",
]

DatabaseError = sqlcipher.DatabaseError
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Page cache while a connection reads everything once (an export), in KiB as SQLite takes it.
SMALL_CACHE_KIB = -1024


def _key_pragma(key: str | bytes) -> str:
    """PRAGMA key for a passphrase (text) or a raw 32-byte key (bytes, skips key derivation)."""
    if isinstance(key, bytes):
        return f"PRAGMA key = \"x'{key.hex()}'\""
    key = unicodedata.normalize("NFC", key)  # the same passphrase typed on any system matches
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


class HeldConnection(sqlcipher.Connection):  # type: ignore[misc]
    """A connection that lets its file go (core.held_files.release) when it closes."""

    held: held_files.Identity | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            held, self.held = self.held, None
            held_files.release(held)


def _connect(target: str, key: str | bytes | None, *, derive: bool = True) -> sqlcipher.Connection:
    if isinstance(key, str) and target != ":memory:":
        # An existing file's key is derived once per session (and perhaps already, while the
        # window's code loaded), not again by SQLCipher for every connection. Without
        # `derive`, a key not already derived or being derived is left to SQLCipher, for this
        # connection alone (faster; the next connection derives the shared one).
        shared = key_derivation.raw_key if derive else key_derivation.derived
        key = shared(target, key) or key
    conn = sqlcipher.connect(
        target, isolation_level=None, check_same_thread=False, timeout=5, factory=HeldConnection
    )
    if target != ":memory:":
        # The file's first bytes are read again while this connection is open (another
        # connection's header check, the key's salt): through a descriptor held while it is
        # open, so that no close drops its locks and lets another program delete its
        # write-ahead log from under it (core.held_files).
        conn.held = held_files.hold(target)
    # Also without a key: an encrypted bundle attached to a plain (demo) caseload with a wrong
    # passphrase would have SQLCipher print its "hmac check failed" lines over the message.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(_key_pragma(key))
        conn.execute("PRAGMA cipher_compatibility = 4")
    return conn


def still_at(db: Database, path: Path | str) -> bool:
    """False when the file this connection has open is no longer at `path`: moved, renamed or
    deleted while open (a sync tool, a USB stick, someone tidying up). SQLite goes
    on saving into a deleted file without a word, and it is gone when the connection closes.
    True when it is there, or when this cannot be told (Windows, in memory)."""
    held = getattr(db.conn, "held", None)
    if held is None:
        return True
    if held_files.identity(path) is None:
        return False  # nothing there now: moved, renamed or deleted
    # Something is there: this file, or one put in its place. Only a file with no name left
    # loses what is saved into it (the inode numbers of some network drives are not steady,
    # so they are not compared).
    return not held_files.unlinked(held)


def open_database(
    path: Path | str | None,
    key: str | bytes | None = None,
    *,
    migrate: bool = True,
    create: bool = True,
    derive: bool = True,
    saving: bool = True,
) -> Database:
    """Open (and create or migrate) a caseload database.

    Args:
        path: the file, or None for a private in-memory database (tests).
        key: a passphrase (str) or raw key (bytes) for an encrypted database; None for plain.
        migrate: apply pending migrations (after refusing a database from a newer version).
        create: allow a new file to be made.
        derive: for a passphrase, derive the raw key other connections share now (False:
            only use it if already derived or being derived; SQLCipher derives otherwise).
        saving: False for a reader beside the window (which may be saving): it
            writes nothing, not even an upgrade (DatabaseInUse when one is pending), and the
            connection refuses writes (`read_only`).

    Raises:
        NotADatabase, WrongPassphrase, DatabaseTooNew, DatabaseInUse, StorageError.
    """
    if path is None:
        target = ":memory:"
        name = "memory"
    else:
        file = Path(path)
        name = str(file)
        target = str(file)
        if file.is_dir():
            raise NotADatabase(f"{file} is a folder, not a caseload file; give a file name.")
        if not file.exists():
            if not create:
                raise NotADatabase(f"There is no caseload at {file}; check the path.")
            if not file.parent.is_dir():
                raise StorageError(advice(Trouble.MISSING_FOLDER, file, "open the caseload"))
        elif key is None:
            header = _read_header(file)
            if header and not header.startswith(SQLITE_HEADER):
                raise NotADatabase(
                    f"{file} is not a JourneyApp caseload, or it is encrypted and needs its "
                    "passphrase. Check the file, or restore it from a backup."
                )
    try:
        conn = _connect(target, key, derive=derive)
    except sqlcipher.Error as exc:
        raise storage_error(exc, Path(name), "open the caseload") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if path is not None and not _is_not_a_database(exc):
            # Not a key or format problem: the disk, the folder or another program. Say that,
            # never "wrong passphrase" or "restore from a backup" (issue 17).
            raise storage_error(exc, Path(name), "open the caseload") from None
        if key is not None:
            raise WrongPassphrase(
                f"That passphrase does not open {name}. Check it and try again."
            ) from None
        raise NotADatabase(
            f"{name} is not a JourneyApp caseload or is damaged ({exc}). "
            "Restore it from a backup, or choose another file."
        ) from None
    try:
        db = Database(conn)
        if migrate:
            # Before any setting is made: WAL mode is written into the file's header, and a
            # refused file (another program's database, a newer version's) is left as it was.
            _refuse_foreign_or_newer(db)
        if migrate and not saving:
            _refuse_upgrade_beside_others(db, name)
        _configure(conn, saving=saving)
        if migrate and saving:
            copy = backup_before_upgrade(db, path, lambda target: _connect(target, key))
            upgrading = path is not None and bool(migrations.pending(db))
            migrations.apply(db)
            if upgrading:
                give_back_room(db)  # after every migration committed, outside any transaction
            if copy is not None and path is not None:
                # Every migration committed: the copies of earlier upgrades go once the file
                # checks out whole (this upgrade's copy stays).
                remove_older_copies(
                    Path(path), copy, lambda: whole_file_problems(db, encrypted=key is not None)
                )
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate and saving:
            _ensure_device_id(db)
        if not saving:
            read_only(db)
    except (DatabaseTooNew, DatabaseInUse, NotADatabase, StorageError):
        conn.close()
        raise
    except sqlcipher.DatabaseError as exc:
        conn.close()
        text = str(exc)
        if "malformed" in text or "corrupt" in text or "not a database" in text:
            raise NotADatabase(
                f"{name} is damaged ({text}). Restore it from a backup, or choose another file."
            ) from None
        if path is not None and not _is_not_a_database(exc):
            raise storage_error(exc, Path(name), "open the caseload") from None
        raise NotADatabase(
            f"{name} is not a JourneyApp caseload or is damaged ({text}). "
            "Restore it from a backup, or choose another file."
        ) from None
    return db


def _is_not_a_database(exc: BaseException) -> bool:
    """True when SQLite says the bytes are not a database (a wrong key, damage or another
    format), as opposed to trouble with the disk, the folder or a lock."""
    text = str(exc).lower()
    return any(word in text for word in ("not a database", "malformed", "corrupt", "encrypted"))


def _read_header(file: Path) -> bytes:
    try:
        return held_files.head(file, 16)  # never dropping this process's locks on it
    except OSError as exc:
        raise storage_error(exc, file, "read the caseload") from None


def _configure(conn: sqlcipher.Connection, *, saving: bool = True) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if saving:  # written into the file's header: a reader leaves that to who saves
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA journal_size_limit = 4194304")
    # What sqlite_utils.Database turned on for every connection it wrapped (the open path used
    # it until the lean store.connection.Database): an INSERT OR REPLACE then fires the delete
    # triggers that keep caseload_list right, whether or not this session migrated the file.
    conn.execute("PRAGMA recursive_triggers = ON")


def _refuse_foreign_or_newer(db: Database) -> None:
    tables = set(db.table_names())
    if tables and "_sqlite_migrations" not in tables and "journey_log" not in tables:
        raise NotADatabase(
            "This file is an SQLite database but not a JourneyApp caseload; choose another file."
        )
    known = set(migrations.names())
    if "_sqlite_migrations" in tables:
        unknown = [m.name for m in migrations.applied(db) if m.name not in known]
        if unknown:
            raise DatabaseTooNew(unknown)


def _refuse_upgrade_beside_others(db: Database, name: str) -> None:
    """A reader cannot upgrade a caseload the window has open (it may be saving)."""
    if migrations.pending(db):
        raise DatabaseInUse(
            f"{name} was last saved by an older version of JourneyApp and must be upgraded "
            "before it can be read, which cannot happen while it is open in a JourneyApp "
            "window. Close the JourneyApp window for this caseload, then run the command again: "
            "it upgrades the caseload first. Nothing was changed."
        )


def read_only(db: Database, *, on: bool = True) -> None:
    """Make the connection a reader's (`on`): it refuses every change to the caseload file,
    so a reader cannot change it even by mistake ("not authorized"), and it reads one moment
    of the records, the last save before now, until it is made a writer's again (`on` False).

    Not `PRAGMA query_only`: that also refuses the temporary tables a reader works in (an
    export's pseudonyms). The moment is a read transaction held open: the window saves on
    beside it (write-ahead log), while every query of a report or export sees the same records.
    """
    conn = db.conn
    conn.set_authorizer(_reading if on else None)
    if on and not conn.in_transaction:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the moment starts here
    elif not on and conn.in_transaction:
        conn.execute("COMMIT")  # nothing written: ends the moment


_OK: int = sqlcipher.SQLITE_OK
_DENY: int = sqlcipher.SQLITE_DENY
# What changes the file, refused on a reader's connection (temporary tables are its own).
_CHANGES_ROWS = frozenset(
    {sqlcipher.SQLITE_INSERT, sqlcipher.SQLITE_UPDATE, sqlcipher.SQLITE_DELETE}
)
_CHANGES_SCHEMA = frozenset(
    {
        sqlcipher.SQLITE_CREATE_INDEX,
        sqlcipher.SQLITE_CREATE_TABLE,
        sqlcipher.SQLITE_CREATE_TRIGGER,
        sqlcipher.SQLITE_CREATE_VIEW,
        sqlcipher.SQLITE_CREATE_VTABLE,
        sqlcipher.SQLITE_DROP_INDEX,
        sqlcipher.SQLITE_DROP_TABLE,
        sqlcipher.SQLITE_DROP_TRIGGER,
        sqlcipher.SQLITE_DROP_VIEW,
        sqlcipher.SQLITE_DROP_VTABLE,
        sqlcipher.SQLITE_ALTER_TABLE,
        sqlcipher.SQLITE_REINDEX,
        sqlcipher.SQLITE_ANALYZE,
    }
)
# Pragmas that write the file when given a value, and those that write it (or move the log
# into it) whatever they are given.
_SETTING_WRITES = frozenset(
    {"application_id", "auto_vacuum", "journal_mode", "page_size", "rekey", "schema_version"}
    | {"user_version", "writable_schema"}
)
_ALWAYS_WRITES = frozenset({"incremental_vacuum", "optimize", "wal_checkpoint"})


def _reading(
    action: int, first: str | None, second: str | None, name: str | None, _: object
) -> int:
    """The reader's authorizer: SQLITE_DENY for what would change the caseload file."""
    if action in _CHANGES_ROWS:
        return _OK if name == "temp" else _DENY
    if action in _CHANGES_SCHEMA:
        return _DENY
    if action == sqlcipher.SQLITE_PRAGMA:
        pragma = (first or "").lower()
        if pragma in _ALWAYS_WRITES or (pragma in _SETTING_WRITES and second is not None):
            return _DENY
    return _OK


def schema_version(db: Database) -> list[str]:
    """The names of the migrations applied to this database, oldest first."""
    return [m.name for m in migrations.applied(db)]


def pending_migrations(db: Database) -> list[str]:
    """The migrations this version would apply to `db`."""
    return [m.name for m in migrations.pending(db)]


def setting(db: Database, key: str) -> str | None:
    """A value from the settings table."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_setting(db: Database, key: str, value: str) -> None:
    """Store a value in the settings table (inside the caller's transaction, if any)."""
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def _ensure_device_id(db: Database) -> None:
    if setting(db, "device_id") is None:
        import uuid  # here: only a new caseload needs it (uuid and platform load in 11 M instructions)

        with db.atomic():
            set_setting(db, "device_id", str(uuid.uuid4()))


def checkpoint(db: Database, *, wait: bool = True) -> None:
    """Copy the write-ahead log into the file and empty it. Without `wait` it takes no busy
    timeout: a reader on another connection (a backup) makes it do what it can at once."""
    if wait:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def integrity_problems(db: Database) -> list[str]:
    """`PRAGMA integrity_check` and foreign-key problems; an empty list means all is well."""
    rows = [str(r[0]) for r in db.execute("PRAGMA integrity_check").fetchall()]
    problems = [r for r in rows if r != "ok"]
    for row in db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"foreign key problem in {row[0]} row {row[1]}")
    return problems


# What opening checks: the schema and the small tables every open reads anyway. A whole-file
# check reads every page (seconds on a big caseload), so it runs later, off the window's way.
_QUICK_TABLES = ("sqlite_schema", "settings", "_sqlite_migrations")


def quick_problems(db: Database) -> list[str]:
    """A cheap check for opening: `PRAGMA quick_check` of the schema and the settings only
    (an encrypted file's pages read here also pass SQLCipher's page check)."""
    present = set(db.table_names())
    rows: list[str] = []
    try:
        for table in _QUICK_TABLES:
            if table == "sqlite_schema" or table in present:
                rows += [str(r[0]) for r in db.execute(f"PRAGMA quick_check({table})").fetchall()]
    except DatabaseError as exc:
        rows.append(str(exc))
    return [r for r in rows if r != "ok"]


def whole_file_problems(conn: sqlcipher.Connection | Database, *, encrypted: bool) -> list[str]:
    """Every page checked: `PRAGMA integrity_check`, SQLCipher's page check when encrypted,
    and foreign keys; an empty list means the file is whole."""
    execute = conn.execute
    rows: list[str] = []
    try:
        rows += [str(r[0]) for r in execute("PRAGMA integrity_check").fetchall()]
        if encrypted:
            rows += [str(r[0]) for r in execute("PRAGMA cipher_integrity_check").fetchall()]
        for row in execute("PRAGMA foreign_key_check").fetchall():
            rows.append(f"foreign key problem in {row[0]} row {row[1]}")
    except DatabaseError as exc:
        rows.append(str(exc))
    return [r for r in rows if r != "ok"]


# -- security (issue 6): file kinds, rekey, encrypting a plain file, plain connections ----------

# The first bytes of files people might pick by mistake, named in the message they get.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"\x89PNG", "a PNG picture"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip file or Office document"),
    (b"GIF8", "a GIF picture"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
# Every SQLite / SQLCipher file is whole pages; smaller or ragged files are damaged or foreign.
_MIN_PAGE = 512


class FileKind:
    """What is at a caseload path, judged from its header bytes and size (no key needed)."""

    MISSING = "missing"
    EMPTY = "empty"
    PLAIN = "plain"  # starts "SQLite format 3\0": unencrypted (demo or legacy)
    ENCRYPTED = "encrypted"  # whole pages of random-looking bytes: SQLCipher (or damaged)
    FOREIGN = "foreign"  # a known other format, or not a whole number of pages


def _looks_like(header: bytes) -> str:
    for magic, name in _FOREIGN_MAGIC:
        if header.startswith(magic):
            return name
    if all(32 <= b < 127 or b in b"\t\r\n" for b in header):
        return "a text file"
    return ""


def file_kind(path: Path | str) -> tuple[str, str]:
    """(kind, detail) for the file at `path`; detail names a foreign format when recognised.

    An SQLCipher file starts with a random 16-byte salt, so a short magic number can match
    it by chance (about 1 in 16 million for JPEG): a file of whole pages is therefore always
    given to the key check, and only ragged files are called foreign outright.
    """
    file = Path(path)
    if not file.exists():
        return FileKind.MISSING, ""
    if file.is_dir():
        return FileKind.FOREIGN, "a folder"
    size = file.stat().st_size
    if size == 0:
        return FileKind.EMPTY, ""
    header = _read_header(file)
    if header.startswith(SQLITE_HEADER):
        return FileKind.PLAIN, ""
    name = _looks_like(header)
    if size < _MIN_PAGE or size % _MIN_PAGE:
        return FileKind.FOREIGN, name or "not a whole caseload (it may have been cut short)"
    return FileKind.ENCRYPTED, name


def plain_connection(path: Path | str, key: str | bytes | None) -> sqlcipher.Connection:
    """A bare connection (keyed, no migrations, no writes) for checking backups and copies."""
    return _connect(str(path), key)


def key_opens(path: Path | str, key: str | bytes) -> bool:
    """True when `key` opens the encrypted file at `path` (reads the schema, writes nothing)."""
    conn = _connect(str(path), key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()
    return True


@contextmanager
def small_page_cache(db: Database) -> Iterator[None]:
    """A small page cache while every page is read once (an export), then the setting as it was.

    A page read once is never wanted from the cache again: a bigger cache only holds memory."""
    old = int(db.execute("PRAGMA cache_size").fetchone()[0])
    db.execute(f"PRAGMA cache_size = {SMALL_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {old}")


def reading_database(path: Path | str, key: str | bytes | None) -> Database:
    """A second connection, for reading, to a caseload another connection has open (a helper
    process writing part of an export): the usual settings, no migrations, nothing created."""
    if not Path(path).is_file():
        raise NotADatabase(f"There is no caseload at {path}; check the path.")
    conn = _connect(str(path), key)
    _configure(conn)
    return Database(conn)


def rekey(db: Database, new_key: str | bytes) -> None:
    """Re-encrypt an encrypted database with a new passphrase or raw key (PRAGMA rekey)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute(_key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def export_encrypted(db: Database, target: Path, key: str | bytes) -> None:
    """Write an encrypted copy of a (plain or encrypted) database through sqlcipher_export."""
    attach = _key_pragma(key).replace("PRAGMA key = ", "", 1)
    db.execute(f"ATTACH DATABASE ? AS encrypted_copy KEY {attach}", [str(target)])
    try:
        db.execute("SELECT sqlcipher_export('encrypted_copy')")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute(f"PRAGMA encrypted_copy.user_version = {int(version)}")
    finally:
        db.execute("DETACH DATABASE encrypted_copy")


def rekey_connection(path: Path | str, old: str | bytes, new: str | bytes) -> None:
    """Re-encrypt a closed database file (a backup) from key `old` to key `new`."""
    conn = _connect(str(path), old)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(_key_pragma(new).replace("PRAGMA key", "PRAGMA rekey", 1))
    finally:
        conn.close()
