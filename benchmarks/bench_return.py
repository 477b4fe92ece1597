"""The funder's return on a 3,115-parent demo caseload: working out a quarter's return (rows and
tables, disclosure audit included), its check and writing its workbook, each beside the
programme report for the same quarter (same run, interleaved); and importing a postcode lookup
the size of Scotland's (235,200 fictional ZZ postcodes) from CSV beside reading the same file
with the csv module alone.
Run from the repository root: python benchmarks/run.py return (or python -m benchmarks.bench_return).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from benchmarks.caseloads import SMALL, TODAY, caseload_file, fresh_copy
from benchmarks.common import QUICK, figure, heading, interleaved, scratch
from journeyapp.caseload import Caseload
from journeyapp.core.returns import quarter_of
from journeyapp.exchange.lookup import import_lookup
from journeyapp.exchange.report import build_report
from journeyapp.exchange.returns import build_return, check_return, load_mapping

LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def lookup_file(path: Path) -> Path:
    """A lookup as large as Scotland's, with fictional postcodes only."""
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Postcode", "DZ", "SIMD2020v2_Quintile", "UR8_2020"])
        n = 0
        for district in range(1, 99 if not QUICK else 10):
            for sector in range(10):
                for a in LETTERS:
                    for b in LETTERS[:12]:
                        writer.writerow(
                            [f"ZZ{district} {sector}{a}{b}", f"Z{n:07d}", rng.randint(1, 5), 1]
                        )
                        n += 1
    return path


def main() -> None:
    """Print the figures."""
    heading(f"Funder's return, {SMALL:,}-parent demo caseload")
    path = fresh_copy(caseload_file(SMALL), "return")
    caseload = Caseload.open(path)
    quarter = quarter_of(TODAY).previous()
    try:

        def report() -> object:
            return build_report(caseload, since=quarter.start, until=quarter.end)

        built = build_return(caseload, quarter, today=TODAY)
        ours, base = interleaved(lambda: build_return(caseload, quarter, today=TODAY), report)
        figure(
            f"work out the {quarter.name} return ({len(built.people):,} parents)",
            ours,
            "s",
            baseline=base,
            baseline_name="programme report, same quarter",
        )
        ours, base = interleaved(lambda: check_return(caseload, quarter, built), report)
        figure("its check (answers to complete)", ours, "s", baseline=base, baseline_name="report")
        mapping = load_mapping()
        folder = scratch() / "return-out"
        folder.mkdir(exist_ok=True)
        count = iter(range(1_000_000))

        def write() -> None:
            built.write_xlsx(folder / f"r{next(count)}.xlsx", mapping)

        ours, base = interleaved(write, report)
        figure("write its workbook", ours, "s", baseline=base, baseline_name="report")
    finally:
        caseload.close()
    heading("Postcode lookup, CSV")
    source = lookup_file(scratch() / "lookup.csv")
    target = Caseload.open(fresh_copy(caseload_file(SMALL), "lookup"))
    try:

        def read_only() -> object:
            with source.open(encoding="utf-8", newline="") as handle:
                return sum(1 for _ in csv.reader(handle))

        ours, base = interleaved(lambda: import_lookup(target, source), read_only, repeat=3)
        postcodes = target.areas.info().postcodes
        figure(
            f"import {postcodes:,} postcodes",
            ours,
            "s",
            baseline=base,
            baseline_name="csv module reading the file",
        )
    finally:
        target.close()


if __name__ == "__main__":
    main()
