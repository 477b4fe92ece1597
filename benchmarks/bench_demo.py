"""Demo build: linear in the number of parents (the same cost per 1,000 at 1,000 and at 10,000).

The large build is the one the run makes anyway for the other groups (built once per run);
the 1,000-parent builds are repeated and their median taken. A 10,000-parent build takes
minutes and cannot be interleaved with the small ones, so a busy spell on the shared machine
during one of them moves the wall-clock ratio by tens of percent: the verdict is on the CPU
time of the building process (the build runs in one thread), the wall figures beside it.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.caseloads import LARGE, TODAY, build_cpu_seconds, build_seconds, caseload_file
from benchmarks.common import REPEAT, figure, heading, scratch

SMALL_BUILD = 300 if LARGE < 10_000 else 1_000


def _build(parents: int) -> tuple[float, float]:
    """Wall and CPU seconds of opening, building and closing a demo caseload of `parents`."""
    from journeyapp.caseload import Caseload
    from journeyapp.demo import build_demo

    path = scratch() / f"demo-build-{parents}.db"
    start, cpu_start = time.perf_counter(), time.process_time()
    caseload = Caseload.open(path, create=True, demo=True)
    build_demo(caseload, participants=parents, seed=3, today=TODAY)
    caseload.close()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    for leftover in scratch().glob(f"demo-build-{parents}.db*"):
        leftover.unlink()
    return elapsed, cpu


def main() -> None:
    """Print the per-1,000-parent cost of a small and a large demo build, with a verdict."""
    heading("demo: cost per 1,000 parents of building a demo caseload")
    caseload_file(LARGE)
    # open + build + close, as _build times the small one
    large, large_cpu = build_seconds[LARGE], build_cpu_seconds[LARGE]
    small_runs = [_build(SMALL_BUILD) for _ in range(REPEAT)]
    small = statistics.median(wall for wall, _ in small_runs)
    small_cpu = statistics.median(cpu for _, cpu in small_runs)
    per_small, per_large = 1000 / SMALL_BUILD, 1000 / LARGE
    for measure, large_s, small_s, judged in (
        ("CPU", large_cpu, small_cpu, True),
        ("wall, for information", large, small, False),
    ):
        figure(
            f"demo build, {LARGE:,} parents, per 1,000 parents ({measure})",
            large_s * per_large,
            "s",
            baseline=small_s * per_small,
            baseline_name=f"the same at {SMALL_BUILD:,} parents",
            target="within 20% (linear)" if judged else "",
            ok=large_s * per_large <= 1.2 * small_s * per_small if judged else None,
        )


if __name__ == "__main__":
    main()
