"""Helpers for benchmarks: time things, and print each figure beside a same-run baseline."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(func: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of `func()` in seconds over `repeat` runs (after `warmup` runs)."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def figure(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    target: str = "",
    ok: bool | None = None,
) -> None:
    """Print one benchmark figure, with its baseline and ratio when there is one."""
    line = f"{name}: {value:,.3f} {unit}"
    if baseline is not None:
        ratio = value / baseline if baseline else float("inf")
        line += f"  | baseline ({baseline_name}): {baseline:,.3f} {unit}  | ratio {ratio:.2f}x"
    if target:
        verdict = "" if ok is None else (" MET" if ok else " NOT MET")
        line += f"  | target: {target}{verdict}"
    print(line, flush=True)


def heading(text: str) -> None:
    """Print a section heading."""
    print(f"\n== {text} ==", flush=True)
