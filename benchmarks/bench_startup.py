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

app = QApplication.instance() or QApplication(sys.argv[:1])  # responsive's watcher made one
if len(sys.argv) > 6:  # passphrase in hand, libraries loaded: the unlock's starting line
    Path(sys.argv[6]).write_text(repr(time.time()))
conn = sqlcipher3.connect(path)
if key:
    conn.execute("PRAGMA key = '" + key.replace("'", "''") + "'")
    conn.execute("PRAGMA cipher_compatibility = 4")
today_jd = float(sys.argv[5])  # the list's query, as the window runs it: today both ways
today = __import__("datetime").date.fromordinal(int(today_jd - 1_721_424.5)).isoformat()
rows = conn.execute(Path(sql_file).read_text(), {"today_jd": today_jd, "today": today}).fetchall()


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


# Runs the real entry point (`python -m journeyapp --db FILE`, no passphrase given) and, as a
# person would, types the passphrase into the unlock dialog once it is on screen and presses
# Enter, writing the time of that Enter to the file named first. Nothing here changes what the
# app does after Enter: the app makes its QApplication itself (Fusion from the start, as for a
# person; one made here had the window set the style after Enter, which sets up QStyle's
# Python type, 4 ms), and the dialog is found through its class, not by asking Qt for every
# top-level widget (PySide set up every widget class it knows for that, before the Enter, so
# the app's own first such question after it cost nothing). The caseload's code loads first,
# then the window's, as start._open_window loads them.
UNLOCK = r"""
import runpy, sys, time
from pathlib import Path

enter_file, phrase = sys.argv[1:3]
import journeyapp.caseload  # noqa: F401
from journeyapp.ui.dialogs import passphrase
from journeyapp.ui.first_paint import AfterFirstPaint
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

shown = passphrase.UnlockDialog.showEvent


def show_then_type(dialog, event):
    shown(dialog, event)

    def type_passphrase():
        dialog.passphrase.setText(phrase)  # the typing itself is the person's time, not the app's
        Path(enter_file).write_text(repr(time.time()))
        QTest.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    if not Path(enter_file).exists():  # once painted, as a person sees it before typing
        AfterFirstPaint(dialog, type_passphrase)


passphrase.UnlockDialog.showEvent = show_then_type
sys.argv = ["journeyapp", *sys.argv[3:]]
runpy.run_module("journeyapp", run_name="__main__", alter_sys=True)
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


def measure_unlock(parents: int) -> tuple[float, float]:
    """Medians (ours s, baseline s) from the passphrase in hand to the window ready: ours from
    Enter in the real unlock dialog, the baseline from just before its sqlcipher3 open."""
    from journeyapp.store import queries

    master = caseload_file(parents, encrypted=True)
    sql = scratch() / "caseload.sql"
    sql.write_text(queries._CASELOAD_SQL + queries.CASELOAD_ORDER, encoding="utf-8")
    bare_script = scratch() / "bare_window.py"
    bare_script.write_text(BARE_WINDOW, encoding="utf-8")
    unlock_script = scratch() / "unlock.py"
    unlock_script.write_text(UNLOCK, encoding="utf-8")
    ready, mark = scratch() / "ready", scratch() / "enter"
    env = python_env()
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    today_jd = str(TODAY.toordinal() + 1_721_424.5)
    mine, theirs = [], []
    for n in range(REPEAT + 1):  # the first pair warms the disk cache and is not counted
        path = fresh_copy(master, f"unlock-{parents}")
        mark.unlink(missing_ok=True)
        args = [sys.executable, str(unlock_script), str(mark), PASSPHRASE, "--db", str(path)]
        _until_ready(args, dict(env, JOURNEYAPP_REPORT_READY=str(ready)), ready)
        ours = float(ready.read_text()) - float(mark.read_text())
        mark.unlink()
        args = [sys.executable, str(bare_script), str(path), PASSPHRASE, str(sql), str(ready)]
        _until_ready([*args, today_jd, str(mark)], env, ready)
        bare = float(ready.read_text()) - float(mark.read_text())
        if n:
            mine.append(ours)
            theirs.append(bare)
    return statistics.median(mine), statistics.median(theirs)


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
    heading("startup: passphrase typed into the unlock dialog, Enter, to the window ready (#13)")
    for parents in (SMALL, LARGE):
        ours, bare = measure_unlock(parents)
        figure(
            f"passphrase -> window usable ({parents:,} parents, encrypted)",
            ours,
            "s",
            baseline=bare,
            baseline_name="from the key given to sqlcipher3 to a bare window of the same rows",
            target="<= 1.5x baseline",
            ok=ours <= 1.5 * bare,
        )


if __name__ == "__main__":
    main()
