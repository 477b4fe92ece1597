"""Security figures: opening an encrypted 10,000-parent caseload (key derivation reported apart
from the rest), the checks at open and of the whole file, backup and erasure, and synchronous=FULL vs NORMAL."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

from benchmarks.common import QUICK, figure, heading, interleaved, scratch
from journeyapp.caseload import Caseload
from journeyapp.store import db as store_db

PARENTS = int(os.environ.get("JOURNEYAPP_BENCH_PARENTS", "1000" if QUICK else "10000"))
PHRASE = "four quiet river stones"
RAW = bytes(range(32))


def _build(path: Path, key: str | bytes | None) -> Caseload:
    caseload = Caseload.open(path, key, create=True)
    with caseload.batch("bench"):
        for i in range(PARENTS):
            pid = caseload.enrol_participant(f"Parent {i}", "fife", notes="n" * 80).id
            caseload.log_contact(pid, note="a conversation about next steps " * 3)
    return caseload


def _open_close(path: Path, key: str | bytes | None) -> None:
    Caseload.open(path, key, check="none").close()


def _checked_open_close(path: Path, key: str | bytes | None) -> None:
    Caseload.open(path, key).close()


def _fully_checked_open_close(path: Path, key: str | bytes | None) -> None:
    Caseload.open(path, key, check="full").close()


def _per_write_ms(caseload: Caseload, pid: str, writes: int) -> float:
    start = time.perf_counter()
    for i in range(writes):
        caseload.log_contact(pid, note=f"write {i}")
    return (time.perf_counter() - start) * 1000 / writes


def main() -> None:
    heading(f"security: encrypted caseload of {PARENTS:,} parents")
    # In the run's one temporary folder (JOURNEYAPP_BENCH_DIR: on the disk to measure).
    folder = scratch() / "security"
    folder.mkdir()
    start = time.perf_counter()
    built = _build(folder / "phrase.db", PHRASE)
    figure("build (one transaction)", time.perf_counter() - start, "s")
    # The same data under a raw key (no key derivation) and unencrypted, for baselines.
    store_db.export_encrypted(built.db, folder / "raw.db", RAW)
    built.db.execute("ATTACH DATABASE ? AS plain KEY ''", [str(folder / "plain.db")])
    built.db.execute("SELECT sqlcipher_export('plain')")
    built.db.execute("DETACH DATABASE plain")
    built.close()
    size_mb = (folder / "phrase.db").stat().st_size / 1e6
    figure("file size", size_mb, "MB")

    tiny = folder / "tiny.db"
    Caseload.open(tiny, PHRASE, create=True).close()
    tiny_raw = folder / "tiny-raw.db"
    Caseload.open(tiny_raw, RAW, create=True).close()
    # Every pair below runs interleaved (ours, baseline, ours…; medians), so a busy moment on
    # the shared machine hits both sides alike.
    kdf, tiny_rest = interleaved(
        lambda: _open_close(tiny, PHRASE), lambda: _open_close(tiny_raw, RAW)
    )
    derivation = max(0.0, kdf - tiny_rest)
    figure(
        "key derivation (PBKDF2-SHA512, 256,000 rounds; deliberately slow)",
        derivation * 1000,
        "ms",
        target=">= 500 ms per guess (research T4)",
        ok=derivation >= 0.5,
    )
    raw, plain = interleaved(
        lambda: _open_close(folder / "raw.db", RAW),
        lambda: _open_close(folder / "plain.db", None),
    )
    phrase, raw_again = interleaved(
        lambda: _open_close(folder / "phrase.db", PHRASE),
        lambda: _open_close(folder / "raw.db", RAW),
    )
    figure("open, unencrypted", plain * 1000, "ms")
    figure(
        "open, raw key (no key derivation)",
        raw * 1000,
        "ms",
        baseline=plain * 1000,
        baseline_name="unencrypted",
    )
    figure(
        "open, passphrase (key derivation + the rest)",
        phrase * 1000,
        "ms",
        baseline=raw_again * 1000,
        baseline_name="raw key",
    )
    figure("  of which key derivation (measured on a tiny file)", derivation * 1000, "ms")
    figure(
        "  of which the rest (= the raw-key open, which skips only derivation)", raw * 1000, "ms"
    )
    checked, unchecked = interleaved(
        lambda: _checked_open_close(folder / "raw.db", RAW),
        lambda: _open_close(folder / "raw.db", RAW),
    )
    figure(
        "open with the check at open (header, key, schema and settings pages)",
        checked * 1000,
        "ms",
        baseline=unchecked * 1000,
        baseline_name="open without it",
        target="< 1 s",
        ok=checked < 1,
    )
    full, unchecked = interleaved(
        lambda: _fully_checked_open_close(folder / "raw.db", RAW),
        lambda: _open_close(folder / "raw.db", RAW),
    )
    figure(
        "open with the whole-file check (integrity_check + cipher_integrity_check)",
        full * 1000,
        "ms",
        baseline=unchecked * 1000,
        baseline_name="open without it",
    )
    opened = Caseload.open(folder / "raw.db", RAW)
    later, integrity_only = interleaved(
        opened.safety.whole_file_check,
        lambda: opened.db.execute("PRAGMA integrity_check").fetchall(),
        repeat=3,
    )
    opened.close()
    figure(
        "the whole-file check after opening (the window runs it later)",
        later * 1000,
        "ms",
        baseline=integrity_only * 1000,
        baseline_name="PRAGMA integrity_check alone",
    )

    caseload = Caseload.open(folder / "raw.db", RAW)
    start = time.perf_counter()
    made = caseload.safety.backup()
    figure(
        "verified backup (backup API + reopen + both checks)",
        backup_s := time.perf_counter() - start,
        "s",
        target="< 5 s",
        ok=backup_s < 5,
    )
    assert made.parents == PARENTS
    start = time.perf_counter()
    rows = caseload.caseload()
    figure("first caseload list after open", (time.perf_counter() - start) * 1000, "ms")
    victim = rows[len(rows) // 2]
    start = time.perf_counter()
    caseload.safety.erase_participant(victim.id, victim.preferred_name)
    erase_s = time.perf_counter() - start
    figure(
        "erase one parent (incl. name-index rebuild and checkpoint)",
        erase_s * 1000,
        "ms",
        target="< 2 s",
        ok=erase_s < 2,
    )

    heading("security: per-write cost of synchronous=FULL against NORMAL (same run, same file)")
    pid = rows[0].id
    writes = int(os.environ.get("JOURNEYAPP_BENCH_WRITES", "200"))
    _per_write_ms(caseload, pid, 10)  # warm up
    normals, fulls = [], []
    for _ in range(3):  # interleaved, so drift during the run affects both alike
        caseload.db.execute("PRAGMA synchronous = NORMAL")
        normals.append(_per_write_ms(caseload, pid, writes))
        caseload.db.execute("PRAGMA synchronous = FULL")
        fulls.append(_per_write_ms(caseload, pid, writes))
    normal, full = statistics.median(normals), statistics.median(fulls)
    figure("one use case, synchronous=NORMAL", normal, "ms/write")
    figure(
        "one use case, synchronous=FULL (what we ship)",
        full,
        "ms/write",
        baseline=normal,
        baseline_name="NORMAL",
        target="< 50 ms: a person never waits on a save",
        ok=full < 50,
    )
    caseload.close()
    shutil.rmtree(folder)  # about a gigabyte: free it before the next group


if __name__ == "__main__":
    main()
