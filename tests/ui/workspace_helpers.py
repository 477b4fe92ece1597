"""Helpers for the workspace tests: a parent's workspace on a real caseload, and driving dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.workspace import ParticipantWorkspace
from journeyapp.ui.workspace.section import Section
from tests.ui.shell_helpers import make_window, type_text, with_modal


@dataclass
class Opened:
    """A workspace showing one freshly enrolled parent."""

    caseload: Caseload
    bus: ChangeBus
    workspace: ParticipantWorkspace
    pid: str

    def tab(self, cls: type[Section]) -> Any:
        """Open the tab of a section (as a click on it would) and return the section."""
        section = self.workspace.section(cls)
        self.workspace.tabs.setCurrentWidget(section)
        return section


@contextmanager
def opened_workspace(qtbot: QtBot, caseload: Caseload, name: str = "Zoë") -> Iterator[Opened]:
    """Enrol `name` and show their workspace in a window."""
    with workspace_of(qtbot, caseload, caseload.enrol_participant(name, "glasgow").id) as opened:
        yield opened


@contextmanager
def workspace_of(qtbot: QtBot, caseload: Caseload, pid: str) -> Iterator[Opened]:
    """Show the workspace of the parent `pid` (already in `caseload`) in a window."""
    bus = ChangeBus(caseload)
    workspace = ParticipantWorkspace(caseload, bus)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 700)
    workspace.show()
    workspace.show_participant(pid)
    try:
        yield Opened(caseload, bus, workspace, pid)
    finally:
        bus.detach()


def in_dialog(qtbot: QtBot, open_it: Callable[[], Any], fill: Callable[[QDialog], None]) -> None:
    """Open a modal dialog with `open_it` and drive it with `fill` (keys and clicks).

    `fill` runs once the dialog is on screen; if it fails, the dialog is closed and the failure
    raised here, so a broken test never hangs on an open dialog (shell_helpers.with_modal).
    """
    with_modal(qtbot, open_it, fill, must_close=False)


def type_into(qtbot: QtBot, widget: QWidget, text: str, *, clear: bool = True) -> None:
    """Select what is in a field and type `text` over it, as a person would."""
    widget.setFocus()
    if clear:
        qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def press_enter(qtbot: QtBot, widget: QWidget) -> None:
    """Press Enter in a field (saves a dialog)."""
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def choose(qtbot: QtBot, combo: Any, text: str) -> None:
    """Pick the entry of a combo box whose text is `text`, with the keyboard."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setFocus()
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


@contextmanager
def painted_timeline(
    qtbot: QtBot, caseload: Caseload, pid: str, width: int, height: int
) -> Iterator[Any]:
    """A parent's journey timeline in the main window at `width`×`height`, painted (so its
    names are placed, as a keyworker opening the Journey tab sees them)."""
    from journeyapp.ui.workspace.journey import JourneySection

    window = make_window(qtbot, caseload)
    window.resize(width, height)
    window.panel.select(pid)
    window.open_participant(pid)
    section = window.workspace.section(JourneySection)
    window.workspace.tabs.setCurrentWidget(section)
    qtbot.waitUntil(section.timeline.isVisible)
    section.timeline.grab()
    try:
        yield section.timeline
    finally:
        window.bus.detach()


@pytest.fixture
def opened(qtbot: QtBot, caseload: Caseload) -> Iterator[Opened]:
    """A window showing the workspace of a newly enrolled parent (Zoë)."""
    with opened_workspace(qtbot, caseload) as o:
        yield o


# A day on a parent's journey in the workspace tests: after `joined_before` has them join.
ON = date(2026, 11, 3)


def joined_before(c: Caseload, pid: str) -> Caseload:
    """The parent joined before ON: a pace, a break or a milestone on ON is on their journey."""
    c.update_participant(pid, joined_on=date(2026, 10, 1))
    return c
