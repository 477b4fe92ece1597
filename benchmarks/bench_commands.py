"""Commands from process start to exit, and their peak memory, beside minimal scripts doing the same.

Each command runs as a person runs it (`python -m journeyapp COMMAND --db FILE …`, passphrase
from $JOURNEYAPP_PASSPHRASE), interleaved with a baseline process doing the same work with the
same libraries and nothing else: `plan` against a minimal reportlab script over the parent's
rows, `report` against bare SQL aggregation of the same figures, `check` against PRAGMA
integrity_check, `export` against streaming every table to CSV, `import` against bare
executemany of the same rows plus their log events, `merge` against bare executemany of the
rows the merge writes, `backup` against SQLite's backup API, `passphrase` against the same four
steps done bare (zxcvbn's check, a backup verified by reopening it, PRAGMA rekey, the backup
re-keyed), with PRAGMA rekey alone printed beside it for information.
Peak memory is the larger of each process's own VmHWM (common.PEAK_WRAPPER) and the most its
whole process tree (a big export's second writer included) held at once, sampled. Every run
works on a fresh copy.
"""

from __future__ import annotations

import csv
import pickle
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.caseloads import LARGE, PASSPHRASE, SMALL, caseload_file, fresh_copy
from benchmarks.common import (
    REPEAT,
    Run,
    figure,
    heading,
    interleaved_runs,
    median_runs,
    python_env,
    run_process,
    scratch,
)

MIB_CAP = 150
BUNDLE_PHRASE = "bundle passphrase for the benchmark"

# The baselines: each a small script run as its own process (argv after the script name).
OPEN = """
import sys, sqlcipher3
def connect(path, key):
    conn = sqlcipher3.connect(path)
    if key:
        conn.execute("PRAGMA key = '" + key.replace("'", "''") + "'")
        conn.execute("PRAGMA cipher_compatibility = 4")
    return conn
"""

BARE_PLAN = (
    OPEN
    + """
from xml.sax.saxutils import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
path, key, pid, out = sys.argv[1:5]
conn = connect(path, key)
tables = [r[0] for r in conn.execute(
    "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c "
    "WHERE m.type = 'table' AND c.name = 'participant_id' AND m.name NOT LIKE 'caseload_%'"
    " AND m.name != 'journey_log' AND m.name NOT LIKE 'participant_search%'")]
lines = [" ".join(map(str, conn.execute("SELECT * FROM participants WHERE id = ?", [pid]).fetchone()))]
for table in tables:
    for row in conn.execute(f'SELECT * FROM "{table}" WHERE participant_id = ?', [pid]):
        lines.append(" ".join(str(v) for v in row if v is not None))
style = getSampleStyleSheet()["BodyText"]
SimpleDocTemplate(out, pagesize=A4).build([Paragraph(escape(line), style) for line in lines])
"""
)

BARE_REPORT = (
    OPEN
    + """
path, key = sys.argv[1:3]
conn = connect(path, key)
for sql in (
    "SELECT count(*) FROM participants",
    "SELECT stage, count(*) FROM participants GROUP BY stage",
    "SELECT locality, count(*) FROM participants GROUP BY locality",
    "SELECT status, count(*) FROM participants GROUP BY status",
    "SELECT type, count(DISTINCT participant_id) FROM milestones GROUP BY type",
    "SELECT kind, count(*), count(DISTINCT participant_id) FROM contacts GROUP BY kind",
    "SELECT service, decision, count(*) FROM choices GROUP BY service, decision",
    "SELECT participant_id, min(taken_on), max(taken_on), count(*) FROM assessments"
    " GROUP BY participant_id",
    "SELECT count(*) FROM pauses",
    "SELECT count(*) FROM referrals",
):
    try:
        print(conn.execute(sql).fetchall()[:3])
    except Exception as exc:  # a column named differently: the baseline skips that figure
        print("skipped", exc)
"""
)

BARE_CHECK = (
    OPEN
    + """
path, key = sys.argv[1:3]
conn = connect(path, key)
print(conn.execute("PRAGMA integrity_check").fetchall())
if key:
    print(conn.execute("PRAGMA cipher_integrity_check").fetchall())
print(conn.execute("PRAGMA foreign_key_check").fetchall())
"""
)

BARE_EXPORT = (
    OPEN
    + """
import csv, os
path, key, out = sys.argv[1:4]
conn = connect(path, key)
os.makedirs(out)
names = [r[0] for r in conn.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    " AND name NOT LIKE 'participant_search%'")]
for name in names:
    cursor = conn.execute(f'SELECT * FROM "{name}"')
    with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([d[0] for d in cursor.description])
        for row in cursor:  # streamed: one row at a time
            writer.writerow(row)
"""
)

BARE_INSERT = (
    OPEN
    + """
import pickle
path, key, rows_file = sys.argv[1:4]
with open(rows_file, "rb") as handle:
    tables = pickle.load(handle)
conn = connect(path, key)
conn.isolation_level = None
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("BEGIN")
for name, columns, rows in tables:
    marks = ", ".join("?" * len(columns))
    cols = ", ".join(f'"{c}"' for c in columns)
    conn.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({marks})', rows)
conn.execute("COMMIT")
"""
)

BARE_BACKUP = (
    OPEN
    + """
path, key, out = sys.argv[1:4]
src = connect(path, key)
dst = connect(out, key)
src.backup(dst)  # page by page
dst.close()
check = connect(out, key)
print(check.execute("PRAGMA quick_check").fetchall())
"""
)

BARE_REKEY = (
    OPEN
    + """
path, key, new = sys.argv[1:4]
conn = connect(path, key)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA rekey = '" + new.replace("'", "''") + "'")
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
"""
)

# What `passphrase` does, done minimally with the same libraries: the strength check (zxcvbn),
# a backup by the backup API verified by reopening it, the rekey, and the backup re-keyed too.
BARE_PASSPHRASE = (
    OPEN
    + """
import os
from zxcvbn import zxcvbn
path, key, new = sys.argv[1:4]
print(zxcvbn(new[:100])["guesses_log10"])
folder = os.path.join(os.path.dirname(path), "backups")
os.makedirs(folder)
backup = os.path.join(folder, "backup.db")
conn = connect(path, key)
copy = connect(backup, key)
conn.backup(copy)
copy.close()
check = connect(backup, key)
print(check.execute("PRAGMA integrity_check").fetchall())
print(check.execute("PRAGMA cipher_integrity_check").fetchall())
print(check.execute("SELECT count(*) FROM participants").fetchone())
check.close()
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA rekey = '" + new.replace("'", "''") + "'")
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.close()
copy = connect(backup, key)
copy.execute("PRAGMA rekey = '" + new.replace("'", "''") + "'")
copy.close()
"""
)


def _script(name: str, text: str) -> Path:
    path = scratch() / f"bare_{name}.py"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return path


def _env(encrypted: bool) -> dict[str, str]:
    env = python_env(JOURNEYAPP_BUNDLE_PASSPHRASE=BUNDLE_PHRASE)
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    env.pop("JOURNEYAPP_DB", None)
    if encrypted:
        env["JOURNEYAPP_PASSPHRASE"] = PASSPHRASE
    return env


def _app(*args: str) -> list[str]:
    return [sys.executable, "-m", "journeyapp", *args]


def compare(
    name: str,
    master: Path,
    ours: Callable[[Path], list[str]],
    bare_script: Path,
    bare: Callable[[Path], list[str]],
    *,
    encrypted: bool = False,
    repeat: int = REPEAT,
) -> tuple[Run, Run]:
    """Run our command and the baseline interleaved, each on a fresh copy of `master`."""
    env = _env(encrypted)

    def mine() -> Run:
        return run_process(ours(fresh_copy(master, f"{name}-ours")), env)

    def theirs() -> Run:
        path = fresh_copy(master, f"{name}-bare")
        return run_process([sys.executable, str(bare_script), *bare(path)], env)

    return interleaved_runs(mine, theirs, repeat)


def show(
    what: str,
    ours: Run,
    bare: Run,
    baseline_name: str,
    *,
    ratio: float | None = None,
    under_s: float | None = None,
    memory: bool = False,
) -> None:
    """Print the time figure (with its target when given) and, when asked, the memory one."""
    target, ok = "", None
    if ratio is not None:
        target, ok = f"<= {ratio}x baseline", ours.wall <= ratio * bare.wall
        if under_s is not None:
            target += f" and < {under_s} s"
            ok = ok and ours.wall < under_s
    figure(
        f"{what}, process start to exit",
        ours.wall,
        "s",
        baseline=bare.wall,
        baseline_name=baseline_name,
        target=target,
        ok=ok,
    )
    print(f"   (CPU: ours {ours.cpu:.2f} s, baseline {bare.cpu:.2f} s)", flush=True)
    if memory:
        figure(
            f"{what}, peak memory",
            ours.peak_mib,
            "MiB",
            baseline=bare.peak_mib,
            baseline_name=f"{baseline_name}, streaming",
            target=f"<= 2x baseline and <= {MIB_CAP} MiB",
            ok=ours.peak_mib <= 2 * bare.peak_mib and ours.peak_mib <= MIB_CAP,
        )
        if ours.one_process_mib < ours.peak_mib - 1:  # a helper process ran beside it
            print(
                f"   (the largest one process of ours: {ours.one_process_mib:.1f} MiB; the figure"
                " is the whole process tree at once)",
                flush=True,
            )


def _someone(master: Path) -> tuple[str, str]:
    """A parent with a full journey (id, preferred name) in `master`."""
    conn = sqlite3.connect(f"file:{master}?mode=ro", uri=True)
    row = conn.execute(
        "SELECT p.id, p.preferred_name FROM participants p JOIN contacts c ON c.participant_id = p.id"
        " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"
    ).fetchone()
    conn.close()
    return str(row[0]), str(row[1])


def _new_rows(before: Path, after: Path) -> list[tuple[str, list[str], list[tuple[object, ...]]]]:
    """Every row in `after` that is not in `before`, table by table (what a command wrote).

    Full-text tables are read through the table itself with their rowids (their shadow tables
    are the index's own business); tables kept by triggers are left to the triggers."""
    conn = sqlite3.connect(after)
    conn.execute("ATTACH DATABASE ? AS old", [str(before)])
    found = conn.execute(
        "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM main.sqlite_master"
        " WHERE type = 'table' AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        # kept by triggers on participants: the baseline's inserts fire them too
        " AND name != 'caseload_list'"
    ).fetchall()
    virtual = [name for name, is_virtual in found if is_virtual]
    shadows = ("_data", "_idx", "_content", "_docsize", "_config")
    tables = []
    for name, is_virtual in found:
        if any(name == v + s for v in virtual for s in shadows):
            continue
        columns = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{name}")')]
        what = "rowid, *" if is_virtual else "*"
        if is_virtual:
            columns = ["rowid", *columns]
        rows = conn.execute(
            f'SELECT {what} FROM main."{name}" EXCEPT SELECT {what} FROM old."{name}"'
        ).fetchall()
        if rows:
            tables.append((name, columns, rows))
    conn.close()
    return tables


def _parents(master: Path) -> int:
    """How many parents an encrypted caseload from caseloads.caseload_file holds."""
    from benchmarks.caseloads import PASSPHRASE as KEY
    from journeyapp.store.db import plain_connection

    conn = plain_connection(master, KEY)
    try:
        return int(conn.execute("SELECT count(*) FROM participants").fetchone()[0])
    finally:
        conn.close()


def _parents_csv(path: Path, n: int) -> Path:
    localities = ("edinburgh", "fife", "glasgow", "north_lanarkshire", "south_lanarkshire")
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ref", "Preferred Name", "locality", "Joined_On", "full name", "status"])
        for i in range(n):
            writer.writerow(
                [
                    f"BEN-{i:05d}",
                    f"Parent {i}",
                    localities[i % 5],
                    "2026-03-02",
                    f"Parent {i} Fictional",
                    "active",
                ]
            )
    return path


def _empty_caseload() -> Path:
    from journeyapp.caseload import Caseload

    path = scratch() / "caseloads" / "empty.db"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        Caseload.open(path, create=True, plain=True).close()
    return path


def main() -> None:
    """Print every command's time (and the memory figures) beside its baseline, with verdicts."""
    heading("commands: process start to exit, beside a minimal script doing the same work")
    small = caseload_file(SMALL)
    large = caseload_file(LARGE)

    pid, _ = _someone(small)
    ours, bare = compare(
        "plan",
        small,
        lambda p: _app("plan", pid, "--db", str(p), "--out", str(p.with_suffix(".pdf"))),
        _script("plan", BARE_PLAN),
        lambda p: [str(p), "", pid, str(p.with_suffix(".pdf"))],
    )
    show(
        f"plan for one parent ({SMALL:,} parents)",
        ours,
        bare,
        "minimal reportlab script",
        ratio=1.3,
    )

    for size, master in ((SMALL, small), (LARGE, large)):
        ours, bare = compare(
            f"report-{size}",
            master,
            lambda p: _app("report", "--db", str(p)),
            _script("report", BARE_REPORT),
            lambda p: [str(p), ""],
        )
        show(
            f"report ({size:,} parents)",
            ours,
            bare,
            "bare SQL aggregation",
            ratio=2,
            under_s=1.0 if size == LARGE else None,
            memory=size == LARGE,
        )

    ours, bare = compare(
        "check",
        small,
        lambda p: _app("check", "--db", str(p)),
        _script("check", BARE_CHECK),
        lambda p: [str(p), ""],
    )
    show(f"check ({SMALL:,} parents; no target set)", ours, bare, "PRAGMA integrity_check")

    for size, master in ((SMALL, small), (LARGE, large)):
        ours, bare = compare(
            f"export-{size}",
            master,
            lambda p: _app("export", "--db", str(p), "--out", str(p.parent / "csv")),
            _script("export", BARE_EXPORT),
            lambda p: [str(p), "", str(p.parent / "csv")],
            # at the large size the figure with a target is memory: 3 runs keep the group short
            repeat=REPEAT if size == SMALL else 3,
        )
        show(
            f"export to CSV ({size:,} parents; time: no target set)",
            ours,
            bare,
            "every table streamed to CSV",
            memory=size == LARGE,
        )

    # import: the same CSV into an empty caseload; the baseline inserts the rows it wrote.
    empty = _empty_caseload()
    parents_csv = _parents_csv(scratch() / "parents.csv", SMALL)
    probe = fresh_copy(empty, "import-probe")
    run_process(_app("import", "--db", str(probe), str(parents_csv)), _env(False))
    rows_file = scratch() / "import-rows.pickle"
    rows_file.write_bytes(pickle.dumps(_new_rows(empty, probe)))
    ours, bare = compare(
        "import",
        empty,
        lambda p: _app("import", "--db", str(p), str(parents_csv)),
        _script("insert", BARE_INSERT),
        lambda p: [str(p), "", str(rows_file)],
    )
    show(
        f"import of {SMALL:,} parents (CSV)",
        ours,
        bare,
        "bare executemany of the same rows and log events",
        ratio=3,
    )

    # merge: a laptop's bundle of the small caseload into an empty coordinator's caseload.
    bundle = scratch() / "laptop.jlb"
    run_process(
        _app("bundle", "--db", str(fresh_copy(small, "bundle")), "--out", str(bundle)), _env(False)
    )
    probe = fresh_copy(empty, "merge-probe")
    run_process(_app("merge", "--db", str(probe), str(bundle)), _env(False))
    merge_rows = scratch() / "merge-rows.pickle"
    merge_rows.write_bytes(pickle.dumps(_new_rows(empty, probe)))
    ours, bare = compare(
        "merge",
        empty,
        lambda p: _app("merge", "--db", str(p), str(bundle)),
        _script("insert", BARE_INSERT),
        lambda p: [str(p), "", str(merge_rows)],
    )
    show(
        f"merge a {SMALL:,}-parent laptop's bundle (no target set here; see exchange)",
        ours,
        bare,
        "bare executemany of the rows the merge writes",
    )

    large_encrypted = caseload_file(LARGE, encrypted=True)
    ours, bare = compare(
        "backup",
        large_encrypted,
        lambda p: _app("backup", "--db", str(p), "--out", str(p.with_suffix(".bak"))),
        _script("backup", BARE_BACKUP),
        lambda p: [str(p), PASSPHRASE, str(p.with_suffix(".bak"))],
        encrypted=True,
        repeat=3,  # a minute a backup at 10,000 parents; the figure with a target is memory
    )
    show(
        f"backup ({LARGE:,} parents, encrypted; time: no target set)",
        ours,
        bare,
        "SQLite backup API + quick_check",
        memory=True,
    )

    passphrase(caseload_file(SMALL, encrypted=True))


def passphrase(master: Path) -> None:
    """`passphrase` on copies of the encrypted `master`, interleaved with the same four steps
    done bare and with the rekey alone; the peak memory's verdict is against the four steps."""
    new_phrase = scratch() / "new-passphrase.txt"
    new_phrase.write_text("another long benchmark passphrase, still not a secret", encoding="utf-8")
    env = _env(True)
    new_text = new_phrase.read_text(encoding="utf-8")

    def bare_run(script: Path, name: str) -> Run:
        path = fresh_copy(master, name)
        return run_process([sys.executable, str(script), str(path), PASSPHRASE, new_text], env)

    mine: list[Run] = []
    fair: list[Run] = []
    rekey_only: list[Run] = []
    for _ in range(REPEAT):  # interleaved: ours, the same four steps bare, the rekey alone
        path = fresh_copy(master, "passphrase-ours")
        mine.append(
            run_process(
                _app("passphrase", "--db", str(path), "--new-passphrase-file", str(new_phrase)),
                env,
            )
        )
        fair.append(bare_run(_script("passphrase", BARE_PASSPHRASE), "passphrase-bare"))
        rekey_only.append(bare_run(_script("rekey", BARE_REKEY), "passphrase-rekey"))
    ours, bare, rekey = median_runs(mine), median_runs(fair), median_runs(rekey_only)
    show(
        f"change passphrase ({_parents(master):,} parents, encrypted; time: no target set)",
        ours,
        bare,
        "zxcvbn check, backup + verify, rekey, backup re-keyed",
        memory=True,
    )
    figure(
        "   for information, PRAGMA rekey alone: peak memory",
        rekey.peak_mib,
        "MiB",
    )
    print(f"   (rekey alone: {rekey.wall:.2f} s, CPU {rekey.cpu:.2f} s)", flush=True)


if __name__ == "__main__":
    main()
