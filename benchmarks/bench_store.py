"""Store benchmarks: building a demo caseload vs bare executemany; the caseload query vs bare SQL.

Run: python benchmarks/run.py store   (JOURNEYAPP_BENCH_PARTICIPANTS=2000 for a quicker run)
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.common import QUICK, figure, heading, timed
from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo

TODAY = date(2026, 11, 28)


def _copy_schema_and_rows(source: Path, target: Path) -> tuple[float, float, int]:
    """Insert every row of `source` into a fresh copy of its schema with plain sqlite3 executemany.

    Every row the caseload stores is copied: ordinary tables with their indexes, and the two
    full-text indexes (names and words) made with the caseload's own SQL (trigram tokenizer,
    detail and column-size options) and filled through their virtual tables, as the app fills
    them; their shadow tables are FTS5's own (their secure-delete setting, which changes only
    deletes, is left out: this sqlite3's SQLite may be older than 3.42). No triggers: their rows (the caseload list) are
    copied as rows. Returns (seconds spent inserting and committing, the CPU seconds of it, rows
    inserted).
    """
    src = sqlite3.connect(source)
    schema = src.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = [(name, sql) for name, sql in schema if sql.startswith("CREATE VIRTUAL TABLE")]
    shadows = {f"{name}_{part}" for name, _ in virtual for part in _FTS5_SHADOWS}
    tables = [
        (name, sql) for name, sql in schema if name not in shadows and (name, sql) not in virtual
    ]
    copied = {name for name, _ in tables}
    indexes = [  # only on the tables copied (FTS5 makes its shadow tables' own)
        sql
        for sql, table in src.execute(
            "SELECT sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        if table in copied
    ]
    data = {name: src.execute(f'SELECT * FROM "{name}"').fetchall() for name, _ in tables}
    texts = {
        (
            name,
            ", ".join(["rowid", *(c[1] for c in src.execute(f'PRAGMA table_info("{name}")'))]),
        ): (src.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall())
        for name, _ in virtual
    }
    src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = FULL")
    for _, sql in tables + virtual:
        dst.execute(sql)
    for sql in indexes:
        dst.execute(sql)
    start, cpu = time.perf_counter(), time.process_time()
    dst.execute("BEGIN")
    rows = 0
    for name, values in data.items():
        if values:
            marks = ", ".join("?" * len(values[0]))
            dst.executemany(f'INSERT INTO "{name}" VALUES ({marks})', values)
            rows += len(values)
    for (name, names), values in texts.items():
        if values:
            marks = ", ".join("?" * len(values[0]))
            dst.executemany(f'INSERT INTO "{name}"({names}) VALUES ({marks})', values)
            rows += len(values)
    dst.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    dst.close()
    return elapsed, cpu, rows


# The tables FTS5 keeps a full-text index in (made with it, filled by it).
_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def bench_demo_build(folder: Path, participants: int) -> Path:
    heading(f"Building a {participants:,}-participant demo caseload")
    path = folder / "demo.db"
    caseload = Caseload.open(path, create=True, plain=True)
    start, cpu = time.perf_counter(), time.process_time()
    build_demo(caseload, participants=participants, seed=1, today=TODAY)
    ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    events = caseload.counts()["journey_log"]
    caseload.close()
    bare, bare_cpu, rows = _copy_schema_and_rows(path, folder / "bare.db")
    figure(
        "demo build (generate + validate + write records and events)",
        events / ours,
        "events/s",
        baseline=events / bare,
        baseline_name=f"plain sqlite3 executemany of the same {rows:,} rows",
    )
    ratio = (events / ours) / (events / bare)
    figure(
        "demo build speed as a share of the bare-insert baseline",
        ratio,
        "x",
        target=">= 0.5x",
        ok=ratio >= 0.5,
    )
    print(f"   ({events:,} events in {ours:.2f} s; bare insert {bare:.2f} s)")
    # CPU seconds of this process: steadier than wall time on a shared machine (for information).
    print(
        f"   (CPU: {ours_cpu:.2f} s ours, {bare_cpu:.2f} s bare; "
        f"share {bare_cpu / ours_cpu if ours_cpu else 0:.2f}x)"
    )
    return path


def bench_caseload_query(path: Path) -> None:
    heading("Caseload query (filter + name search)")
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.today = lambda: TODAY
    locality = caseload.catalogue.localities[2].key

    def ours() -> None:
        caseload.caseload("sio", locality=locality)

    def bare() -> None:
        caseload.db.conn.execute(
            "SELECT p.id, p.preferred_name, p.stage, p.status, "
            '(SELECT max(c."on") FROM contacts c WHERE c.participant_id = p.id) '
            "FROM participants p WHERE p.locality = ? AND p.id IN (SELECT participant_id FROM "
            "participant_search WHERE names GLOB ?)",
            [locality, "*sio*"],
        ).fetchall()

    count = caseload.counts()["participants"]
    t_ours, t_bare = timed(ours, repeat=20), timed(bare, repeat=20)
    figure(
        f"caseload query over {count:,} parents",
        t_ours * 1000,
        "ms",
        baseline=t_bare * 1000,
        baseline_name="the bare SQL query",
        target="< 20 ms",
        ok=t_ours < 0.020,
    )
    t_all = timed(lambda: caseload.caseload(), repeat=5)
    figure(f"whole caseload list ({count:,} parents, no filter)", t_all * 1000, "ms")
    caseload.close()


def main() -> None:
    participants = int(
        os.environ.get("JOURNEYAPP_BENCH_PARTICIPANTS", "1000" if QUICK else "10000")
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_demo_build(Path(tmp), participants)
        bench_caseload_query(path)


if __name__ == "__main__":
    main()
