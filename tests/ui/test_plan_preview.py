"""The print preview shows the real PDF pages; large print re-renders; save, print and batch write files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ParticipantStatus
from journeyapp.ui.dialogs.plan_preview import BatchPlansDialog, PlanPreviewDialog
from tests.ui.shell_helpers import answer_question, finish, with_modal


@pytest.fixture
def first_id(demo_caseload: Caseload) -> str:
    return demo_caseload.participants()[0].id


@pytest.fixture
def preview(qtbot: QtBot, demo_caseload: Caseload, first_id: str) -> PlanPreviewDialog:
    dialog = PlanPreviewDialog(demo_caseload, first_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_preview_shows_every_page_of_the_real_pdf(preview: PlanPreviewDialog) -> None:
    pages = len(PdfReader(io.BytesIO(preview.pdf)).pages)
    assert pages >= 2
    assert preview.document.pageCount() == pages
    assert len(preview.page_labels) == pages
    assert preview.page_labels[0].accessibleName() == f"Page 1 of {pages}"
    image = preview.page_labels[0].pixmap().toImage()
    assert not image.isNull()
    # White paper, like the print (QtPdf renders pages with a transparent background).
    assert image.pixelColor(3, 3).name() == "#ffffff"
    # A rendered page is not blank: some pixels are dark (text), not all white.
    dark = sum(
        1
        for y in range(0, image.height(), 7)
        for x in range(0, image.width(), 7)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 50


def test_a_narrow_preview_shows_whole_pages_without_sideways_scrolling(
    qtbot: QtBot, preview: PlanPreviewDialog
) -> None:
    """Invariant: at any width a page can be read whole, the preview never scrolls sideways
    (a small screen, or 200%, where the dialog is narrower than a page was drawn)."""
    for width in (420, 560, 900):
        preview.resize(width, 600)
        qtbot.waitUntil(lambda: preview._shown_width == preview.page_width(), timeout=5_000)
        sideways = preview.scroll_area.horizontalScrollBar()
        qtbot.waitUntil(lambda bar=sideways: not bar.isVisible(), timeout=5_000)  # laid out again
        # (a page's label is laid out a moment after it is made: until then it has Qt's default
        # 640 px width, so the condition is waited for, not read once)
        qtbot.waitUntil(
            lambda: (
                max(label.width() for label in preview.page_labels)
                <= preview.scroll_area.viewport().width()
            ),
            timeout=5_000,
        )
    assert preview._shown_width == 640  # wide enough again: the usual size


def _font_sizes(data: bytes) -> set[float]:
    sizes: set[float] = set()

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.add(round(size * tm[0], 1))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_toggle_renders_again_larger(qtbot: QtBot, preview: PlanPreviewDialog) -> None:
    before_pdf, before_pages = preview.pdf, preview.pages
    # Click the box itself (a check box only reacts to clicks on its box and text).
    box = preview.large_print
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert preview.is_large_print
    assert preview.pdf != before_pdf
    assert preview.pages >= before_pages
    # Body text: 12 pt before, 16 pt after (only the footer stays as small as 12 pt).
    assert 12.0 in _font_sizes(before_pdf)
    assert 16.0 not in _font_sizes(before_pdf)
    assert 16.0 in _font_sizes(preview.pdf)
    assert len(preview.page_labels) == preview.pages
    assert "large print" in preview.status.text()


def test_what_we_hold_is_a_choice(preview: PlanPreviewDialog) -> None:
    preview.kind.setCurrentIndex(1)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.pdf)).pages)
    assert "What we hold about you" in text
    assert preview.default_file_name().startswith("what-we-hold-")


def test_contact_is_printed_after_editing(qtbot: QtBot, preview: PlanPreviewDialog) -> None:
    preview.contact.setFocus()
    qtbot.keyClicks(preview.contact, "0131 496 0000")
    qtbot.keyClick(preview.contact, Qt.Key.Key_Return)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.pdf)).pages)
    assert "0131 496 0000" in text


def test_a_contact_longer_than_a_contact_line_is_refused_and_the_pages_stay(
    qtbot: QtBot, preview: PlanPreviewDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of text pasted into "How they can reach you" made a preview of dozens of pages;
    now it is refused with what to give instead, said once (not again each time Enter is
    pressed, which a keyboard could not get out of), and the pages shown stay as they were."""
    said: list[str] = []
    monkeypatch.setattr(
        "journeyapp.ui.errors.show_error", lambda _parent, exc, *_a: said.append(exc.message)
    )
    shown, pages = preview.pdf, preview.pages
    preview.contact.setFocus()
    preview.contact.setText("Call Morag on 0131 555 0123 " * 400)
    qtbot.keyClick(preview.contact, Qt.Key.Key_Return)
    qtbot.keyClick(preview.contact, Qt.Key.Key_Return)  # Enter again: not said again
    preview.large_print.setFocus()  # leaving the field: not said again
    assert len(said) == 1, said
    assert said[0].startswith("The contact line is 11,199 characters long")
    assert (preview.pdf, preview.pages) == (shown, pages)
    assert preview.status.text().startswith("Not updated")


def test_save_as_pdf_writes_the_file_shown(
    qtbot: QtBot, preview: PlanPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "siobhan plan"  # no suffix: .pdf is added
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")),
    )
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "siobhan plan.pdf"
    assert written.read_bytes() == preview.pdf
    assert "Saved to" in preview.status.text()


@pytest.mark.parametrize("reply", ["No", "Yes"])
def test_an_ending_added_to_a_name_already_there_asks_before_replacing_it(
    qtbot: QtBot,
    preview: PlanPreviewDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reply: str,
) -> None:
    """Invariant: a file already saved is replaced only by a decision. The system's save dialog
    asked about "siobhan plan", not "siobhan plan.pdf", which JourneyApp makes of it: asked
    here, "No" keeps every byte and writes nothing; "Yes" writes the plan there."""
    mine = tmp_path / "siobhan plan.pdf"
    mine.write_bytes(b"%PDF-1.4 last month's plan")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "siobhan plan"), "PDF files (*.pdf)")),
    )
    asked = answer_question(qtbot, reply)
    written = preview.save_as_pdf()
    assert asked == [
        f"siobhan plan.pdf is already in {tmp_path}. Replace it with this one?\n\n"
        "(The name typed, siobhan plan, was given the ending .pdf.)"
    ]
    if reply == "No":
        assert written is None
        assert mine.read_bytes() == b"%PDF-1.4 last month's plan"
    else:
        assert written == mine
        assert mine.read_bytes() == preview.pdf
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf"] == ["siobhan plan.pdf"]


def test_save_cancelled_writes_nothing(
    preview: PlanPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert preview.save_as_pdf() is None


def test_print_sends_every_page(preview: PlanPreviewDialog, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    preview.print_to(printer)
    assert len(PdfReader(str(out)).pages) == preview.pages


@pytest.mark.parametrize("what", [0, 1], ids=["plan", "what we hold"])
def test_a_print_job_does_not_name_the_parent(
    qtbot: QtBot, preview: PlanPreviewDialog, tmp_path: Path, what: int
) -> None:
    """The print system keeps a job's name (its job history and page log, a print server's
    too) and a PDF printer makes it the file's name and title: the job says what it is, never
    whose. The parent's name is only on the printed pages."""
    preview.kind.setCurrentIndex(what)
    person = preview.participant
    names = [n for n in (person.preferred_name, person.full_name) if n]
    out = tmp_path / "printed.pdf"
    job: list[str] = []

    def print_it(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintDialog)
        printer = dialog.printer()
        job.append(printer.docName())
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        QDialog.done(dialog, QDialog.DialogCode.Accepted.value)  # as Print, on this file

    with_modal(qtbot, preview.print_plan, print_it, kind=QPrintDialog)
    assert preview.status.text().startswith("Sent ")
    data = out.read_bytes()
    for name in names:
        for word in name.split():
            for encoded in (word.encode(), word.encode("utf-16-be")):
                assert encoded not in data, (word, out)
            assert word not in job[0]
    assert job[0].startswith("JourneyApp"), job


def test_a_one_page_plan_is_counted_in_the_singular(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    """A parent with nothing recorded yet has a one-page plan: "1 page", not "1 pages"."""
    new = demo_caseload.enrol_participant("Nothing Yet", "fife")
    dialog = PlanPreviewDialog(demo_caseload, new.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.pages == len(PdfReader(io.BytesIO(dialog.pdf)).pages) == 1
    assert dialog.status.text().startswith("1 page, standard print.")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_to(printer)
    assert dialog.status.text() == "Sent 1 page to the printer."


def _batch(qtbot: QtBot, caseload: Caseload) -> BatchPlansDialog:
    dialog = BatchPlansDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_batch_one_file_each(qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path) -> None:
    dialog = _batch(qtbot, demo_caseload)
    open_people = [
        p for p in demo_caseload.participants() if p.status is not ParticipantStatus.CLOSED
    ]
    dialog.each.setChecked(True)
    finish(qtbot, dialog.write(tmp_path))
    assert dialog.written == len(open_people)
    files = sorted(tmp_path.glob("plan-*.pdf"))
    assert len(files) == len(open_people)
    assert all(PdfReader(str(f)).pages for f in files[:3])
    assert "Saved" in dialog.status.text()


@pytest.mark.slow
def test_batch_one_pdf_through_the_save_button(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _batch(qtbot, demo_caseload)
    target = tmp_path / "all.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    text = " ".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert text.count("Page 1 of") == len(dialog.people)


def test_batch_cancel_stops_between_plans(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    dialog = _batch(qtbot, demo_caseload)
    dialog.each.setChecked(True)

    def cancel_after_two(done: int) -> None:
        if done >= 2 and dialog.operation is not None:
            dialog.operation.cancel()  # as the Cancel button of the progress dialog does

    dialog.plan_written.connect(cancel_after_two)
    finish(qtbot, dialog.write(tmp_path))
    # The plans are written off the window's thread: a plan or two more may be done by the
    # time Cancel is seen, but it stops between plans and says how many are there.
    written = dialog.written
    assert 2 <= written < len(dialog.people)
    assert len(list(tmp_path.glob("*.pdf"))) == written
    assert f"Stopped after {written} of" in dialog.status.text()


def test_batch_cancel_of_one_pdf_writes_nothing(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    dialog = _batch(qtbot, demo_caseload)
    dialog.plan_written.connect(
        lambda done: dialog.operation.cancel() if dialog.operation else None
    )
    target = tmp_path / "all.pdf"
    finish(qtbot, dialog.write(target))
    assert dialog.written == 0
    assert not target.exists()
    assert list(tmp_path.glob("*.pdf")) == []
    assert "Nothing was saved" in dialog.status.text()


def test_open_helpers_show_the_dialogs(
    qtbot: QtBot, demo_caseload: Caseload, first_id: str
) -> None:
    from PySide6.QtWidgets import QApplication

    from journeyapp.ui.dialogs.plan_preview import open_batch_plans, open_plan_preview

    open_plan_preview(None, demo_caseload, first_id)
    open_batch_plans(None, demo_caseload)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    previews = [w for w in shown if isinstance(w, PlanPreviewDialog)]
    batches = [w for w in shown if isinstance(w, BatchPlansDialog)]
    assert len(previews) == 1
    assert len(batches) == 1
    assert previews[0].pages >= 2
    for dialog in (*previews, *batches):
        dialog.close()
    qtbot.waitUntil(lambda: not any(w.isVisible() for w in (*previews, *batches)))


def test_preview_writes_nothing_to_disk(
    qtbot: QtBot,
    demo_caseload: Caseload,
    first_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The plan and "What we hold" previews render from memory: no temp file holds them."""
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    dialog = PlanPreviewDialog(demo_caseload, first_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind.setCurrentIndex(1)  # What we hold: the whole record
    dialog.large_print.setChecked(True)
    assert dialog.document.pageCount() == len(PdfReader(io.BytesIO(dialog.pdf)).pages) >= 2
    assert not dialog.page_labels[0].pixmap().toImage().isNull()
    assert list(temp.rglob("*")) == []
    assert not list(Path(tempfile.gettempdir()).glob("journeyapp-preview-*"))
