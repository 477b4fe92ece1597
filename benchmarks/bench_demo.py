"""Demo build: linear in the number of parents (the same cost per 1,000 at 1,000 and at 10,000).

The large build is the one the run makes anyway for the other groups (built once per run);
the 1,000-parent builds are repeated and their median taken.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.caseloads import LARGE, TODAY, build_seconds, caseload_file
from benchmarks.common import REPEAT, figure, heading, scratch

SMALL_BUILD = 300 if LARGE < 10_000 else 1_000


def _build(parents: int) -> float:
    from journeyapp.caseload import Caseload
    from journeyapp.demo import build_demo

    path = scratch() / f"demo-build-{parents}.db"
    start = time.perf_counter()
    caseload = Caseload.open(path, create=True, demo=True)
    build_demo(caseload, participants=parents, seed=3, today=TODAY)
    caseload.close()
    elapsed = time.perf_counter() - start
    for leftover in scratch().glob(f"demo-build-{parents}.db*"):
        leftover.unlink()
    return elapsed


def main() -> None:
    """Print the per-1,000-parent cost of a small and a large demo build, with a verdict."""
    heading("demo: cost per 1,000 parents of building a demo caseload")
    caseload_file(LARGE)
    large = build_seconds[LARGE]  # open + build + close, as _build times the small one
    small = statistics.median(_build(SMALL_BUILD) for _ in range(REPEAT))
    per_small, per_large = small * 1000 / SMALL_BUILD, large * 1000 / LARGE
    figure(
        f"demo build, {LARGE:,} parents, per 1,000 parents",
        per_large,
        "s",
        baseline=per_small,
        baseline_name=f"the same at {SMALL_BUILD:,} parents",
        target="within 20% (linear)",
        ok=per_large <= 1.2 * per_small,
    )


if __name__ == "__main__":
    main()
