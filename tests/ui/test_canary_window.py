"""The canary in every command and in the window (issue 17), on a laptop's fresh folders (home,
temp, data, config, cache, state, the working folder).

First every command the canary day (tests/test_canary_day.py) does not run, the canary given
in every kind of words a command takes (name, address, phone, email, goal, step, referral,
self-assessment, contact, milestone, pace, choice, stage and break words), a few refused with
it, and the outputs: the plans and the calendar asked for, the pseudonymised export, the
report and the return (which must hold no name or word of a parent's).

Then the window, with the canary typed into every kind of box (enrolment,
About details saved and unsaved, the search box, every form that keeps drafts, once saved and
once left typed), the plan printed on a PDF printer and a print that fails, killed with -9 once at a
moment chosen at random and once with every form open and typed. Then every file in those
folders is searched (tests/test_canary_day.search: every encoding, PDF text, zip members,
SQLite files decrypted with the passphrase, file names) and the canary must be found only
inside the encrypted caseload and its backups, the passphrases nowhere.

A printed plan's pages are pictures of the plan (the parent's name is on them, as printed);
the print job's name is the print system's to keep (job history, page log, a PDF printer's
file name and title): it never names the parent.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from journeyapp import security
from journeyapp.caseload import Caseload
from journeyapp.ui import app as ui_app
from tests.cli.test_commands import NAMES
from tests.clock import real_quarter, real_today
from tests.test_canary_day import BUNDLE, CANARY, P1, ROOT, Day, search

CHILD = "tests.ui.canary_window_child"
# Run by the canary day, with the canary in what they read and write.
IN_THE_DAY = {"import", "plan", "export", "bundle", "merge", "backup", "check", "passphrase"}
IN_THE_DAY |= {"erase", "restore"}


def _commands(day: Day, asked: Path) -> set[str]:
    """Every other command, the canary in every kind of words; returns the commands run."""
    ran: set[str] = set()

    def run(*args: str, check: bool = True) -> str:
        ran.add(args[0])
        return day.run(*args, check=check)

    run("new")
    run("settings", "--your-name", "Kim Keyworker", "--organisation", "Making It Work")
    c = CANARY
    run(
        *("parent", "--new", "--name", c, "--full-name", f"{c} Quillfeather"),
        *("--locality", "fife", "--phone", f"0770 {c}", "--email", f"{c}@example.org"),
        *("--address", f"1 {c} Road", "--referral-source", f"{c}'s aunt"),
        *("--add-child", "3", "--childcare-needs", f"{c}'s nursery"),
    )
    run("parent", c, "--consent", "holding_data=given", "--how", f"{c} said yes on the phone")
    run("goal", c, "--log", "--words", f"{c} wants to go to college")
    goal = run("goal", c).split()[0]  # each goal's line starts with its id
    run("step", c, "--log", "--goal", goal, "--what", f"{c} phones the college")
    run("referral", c, "--log", "--organisation", f"{c}'s college", "--reason", f"{c} asked")
    run("assessment", c, "--log", "--score", "confidence=4", "--comment", f"{c} feels better")
    run(
        *("contact", c, "--log", "--note", f"{c} talked about the move"),
        *("--venue", f"{c}'s kitchen", "--next-step", f"{c} brings her CV"),
    )
    run("milestone", c, "--log", "--type", "first_meeting", "--note", f"{c} came along")
    run("pace", c, "--set", "gently", "--check-in", "weekly", "--reason", f"{c} is tired")
    run(
        *("choice", c, "--service", "volunteering", "--decision", "chosen"),
        *("--reason", f"{c} likes the shop", "--provider", f"{c}'s charity shop"),
    )
    run("stage", c, "--to", "getting_connected", "--note", f"{c} joined the group")
    run("strength", c, "--log", "--words", f"{c} is good with people")
    run("strength", c, "--log", "--in-the-way", "--words", f"{c}'s debts")
    run("meeting", c, "--log", "--on", real_today().isoformat(), "--place", f"{c}'s flat")
    run("meeting", c, "--log", "--on", real_today().isoformat(), "--with", f"{c}'s sister")
    run("feedback", c, "--log", "--said", f"{c} says the group starts too early")
    run("parent", c, "--consent", "group_registers=given", "--how", f"{c} ticked the box")
    run(
        *("group", "--log", "--activity", f"{c}'s cooking club"),
        *("--venue", f"{c} hall", "--came", c),
    )
    run("break", c, "--take", "--reason", f"{c}'s mother is ill")
    run("break", c, "--pick-up-again")
    for command in ("job", "answers", "journey", "parent", "goal", "step", "referral"):
        run(command, c)
    for command in ("assessment", "contact", "milestone", "pace", "choice", "stage", "break"):
        run(command, c)
    for command in ("strength", "meeting", "feedback"):
        run(command, c)
    run("group")
    # Refused, the canary in what was refused: said on the screen, kept nowhere.
    run("contact", c, "--log", "--on", f"{c} day", check=False)
    run("parent", "--new", "--name", f"{c}2", "--locality", f"{c}shire", check=False)
    run("goal", f"{c} nobody", check=False)
    run("search", f"{c} talked")
    for command in (
        "appointments",
        "week",
        "report",
        "retention",
        "devices",
        "decisions",
        "lookup",
    ):
        run(command)
    run("journey", c, "--moved-on", "--destination", "work", "--words", f"{c} is off to work")
    run("journey", c, "--welcome-back")
    run("return", "--quarter", real_quarter(), "--check")
    run("return", "--quarter", real_quarter(), "--out", str(day.work / "return.xlsx"))
    run("report", "--out", str(day.work / "report.pdf"))
    run("export", "--format", "xlsx", "--out", str(day.work / "pseudonymised.xlsx"))
    run("bundle", "--out", str(day.work / "to-the-coordinator.jlb"))
    run("partnership-key", "--save", str(day.work / "partnership.key"))
    run("backup")
    run("appointments", "--ics", str(asked / "meetings.ics"))
    run("plans", "--out", str(asked / "plans"))
    run("plan", c, "--out", str(asked / "plan.pdf"))
    run("demo", "--db", str(day.work / "demo.db"))
    run("check")
    return ran


def _child(day: Day, printed: Path, stderr: Path) -> subprocess.Popen[str]:
    """The window's child, its error output kept outside the laptop's folders."""
    with stderr.open("w", encoding="utf-8") as err:
        return subprocess.Popen(
            [sys.executable, "-m", CHILD, str(day.db), P1, CANARY, str(printed)],
            env={**day.env, "JOURNEYAPP_PASSPHRASE": P1},
            cwd=day.work,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )


def _kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL


def test_the_canary_is_only_in_the_encrypted_caseload_after_every_command_and_the_window(
    tmp_path: Path,
) -> None:
    day = Day(tmp_path / "laptop")
    asked = day.work / "asked"
    ran = _commands(day, asked)
    assert ran | IN_THE_DAY == set(NAMES), "a new command: give it the canary here"
    printed = day.folders["home"] / "printed.pdf"
    stderr = tmp_path / "window-stderr.txt"
    # Killed at a moment chosen at random: on its way up, enrolling, typing, saving, printing.
    random_kill = _child(day, printed, stderr)
    time.sleep(random.Random(17).uniform(1.0, 5.0))
    _kill(random_kill)
    # Then every form open and typed, killed once the drafts were kept.
    typing = _child(day, printed, stderr)
    assert typing.stdout is not None
    line = typing.stdout.readline()
    _kill(typing)
    said = stderr.read_text(encoding="utf-8")
    assert line.strip() == "TYPED", (line, said)  # (after it: the forms that did not save)
    assert "Traceback" not in said, said
    day.run("check")  # the next start tidies what the killed runs left
    # What the window saved (strengths, feedback, a meeting, a job, a group session among it)
    # goes out pseudonymised as everything else does: no word of theirs.
    day.run("export", "--out", str(day.work / "after-the-window"))
    day.run("return", "--quarter", real_quarter(), "--out", str(day.work / "after.xlsx"))

    meant = {
        day.db.parent: "encrypted",
        asked: "asked for",
        day.work / "to-the-coordinator.jlb": "encrypted",
    }
    report = search(day, meant, [P1, BUNDLE])
    assert report["unexpected"] == [], report
    # The passphrases were given in the environment: in no file, in any form.
    for secret in (P1, BUNDLE):
        forms = {secret.encode(), secret.encode("utf-16-le"), secret.encode("utf-16-be")}
        for file in (p for p in day.root.rglob("*") if p.is_file()):
            data = file.read_bytes()
            assert not any(form in data for form in forms), (secret, file)
    hits = report["hits"]
    assert isinstance(hits, dict)
    # It was really typed and kept: in the caseload (and its drafts), found once decrypted.
    caseload_hits = [v for k, v in hits.items() if k.startswith("data/JourneyApp/caseload.db")]
    assert any("decrypted" in v for v in caseload_hits), report
    assert any(k.startswith("work/asked/plans/") for k in hits), report  # the plans asked for
    assert printed.stat().st_size > 0  # printed: the pages, as pictures


def test_the_window_from_its_first_dialog_lists_no_recent_files_and_says_no_fault_s_words(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the first dialog (unlock, first run) on:

    - the window's file dialogs are Qt's own, which remember only folders. The desktop's own
      (GTK's on GNOME and its kin, KDE's, Windows') add each file saved or opened to a list of
      recent files kept on disk (GTK's recently-used.xbel): a plan saved as
      plan-<their name>.pdf named the parent there, readable without the passphrase and kept
      after their erasure;
    - a fault of ours is written to the error output without its message (see the test below);
    - every box typed in tells the input method its words are private (Qt's ImhSensitiveData:
      not to be kept in a user dictionary on disk, as an engine that learns keeps words).
    """
    native = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    path = tmp_path / "secret.db"
    Caseload.open(path, P1, create=True).close()
    seen: list[object] = []

    def unlock(_parent: object, _path: Path) -> None:
        seen.extend([QApplication.testAttribute(native), sys.excepthook])
        for box in (QLineEdit(), QPlainTextEdit()):
            qtbot.addWidget(box)
            box.show()
            qtbot.waitExposed(box)
            box.activateWindow()
            box.setFocus()
            qtbot.waitUntil(box.hasFocus)
            private = Qt.InputMethodHint.ImhSensitiveData
            seen.append(bool(box.inputMethodHints() & private))
            asked = box.inputMethodQuery(Qt.InputMethodQuery.ImHints)
            seen.append(bool(Qt.InputMethodHint(int(asked)) & private))  # what an IM is told
        # (None: as if Cancel was pressed.)

    monkeypatch.setattr(security, "harden_process", lambda: None)
    monkeypatch.setattr(security, "setup_logging", lambda: None)
    monkeypatch.setattr(ui_app, "open_caseload_interactively", unlock)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back afterwards
    before = QApplication.testAttribute(native)
    QApplication.setAttribute(native, False)
    try:
        assert ui_app.run(path) == 1
    finally:
        QApplication.setAttribute(native, before)
    assert seen == [True, ui_app.faults_told, True, True, True, True]


FAULT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from journeyapp.ui.app import faults_told
sys.excepthook = faults_told  # as the window sets it
app = QApplication([])
save = QPushButton("Save")
save.clicked.connect(lambda: int(sys.argv[1]))  # a fault of ours, saying what was typed
told = []


def read_the_box():
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        told.append(box.windowTitle() + ": " + box.text())
        box.done(0)
    else:
        QTimer.singleShot(20, read_the_box)


QTimer.singleShot(0, save.click)
QTimer.singleShot(0, save.click)  # the same fault again: one box
QTimer.singleShot(10, read_the_box)
QTimer.singleShot(1500, app.quit)
app.exec()
print(len(told), told)
"""


def test_a_fault_in_the_window_is_said_without_the_words_it_quotes(tmp_path: Path) -> None:
    """The error output of a window started from the desktop is kept, unencrypted, in the
    system journal or ~/.xsession-errors: a fault of ours is said there with its kind and
    where it happened, not with its message (here, the words typed). $JOURNEYAPP_DEBUG=1
    shows it whole. And the person is told, in words, that what they asked for may not have
    been done (before, a Save that failed this way only seemed to do nothing): one box, however
    often the fault repeats."""
    words = f"{CANARY} is moving to the refuge"
    env = {k: v for k, v in os.environ.items() if k != "JOURNEYAPP_DEBUG"}
    env |= {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    for debug in (False, True):
        done = subprocess.run(
            [sys.executable, "-c", FAULT, words],
            env={**env, "JOURNEYAPP_DEBUG": "1"} if debug else env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        said = done.stderr
        assert "ValueError" in said, said
        assert "line 9, in <lambda>" in said, said  # where it happened
        assert (CANARY in said) is debug, said
        # The person is told, once, in words that mean something to them, never the fault's.
        assert done.stdout.startswith("1 ['Something went wrong: JourneyApp met a problem"), done
        assert CANARY not in done.stdout, done
        assert "ValueError" not in done.stdout, done
