"""Run by test_drafts in a child process: open the window over a caseload, open every form that
keeps drafts (one of each kind, side by side), type half a note into each (and half a phone
number into the parent's About details first), say TYPED once the drafts had time to be kept,
then wait to be killed."""

from __future__ import annotations

import sys

from PySide6.QtTest import QTest

from journeyapp.ui.workspace.about import AboutSection
from tests.ui.draft_child_window import open_window, say_typed_then_wait
from tests.ui.draft_forms import FORMS, HALF_PHONE, box_of, words_for


def main(path: str, key: str, pid: str) -> None:
    app, caseload, window = open_window(path, key, pid)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    phone = about.edits["phone"]
    phone.setFocus()
    QTest.keyClicks(phone, HALF_PHONE)
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
