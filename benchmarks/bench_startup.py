"""Start-up: process start to the window painted and ready for input, through the real entry point.

`python -m journeyapp --db FILE` (passphrase from $JOURNEYAPP_PASSPHRASE when encrypted) runs
offscreen with $JOURNEYAPP_REPORT_READY=FILE: the app writes the time when its main window has
painted and the event loop is idle. The baseline, in the same run and interleaved with ours, is
a process that opens the same file with sqlcipher3 and the same key, reads the same rows with
the caseload query, and shows them in a bare QMainWindow + QTableView (same ready signal).
Each process is stopped once ready; its peak memory (VmHWM) is reported too.
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import time
from pathlib import Path

from benchmarks.caseloads import LARGE, PASSPHRASE, SMALL, TODAY, caseload_file, fresh_copy
from benchmarks.common import REPEAT, figure, heading, peak_mib, python_env, scratch

TIMEOUT_S = 300

BARE_WINDOW = r"""
import sys, time
from pathlib import Path
path, key, sql_file, ready = sys.argv[1:5]
import sqlcipher3
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

app = QApplication(sys.argv[:1])
conn = sqlcipher3.connect(path)
if key:
    conn.execute("PRAGMA key = '" + key.replace("'", "''") + "'")
    conn.execute("PRAGMA cipher_compatibility = 4")
rows = conn.execute(Path(sql_file).read_text(), {"today_jd": float(sys.argv[5])}).fetchall()


class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 6

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(rows[index.row()][index.column() + 1])
        return None


class Ready(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: Path(ready).write_text(repr(time.time())))
        return False


window = QMainWindow()
table = QTableView()
model = Model()
table.setModel(model)
window.setCentralWidget(table)
window.resize(1280, 760)
ready_filter = Ready()
window.installEventFilter(ready_filter)
window.show()
app.exec()
"""


def _until_ready(args: list[str], env: dict[str, str], ready: Path) -> tuple[float, float]:
    """Start a process; seconds from its start to the time it wrote in `ready`, and its peak MiB."""
    import subprocess

    ready.unlink(missing_ok=True)
    started = time.time()
    proc = subprocess.Popen(
        args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + TIMEOUT_S
    while not ready.exists() or not ready.read_text():
        if proc.poll() is not None:
            problem = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"{args} exited {proc.returncode} before ready:\n{problem[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{args} not ready within {TIMEOUT_S} s")
        time.sleep(0.005)
    at = float(ready.read_text())
    peak = peak_mib(proc.pid)  # its own address space's peak (ru_maxrss would count ours)
    os.kill(proc.pid, signal.SIGKILL)  # once ready, nothing more to measure
    proc.wait()
    if proc.stderr:
        proc.stderr.close()
    return at - started, peak


def measure(parents: int, encrypted: bool) -> tuple[float, float, float, float]:
    """Medians (ours s, baseline s, ours MiB, baseline MiB) of interleaved start-ups."""
    from journeyapp.store import queries

    master = caseload_file(parents, encrypted=encrypted)
    name = f"startup-{parents}-{'enc' if encrypted else 'plain'}"
    sql = scratch() / "caseload.sql"
    sql.write_text(queries._CASELOAD_SQL + queries.CASELOAD_ORDER, encoding="utf-8")
    script = scratch() / "bare_window.py"
    script.write_text(BARE_WINDOW, encoding="utf-8")
    ready = scratch() / "ready"
    key = PASSPHRASE if encrypted else ""
    env = python_env()
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    if encrypted:
        env["JOURNEYAPP_PASSPHRASE"] = PASSPHRASE
    ours_env = dict(env, JOURNEYAPP_REPORT_READY=str(ready))
    today_jd = str(TODAY.toordinal() + 1_721_424.5)
    mine, theirs, mine_mib, theirs_mib = [], [], [], []
    for n in range(REPEAT + 1):  # the first pair warms the disk cache and is not counted
        path = fresh_copy(master, name)  # a fresh file each time: no backups, no leftovers
        ours = _until_ready(
            [sys.executable, "-m", "journeyapp", "--db", str(path)], ours_env, ready
        )
        bare = _until_ready(
            [sys.executable, str(script), str(path), key, str(sql), str(ready), today_jd],
            env,
            ready,
        )
        if n:
            mine.append(ours[0])
            mine_mib.append(ours[1])
            theirs.append(bare[0])
            theirs_mib.append(bare[1])
    return (
        statistics.median(mine),
        statistics.median(theirs),
        statistics.median(mine_mib),
        statistics.median(theirs_mib),
    )


def main() -> None:
    """Print start-up time and memory beside the bare-window baseline, with verdicts."""
    heading("startup: process start to window painted and ready for input")
    for parents in (SMALL, LARGE):
        for encrypted in (False, True):
            what = f"{parents:,} parents, {'encrypted' if encrypted else 'plain'}"
            ours, bare, ours_mib, bare_mib = measure(parents, encrypted)
            figure(
                f"window ready from process start ({what})",
                ours,
                "s",
                baseline=bare,
                baseline_name="sqlcipher3 open + bare QMainWindow/QTableView, same rows",
                target="<= 1.5x baseline",
                ok=ours <= 1.5 * bare,
            )
            if parents == LARGE:
                figure(
                    f"  peak memory of the window ({what})",
                    ours_mib,
                    "MiB",
                    baseline=bare_mib,
                    baseline_name="the bare window",
                    target="<= 2x baseline and <= 150 MiB",
                    ok=ours_mib <= 2 * bare_mib and ours_mib <= 150,
                )


if __name__ == "__main__":
    main()
