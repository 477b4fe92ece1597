"""Probe: one way of writing 100,000 rows to XLSX with openpyxl (run by bench_exchange)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    mode, out, rows = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.xml import LXML

    data = [
        [
            f"id-{n:08d}",
            "2026-03-01",
            n % 90,
            "one_to_one",
            "Family hub",
            "'=1+2" if n % 50 == 0 else "note",
            1,
            None,
            "P-0123456789abcdef0123",
            "parent",
        ]
        for n in range(rows)
    ]
    started = time.perf_counter()
    if mode == "normal":
        book = Workbook()
        sheet = book.active
        for row in data:
            sheet.append(row)
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("t")
        for row in data:
            if mode == "write_only_forced":
                cells = []
                for value in row:
                    if type(value) is str:
                        cell = WriteOnlyCell(sheet, value)
                        cell.data_type = "s"
                        cells.append(cell)
                    else:
                        cells.append(value)
                sheet.append(cells)
            else:
                sheet.append(row)
    book.save(out)
    print(f"{time.perf_counter() - started:.3f} {int(LXML)}")


if __name__ == "__main__":
    main()
