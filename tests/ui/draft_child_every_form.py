"""Run by test_drafts in a child process: open the window over a caseload, open every form that
keeps drafts (one of each kind, side by side), type half a note into each (and half a phone
number into the parent's About details first), say TYPED once the drafts had time to be kept,
then wait to be killed."""

from __future__ import annotations

import sys

from PySide6.QtTest import QTest

from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.background import BackgroundSection
from tests.ui.draft_child_window import open_window, say_typed_then_wait
from tests.ui.draft_forms import FORMS, HALF_PHONE, HALF_STAGE_NOTE, box_of, words_for


def main(path: str, key: str, pid: str) -> None:
    app, caseload, window = open_window(path, key, pid)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    phone = about.edits["phone"]
    phone.setFocus()
    QTest.keyClicks(phone, HALF_PHONE)
    # Half a stage move: the stage chosen, what changed half typed beside it.
    about.stage_combo.setCurrentIndex(about.stage_combo.findData("getting_connected"))
    about.stage_note.setFocus()
    QTest.keyClicks(about.stage_note, HALF_STAGE_NOTE)
    # Half the Background answers: one chosen of several.
    background = window.workspace.section(BackgroundSection)
    window.workspace.tabs.setCurrentWidget(background)
    lone_parent = background.answers["lone_parent"]
    lone_parent.setCurrentIndex(lone_parent.findData("yes"))
    dialogs = []
    for entry in FORMS:
        dialog = entry.build(caseload, pid)
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        box = box_of(dialog, entry)
        box.setFocus()
        QTest.keyClicks(box, words_for(entry.form))
        dialogs.append(dialog)
    say_typed_then_wait(app, 1.5)


if __name__ == "__main__":
    main(*sys.argv[1:4])
