"""Caseload: the façade the window and the command line share, and the only way to open one.

In the way Anki's collection hands areas to managers, the façade stays small: it opens and
closes the file, holds the clock, runs each use case as one transaction (listeners hear a
Changes value after commit, never before) and hands out `safety` (passphrase, backups,
erasure, checks), `exchange` (merges, decisions, the journey log, pseudonyms), `settings`
and `areas` (the partnership's postcode lookup).
The record use cases (`enrol_participant`, `log_contact`, …) and reads (`journey`, …) come
from its mixins in records.py and queries.py.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from journeyapp import paths
from journeyapp.caseload.monitoring import MonitoringUseCases
from journeyapp.caseload.safety import (
    CheckLevel,
    Safety,
    describe,
    key_for_opening,
    tidy_leftovers,
    wrong_passphrase_message,
)
from journeyapp.caseload.settings import Settings
from journeyapp.caseload.undo import Txn, Undo, UndoEntry, UndoHistory, reverse
from journeyapp.core import key_derivation
from journeyapp.core.access import Access
from journeyapp.core.catalogue import Catalogue, load_catalogue
from journeyapp.core.changes import Changes
from journeyapp.core.clock import iso_utc, wall_clock
from journeyapp.core.errors import (
    DatabaseInUse,
    NotFound,
    StorageError,
    ValidationError,
    WrongPassphrase,
)
from journeyapp.core.file_names import caseload_file
from journeyapp.core.file_trouble import moved_away, storage_error
from journeyapp.core.lazy_log import LazyLogger
from journeyapp.core.records import new_event_id, new_id
from journeyapp.store import db as store_db
from journeyapp.store import records as store
from journeyapp.store.db import Database, DatabaseError, FileKind, open_database
from journeyapp.store.filelock import CaseloadLock, in_use_message

if TYPE_CHECKING:
    from journeyapp.caseload.areas import Areas
    from journeyapp.caseload.exchange import Exchange
    from journeyapp.core.codes import Codes

Listener = Callable[[Changes], None]
Clock = Callable[[], datetime]

log = LazyLogger("journeyapp.security")  # logging loaded only when needed


class Caseload(MonitoringUseCases):
    """Everything a keyworker can do with their records. The UI and the CLI call this; neither sees SQL."""

    def __init__(
        self,
        db: Database,
        catalogue: Catalogue | None = None,
        *,
        actor: str = "keyworker",
        clock: Clock | None = None,
        path: Path | None = None,
        key: str | bytes | None = None,
        access: Access = Access.WRITE,
    ) -> None:
        self.db = db
        # How this program has the caseload open (core.access): a reader saves nothing
        # while the window has the caseload open (`saving`).
        self.access = access
        self._refusing_writes = False  # True once a reader's connection refuses writes
        self._closed = False
        self.catalogue = catalogue if catalogue is not None else default_catalogue()
        self.actor = actor
        # The one source of "now" (and so of today()); tests set a fixed, ticking clock.
        self.clock: Clock = clock or wall_clock
        self.path = path
        # The key is held in memory only for the session (backups are encrypted with it).
        self._key = key
        self._hold: CaseloadLock | None = None
        self.device_id = store_db.setting(db, "device_id") or "unknown-device"
        self._listeners: list[Listener] = []
        self._txn: Txn | None = None
        self._history = UndoHistory()
        self.safety = Safety(self)
        self.settings = Settings(self)
        if actor == "keyworker":
            # The journey log names who made each change: the keyworker's name from Settings.
            self.actor = self.settings.sender().keyworker or actor

    @functools.cached_property
    def codes(self) -> Codes:
        """The answer codes behind the funder's return (resources/codes.toml or
        $JOURNEYAPP_CODES): read when first used (validating a record, the return, a parent's
        background), not to open the window (7 ms of its start, issue 18)."""
        return default_codes()

    # `exchange` and `areas` are made when first used: their modules (bundles, merges, the
    # journal) are not loaded to open the window (issue 18).
    @functools.cached_property
    def exchange(self) -> Exchange:
        """Merges, decisions, the journey log and pseudonyms."""
        from journeyapp.caseload.exchange import Exchange

        return Exchange(self)

    @functools.cached_property
    def areas(self) -> Areas:
        """The partnership's postcode lookup."""
        from journeyapp.caseload.areas import Areas

        return Areas(self)

    @classmethod
    def open(
        cls,
        path: Path | str | None,
        key: str | bytes | None = None,
        *,
        create: bool = False,
        access: Access = Access.WRITE,
        exclusive: bool = False,
        check: CheckLevel = "quick",
        demo: bool = False,
        plain: bool = False,
        catalogue: Catalogue | None = None,
        actor: str = "keyworker",
        clock: Clock | None = None,
    ) -> Caseload:
        """Open the caseload at `path`: the only way to open or create one.

        `access` says who may have it open beside this program (core.access.Access): the
        window opens it as WINDOW, a command that only reads as READ (beside the window), one
        that may save as WRITE, a whole-file change as WHOLE. It refuses clearly when the file
        is in use that way, foreign, empty, damaged, encrypted without a passphrase, or the
        passphrase is wrong. A reader beside the window writes nothing: it is refused when the
        file needs an upgrade or parents erased again first. A plain (demo or older) file
        opens without a key whatever `key` is. With `create`, a missing file becomes a new caseload encrypted
        with `key`, which is then required, unless `demo` (fictional people, marked DEMO) or
        `plain` (an unencrypted file, for tests and tools only) asks for an unencrypted one.
        `check` is "quick" (the header, the key, the schema and the settings pages: cheap),
        "full" (every page, as `journeyapp check` does) or "none"; run the whole-file check
        later with `caseload.safety.whole_file_check()`. `path` None is a private in-memory
        caseload (tests). `exclusive=True` is `access=Access.WINDOW` (as callers from before
        Access say it).
        """
        if exclusive:
            access = Access.WINDOW
        if path is None:
            return cls(open_database(None), catalogue, actor=actor, clock=clock)
        path = caseload_file(Path(path))
        state = describe(path)
        key = key_for_opening(path, state, key, create=create, unencrypted=demo or plain)
        if catalogue is None:
            catalogue = default_catalogue()
        tidy_leftovers(path)  # what a killed run left beside it (issue 17)
        lock = CaseloadLock(path, access).acquire()
        try:
            # A reader upgrades the file, or erases again parents a restore brought back, only
            # while the window does not have it open, holding it meanwhile as a command that
            # saves does; then it holds it as a reader only, so a window may open beside it.
            may_save = access.saves or lock.try_write()
            try:
                # The key is derived by SQLCipher for this connection (unless a start-up began
                # it earlier: cli), which is faster than hashlib's; the raw key later
                # connections share (backups, checks, prefetch, all after the window is up)
                # is derived by the first of them, off the window's thread (issue 13).
                db = open_database(path, key, create=create, derive=False, saving=may_save)
            except WrongPassphrase:
                log.info("wrong passphrase for a caseload")
                raise WrongPassphrase(wrong_passphrase_message(path, state.detail)) from None
            caseload = cls(
                db, catalogue, actor=actor, clock=clock, path=path, key=key, access=access
            )
            caseload._hold = lock
            if state.kind == FileKind.MISSING and demo:
                caseload.mark_demo()
            elif state.kind != FileKind.MISSING and check != "none":
                caseload.safety.check_at_open(check)
            if state.kind != FileKind.MISSING:
                try:
                    # A restored or copied-back file may hold parents erased since: erase
                    # them again before anyone sees them (issue 17).
                    caseload.safety.reapply_erasures()
                except BaseException:
                    caseload.close()
                    raise
            if not access.saves:
                caseload._refuse_writes(True)
                lock.stop_write()
        except BaseException:
            lock.release()
            raise
        log.info("caseload opened (encrypted=%s, demo=%s)", caseload.is_encrypted, caseload.is_demo)
        return caseload

    def reopen(self) -> Caseload:
        """Another connection to this caseload's file, for work on another thread (an SQLite
        connection is used by one thread at a time): same key, catalogue, actor and clock.

        It shares the file lock this caseload holds (none of its own), and closing it leaves
        the write-ahead log to this connection (a checkpoint from there would hold up this
        one's saves). Its changes reach this caseload's listeners through `changed_elsewhere`.
        """
        if self.path is None:
            raise ValidationError("An in-memory caseload cannot be opened a second time.")
        try:
            db = open_database(self.path, self._key, create=False, saving=self.may_save)
        except WrongPassphrase:
            raise WrongPassphrase(wrong_passphrase_message(self.path, "")) from None
        other = Caseload(
            db,
            self.catalogue,
            actor=self.actor,
            clock=self.clock,
            path=self.path,
            key=self._key,
            access=self.access,
        )
        other._secondary = True
        if not self.access.saves:
            other._refuse_writes(True)
        return other

    def changed_elsewhere(self, changes: Changes) -> None:
        """Tell this caseload's listeners about changes committed on another connection
        (`reopen()`); the undo history is cleared, as after any write that cannot be undone."""
        if changes:
            self._history.clear()
            self._notify(changes)

    _secondary = False

    def close(self) -> None:
        """Checkpoint the write-ahead log, close the database and let go of the file lock."""
        if self._closed:
            return
        if not self._secondary:
            if self.access.saves:
                # A reader leaves the log to the programs that save (a checkpoint would hold
                # up their saves); the last connection to close empties it anyway.
                with suppress(DatabaseError):
                    store_db.checkpoint(self.db)
            key_derivation.forget()  # the derived key goes with the caseload
        self.db.close()
        self._closed = True
        hold, self._hold = self._hold, None
        if hold is not None:
            hold.release()

    def today(self) -> date:
        """Today's date in local time, from the caseload's clock."""
        return self.clock().astimezone().date()

    def now_text(self) -> str:
        """The clock's time as the ISO-8601 UTC text records and events carry."""
        return iso_utc(self.clock())

    def last_saved_here(self) -> datetime | None:
        """When this laptop last saved to the caseload, by its clock then (None: never, or
        not lately: a coordinator's merged events)."""
        from journeyapp.store.queries import last_saved_here

        last = last_saved_here(self.db, self.device_id)
        try:
            saved = datetime.fromisoformat(last.replace("Z", "+00:00")) if last else None
        except ValueError:
            return None
        return saved if saved is not None and saved.tzinfo is not None else None

    def clock_behind(self) -> str | None:
        """What to say when the clock is behind the last save made on this laptop: put back,
        or lost its time. None when it is not. (The window keeps the latest save it has seen
        in a session, so a save made with the clock put back does not hide it.)"""
        from journeyapp.core.dates import clock_behind_words

        saved = self.last_saved_here()
        return None if saved is None else clock_behind_words(self.clock(), saved)

    @property
    def moved_away(self) -> bool:
        """True when the file this caseload has open is no longer at its path (moved, renamed
        or deleted while open): saves are refused, and only this connection can still read
        what it holds (a backup made from it keeps everything saved)."""
        return self.path is not None and not store_db.still_at(self.db, self.path)

    @property
    def is_closed(self) -> bool:
        """True once `close()` has been called."""
        return self._closed

    @property
    def is_demo(self) -> bool:
        """True for a demo caseload (made by `journeyapp demo`), which holds no real people."""
        return store_db.setting(self.db, "demo") == "1"

    @property
    def is_encrypted(self) -> bool:
        """True when the caseload file is encrypted (opened with a passphrase or key)."""
        return self._key is not None

    def mark_demo(self) -> None:
        """Mark this caseload as demo data (shown as DEMO everywhere)."""
        with self.saving(), self.db.atomic():
            store_db.set_setting(self.db, "demo", "1")

    def schema_version(self) -> list[str]:
        """The migrations applied to this caseload."""
        return store_db.schema_version(self.db)

    # -- listeners and transactions ------------------------------------------------------------

    @property
    def may_save(self) -> bool:
        """True when this program may save now: it opened the caseload to save, or it reads
        and holds it meanwhile as a command that saves (during `saving`)."""
        return self.access.saves or (self._hold is not None and self._hold.writing)

    @contextmanager
    def saving(self) -> Iterator[None]:
        """Allow this block to save. A reader (Access.READ) may only while it holds the
        caseload as a command that saves (so not while the window has it open: DatabaseInUse,
        with nothing changed). The one gate for every write a reader could make; a save the
        file refuses (a read-only caseload, a full disk) is told as a use case's is."""
        if self.path is not None and self.moved_away:
            raise StorageError(moved_away(self.path))
        try:
            with self._may_save():
                yield
        except DatabaseError as exc:
            where = self.path or Path("caseload.db")
            raise storage_error(exc, where, "save", after="Nothing was changed.") from None

    @contextmanager
    def _may_save(self) -> Iterator[None]:
        if self.access.saves:
            yield
            return
        hold = self._hold
        already = hold is not None and hold.writing
        if hold is None or not (already or hold.try_write()):
            raise DatabaseInUse(in_use_message(self.path or Path("caseload.db"), Access.WRITE))
        refusing = self._refusing_writes
        self._refuse_writes(False)
        try:
            yield
        finally:
            self._refuse_writes(refusing)
            if not already:
                hold.stop_write()

    @contextmanager
    def whole_file(self) -> Iterator[None]:
        """Keep out the commands reading beside the window, too, while this block changes the
        whole file (a new passphrase, an erasure): they must not read on in a moment of it
        that is being rewritten or erased. DatabaseInUse, nothing done, while one reads."""
        if self._hold is None:
            yield
            return
        with self._hold.whole_file():
            yield

    def _refuse_writes(self, on: bool) -> None:
        store_db.read_only(self.db, on=on)
        self._refusing_writes = on

    def subscribe(self, listener: Listener) -> None:
        """Call `listener(changes)` after every committed use case."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def _write(self, description: str, *, undo: Undo = Undo.UNDOABLE) -> Iterator[Txn]:
        """One use case: one transaction, then (after commit) undo bookkeeping and notification.

        A write that cannot be undone clears the undo history (Anki's rule), so an undo can
        never reach past it: nested inside another use case, it makes the whole one so.
        """
        if self._txn is not None:  # nested use case (e.g. inside batch()): join the outer one
            if undo is Undo.IRREVERSIBLE:
                self._txn.irreversible = True
            yield self._txn
            return
        ctx = store.EventContext(
            device_id=self.device_id,
            actor=self.actor,
            at=self.now_text(),
            txn=new_id(),  # as str(uuid.uuid4()), without loading uuid to open the window
            event_ids=(new_event_id() for _ in itertools.count()),
        )
        txn = Txn(ctx, irreversible=undo is Undo.IRREVERSIBLE)
        self._txn = txn
        try:
            with self.saving(), self.db.atomic():
                yield txn
                # Whatever the write was (a use case, an undo, a merge, a decision, an import):
                # no equalities answers stay without the consent to keep them.
                if txn.participants and txn.kinds & {"equalities", "consents"}:
                    self._drop_unconsented_equalities(txn)
        except DatabaseError as exc:
            where = self.path or Path("caseload.db")
            raise storage_error(exc, where, "save", after="Nothing was changed.") from None
        finally:
            self._txn = None
        if txn.irreversible:
            self._history.clear()
        elif undo is Undo.UNDOABLE and txn.inverse:
            self._history.push(
                UndoEntry(description, tuple(txn.inverse), frozenset(txn.participants))
            )
        self._notify(Changes(frozenset(txn.kinds), frozenset(txn.participants), description))

    @contextmanager
    def batch(self, description: str = "import") -> Iterator[None]:
        """Run many use cases as one transaction (imports, demo data): all or nothing, and
        not undoable (so it clears the undo history)."""
        # The larger page cache outlives the transaction's chunks (and is given back after
        # the commit), which keeps a big batch linear in its size.
        with store.larger_page_cache(self.db), self._write(description, undo=Undo.IRREVERSIBLE):
            yield

    def _notify(self, changes: Changes) -> None:
        if changes:
            for listener in list(self._listeners):
                listener(changes)

    # -- undo --------------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        """True when there is a change made in this session that can be undone."""
        return bool(self._history)

    @property
    def undo_description(self) -> str:
        """What Undo would undo ("log contact"), or ""."""
        last = self._history.last
        return last.description if last is not None else ""

    @property
    def undo_participants(self) -> frozenset[str]:
        """Whose journeys Undo would change (ids; empty for nobody's, e.g. a group session's
        feedback)."""
        last = self._history.last
        return last.participants if last is not None else frozenset()

    def undo(self) -> str:
        """Undo the last change made in this session (recorded as new journey-log events)."""
        entry = self._history.last
        if entry is None:
            raise ValidationError("There is nothing to undo.")
        with self._write(f"undo {entry.description}", undo=Undo.UNDOING) as txn:
            for op in reversed(entry.ops):
                reverse(self.db, op, txn)
        self._history.pop()
        return entry.description

    def forget_undo(self) -> None:
        """Clear the undo history (after a change made outside the use cases: a passphrase
        change, an erasure); nothing before it can be undone any more."""
        self._history.clear()


def default_catalogue() -> Catalogue:
    """The partnership catalogue from $JOURNEYAPP_CATALOGUE, or the bundled default."""
    _named_by(paths.CATALOGUE_ENV, "the partnership's catalogue file")
    return load_catalogue(paths.catalogue_path())


def _named_by(variable: str, what: str) -> None:
    """Refuse a setting file variable set to spaces only: it names no file, and the default
    in its place would be read as the partnership's own without a word."""
    import os

    value = os.environ.get(variable)
    if value is not None and value and not value.strip():
        raise ValidationError(
            f"${variable} is set to spaces only: set it to {what}, or unset it to use the default."
        )


_CODES: dict[Path, Codes] = {}


def default_codes() -> Codes:
    """The answer codes from $JOURNEYAPP_CODES, or the bundled default (read once per file)."""
    _named_by(paths.CODES_ENV, "the partnership's answer codes file")
    path = paths.codes_path()
    if path not in _CODES:
        from journeyapp.core.codes import load_codes  # only once codes are used (issue 18)

        _CODES[path] = load_codes(path)
    return _CODES[path]


__all__ = ["Caseload", "CheckLevel", "Clock", "NotFound", "default_catalogue"]
