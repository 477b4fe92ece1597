"""Background operations: own connection, own thread, progress and Cancel, results and errors
back on the window's thread, changes heard by the window, the window kept responsive."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core import file_digests
from journeyapp.core.changes import Changes
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.merge import MergeResult
from journeyapp.exchange.bundle import write_bundle
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs import bundle_dialog
from journeyapp.ui.dialogs.bundle_dialog import merge_from_bundle, send_bundle
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.operations import Operation, Progress
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.shell_helpers import Ticks, finish, with_modal

BUNDLE_PASSPHRASE = "a bundle passphrase"


def test_work_runs_on_its_own_thread_and_connection_while_timers_keep_firing(
    qtbot: QtBot, caseload: Caseload
) -> None:
    caseload.enrol_participant("Aileen", "fife")
    seen: dict[str, object] = {}

    def work(own: Caseload, progress: Progress) -> int:
        seen["thread"] = threading.get_ident()
        seen["connection"] = own.db.conn
        for step in range(40):  # about a second of steady work
            time.sleep(0.025)
            progress(step + 1, 40)
        return len(own.participants())

    results: list[int] = []
    ticks = Ticks()
    operation = Operation(parent=None, caseload=caseload, op=work, success=results.append)
    operation.with_progress("Working…").run_in_background()
    assert operation.dialog is not None
    assert operation.dialog.isVisible()
    finish(qtbot, operation)
    gap = ticks.stop()
    assert results == [1]
    assert seen["thread"] != threading.get_ident()
    assert seen["connection"] is not caseload.db.conn
    assert operation.dialog is None  # closed once the result is back
    assert len(ticks.times) > 40
    assert gap < 0.25, f"the window's thread stalled for {gap * 1000:.0f} ms"


def test_cancel_stops_the_work_between_steps(qtbot: QtBot, caseload: Caseload) -> None:
    steps: list[int] = []
    outcome: list[str] = []

    def work(_own: Caseload, progress: Progress) -> str:
        for step in range(1000):
            steps.append(step)
            time.sleep(0.01)
            progress(step, 1000)
        return "finished"

    operation = (
        Operation(parent=None, caseload=caseload, op=work, success=outcome.append)
        .with_progress("Working…")
        .on_cancelled(lambda: outcome.append("cancelled"))
        .run_in_background()
    )
    qtbot.waitUntil(lambda: len(steps) > 5)
    assert operation.dialog is not None
    [cancel] = operation.dialog.findChildren(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    finish(qtbot, operation)
    assert outcome == ["cancelled"]
    assert len(steps) < 1000
    assert operation.outcome == "cancelled"


def test_an_error_comes_back_as_its_message(qtbot: QtBot, caseload: Caseload) -> None:
    def work(_own: Caseload, _progress: Progress) -> None:
        raise ValidationError("Choose where to save the export first.")

    errors: list[JourneyError] = []
    operation = (
        Operation(parent=None, caseload=caseload, op=work, success=lambda _r: None)
        .failure(errors.append)
        .run_in_background()
    )
    finish(qtbot, operation)
    assert [e.message for e in errors] == ["Choose where to save the export first."]

    texts: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        box.accept()

    # Without a failure handler, the person sees the message (ui/errors.py), not a traceback.
    with_modal(
        qtbot,
        lambda: Operation(
            parent=None, caseload=caseload, op=work, success=lambda _r: None
        ).run_in_background(),
        read,
        kind=QMessageBox,
    )
    assert texts == ["Choose where to save the export first."]


def test_changes_made_on_the_operations_connection_reach_the_window(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    caseload.enrol_participant("Before", "fife")
    assert caseload.can_undo
    heard: list[Changes] = []
    caseload.subscribe(heard.append)

    def work(own: Caseload, _progress: Progress) -> str:
        with own.batch("import"):
            own.enrol_participant("Imported one", "fife")
            own.enrol_participant("Imported two", "glasgow")
        return "done"

    operation = Operation(parent=window, caseload=caseload, op=work, success=lambda _r: None)
    finish(qtbot, operation.run_in_background())
    assert len(heard) == 1
    assert heard[0].touches("participants")
    names = {
        window.panel.model.row_at(r).preferred_name for r in range(window.panel.model.rowCount())
    }
    assert {"Before", "Imported one", "Imported two"} <= names
    # A write that cannot be undone ends the undo history (undo would not know about it).
    assert not caseload.can_undo


def test_send_and_merge_a_bundle_off_the_windows_thread(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    out = tmp_path / "journey-log.jlb"
    texts: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        box.accept()

    with_modal(
        qtbot,
        lambda: send_bundle(None, demo_caseload, out=out, passphrase=BUNDLE_PASSPHRASE),
        read,
        kind=QMessageBox,
        timeout=20_000,
    )
    assert out.is_file()
    assert f"{demo_caseload.counts()['journey_log']:,} journey-log events" in texts[0]

    coordinator = Caseload.open(
        tmp_path / f"coord-{uuid.uuid4().hex[:4]}.db", create=True, plain=True, actor="coord"
    )
    coordinator.clock = ticking_clock(TODAY)
    heard: list[Changes] = []
    coordinator.subscribe(heard.append)
    merged: list[MergeResult] = []
    try:
        with_modal(
            qtbot,
            lambda: merge_from_bundle(
                None, coordinator, path=out, passphrase=BUNDLE_PASSPHRASE, done=merged.append
            ),
            read,
            kind=QMessageBox,
            timeout=20_000,
        )
        qtbot.waitUntil(lambda: bool(merged))
        assert coordinator.counts()["participants"] == demo_caseload.counts()["participants"]
        assert heard
        assert heard[-1].touches("participants")
    finally:
        coordinator.close()


def test_a_bundle_s_digest_is_worked_out_while_its_passphrase_is_typed(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ahead.jlb"
    write_bundle(demo_caseload, out, BUNDLE_PASSPHRASE)
    coordinator = Caseload.open(tmp_path / "coord-ahead.db", create=True, plain=True)
    coordinator.clock = ticking_clock(TODAY)
    coordinator.exchange.enrol_code(demo_caseload.exchange.enrolment_code(), "Demo laptop")
    begun: list[bool] = []

    def typing(answer: str | None) -> Callable[..., str | None]:
        def ask(*_args: object) -> str | None:
            begun.append(file_digests._key(out) in file_digests._ahead)
            return answer

        return ask

    def read(box: QDialog) -> None:
        box.accept()

    merged: list[MergeResult] = []
    try:
        # Cancelled at the passphrase: the digest begun for it is stopped and not kept.
        monkeypatch.setattr(bundle_dialog, "ask_passphrase", typing(None))
        assert merge_from_bundle(None, coordinator, path=out) is None
        assert begun == [True]
        assert file_digests._key(out) not in file_digests._ahead
        # Given: the merge takes the digest begun while it was typed, and notes the bundle.
        monkeypatch.setattr(bundle_dialog, "ask_passphrase", typing(BUNDLE_PASSPHRASE))
        with_modal(
            qtbot,
            lambda: merge_from_bundle(None, coordinator, path=out, done=merged.append),
            read,
            kind=QMessageBox,
            timeout=20_000,
        )
        qtbot.waitUntil(lambda: bool(merged))
        assert begun == [True, True]
        assert file_digests._key(out) not in file_digests._ahead
        assert coordinator.db.execute("SELECT count(*) FROM merged_bundles").fetchone() == (1,)
    finally:
        coordinator.close()


def test_the_automatic_backup_says_so_quietly_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    window.protect(check=False)
    try:
        assert window.backups is not None
        operation = window.backups.run(force=True)
        assert window.backup_status.text() == "Backing up…"
        assert window.backups.run(force=True) is None  # one at a time
        finish(qtbot, operation)
        when = caseload.clock().astimezone().strftime("%H:%M")
        assert window.backup_status.text() in {f"Backed up {when}", "Backed up " + when}
        assert len(caseload.safety.backups()) == 1
        assert window.backups.last_error == ""
    finally:
        assert window.lock is not None
        window.lock.detach()
        window.backups.stop() if window.backups is not None else None


def _damaged_past_the_first_pages(tmp_path: Path) -> Path:
    """An encrypted caseload with one flipped byte that opening does not read but the
    whole-file check does."""
    key = bytes(range(32))
    good = tmp_path / "good.db"
    caseload = Caseload.open(good, key, create=True)
    for i in range(25):
        pid = caseload.enrol_participant(f"Parent {i}", "fife", notes="x" * 300).id
        caseload.log_contact(pid, note="a conversation about college " * 5)
    caseload.close()
    data = good.read_bytes()
    target = tmp_path / "damaged.db"
    for number in range(len(data) // 4096 - 1, 0, -1):
        flipped = bytearray(data)
        flipped[number * 4096 + 200] ^= 0x10
        target.write_bytes(bytes(flipped))
        try:
            opened = Caseload.open(target, key)
        except JourneyError:
            continue
        opened.close()
        return target
    raise AssertionError("every flipped page was found at open")


def test_damage_found_after_opening_offers_the_restore(qtbot: QtBot, tmp_path: Path) -> None:
    path = _damaged_past_the_first_pages(tmp_path)
    caseload = Caseload.open(path, bytes(range(32)), exclusive=True)
    window = MainWindow(caseload, ChangeBus(caseload), owns_caseload=True)
    qtbot.addWidget(window)
    window.show()
    seen: list[tuple[str, list[str]]] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        [later] = [b for b in box.buttons() if b.text() == "Not now"]
        later.click()

    # The window is up first; the whole file is read in the background, then the offer shows.
    with_modal(qtbot, lambda: window.protect(backups=False), read, kind=QMessageBox)
    [(text, buttons)] = seen
    assert "damaged" in text
    assert "backup" in text
    assert "Restore from a backup…" in buttons
    assert window.whole_file_check is not None
    assert window.whole_file_check.outcome == "error"
    window.close()


def test_what_an_operation_holds_is_let_go_on_the_windows_thread(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Invariant: a Qt object reachable only from an operation is destroyed on the window's
    thread, however the two threads interleave. The worst interleaving is forced: the pool
    thread lingers after handing the outcome back, so the window's thread has handled the
    result and dropped its own references before the pool thread has let go of anything."""
    from journeyapp.ui import operations

    handed = operations._hand_back

    def hand_back_then_linger(signals: Any, outcome: tuple[str, object]) -> None:
        handed(signals, outcome)
        time.sleep(0.2)

    monkeypatch.setattr(operations, "_hand_back", hand_back_then_linger)
    destroyed_on: list[int] = []
    results: list[str] = []
    for round_ in range(3):
        dialog = QDialog()  # reachable only through the success callback below
        dialog.setObjectName(f"round {round_}")
        dialog.destroyed.connect(
            lambda *_: destroyed_on.append(threading.get_ident()),
            Qt.ConnectionType.DirectConnection,
        )

        def success(result: int, dialog: QDialog = dialog) -> None:
            results.append(f"{dialog.objectName()}: {result}")

        operation = Operation(
            parent=None, caseload=caseload, op=lambda own, progress: 7, success=success
        ).run_in_background()
        del dialog, success
        qtbot.waitUntil(lambda n=round_ + 1: len(results) == n)
        del operation  # the window's thread holds nothing more
        qtbot.waitUntil(lambda n=round_ + 1: len(destroyed_on) == n, timeout=5_000)
    assert results == ["round 0: 7", "round 1: 7", "round 2: 7"]
    assert destroyed_on == [threading.get_ident()] * 3


def test_work_left_running_is_stopped_and_its_result_never_arrives(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """What the end of every test relies on (tests/conftest.py): abandon_all stops the work,
    waits for its thread, and no result of it reaches the window afterwards."""
    from journeyapp.ui import operations

    heard: list[object] = []
    started = threading.Event()

    def work(own: Caseload, progress: Progress) -> str:
        started.set()
        while True:  # until Cancel
            time.sleep(0.01)
            progress(0, 1)

    op = Operation(parent=None, caseload=caseload, op=work, success=heard.append)
    op.on_cancelled(lambda: heard.append("cancelled")).run_in_background()
    assert started.wait(10)
    assert operations.abandon_all(timeout=10)
    assert operations.running() == []
    qtbot.wait(200)  # anything still queued would be delivered now
    assert heard == []
    assert not op.running


def test_a_bundle_s_passphrase_is_asked_for_as_the_bundle_s_not_the_caseload_s(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    out = tmp_path / "journey-log.jlb"
    said: list[str] = []

    def read_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, ChoosePassphraseDialog)
        said.append(dialog.windowTitle())
        said.append(dialog.guidance.text())
        dialog.reject()

    with_modal(qtbot, lambda: send_bundle(None, demo_caseload, out=out), read_and_cancel)
    title, guidance = said
    assert title == "A passphrase for this bundle"
    # What this passphrase is for, and who must be told it: not the caseload's words.
    assert "coordinator" in guidance
    assert "never with the file" in guidance
    assert "caseload cannot be opened" not in guidance
    assert "laptop is lost" not in guidance
    assert not out.exists()  # cancelled: nothing written


def test_the_caseload_s_passphrase_keeps_its_own_guidance(qtbot: QtBot) -> None:
    dialog = ChoosePassphraseDialog(None)
    qtbot.addWidget(dialog)
    assert "caseload cannot be opened" in dialog.guidance.text()
    assert "coordinator" not in dialog.guidance.text()


@pytest.mark.parametrize(
    ("chooser", "name"),
    [
        ("merge", ""),
        ("open caseload", ""),
        ("send", "journey-log-TODAY.jlb"),  # named for the day it is sent
        ("new caseload", "caseload.db"),
    ],
)
@pytest.mark.parametrize("data_folder", ["missing", "there"])
def test_a_file_chooser_opens_in_a_folder_that_is_there(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data_folder: str,
    chooser: str,
    name: str,
) -> None:
    """A caseload kept elsewhere (--db) leaves the data folder unmade: Merge a journey log… and
    Open caseload… opened in another folder with "JourneyApp" typed in as the file's name, and
    Send my journey log… and New caseload… offered their file wherever JourneyApp was started
    from. Each opens in the data folder when that is there, otherwise in the home folder, with
    no name typed for a file to read and its own name for a file to write."""
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    from journeyapp import paths

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.chdir(tmp_path)  # where JourneyApp was started from: never the answer
    if data_folder == "there":
        paths.data_dir().mkdir(parents=True)
    expected = paths.data_dir() if data_folder == "there" else home
    seen: list[tuple[str, str]] = []

    def look_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        typed = dialog.findChild(QLineEdit, "fileNameEdit")
        assert isinstance(typed, QLineEdit)
        seen.append((dialog.directory().absolutePath(), typed.text()))
        dialog.reject()

    trigger = {
        "merge": window.merge_bundle,
        "open caseload": window.open_caseload,
        "send": window.send_bundle,
        "new caseload": window.new_caseload,
    }[chooser]
    with_modal(qtbot, trigger, look_and_cancel, kind=QFileDialog)
    assert seen == [(str(expected), name.replace("TODAY", window.caseload.today().isoformat()))]


def test_a_file_that_cannot_be_a_bundle_is_named_before_its_passphrase_is_asked(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator = Caseload.open(tmp_path / "coord-odd.db", create=True, plain=True)
    asked: list[object] = []
    monkeypatch.setattr(bundle_dialog, "ask_passphrase", lambda *args: asked.append(args))
    picture = tmp_path / "from-aileen.jlb"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    seen: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    try:
        with_modal(
            qtbot,
            lambda: seen.append(repr(merge_from_bundle(None, coordinator, path=picture))),
            read,
            kind=QMessageBox,
        )
        assert "from-aileen.jlb is a PNG picture, not a journey-log bundle" in seen[0]
        assert seen[1] == "None"  # nothing runs
        assert asked == []  # and no passphrase was asked for
        assert coordinator.counts()["journey_log"] == 0
    finally:
        coordinator.close()
