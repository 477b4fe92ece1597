"""Run every benchmark (benchmarks/bench_*.py, each with a main()), or those named on the line.

Usage: python benchmarks/run.py [NAME ...]     e.g. python benchmarks/run.py store plans
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    wanted = set(sys.argv[1:])
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        module = importlib.import_module(f"benchmarks.{path.stem}")
        module.main()


if __name__ == "__main__":
    main()
