"""Re-merging a large sealed bundle: the shortcut with seals checked (journeyapp merge) against
the whole sealed read then the per-event merge, same run, in this process.

Usage: python -m benchmarks.bench_sealed_merge [EVENTS [NEW]]   (100,000 by default;
with NEW: the whole log again with NEW events more, into a caseload holding the rest)
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.bench_exchange import BUNDLE_PASSPHRASE, CACHE, synthetic_events
from journeyapp.caseload import Caseload
from journeyapp.core.merge import MergeResult
from journeyapp.core.records import Event
from journeyapp.core.seals import new_key
from journeyapp.exchange.bundle import merge_bundle, read_sealed_bundle
from journeyapp.store import bundle_file
from journeyapp.store.backup import remove_with_sidecars
from journeyapp.store.records import encode_event_fields, event_rows


def _clock() -> datetime:
    return datetime(2030, 1, 1, 10, 0, tzinfo=UTC)  # after every synthetic journey


def _whole(caseload: Caseload, path: Path) -> MergeResult:
    return caseload.exchange.merge_sealed([read_sealed_bundle(caseload, path, BUNDLE_PASSPHRASE)])


def _shortcut(caseload: Caseload, path: Path) -> MergeResult:
    return merge_bundle(caseload, path, BUNDLE_PASSPHRASE)


def _timed(
    merge: Callable[[Caseload, Path], MergeResult], bundle: Path, db: Path, start: Path | None
) -> tuple[float, MergeResult]:
    remove_with_sidecars(db)
    if start is not None:
        shutil.copyfile(start, db)
    began = time.perf_counter()
    caseload = Caseload.open(db, create=True, plain=True, clock=_clock)
    try:
        result = merge(caseload, bundle)
    finally:
        caseload.close()
    return time.perf_counter() - began, result


def _sealed_bundle(events: list[Event], key: bytes, out: Path) -> Path:
    out.unlink(missing_ok=True)
    rows = event_rows(events, [encode_event_fields(e.fields) for e in events])
    bundle_file.write(
        out,
        BUNDLE_PASSPHRASE,
        {"device_id": events[0].device_id},
        [rows],
        total=len(rows),
        sealing=bundle_file.Sealing(key, lambda _id: True),
    )
    return out


def main(args: list[str] | None = None) -> None:
    """Re-merge a sealed bundle of `args[0]` events (100,000), `args[1]` of them new (none).

    run.py calls it with no arguments (its own argv holds group names); run alone, the
    module takes its sizes from the command line."""
    args = args or []
    total = int(args[0]) if args else 100_000
    few = int(args[1]) if len(args) > 1 else 0
    events = synthetic_events(total)
    key = new_key()
    writer = events[0].device_id
    if few:
        # The whole log again with `few` new events at its end, into a caseload with the rest.
        empty = CACHE / "sealed-empty.db"
        remove_with_sidecars(empty)
        caseload = Caseload.open(empty, create=True, plain=True, clock=_clock)
        caseload.exchange.enrol_device(writer, "the writer's laptop", key=key)
        caseload.close()
        head = _sealed_bundle(events[: total - few], key, CACHE / "sealed-head.jlb")
        _timed(_shortcut, head, CACHE / "sealed-head.db", empty)
        whole_log = _sealed_bundle(events, key, CACHE / "sealed-whole-log.jlb")
        mine: list[float] = []
        theirs: list[float] = []
        for _ in range(3):
            seconds, result = _timed(
                _shortcut, whole_log, CACHE / "few.db", CACHE / "sealed-head.db"
            )
            assert result.applied == few, result
            mine.append(seconds)
            seconds, result = _timed(_whole, whole_log, CACHE / "few.db", CACHE / "sealed-head.db")
            assert result.applied == few, result
            theirs.append(seconds)
        print(
            f"whole log of {total:,} with {few:,} new (open to close, medians of 3 interleaved): "
            f"shortcut with seals {statistics.median(mine):.3f} s {[round(s, 3) for s in mine]} "
            f"| whole sealed read + per-event merge {statistics.median(theirs):.3f} s "
            f"{[round(s, 3) for s in theirs]} | ratio "
            f"{statistics.median(mine) / statistics.median(theirs):.2f}x",
            flush=True,
        )
        return
    bundle = _sealed_bundle(events, key, CACHE / f"sealed-{total}.jlb")
    print(f"sealed bundle: {total:,} events, {bundle.stat().st_size / 1e6:,.1f} MB", flush=True)
    empty = CACHE / "sealed-empty.db"
    remove_with_sidecars(empty)
    caseload = Caseload.open(empty, create=True, plain=True, clock=_clock)
    caseload.exchange.enrol_device(writer, "the writer's laptop", key=key)
    caseload.close()
    first, result = _timed(_shortcut, bundle, CACHE / "sealed-merged.db", empty)
    print(f"first merge (shortcut, seals checked): {first:.3f} s, applied {result.applied:,}")
    merged = CACHE / "sealed-merged-once.db"
    shutil.copyfile(CACHE / "sealed-merged.db", merged)
    ours: list[float] = []
    whole: list[float] = []
    for _ in range(3):
        seconds, again = _timed(_shortcut, bundle, CACHE / "sealed-again.db", merged)
        assert (again.applied, again.already_had) == (0, total), again
        ours.append(seconds)
        seconds, again = _timed(_whole, bundle, CACHE / "sealed-again.db", merged)
        assert (again.applied, again.already_had) == (0, total), again
        whole.append(seconds)
    print(
        f"re-merge, nothing new (open to close, medians of 3 interleaved): shortcut with seals "
        f"{statistics.median(ours):.3f} s {[round(s, 3) for s in ours]} | whole sealed read + "
        f"per-event merge {statistics.median(whole):.3f} s {[round(s, 3) for s in whole]} | "
        f"ratio {statistics.median(ours) / statistics.median(whole):.2f}x",
        flush=True,
    )
    # Of the shortcut's re-merge: finding what is new, then checking the seals.
    caseload = Caseload.open(merged, plain=True, clock=_clock)
    try:
        for _ in range(2):
            began = time.perf_counter()
            reading = caseload.exchange.open_bundle(bundle, BUNDLE_PASSPHRASE)
            assert reading is not None
            found = time.perf_counter()
            sealed = reading.sealed(
                caseload.exchange.device_keys(), caseload.exchange.enrolled_devices()
            )
            checked = time.perf_counter()
            reading.close()
            assert sealed is not None
            print(
                f"  of the shortcut: finding the new events {found - began:.3f} s, the bundle's "
                f"seal over {total:,} marks {checked - found:.3f} s",
                flush=True,
            )
    finally:
        caseload.close()


if __name__ == "__main__":
    main(sys.argv[1:])
