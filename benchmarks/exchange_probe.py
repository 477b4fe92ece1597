"""Run one merge of a bundle file in a process of its own (for bench_exchange: wall time, CPU and
peak memory from process start to the committed caseload).

Usage: python benchmarks/exchange_probe.py ours|whole BUNDLE CASELOAD
ours: as `journeyapp merge` does (only the events the caseload lacks are read);
whole: the bundle read whole into Python, then the per-event merge of every event.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

PASSPHRASE = "benchmark bundle passphrase"


def _clock() -> datetime:
    return datetime(2030, 1, 1, 10, 0, tzinfo=UTC)  # after every synthetic journey


def main() -> None:
    mode, bundle, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    from journeyapp.caseload import Caseload
    from journeyapp.exchange.bundle import merge_bundle, read_bundle

    started = time.perf_counter()
    caseload = Caseload.open(db, create=True, plain=True, clock=_clock)
    try:
        if mode == "ours":
            result = merge_bundle(caseload, bundle, PASSPHRASE)
        else:
            result = caseload.exchange.merge_events(read_bundle(bundle, PASSPHRASE)[1])
    finally:
        caseload.close()
    print(f"{time.perf_counter() - started:.6f} {result.received} {result.applied}")


if __name__ == "__main__":
    main()
