"""Run the benchmarks (benchmarks/bench_*.py, each with a main()), all or the groups named.

Usage: python benchmarks/run.py [--quick] [GROUP ...]     e.g. python benchmarks/run.py store plans
       python benchmarks/run.py --help                      lists the groups and runs nothing

Every scratch file goes in one temporary folder (under $JOURNEYAPP_BENCH_DIR if set), removed
at the end. Big caseloads are built once per run in that folder and shared by the groups.
Run the full set niced on a shared machine: nice -n 10 python benchmarks/run.py
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import signal
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def groups() -> dict[str, str]:
    """Each group's name and the first line of its module docstring (read, not imported)."""
    found = {}
    for path in sorted(HERE.glob("bench_*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        found[path.stem.removeprefix("bench_")] = doc.splitlines()[0] if doc else ""
    return found


def main() -> None:
    known = groups()
    parser = argparse.ArgumentParser(
        description="Run JourneyApp's benchmarks, each figure beside a same-run baseline.",
        epilog="groups:\n" + "\n".join(f"  {name:<10} {doc}" for name, doc in known.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("groups", nargs="*", metavar="GROUP", help="groups to run (default: all)")
    parser.add_argument(
        "--quick", action="store_true", help="smaller caseloads and 3 repeats: a sanity run"
    )
    args = parser.parse_args()
    unknown = [g for g in args.groups if g not in known]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; choose from {', '.join(known)}")
    if args.quick:
        os.environ["JOURNEYAPP_BENCH_QUICK"] = "1"  # read by benchmarks.common at import
    from benchmarks.common import remove_scratch

    # Stopped with SIGTERM (kill PID): leave through the finally below, so nothing stays behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    start = time.perf_counter()
    failed = []
    try:
        for name in args.groups or list(known):
            module = importlib.import_module(f"benchmarks.bench_{name}")
            try:
                module.main()
            except Exception:  # one group's failure must not hide the others' figures
                traceback.print_exc()
                print(f"\n(group {name} FAILED; the other groups go on)", flush=True)
                failed.append(name)
    finally:
        remove_scratch()
    if failed:
        print(f"\n(failed groups: {', '.join(failed)})")
    print(f"\n(all benchmarks: {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
