"""A big file's digest worked out on every core, and started ahead: BLAKE3 over fixed parts.

A bundle merged whole is recognised by a digest of its file's bytes (store.merged_bundles). One
SHA-256 of a 1,000,000-event bundle (about 830 MB) took about 0.95 s of one core here (with the
CPU's SHA instructions), most of a re-merge; BLAKE3 (a cryptographic hash, 256 bits, like
SHA-256 no known way to find two inputs with the same digest) takes about 0.37 s, reading
included. The file is cut into parts of PART bytes (the last one shorter); each part's BLAKE3
is worked out by whichever thread takes it (the hash lets other threads run meanwhile), and the
digest is the BLAKE3 of this form's name, the file's size and the parts' digests in order. The
same bytes always give the same digest, whatever the number of threads; two files with the same
digest have the same size and the same bytes in every part, unless BLAKE3 itself has a
collision. Its text says which form it is (FORM, before a colon), so a digest of another form
(a plain SHA-256 noted by an earlier version) never matches one of this form.

Helper threads take parts in the background from the moment `begin` is called (the command
line starts it before the caseload and the libraries are loaded, as core.key_derivation does
the passphrase's key; the window while the bundle's passphrase is typed); a thread that needs
the digest takes the parts left instead of waiting.
Parts are read with plain reads (a memory map would end the process if the file shrank while
it was read) from the file as it was opened when the digest began, and the file is looked at
once more when every part is hashed (the same device, inode, size and modification time): a
file seen replaced, written to, grown or shrunk meanwhile gives no digest (OSError).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from blake3 import blake3

__all__ = ["FORM", "PART", "FileDigest", "ahead", "begin", "drop"]

PART = 16 << 20  # bytes per part: part of the digest's definition (FORM says it)
FORM = "blake3-parts-16MiB"
BLOCK = 1 << 20  # bytes read at a time by a thread (its buffer: read and hashed in its cache)
# Background threads hashing parts (all files together); a thread waiting for a digest helps.
HELPERS = max(1, min(3, (os.cpu_count() or 2) - 1))

_lock = threading.Lock()
_queue: list[FileDigest] = []  # digests begun whose parts are not all taken yet, oldest first
_running = 0  # helper threads running now
_ahead: dict[str, FileDigest] = {}  # begun ahead (`ahead`), for the `begin` that takes them
_buffers = threading.local()


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class FileDigest:
    """The digest of one file, being worked out: `result` gives it (helping to finish it),
    `cancel` stops it when nobody will ask."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # Read through one descriptor where parts can be read at an offset without moving a
        # shared position (os.preadv: one call per part, so a helper waits for the
        # interpreter's lock twice per part, not at every step of opening the file again).
        self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            self.identity = _identity(os.fstat(self._fd))
        except OSError:
            os.close(self._fd)
            raise
        self.size = self.identity[2]
        self._parts: list[bytes | None] = [None] * -(-self.size // PART)
        self._next = 0  # the first part nobody has taken
        self._busy = 0  # parts being hashed now
        self._error: OSError | None = None
        self._cancelled = False
        self._value: str | None = None
        self._changed = threading.Condition()

    def _take(self) -> int | None:
        with self._changed:
            if self._cancelled or self._error is not None or self._next >= len(self._parts):
                return None
            self._busy += 1
            self._next += 1
            return self._next - 1

    def has_parts_left(self) -> bool:
        """Whether some part is not taken yet (and the digest still wanted)."""
        with self._changed:
            return not self._cancelled and self._error is None and self._next < len(self._parts)

    def hash_one(self) -> bool:
        """Take the next part and hash it on this thread; False: none was left."""
        number = self._take()
        if number is None:
            return False
        digest: bytes | None = None
        error: OSError | None = None
        try:
            digest = self._hash_part(number)
        except OSError as exc:
            error = exc
        with self._changed:
            self._busy -= 1
            if digest is not None:
                self._parts[number] = digest
            elif self._error is None:
                self._error = error
            self._close_when_done()
            self._changed.notify_all()
        return True

    def _close_when_done(self) -> None:
        """Close the descriptor once no part will be read any more (holding `_changed`)."""
        if self._fd >= 0 and not self._busy and not self.has_parts_left():
            os.close(self._fd)
            self._fd = -1

    def _hash_part(self, number: int) -> bytes:
        start = number * PART
        end = min(start + PART, self.size)
        buffer: bytearray | None = getattr(_buffers, "buffer", None)
        if buffer is None:
            buffer = _buffers.buffer = bytearray(BLOCK)
        view = memoryview(buffer)
        digest = blake3()
        if hasattr(os, "preadv"):
            at = start
            while at < end and (read := os.preadv(self._fd, [view[: min(BLOCK, end - at)]], at)):
                digest.update(view[:read])  # (update lets other threads run while it hashes)
                at += read
        else:  # (Windows) the file opened for this part alone, and checked to be the same
            with self.path.open("rb", buffering=0) as handle:
                if _identity(os.fstat(handle.fileno())) != self.identity:
                    raise OSError(f"{self.path.name} changed while its digest was worked out")
                at = handle.seek(start)
                while at < end and (read := handle.readinto(view[: min(BLOCK, end - at)])):
                    digest.update(view[:read])
                    at += read
        if at < end:
            raise OSError(f"{self.path.name} shrank while its digest was worked out")
        return digest.digest()

    def result(self) -> str:
        """The digest ("FORM:hex"), once every part is hashed (this thread hashes the parts
        nobody has taken yet); OSError when the file could not be read whole as it was begun,
        or the digest was cancelled."""
        while self.hash_one():
            pass
        vars(_buffers).pop("buffer", None)  # this thread's part buffer: not kept after
        with self._changed:
            while self._busy:
                self._changed.wait()
            self._close_when_done()
            if self._value is None:
                try:
                    still = _identity(os.stat(self.path)) == self.identity
                except OSError:
                    still = False
                if self._error is not None:
                    raise self._error
                if self._cancelled:
                    raise OSError(f"the digest of {self.path.name} was cancelled")
                if not still:
                    raise OSError(f"{self.path.name} changed while its digest was worked out")
                whole = blake3(f"{FORM}\0".encode() + self.size.to_bytes(8, "big"))
                for part in self._parts:
                    assert part is not None
                    whole.update(part)
                self._value = f"{FORM}:{whole.hexdigest()}"
            return self._value

    def cancelled(self) -> bool:
        """Whether `cancel` was called (its result will never come)."""
        with self._changed:
            return self._cancelled

    def cancel(self) -> None:
        """Take no more parts (those being hashed finish); `result` then raises OSError."""
        with self._changed:
            if self._value is None:
                self._cancelled = True
            self._close_when_done()


def _help() -> None:
    """A helper thread: hash the oldest digest's parts until no digest has any left."""
    global _running
    while True:
        with _lock:
            while _queue and not _queue[0].has_parts_left():
                del _queue[0]
            if not _queue:
                _running -= 1
                return
            job = _queue[0]
        job.hash_one()


def _start(path: Path) -> FileDigest:
    global _running
    job = FileDigest(path)
    with _lock:
        _queue.append(job)
        more = HELPERS - _running
        _running += more
    for _ in range(more):
        threading.Thread(target=_help, name="file-digest", daemon=True).start()
    return job


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def ahead(path: Path | str) -> None:
    """Start the digest of the file at `path` now, on background threads, for the `begin` that
    will ask for it (a file that cannot be read is left to it). A digest already started ahead
    for this very file (the command line's first lines start it before the command is known) is
    kept, not started again."""
    path = Path(path)
    with _lock:
        early = _ahead.get(_key(path))
    if early is not None and not early.cancelled():
        try:
            if _identity(os.stat(path)) == early.identity:
                return
        except OSError:
            pass
    try:
        job = _start(path)
    except OSError:
        return
    with _lock:
        earlier = _ahead.pop(_key(job.path), None)
        _ahead[_key(job.path)] = job
    if earlier is not None:
        earlier.cancel()


def begin(path: Path | str) -> FileDigest:
    """The digest of the file at `path`, started now on background threads, or the one started
    `ahead` for this very file (still the same file: device, inode, size and modification
    time), which only this call takes. OSError when the file cannot be looked at."""
    path = Path(path)
    with _lock:
        early = _ahead.pop(_key(path), None)
    if early is not None:
        try:
            same = _identity(os.stat(path)) == early.identity
        except OSError:
            same = False
        if same:
            return early
        early.cancel()
    return _start(path)


def drop(path: Path | str) -> None:
    """Stop the digest begun `ahead` for the file at `path`, when nobody will ask for it."""
    with _lock:
        early = _ahead.pop(_key(Path(path)), None)
    if early is not None:
        early.cancel()
