"""Run one merge of a bundle file in a process of its own (for bench_exchange: wall time, CPU and
peak memory from process start to the committed caseload).

Usage: python benchmarks/exchange_probe.py ours|whole BUNDLE CASELOAD [PASSPHRASE_FILE]
(an encrypted caseload's passphrase in PASSPHRASE_FILE; without it the caseload is plain)
ours: as `journeyapp merge` does (exchange.bundle.merge_bundle: the sealed file checked, then
the per-event work for what is new);
whole: the old path, the sealed bundle read and checked whole into Python
(read_sealed_bundle), then the per-event merge of every event (merge_sealed).
The caseload is a copy of one on which the bundle's writer is enrolled with its key, as on a
coordinator's laptop, so the seals are checked and the events trusted. The caseload's clock is
the real one, as the command's is (bench_exchange dates every synthetic event before today).
bench_exchange times `journeyapp merge` itself beside this, the same merge called directly.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

PASSPHRASE = "benchmark bundle passphrase"


def main() -> None:
    mode, bundle, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    key = Path(sys.argv[4]).read_text(encoding="utf-8").strip() if len(sys.argv) > 4 else None
    if mode == "ours":
        # As `journeyapp merge` does before it loads the caseload: the file's digest (which
        # recognises a bundle merged before) and the bundle's key start on other threads.
        from journeyapp.core import file_digests, key_derivation

        file_digests.ahead(bundle)
        key_derivation.begin(bundle, PASSPHRASE)
    from journeyapp.caseload import Caseload
    from journeyapp.exchange.bundle import merge_bundle, read_sealed_bundle

    started = time.perf_counter()
    caseload = Caseload.open(db, key, create=True, plain=key is None)
    try:
        if mode == "ours":
            result = merge_bundle(caseload, bundle, PASSPHRASE)
        else:
            sealed = read_sealed_bundle(caseload, bundle, PASSPHRASE)
            result = caseload.exchange.merge_sealed([sealed])
    finally:
        caseload.close()
    print(f"{time.perf_counter() - started:.6f} {result.received} {result.applied}")


if __name__ == "__main__":
    main()
