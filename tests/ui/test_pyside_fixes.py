"""The guard against PySide dropping references to None: a little at once, and None immortal
(as on Python 3.12) a second later, so neither a long session nor its end aborts."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journeyapp.ui import pyside_fixes

CALLS = 200_000  # far more than None's own references in a fresh process (about 5,000)


def _child(guarded: bool) -> subprocess.CompletedProcess[str]:
    """A process that makes CALLS Qt calls returning nothing, then ends (its objects go)."""
    code = textwrap.dedent(
        f"""
        import os, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication, QLabel
        from journeyapp.ui.pyside_fixes import guard_none
        app = QApplication([])
        if {guarded}:
            guard_none(app)
            end = time.monotonic() + 1.5
            while time.monotonic() < end:  # the second after start-up, as the window's
                app.processEvents()
                time.sleep(0.01)
        kept = [[None] * 1000 for _ in range(50)]  # objects holding None, freed at exit
        label = QLabel("x")
        for n in range({CALLS}):
            label.setText("y")
            label.hide()
        print("done", flush=True)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_a_guarded_process_survives_many_calls_and_its_own_end() -> None:
    unguarded = _child(guarded=False)
    guarded = _child(guarded=True)
    assert "deallocating None" not in guarded.stderr
    assert (guarded.returncode, guarded.stdout.strip()) == (0, "done")
    if unguarded.returncode == 0:
        pytest.skip("this PySide no longer drops references to None: nothing to guard")
    assert "deallocating None" in unguarded.stderr  # the defect the guard is for


def test_none_is_held_at_once_and_made_immortal_a_second_later(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyside_fixes, "_HELD", [])
    monkeypatch.setattr(pyside_fixes, "_STARTED", [])
    before = sys.getrefcount(None)
    pyside_fixes.guard_none(qapp)
    pyside_fixes.guard_none(qapp)  # once per process
    assert [len(h) for h in pyside_fixes._HELD] == [
        pyside_fixes._FIRST,
        pyside_fixes._FIRST_BOOLS,
        pyside_fixes._FIRST_BOOLS,
    ]
    assert sys.getrefcount(None) >= before + pyside_fixes._FIRST
    if sys.version_info < (3, 12):
        qtbot.waitUntil(lambda: sys.getrefcount(None) > 1 << 59, timeout=10_000)
    after = sys.getrefcount(None)
    pyside_fixes.make_none_immortal()  # a second time adds nothing
    assert abs(sys.getrefcount(None) - after) < 1_000


def _searching(guarded: bool) -> subprocess.CompletedProcess[str]:
    """A process that searches the caseload list CALLS // 10 times, as keystrokes in the
    window's search box do (each a layout change of the list's filter), then ends."""
    code = textwrap.dedent(
        f"""
        import os, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        from journeyapp.caseload import Caseload
        from journeyapp.ui.models.caseload_table_model import CaseloadFilter, CaseloadTableModel
        from journeyapp.ui.pyside_fixes import guard_none
        app = QApplication([])
        if {guarded}:
            guard_none(app)
            end = time.monotonic() + 1.5
            while time.monotonic() < end:  # the second after start-up, as the window's
                app.processEvents()
                time.sleep(0.01)
        caseload = Caseload.open(None)
        for name in ("Zoë", "Ana", "Liam"):
            caseload.enrol_participant(name, "fife")
        model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
        model.set_rows(caseload.caseload())
        search = CaseloadFilter(find=lambda text: {{"z": frozenset()}}.get(text, frozenset()))
        search.setSourceModel(model)
        for n in range({CALLS // 10}):
            search.set_search(("z", "zo", "")[n % 3])
        print("done", flush=True)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12")
def test_a_guarded_window_survives_many_searches() -> None:
    """Each search typed (a layout change of the list) dropped two references to True: some
    thousands stopped the window with "deallocating True or False". Guarded, it goes on."""
    guarded = _searching(guarded=True)
    assert "deallocating True" not in guarded.stderr
    assert (guarded.returncode, guarded.stdout.strip()) == (0, "done"), guarded.stderr
    unguarded = _searching(guarded=False)
    if unguarded.returncode == 0:
        pytest.skip("this PySide no longer drops references to True: nothing to guard")
    assert "deallocating True or False" in unguarded.stderr  # the defect the guard is for
