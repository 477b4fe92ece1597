"""Run by test_canary_window in a child process (offscreen, in a laptop's fresh folders): the
window over an encrypted caseload, and the canary typed into every kind of box a keyworker
types in: a parent enrolled with it, their About details saved with it and then typed again
unsaved, the search box, every form that keeps drafts (once saved, once left typed), the plan printed (on a PDF printer, as a keyworker with no printer would) and a print
that fails. Says TYPED once the last words had time to be kept as drafts, then waits to be
killed (kill -9: no clean-up of any kind). After TYPED come the forms that did not save.

`python -m tests.ui.canary_window_child CASELOAD PASSPHRASE CANARY PRINTED`
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from journeyapp import security
from journeyapp.caseload import Caseload
from journeyapp.core.access import Access
from journeyapp.ui import theme
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
from journeyapp.ui.dialogs.plan_preview import PlanPreviewDialog
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.widgets.forms import DRAFT_DELAY_MS
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.assessment import AssessmentDialog
from journeyapp.ui.workspace.referrals import ReferDialog
from tests.ui.draft_forms import FORMS, box_of


def pump(seconds: float) -> None:
    """Let the window work (timers, drafts kept, paints) for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def when_modal(kind: type[QDialog], handle: Callable[[QDialog], None]) -> None:
    """Once a modal dialog of `kind` shows, `handle` it (the next modal opened is it)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            handle(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def typed(box: QWidget, words: str) -> None:
    box.setFocus()
    QTest.keyClicks(box, words)


def fill_the_rest(dialog: QDialog, canary: str) -> None:
    """What a form needs besides the words typed into it, to be saved."""
    if isinstance(dialog, ReferDialog):
        editor = dialog.to.lineEdit()
        assert editor is not None
        typed(editor, f"{canary}'s college")
    if isinstance(dialog, AssessmentDialog):
        typed(next(iter(dialog.parent_scores.values())), "4")


def main(path: str, key: str, canary: str, printed: str) -> None:
    security.harden_process()  # as the window does first: private files, no core dumps
    app = theme.application(["journeyapp"])
    security.setup_logging()
    caseload = Caseload.open(Path(path), key, access=Access.WINDOW)
    window = MainWindow(caseload, ChangeBus(caseload), owns_caseload=True)
    window.protect(backups=True)
    window.show_fitted()
    pump(0.3)
    # Enrolled through the form, as a keyworker does.
    before = {p.id for p in caseload.participants()}
    enrol = EnrolDialog(caseload, window)
    enrol.show()
    typed(enrol.preferred_name, canary)
    typed(enrol.full_name, f"{canary} Quillfeather")
    enrol.locality.setCurrentIndex(enrol.locality.findData("fife"))
    enrol.submit()
    [pid] = [p.id for p in caseload.participants() if p.id not in before]
    caseload.add_goal(pid, "Get back into work")
    # The search box, typed and cleared (the words were never saved anywhere).
    typed(window.panel.search, f"{canary} search words")
    pump(0.6)
    window.panel.search.clear()
    window.open_participant(pid)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    for field in ("phone", "email", "address"):
        typed(about.edits[field], f"{canary} {field}")
    about.save_button.click()
    pump(0.2)
    # Every form that keeps drafts, twice: one saved, one left with its words (a draft).
    left = []
    refused = []
    for entry in FORMS:
        if entry.form == "enrol":  # enrolled above, through the form
            continue
        for keep in (False, True):
            dialog = entry.build(caseload, pid)
            if isinstance(getattr(dialog, entry.box), DateEdit):
                dialog.deleteLater()  # only a day to type: the canary has no place in it
                break
            dialog.show()
            QTest.qWaitForWindowExposed(dialog)
            typed(box_of(dialog, entry), f"{canary} {entry.form} words")
            fill_the_rest(dialog, canary)
            if keep:
                left.append(dialog)
            else:
                dialog.submit()
                if dialog.isVisible():
                    refused.append(entry.form)
    # The plan printed on a PDF printer (a printer's spool file is the print system's).
    preview = PlanPreviewDialog(caseload, pid, window)
    preview.show()

    def print_it(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintDialog)
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(printed)
        QDialog.done(dialog, QDialog.DialogCode.Accepted.value)  # Print

    when_modal(QPrintDialog, print_it)
    preview.print_plan()
    # A print that fails (the printer cannot start): said, and nothing left behind.
    when_modal(QMessageBox, lambda box: box.done(0))
    broken = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    broken.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    broken.setOutputFileName(str(Path(printed).parent / "no such folder" / "plan.pdf"))
    preview.print_to(broken)
    # About typed again and left unsaved, as the last thing: kept as a draft a second later.
    typed(about.edits["phone"], " and more")
    pump(DRAFT_DELAY_MS / 1000 + 1.0)
    sys.stdout.write(f"TYPED {' '.join(refused)}\n")
    sys.stdout.flush()
    QTimer.singleShot(120_000, app.quit)  # never reached: the test kills us first
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:5])
