"""Encryption at rest: no plaintext in the file, its WAL or its backups; wrong keys refused and
the file left byte-identical; rekey; the header tells plain from encrypted."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import Unlocker, describe
from journeyapp.core.errors import NotADatabase, PassphraseNeeded, WrongPassphrase
from journeyapp.core.passphrase import Throttle
from journeyapp.store.db import SQLITE_HEADER, FileKind
from tests.store.test_erasure import CANARY, _enrol_canary, _hits

KEY = bytes(range(32))  # a raw key skips the deliberately slow key derivation


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "secret.db"
    caseload = Caseload.open(path, KEY, create=True)
    for i in range(3):
        caseload.enrol_participant(f"Parent {i}", "fife")
    caseload.close()
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_canary_never_appears_in_the_file_its_wal_or_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    caseload = Caseload.open(path, KEY, create=True)
    _enrol_canary(caseload)
    wal = Path(f"{path}-wal")
    assert wal.exists()
    assert wal.stat().st_size > 0, "the WAL must be checked while it has data"
    assert _hits(wal.read_bytes()) == []
    assert _hits(path.read_bytes()) == []
    made = caseload.safety.backup()
    caseload.close()
    assert _hits(path.read_bytes()) == []
    backup = made.path.read_bytes()
    assert backup[:16] != SQLITE_HEADER
    assert _hits(backup) == []
    assert made.encrypted
    assert made.parents == 1
    # The plain control: the same writes unencrypted do show the canary (so the scan works).
    plain = Caseload.open(tmp_path / "plain.db", create=True, plain=True)
    _enrol_canary(plain)
    plain.close()
    assert _hits((tmp_path / "plain.db").read_bytes())
    assert CANARY


def test_a_thousand_wrong_keys_are_refused_and_the_file_is_untouched(encrypted: Path) -> None:
    before = _sha(encrypted)
    slept: list[float] = []
    clock = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    unlocker = Unlocker(
        encrypted, Throttle(free=3, base=1.0, cap=60.0, sleep=sleep, clock=lambda: clock[0])
    )
    rng = random.Random(6)
    refused = 0
    for _ in range(1000):
        wrong = bytes(rng.randrange(256) for _ in range(32))
        if wrong == KEY:
            continue
        with pytest.raises(WrongPassphrase, match="does not open"):
            unlocker.attempt(wrong, check=False)
        refused += 1
    assert refused == 1000
    assert _sha(encrypted) == before
    assert not Path(f"{encrypted}-wal").exists()
    # The throttle: nothing for the first three, then 1, 2, 4 ... seconds, capped at a minute.
    assert slept[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(slept) == 60.0
    caseload = unlocker.attempt(KEY)
    assert len(caseload.participants()) == 3
    assert unlocker.throttle.failures == 0
    caseload.close()


def test_near_miss_passphrases_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "phrase.db"
    right = "Café tables by the window"
    Caseload.open(path, right, create=True).close()
    before = _sha(path)
    for wrong in ("café tables by the window", right + " ", right.upper()):
        with pytest.raises(WrongPassphrase):
            Caseload.open(path, wrong, check="none")
    assert _sha(path) == before
    # The same accent typed as NFD (e + combining acute) is the same passphrase.
    decomposed = right.replace("é", "e\u0301")
    Caseload.open(path, decomposed).close()


def test_an_encrypted_file_without_a_passphrase_says_so(encrypted: Path) -> None:
    assert describe(encrypted).kind == FileKind.ENCRYPTED
    with pytest.raises(PassphraseNeeded, match="encrypted"):
        Caseload.open(encrypted)


def test_plain_and_new_files_are_told_apart(
    tmp_path: Path, caseload: Caseload, db_path: Path
) -> None:
    assert describe(db_path).kind == FileKind.PLAIN
    assert describe(tmp_path / "none.db").is_new
    (tmp_path / "empty.db").write_bytes(b"")
    assert not describe(tmp_path / "empty.db").is_new
    with pytest.raises(NotADatabase, match="empty"):
        Caseload.open(tmp_path / "empty.db")


def test_rekey_changes_the_passphrase(encrypted: Path) -> None:
    caseload = Caseload.open(encrypted, KEY, create=True)
    new = "four quiet river stones"
    caseload.safety.change_passphrase(KEY, new)
    caseload.enrol_participant("After rekey", "fife")
    caseload.close()
    with pytest.raises(WrongPassphrase):
        Caseload.open(encrypted, KEY)
    reopened = Caseload.open(encrypted, new)
    assert len(reopened.participants()) == 4
    # The backup made before the rekey opens with the old key only.
    backups = reopened.safety.backups()
    reopened.close()
    assert len(backups) == 1
    Caseload.open(backups[0].path, KEY).close()


def test_a_wrong_current_passphrase_changes_nothing(encrypted: Path) -> None:
    caseload = Caseload.open(encrypted, KEY, create=True)
    with pytest.raises(WrongPassphrase):
        caseload.safety.change_passphrase(os.urandom(32), "four quiet river stones")
    caseload.close()
    Caseload.open(encrypted, KEY).close()


def test_a_plain_caseload_can_be_encrypted(caseload: Caseload, db_path: Path) -> None:
    pid = _enrol_canary(caseload)
    caseload.safety.change_passphrase(None, "four quiet river stones")
    assert caseload.is_encrypted
    assert caseload.participant(pid).preferred_name == CANARY
    caseload.log_contact(pid, note="after encryption")
    caseload.safety.checkpoint()
    assert db_path.read_bytes()[:16] != SQLITE_HEADER
    assert _hits(db_path.read_bytes()) == []


def test_a_plain_file_opens_even_when_a_passphrase_is_set(
    caseload: Caseload, db_path: Path
) -> None:
    caseload.close()
    opened = Caseload.open(db_path, "a passphrase from the environment")
    assert not opened.is_encrypted
    opened.close()


def test_cipher_settings_are_pinned(encrypted: Path) -> None:
    caseload = Caseload.open(encrypted, KEY)
    # cipher_compatibility = 4 is write-only; it shows as SQLCipher 4's settings.
    settings = {r[0] for r in caseload.db.execute("PRAGMA cipher_settings").fetchall()}
    assert "PRAGMA kdf_iter = 256000;" in settings
    assert "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;" in settings
    assert "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512;" in settings
    with pytest.raises(PassphraseNeeded, match="give its passphrase"):
        Caseload.open(encrypted)
    caseload.close()
