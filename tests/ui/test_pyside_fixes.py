"""The guard against PySide dropping references to None: a little at once, in full soon after."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journeyapp.ui import pyside_fixes


def test_none_is_held_a_little_at_once_and_in_full_once_the_window_is_up(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyside_fixes, "_HELD", [])
    monkeypatch.setattr(pyside_fixes, "_TIMERS", [])
    # As low as at a process's start, whatever earlier tests hold.
    monkeypatch.setattr(pyside_fixes, "_LOW", sys.getrefcount(None) + 10 * pyside_fixes._TOP_UP)
    before = sys.getrefcount(None)
    pyside_fixes.guard_none(qapp)
    held = pyside_fixes._HELD
    assert [len(h) for h in held] == [pyside_fixes._FIRST]  # at once: a tenth of a top-up
    assert sys.getrefcount(None) >= before + pyside_fixes._FIRST
    # A second later (the window is up): a whole top-up, as before.
    qtbot.waitUntil(lambda: len(held) == 2, timeout=10_000)
    assert len(held[1]) == pyside_fixes._TOP_UP
    for timer in pyside_fixes._TIMERS:
        timer.stop()
