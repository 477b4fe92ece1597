"""Run by test_drafts in a child process: open the window over a caseload, open every form that
keeps drafts (one of each kind, side by side), type half a note into each, say TYPED once the
drafts had time to be kept, then wait to be killed."""

from __future__ import annotations

import sys

from PySide6.QtTest import QTest

from tests.ui.draft_child_window import open_window, say_typed_then_wait
from tests.ui.draft_forms import FORMS, box_of, words_for


def main(path: str, key: str, pid: str) -> None:
    app, caseload, _window = open_window(path, key, pid)
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
