"""The window's caseload file deleted while it is open (a file-sync tool, someone tidying the
folder): the window said "Saved: contact logged" into a deleted file, and the contact was gone
once the window closed. Now the form keeps the words and says what happened and what to do,
and File > Back up now still makes a backup of everything saved (from the window's own
connection, since nothing else can open the file by its name any more)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.backup import open_backup
from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.ui.shell_helpers import make_window
from tests.ui.workspace_helpers import press_enter, type_into


def test_a_contact_saved_after_the_file_went_is_kept_in_the_form_and_a_backup_keeps_the_rest(
    qtbot: QtBot, caseload: Caseload
) -> None:
    assert caseload.path is not None
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    caseload.log_contact(pid, note="Saved before the file went")
    window = make_window(qtbot, caseload)
    try:
        caseload.path.unlink()
        dialog = LogContactDialog(caseload, pid, window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        type_into(qtbot, dialog.note, "Talked about the bus pass")
        press_enter(qtbot, dialog.note)
        # Not saved into a file no one can open: the form is still there with the words, and
        # says what happened.
        assert dialog.isVisible()
        assert dialog.note.text() == "Talked about the bus pass"
        said = dialog.form.general_error.text()
        assert "no longer at" in said
        assert "Back up now" in said
        assert len(caseload.journey(pid).contacts) == 1
        assert not dialog.put_away()  # the words cannot be kept: the form stays open
        type_into(qtbot, dialog.note, "")  # nothing typed: put away without a draft
        assert dialog.put_away()
        # File > Back up now: made at once, from the window's own connection.
        assert open_backup(window, caseload) is None
        said = window.statusBar().currentMessage()
        assert said.startswith("Backed up 1 parent"), said
        backups = sorted((caseload.path.parent / "backups").glob("*.db"))
        assert len(backups) == 1
    finally:
        window.bus.detach()
    restored = Caseload.open(backups[0])
    try:
        [parent] = restored.participants()
        notes = [c.note for c in restored.journey(parent.id).contacts]
        assert notes == ["Saved before the file went"]
    finally:
        restored.close()
    assert not Path(caseload.path).exists()


def test_quitting_with_words_that_cannot_be_kept_keeps_the_form_and_the_window_open(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """Quitting (the session ending) puts an open form away as a draft; a draft that could not
    be written (the file gone, a full disk) closed the form anyway and its words were lost."""
    assert caseload.path is not None
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    window = make_window(qtbot, caseload)
    dialog = LogContactDialog(caseload, pid, window)
    qtbot.addWidget(dialog)
    dialog.setModal(False)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.note, "Talked about the bus pass")
    caseload.path.unlink()
    try:
        window.close()
        assert window.isVisible()
        assert dialog.isVisible()
        assert dialog.note.text() == "Talked about the bus pass"
        assert "no longer at" in dialog.form.general_error.text()
    finally:
        type_into(qtbot, dialog.note, "")  # nothing typed: put away without a draft
        assert dialog.put_away()
        window.bus.detach()
