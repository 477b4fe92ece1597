"""Sending this laptop's journey log to the coordinator, and merging one from another laptop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core import file_digests
from journeyapp.core.errors import BundleError
from journeyapp.core.file_names import bundle_name, with_ending
from journeyapp.core.merge import MergeResult
from journeyapp.core.passphrase import BUNDLE_GUIDANCE
from journeyapp.exchange.bundle import merge_bundles, require_bundle, write_bundle
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog, ask_passphrase
from journeyapp.ui.errors import show_error
from journeyapp.ui.operations import Operation, Progress

BUNDLE_FILTER = "Journey-log bundle (*.jlb)"


def send_bundle(
    parent: QWidget | None,
    caseload: Caseload,
    *,
    out: Path | None = None,
    passphrase: str | None = None,
) -> Operation[int] | None:
    """Write the whole journey log to an encrypted bundle file for the coordinator.

    Asks where and for a passphrase (unless given), then writes off the window's thread with
    progress and Cancel; returns the running operation (None when the person cancels first).
    """
    if out is None:
        sender = caseload.settings.sender()
        offered = bundle_name(
            sender.device_name.strip() or sender.keyworker.strip(),
            caseload.today(),
            paths.browse_dir(),
        )
        name, _ = QFileDialog.getSaveFileName(
            parent, "Send my journey log", str(offered), BUNDLE_FILTER
        )
        if not name:
            return None
        out = with_ending(name, "bundle")
    if passphrase is None:
        choose = ChoosePassphraseDialog(
            parent, title="A passphrase for this bundle", guidance=BUNDLE_GUIDANCE
        )
        if choose.exec() != QDialog.DialogCode.Accepted:
            return None
        passphrase = choose.passphrase()
    target, secret = out, passphrase

    def written(count: int) -> None:
        QMessageBox.information(
            parent,
            "Journey log written",
            f"{count:,} journey-log events are in {target}, encrypted with the passphrase you "
            "chose. Give the file to your coordinator, and tell them the passphrase in person or "
            "by phone, never with the file.",
        )

    return (
        Operation(
            parent=parent,
            caseload=caseload,
            op=lambda own, progress: write_bundle(own, target, secret, progress=progress),
            success=written,
            title="Send my journey log",
        )
        .with_progress("Writing your journey log…")
        .run_in_background()
    )


def merge_from_bundle(
    parent: QWidget | None,
    caseload: Caseload,
    *,
    path: Path | None = None,
    passphrase: str | None = None,
    done: Callable[[MergeResult], object] | None = None,
) -> Operation[MergeResult] | None:
    """Merge a journey-log bundle from another laptop (merging twice changes nothing).

    Read, checked and merged off the window's thread, on its own connection; the window hears
    the changes afterwards. `done(result)` follows the summary message.
    """
    if path is None:
        name, _ = QFileDialog.getOpenFileName(
            parent,
            "Merge a journey log",
            str(paths.browse_dir()),
            f"{BUNDLE_FILTER};;All files (*)",
        )
        if not name:
            return None
        path = Path(name)
    try:
        # A file that cannot be a bundle (a caseload, a picture, an empty copy) is named
        # before anyone is asked for its passphrase.
        require_bundle(path)
    except BundleError as exc:
        show_error(parent, exc, "Merge a journey log")
        return None
    if passphrase is None:
        # The file's digest (which recognises a bundle merged here before) is worked out on
        # the other cores while the passphrase is typed.
        file_digests.ahead(path)
        passphrase = ask_passphrase(
            parent,
            "Merge a journey log",
            f"The passphrase of {path.name} (its sender tells you it, never with the file):",
        )
        if passphrase is None:
            file_digests.drop(path)
            return None
    source, secret = path, passphrase

    def merged(result: MergeResult) -> None:
        extra = (
            "\n\nSome details were changed differently on the two laptops: both are kept. "
            "Choose which to keep under Partnership > Needs a decision."
            if result.new_decisions
            else ""
        )
        clocks = f"\n\n{result.clock_note()}" if result.ahead else ""
        enrol = f"\n\n{result.enrol_note()}" if result.unenrolled else ""
        if result.other_catalogues:
            enrol += f"\n\n{result.catalogue_note()}"
        QMessageBox.information(
            parent, "Journey log merged", result.summary() + enrol + clocks + extra
        )
        if done is not None:
            done(result)

    def work(own: Caseload, progress: Progress) -> MergeResult:
        progress.label("Reading and checking the journey log…")

        def read(new: int) -> None:
            progress.check()  # Cancel while reading: stop before anything is merged
            progress.label(f"Merging {new:,} new journey-log events…")

        # Only the events this caseload lacks are read, their seals checked (as `journeyapp
        # merge` does); a bundle the shortcut cannot vouch for is read whole.
        return merge_bundles(own, [source], secret, before_merge=read)

    return (
        Operation(
            parent=parent, caseload=caseload, op=work, success=merged, title="Merge a journey log"
        )
        .with_progress("Reading and checking the journey log…")
        .run_in_background()
    )
