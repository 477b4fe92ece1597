"""Caseloads the user-path benchmarks share: built once per run in the run's temporary folder.

A 10,000-parent demo takes about a minute to build, so each size is built once (plain, as the
demo command makes it) and encrypted once (sqlcipher_export under PASSPHRASE); each benchmark
works on copies, so nothing it does changes what the next one measures.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path

from benchmarks.common import QUICK, scratch

PASSPHRASE = "benchmark passphrase, not a secret"
TODAY = date(2026, 11, 28)
# The sizes the issue names, and smaller ones for --quick.
SMALL = 300 if QUICK else 3_115
LARGE = 1_000 if QUICK else 10_000

_built: dict[tuple[int, bool], Path] = {}
# Seconds each size's demo build took in this run, wall and CPU of this process (the demo
# benchmark reports them).
build_seconds: dict[int, float] = {}
build_cpu_seconds: dict[int, float] = {}


def caseload_file(parents: int, *, encrypted: bool = False) -> Path:
    """The master copy of a demo caseload of `parents` parents (do not change it: copy it)."""
    if (parents, encrypted) in _built:
        return _built[(parents, encrypted)]
    from journeyapp.caseload import Caseload

    folder = scratch() / "caseloads"
    folder.mkdir(exist_ok=True)
    plain = folder / f"demo-{parents}.db"
    if (parents, False) not in _built:
        from journeyapp.demo import build_demo

        start, cpu_start = time.perf_counter(), time.process_time()
        caseload = Caseload.open(plain, create=True, demo=True)
        build_demo(caseload, participants=parents, seed=3, today=TODAY)
        caseload.close()
        build_seconds[parents] = time.perf_counter() - start
        build_cpu_seconds[parents] = time.process_time() - cpu_start
        print(
            f"(built a {parents:,}-parent demo caseload in {time.perf_counter() - start:.0f} s,"
            f" {plain.stat().st_size / 1e6:,.0f} MB)",
            flush=True,
        )
        _built[(parents, False)] = plain
    if encrypted:
        from journeyapp.store.db import export_encrypted

        target = folder / f"demo-{parents}-encrypted.db"
        caseload = Caseload.open(plain)
        export_encrypted(caseload.db, target, PASSPHRASE)
        caseload.close()
        _built[(parents, True)] = target
    return _built[(parents, encrypted)]


def fresh_copy(master: Path, name: str) -> Path:
    """A working copy of `master` under the run's folder, replacing any earlier copy (and its
    write-ahead log, lock and backups)."""
    folder = scratch() / "work" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    target = folder / master.name
    shutil.copyfile(master, target)
    # On the disk before anything is timed: otherwise the copy's writeback (637 MB at 10,000
    # parents) runs during whichever process is timed first (in the start-up benchmark, ours:
    # 0.76 s against 0.43 s with the copy written out first, the bare window then paying
    # likewise when it went first).
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    return target
