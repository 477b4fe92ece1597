"""A file's digest over its parts (core.file_digests): its definition, every byte counted, the
same whatever the threads, and no digest of a file that changed while it was read."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

import pytest
from blake3 import blake3

from journeyapp.core import file_digests
from journeyapp.core.file_digests import FORM

SMALL = 64  # bytes per part in these tests (the real PART is 16 MiB)


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_digests, "PART", SMALL)
    monkeypatch.setattr(file_digests, "BLOCK", 24)  # a part read in several reads, one short


def by_hand(data: bytes) -> str:
    """The digest as its definition says: BLAKE3 of the form's name, a NUL, the size (8 bytes,
    big-endian) and each part's BLAKE3 in order."""
    parts = [blake3(data[i : i + SMALL]).digest() for i in range(0, len(data), SMALL)]
    head = f"{FORM}\0".encode() + len(data).to_bytes(8, "big")
    return f"{FORM}:" + blake3(head + b"".join(parts)).hexdigest()


def digest(path: Path) -> str:
    return file_digests.begin(path).result()


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 5 * SMALL + 7])
def test_the_digest_is_as_defined(tmp_path: Path, size: int) -> None:
    data = random.Random(size).randbytes(size)
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    assert digest(path) == by_hand(data)
    assert hashlib.sha256(data).hexdigest() not in digest(path)  # not an earlier form


def test_every_byte_counts(tmp_path: Path) -> None:
    data = random.Random(1).randbytes(3 * SMALL + 5)
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    first = digest(path)
    seen = {first}
    for at in range(len(data)):
        changed = bytearray(data)
        changed[at] ^= 1 << (at % 8)
        path.write_bytes(changed)
        seen.add(digest(path))
    assert len(seen) == len(data) + 1  # a flip anywhere gives a digest of its own
    path.write_bytes(data + b"\0")  # one byte more
    assert digest(path) not in seen


@pytest.mark.parametrize("helpers", [1, 2, 3])
def test_the_same_whatever_the_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: int
) -> None:
    data = random.Random(2).randbytes(40 * SMALL + 3)
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    monkeypatch.setattr(file_digests, "HELPERS", helpers)
    assert digest(path) == by_hand(data)
    file_digests.ahead(path)
    assert digest(path) == by_hand(data)


def test_begun_ahead_is_taken_once_and_only_for_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"a" * 300)
    file_digests.ahead(path)
    early = file_digests.begin(path)
    assert early.result() == by_hand(b"a" * 300)
    assert file_digests.begin(path) is not early  # taken: a later one starts anew
    # Begun ahead, then the file was replaced by another: the other's digest, not the first's.
    file_digests.ahead(path)
    replacement = tmp_path / "other.bin"
    replacement.write_bytes(b"b" * 301)
    os.replace(replacement, path)
    assert digest(path) == by_hand(b"b" * 301)
    # Begun ahead, then not wanted (the passphrase not given): stopped, and nothing kept.
    file_digests.ahead(path)
    early = file_digests._ahead[file_digests._key(path)]
    file_digests.drop(path)
    with pytest.raises(OSError, match="cancelled"):
        early.result()
    assert file_digests.begin(path) is not early


def test_a_file_that_changes_while_it_is_read_gives_no_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"x" * (10 * SMALL))
    monkeypatch.setattr(file_digests, "HELPERS", 1)
    hash_part = file_digests.FileDigest._hash_part

    def then_changed(self: file_digests.FileDigest, number: int) -> bytes:
        done = hash_part(self, number)
        # This file's digest only: a helper thread may still be finishing an earlier test's
        # digest, and changing the file before this one began would hide the change.
        if number == 0 and self.path == path:
            with path.open("r+b") as handle:  # written in place: same size
                handle.write(b"y")
            os.utime(path, ns=(0, 0))
        return done

    monkeypatch.setattr(file_digests.FileDigest, "_hash_part", then_changed)
    with pytest.raises(OSError, match="changed"):
        digest(path)
    monkeypatch.setattr(file_digests.FileDigest, "_hash_part", hash_part)
    truncated = file_digests.begin(path)
    path.write_bytes(b"x" * 5)
    with pytest.raises(OSError, match=r"changed|shrank"):
        truncated.result()


def test_a_cancelled_digest_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"z" * (100 * SMALL))
    job = file_digests.begin(path)
    job.cancel()
    with pytest.raises(OSError, match="cancelled"):
        job.result()
    done = file_digests.begin(path)
    assert done.result() == by_hand(b"z" * (100 * SMALL))
    done.cancel()  # after the result: the result stays
    assert done.result() == by_hand(b"z" * (100 * SMALL))


def test_the_same_where_parts_are_read_by_opening_the_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on Windows, which has no os.preadv.
    data = random.Random(3).randbytes(7 * SMALL + 1)
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    monkeypatch.delattr(os, "preadv", raising=False)
    assert digest(path) == by_hand(data)
