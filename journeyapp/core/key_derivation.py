"""SQLCipher 4's key derivation done ahead and once: a passphrase becomes the file's raw key.

Opening an encrypted caseload costs one PBKDF2-HMAC-SHA512 of 256,000 rounds (about a quarter
of a second, on purpose). SQLCipher pays it again for every connection: the window's, then the
whole-file check's and the start-up backup's on their own threads. Derived here with hashlib
(which lets other threads run meanwhile), the key is paid for once per passphrase and file
salt, and can be started before the window's code has loaded, so the two overlap. The result
is exactly what SQLCipher derives itself (its version 4 settings, which every caseload uses):
a wrong passphrase still gives a key that does not open the file.
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from journeyapp.core import held_files

__all__ = ["begin", "derived", "forget", "raw_key"]

# SQLCipher 4's defaults (PRAGMA cipher_compatibility = 4).
ROUNDS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
PLAIN_HEADER = b"SQLite format 3\x00"
KEEP = 8  # derived keys kept (a session uses one or two; wrong guesses add more)

_lock = threading.Lock()
_keys: dict[tuple[bytes, bytes], bytes] = {}
_pending: dict[tuple[bytes, bytes], threading.Event] = {}


def _salt(path: Path) -> bytes | None:
    """The salt SQLCipher keeps in the first bytes of an encrypted file (None: no such file,
    a file too short to have one yet, or a plain SQLite file)."""
    try:
        head = held_files.head(path, SALT_BYTES)  # never dropping this process's locks on it
    except OSError:
        return None
    if len(head) < SALT_BYTES or head == PLAIN_HEADER:
        return None
    return head


def _derive(secret: bytes, salt: bytes) -> bytes:
    slot = (secret, salt)
    with _lock:
        if slot in _keys:
            return _keys[slot]
        waiting = _pending.get(slot)
        if waiting is None:
            _pending[slot] = threading.Event()
    if waiting is not None:  # another thread is deriving this very key: wait for it
        waiting.wait()
        with _lock:
            if slot in _keys:
                return _keys[slot]
        return _derive(secret, salt)
    try:
        # Imported here: a caseload without a passphrase never loads OpenSSL (issue 18).
        import hashlib

        key = hashlib.pbkdf2_hmac("sha512", secret, salt, ROUNDS, KEY_BYTES)
        with _lock:
            while len(_keys) >= KEEP:
                del _keys[next(iter(_keys))]
            _keys[slot] = key
        return key
    finally:
        with _lock:
            _pending.pop(slot).set()


def _secret(passphrase: str) -> bytes:
    # As the store gives it to SQLCipher: NFC, so the same passphrase typed anywhere matches.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def raw_key(path: Path | str, passphrase: str) -> bytes | None:
    """The raw key and salt (48 bytes, for `PRAGMA key = "x'…'"`) that `passphrase` gives the
    encrypted file at `path`, derived now or taken from an earlier derivation; None when the
    file has no salt yet (it is being made, or is plain)."""
    salt = _salt(Path(path))
    if salt is None:
        return None
    return _derive(_secret(passphrase), salt) + salt


def derived(path: Path | str, passphrase: str) -> bytes | None:
    """The raw key and salt for `passphrase` and the file at `path` when it has been derived
    already or is being derived now (`begin`; then this waits for it), else None without
    deriving anything: the caller gives SQLCipher the passphrase, which derives it faster
    (its own OpenSSL: about 80 ms where hashlib here takes 100 ms), for that connection alone."""
    salt = _salt(Path(path))
    if salt is None:
        return None
    slot = (_secret(passphrase), salt)
    with _lock:
        waiting = _pending.get(slot)
    if waiting is not None:
        waiting.wait()
    with _lock:
        key = _keys.get(slot)
    return None if key is None else key + salt


def begin(path: Path | str, passphrase: str) -> None:
    """Start deriving the key of the file at `path` on a thread of its own, so that opening it
    later finds the key ready (a start-up loads the window's code meanwhile)."""
    salt = _salt(Path(path))
    if salt is not None:
        secret = _secret(passphrase)
        threading.Thread(target=_derive, args=(secret, salt), daemon=True).start()


def forget() -> None:
    """Drop every key derived so far (a caseload closed: its key is not kept past it)."""
    with _lock:
        _keys.clear()
