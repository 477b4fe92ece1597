"""The window on a full disk. Typing while the caseload's disk is full: the words cannot be kept as a draft, and nothing
said so, so a keyworker took them to be safe from a crash or a flat battery. Now the form says
it once (the disk is full, what to do) and goes on keeping them once there is room again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.export_dialog import ExportDialog
from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.small_disk import fill, small_disk
from tests.ui.shell_helpers import answer_question, finish
from tests.ui.workspace_helpers import type_into

__all__ = ["small_disk"]  # the fixture, for pytest


@pytest.fixture
def on_the_stick(small_disk: Path) -> Iterator[Caseload]:
    caseload = Caseload.open(small_disk / "caseload.db", create=True, plain=True)
    caseload.clock = ticking_clock(TODAY)
    yield caseload
    caseload.close()


def test_words_that_cannot_be_kept_on_a_full_disk_are_said_to_be_so(
    qtbot: QtBot, on_the_stick: Caseload
) -> None:
    caseload = on_the_stick
    assert caseload.path is not None
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    caseload.safety.checkpoint()
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    filler = fill(caseload.path.parent)
    try:
        type_into(qtbot, dialog.note, "Talked about the bus pass " + "and more " * 400)
        note = dialog.form.general_error
        qtbot.waitUntil(note.isVisible, timeout=5000)
        said = note.text()
        assert "is full" in said, said
        assert "keep what you are typing" in said, said
        assert "still on screen" in said, said
        assert dialog.note.text().startswith("Talked about the bus pass")  # nothing lost
        # Room made: the words are kept again as typing goes on.
        filler.unlink()
        type_into(qtbot, dialog.note, " and the college", clear=False)
        qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=5000)
        assert caseload.drafts()[0].fields["note"].endswith("and the college")
    finally:
        filler.unlink(missing_ok=True)
        dialog.put_away()  # closed without asking, whatever happened above


def test_the_window_s_workbook_export_on_a_full_disk_says_the_disk_is_full(
    qtbot: QtBot, demo_caseload: Caseload, small_disk: Path
) -> None:
    """The spreadsheet writer's "IO_ENOSPC" was no error a person can act on: the export
    stopped with a programmer's error, not a message."""
    filler = fill(small_disk, leave_kib=150)
    dialog = ExportDialog(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    qtbot.keyClicks(dialog.destination, str(small_disk / "quarter.xlsx"))
    seen = answer_question(qtbot, "OK")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    qtbot.waitUntil(lambda: bool(seen))
    assert "is full" in seen[0], seen
    assert seen[0].endswith("Nothing was exported."), seen
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # nothing half-written
    assert dialog.export_button.isEnabled()  # space made, the person can try again
    filler.unlink()
