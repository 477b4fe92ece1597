"""The key derived ahead (core.key_derivation) is exactly SQLCipher's own, and paid for once."""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.core import key_derivation
from journeyapp.core.errors import WrongPassphrase

# Composed on purpose: the store gives SQLCipher the NFC form of what is typed.
PHRASE = unicodedata.normalize("NFC", "Caf\u00e9 au lait on the long river path")


def _native_file(path: Path, phrase: str) -> None:
    """An encrypted file keyed by SQLCipher itself (its own key derivation)."""
    conn = sqlcipher.connect(str(path))
    conn.execute("PRAGMA key = '" + phrase.replace("'", "''") + "'")
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.commit()
    conn.close()


def _reads_with(path: Path, raw: bytes) -> bool:
    conn = sqlcipher.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{raw.hex()}'\"")
    conn.execute("PRAGMA cipher_compatibility = 4")
    try:
        return bool(conn.execute("SELECT x FROM t").fetchone() == (42,))
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()


def _of(path: Path, derivations: list[bytes]) -> int:
    """How many of the derivations seen were for the file at `path` (a derivation begun by an
    earlier test's open may still finish during this one: it has another file's salt)."""
    salt = path.read_bytes()[:16]
    return sum(1 for seen in derivations if seen == salt)


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Records the salt of each key derivation done from now on (none remembered from
    earlier tests)."""
    monkeypatch.setattr(key_derivation, "_keys", {})
    seen: list[bytes] = []
    real = hashlib.pbkdf2_hmac

    def counting(name: str, secret: bytes, salt: bytes, rounds: int, size: int) -> bytes:
        seen.append(salt)
        return real(name, secret, salt, rounds, size)

    # On hashlib itself: key_derivation imports it when it first derives a key.
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return seen


def test_the_derived_key_is_the_one_sqlcipher_derives(tmp_path: Path) -> None:
    path = tmp_path / "native.db"
    _native_file(path, PHRASE)
    raw = key_derivation.raw_key(path, PHRASE)
    assert raw is not None
    assert len(raw) == 48
    assert _reads_with(path, raw)
    # The same words typed in another Unicode form give the same key (NFC, as the store does).
    decomposed = unicodedata.normalize("NFD", PHRASE)
    assert decomposed != PHRASE
    assert key_derivation.raw_key(path, decomposed) == raw
    wrong = key_derivation.raw_key(path, PHRASE + "!")
    assert wrong is not None
    assert not _reads_with(path, wrong)


def test_no_key_for_a_missing_empty_or_plain_file(tmp_path: Path) -> None:
    assert key_derivation.raw_key(tmp_path / "missing.db", PHRASE) is None
    (tmp_path / "empty.db").write_bytes(b"")
    assert key_derivation.raw_key(tmp_path / "empty.db", PHRASE) is None
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    assert key_derivation.raw_key(plain, PHRASE) is None


def test_a_caseload_derives_its_key_once_for_all_its_connections(
    tmp_path: Path, derivations: list[bytes]
) -> None:
    path = tmp_path / "caseload.db"
    Caseload.open(path, PHRASE, create=True).close()  # made by SQLCipher: nothing derived
    assert _of(path, derivations) == 0
    caseload = Caseload.open(path, PHRASE, exclusive=True)
    other = caseload.reopen()  # a worker's connection, as the whole-file check makes
    assert caseload.safety.whole_file_check() == []
    assert caseload.safety.check_passphrase(PHRASE)
    other.close()
    caseload.close()
    assert _of(path, derivations) == 1
    with pytest.raises(WrongPassphrase):
        Caseload.open(path, "not the passphrase at all, sorry")


def test_a_derivation_begun_early_is_the_one_used(tmp_path: Path, derivations: list[bytes]) -> None:
    path = tmp_path / "caseload.db"
    Caseload.open(path, PHRASE, create=True).close()
    key_derivation.begin(path, PHRASE)  # as the window's start does, before loading its code
    caseload = Caseload.open(path, PHRASE)
    assert caseload.caseload() == []
    caseload.close()
    assert _of(path, derivations) == 1


def test_closing_the_caseload_forgets_its_derived_key(
    tmp_path: Path, derivations: list[bytes]
) -> None:
    path = tmp_path / "caseload.db"
    Caseload.open(path, PHRASE, create=True).close()
    caseload = Caseload.open(path, PHRASE)
    caseload.reopen().close()  # a worker's connection derives the shared key
    salt = path.read_bytes()[:16]
    assert any(seen == salt for _, seen in key_derivation._keys)  # held while it is open
    caseload.close()
    assert not any(seen == salt for _, seen in key_derivation._keys)
    assert _of(path, derivations) == 1


def test_opening_leaves_the_key_to_sqlcipher_until_another_connection_needs_it(
    tmp_path: Path, derivations: list[bytes]
) -> None:
    """Unlocking derives the key once, in SQLCipher (faster than hashlib here); the raw key
    the later connections share is derived by the first of them, after the window is up."""
    path = tmp_path / "caseload.db"
    Caseload.open(path, PHRASE, create=True).close()
    caseload = Caseload.open(path, PHRASE, exclusive=True)
    assert _of(path, derivations) == 0
    assert key_derivation.derived(path, PHRASE) is None  # asking derives nothing
    assert _of(path, derivations) == 0
    other = caseload.reopen()
    assert _of(path, derivations) == 1
    assert key_derivation.derived(path, PHRASE) == key_derivation.raw_key(path, PHRASE)
    other.close()
    caseload.close()
    assert _of(path, derivations) == 1


def test_derived_waits_for_a_derivation_begun_early(
    tmp_path: Path, derivations: list[bytes]
) -> None:
    path = tmp_path / "native.db"
    _native_file(path, PHRASE)
    key_derivation.begin(path, PHRASE)
    raw = key_derivation.derived(path, PHRASE)
    assert raw is not None
    assert _reads_with(path, raw)
    assert _of(path, derivations) == 1
