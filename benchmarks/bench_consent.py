"""The equalities-consent sweep's cost: merging a demo laptop into an empty coordinator with the
commit-time check (no equalities answer kept without its consent) beside the same merge without it.

Run from the repository root: python benchmarks/run.py consent (--quick: 200 parents, else 1,000).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from benchmarks.common import QUICK, figure, heading, interleaved, scratch
from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo

PARENTS = 200 if QUICK else 1_000
TODAY = date(2026, 11, 28)


def _clock() -> datetime:
    return datetime(2026, 11, 28, 12, tzinfo=UTC)


def main() -> None:
    heading(f"Equalities consent sweep ({PARENTS:,} parents merged)")
    folder = scratch() / "consent"
    folder.mkdir(parents=True, exist_ok=True)
    laptop = Caseload.open(folder / "laptop.db", create=True, plain=True, actor="laptop")
    laptop.clock = _clock
    build_demo(laptop, participants=PARENTS, seed=3, today=TODAY)
    events = laptop.events()
    laptop.close()
    sweep = Caseload._drop_unconsented_equalities
    runs = iter(range(1_000_000))

    def merge(with_sweep: bool) -> Any:
        def run() -> None:
            Caseload._drop_unconsented_equalities = (  # type: ignore[method-assign]
                sweep if with_sweep else (lambda self, txn: None)
            )
            path = folder / f"coordinator-{next(runs)}.db"
            coordinator = Caseload.open(path, create=True, plain=True, actor="coordinator")
            coordinator.clock = _clock
            try:
                coordinator.exchange.merge_events(events)
            finally:
                coordinator.close()
                path.unlink()
                Caseload._drop_unconsented_equalities = sweep  # type: ignore[method-assign]

        return run

    ours, base = interleaved(merge(True), merge(False), repeat=3)
    figure(
        f"merge of {len(events):,} events with the consent sweep",
        ours,
        "s",
        baseline=base,
        baseline_name="the same merge without the sweep",
        target="within 10% of the baseline",
        ok=ours <= base * 1.10,
    )


if __name__ == "__main__":
    main()
