"""Typing while the caseload's disk is full: the words cannot be kept as a draft, and nothing
said so, so a keyworker took them to be safe from a crash or a flat battery. Now the form says
it once (the disk is full, what to do) and goes on keeping them once there is room again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.small_disk import fill, small_disk
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
