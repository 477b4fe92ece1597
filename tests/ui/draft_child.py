"""Run by test_drafts in a child process: open the window over a caseload, type half a note in
"Log a contact", say TYPED once the draft had time to be kept, then wait to be killed."""

from __future__ import annotations

import sys

from PySide6.QtTest import QTest

from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.ui.draft_child_window import open_window, say_typed_then_wait


def main(path: str, key: str, pid: str, words: str) -> None:
    app, caseload, window = open_window(path, key, pid)
    dialog = LogContactDialog(caseload, pid, window)
    dialog.show()
    QTest.qWaitForWindowExposed(dialog)
    dialog.note.setFocus()
    QTest.keyClicks(dialog.note, words)
    say_typed_then_wait(app, 1.0)


if __name__ == "__main__":
    main(*sys.argv[1:5])
